/***************************************************************************
 * A caller's own ALPN list for a TLS connection curl makes (raw sockets
 * over CONNECT_ONLY). curl 8.14 offers only the ALPN ids of the HTTP
 * versions it speaks; its CURLOPT_SSL_CTX_FUNCTION runs after it set them
 * and before the handshake, so the list is replaced there.
 *
 * Ownership: cw_alpn_new() returns one malloc'ed block (the pointer array
 * and the names) that the facade owns and frees with cw_alpn_free() only
 * after the easy handle is cleaned up: mbedTLS keeps pointing at it for the
 * connection's life (the negotiated id is one of its strings).
 ***************************************************************************/

#include <curl/curl.h>
#include <mbedtls/ssl.h>
#include <stdlib.h>
#include <string.h>

#define CW_ALPN_MAX 16

struct cw_alpn {
  const char *protos[CW_ALPN_MAX + 1];
  char names[];
};

/* wire holds the ids as in the TLS extension: a length byte, then that many
 * bytes, repeated. Returns NULL on a malformed or too long list. */
struct cw_alpn *cw_alpn_new(const unsigned char *wire, size_t len)
{
  struct cw_alpn *alpn = calloc(1, sizeof(*alpn) + len + 1);
  size_t in = 0, out = 0;
  int count = 0;

  if(!alpn)
    return NULL;
  while(in < len) {
    size_t n = wire[in++];
    if(!n || n > len - in || count == CW_ALPN_MAX ||
       memchr(wire + in, 0, n)) {
      free(alpn);
      return NULL;
    }
    alpn->protos[count++] = alpn->names + out;
    memcpy(alpn->names + out, wire + in, n);
    out += n;
    alpn->names[out++] = 0;
    in += n;
  }
  alpn->protos[count] = NULL;
  return alpn;
}

void cw_alpn_free(struct cw_alpn *alpn)
{
  free(alpn);
}

static CURLcode on_ssl_ctx(CURL *easy, void *config, void *alpn)
{
  mbedtls_ssl_config *conf = config;

  (void)easy;
  if(mbedtls_ssl_conf_alpn_protocols(conf, ((struct cw_alpn *)alpn)->protos))
    return CURLE_SSL_CONNECT_ERROR;
  return CURLE_OK;
}

/* Makes the next handshake of easy offer alpn's ids instead of curl's; NULL
 * goes back to curl's own. curl must have ALPN enabled, or the extension is
 * left out whatever the list. */
int cw_easy_set_alpn(CURL *easy, struct cw_alpn *alpn)
{
  CURLcode rc;

  rc = curl_easy_setopt(easy, CURLOPT_SSL_CTX_FUNCTION,
                        alpn ? on_ssl_ctx : NULL);
  if(!rc)
    rc = curl_easy_setopt(easy, CURLOPT_SSL_CTX_DATA, (void *)alpn);
  return rc;
}

/* The id the server chose, or NULL when it chose none, the connection has
 * no TLS, or the connection is not attached to easy. A CONNECT_ONLY
 * transfer detaches it when it ends, until the first send or recv; its
 * pre-request callback still sees it attached. */
const char *cw_tls_alpn(CURL *easy)
{
  struct curl_tlssessioninfo *info = NULL;

  if(curl_easy_getinfo(easy, CURLINFO_TLS_SSL_PTR, &info) || !info ||
     info->backend != CURLSSLBACKEND_MBEDTLS || !info->internals)
    return NULL;
  return mbedtls_ssl_get_alpn_protocol(info->internals);
}
