/* Adjustments to mbedTLS 3.6's default configuration for the wasm build.
 * Included by mbedTLS itself (MBEDTLS_USER_CONFIG_FILE) and, through the same define, by
 * curl's mbedTLS backend, so both sides agree on every option. */

/* Sockets belong to curl and our socket shim; mbedTLS's own BSD socket and timing layers
 * would pull Emscripten's stock socket emulation back in. */
#undef MBEDTLS_NET_C
#undef MBEDTLS_TIMING_C

/* Nothing here speaks DTLS. */
#undef MBEDTLS_SSL_PROTO_DTLS
#undef MBEDTLS_SSL_DTLS_ANTI_REPLAY
#undef MBEDTLS_SSL_DTLS_HELLO_VERIFY
#undef MBEDTLS_SSL_DTLS_CLIENT_PORT_REUSE
#undef MBEDTLS_SSL_DTLS_CONNECTION_ID

/* A client only: no TLS server code in the module. */
#undef MBEDTLS_SSL_SRV_C
