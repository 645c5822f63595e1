// The shape of the Emscripten module as the rest of the library sees it: the C exports of
// wasm/curl-glue.c (the list in wasm/module.mk), and the two objects the JS library
// wasm/socket-shim.js calls back into.

/** A pointer into the wasm heap. */
export type Ptr = number;

/** What the socket table answers: a byte count (or 0), or a POSIX errno name. */
export type ErrnoName =
  | 'EAGAIN'
  | 'EINPROGRESS'
  | 'EALREADY'
  | 'EISCONN'
  | 'ENOTCONN'
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'ECONNABORTED'
  | 'ETIMEDOUT'
  | 'EHOSTUNREACH'
  | 'ENETUNREACH'
  | 'EADDRNOTAVAIL'
  | 'EPIPE'
  | 'EBADF'
  | 'EINVAL'
  | 'ENOMEM'
  | 'EOPNOTSUPP';

export interface SocketAddress {
  family: 4 | 6;
  port: number;
  bytes: Uint8Array;
}

/** Readiness bits returned by {@link SocketHost.poll}. */
export const READY = { IN: 1, OUT: 2, ERR: 4, HUP: 8 } as const;

/**
 * The socket calls of libcurl, as wasm/socket-shim.js hands them over. Implemented by the
 * socket table (net/). Nothing here may throw: failures are errno names.
 */
export interface SocketHost {
  open(fd: number, family: 4 | 6, datagram: boolean): void;
  connect(fd: number, address: SocketAddress): number | ErrnoName;
  send(fd: number, bytes: Uint8Array): number | ErrnoName;
  recv(fd: number, into: Uint8Array, peek: boolean): number | ErrnoName;
  poll(fd: number): number;
  close(fd: number): void;
  shutdown(fd: number, how: number): number | ErrnoName;
  takeError(fd: number): ErrnoName | null;
  queued(fd: number): number;
  localAddress(fd: number): SocketAddress;
  remoteAddress(fd: number): SocketAddress | null;
  addressFor(name: string, family: 0 | 4 | 6): SocketAddress | null;
}

/**
 * curl's callbacks, routed through wasm/curl-glue.c. The easy (or multi) pointer says whose
 * they are. Implementations must not throw into wasm.
 */
export interface CallbackHooks {
  write(easy: Ptr, data: Ptr, len: number): number;
  header(easy: Ptr, data: Ptr, len: number): number;
  read(easy: Ptr, buffer: Ptr, len: number): number;
  xferinfo(easy: Ptr, dltotal: number, dlnow: number, ultotal: number, ulnow: number): number;
  debug(easy: Ptr, type: number, data: Ptr, len: number): number;
  seek(easy: Ptr, offset: number, origin: number): number;
  trailer(easy: Ptr, list: Ptr): number;
  prereq(easy: Ptr, primaryIp: Ptr, localIp: Ptr, primaryPort: number, localPort: number): number;
  socketOwner(fd: number, easy: Ptr): void;
  multiSocket(multi: Ptr, easy: Ptr, fd: number, what: number): number;
  multiTimer(multi: Ptr, timeoutMs: number): number;
  /** A streamed mime part's data: `source` is the number the facade gave the part. */
  mimeRead(source: number, buffer: Ptr, len: number): number;
  mimeSeek(source: number, offset: number, origin: number): number;
  /** curl let go of the part: the source is not asked again. */
  mimeFree(source: number): void;
}

/** The C exports the facade calls. */
export interface CurlExports {
  _malloc(size: number): Ptr;
  _free(ptr: Ptr): void;
  _curl_easy_init(): Ptr;
  _curl_easy_cleanup(easy: Ptr): void;
  _curl_easy_reset(easy: Ptr): void;
  _curl_easy_duphandle(easy: Ptr): Ptr;
  _curl_easy_pause(easy: Ptr, bitmask: number): number;
  _curl_easy_strerror(code: number): Ptr;
  _curl_easy_upkeep(easy: Ptr): number;
  _curl_easy_send(easy: Ptr, buffer: Ptr, len: number, sent: Ptr): number;
  _curl_easy_recv(easy: Ptr, buffer: Ptr, len: number, received: Ptr): number;
  _curl_easy_header(
    easy: Ptr,
    name: Ptr,
    index: number,
    origin: number,
    request: number,
    out: Ptr,
  ): number;
  _curl_easy_nextheader(easy: Ptr, origin: number, request: number, prev: Ptr): Ptr;
  _curl_url(): Ptr;
  _curl_url_cleanup(url: Ptr): void;
  _curl_url_dup(url: Ptr): Ptr;
  _curl_url_get(url: Ptr, part: number, out: Ptr, flags: number): number;
  _curl_url_set(url: Ptr, part: number, text: Ptr, flags: number): number;
  _curl_url_strerror(code: number): Ptr;
  _curl_mime_init(easy: Ptr): Ptr;
  _curl_mime_free(mime: Ptr): void;
  _curl_mime_addpart(mime: Ptr): Ptr;
  _curl_mime_name(part: Ptr, name: Ptr): number;
  _curl_mime_filename(part: Ptr, filename: Ptr): number;
  _curl_mime_type(part: Ptr, type: Ptr): number;
  _curl_mime_data(part: Ptr, data: Ptr, size: number): number;
  _curl_mime_headers(part: Ptr, list: Ptr, takeOwnership: number): number;
  _cw_mime_data_cb(part: Ptr, size: number, source: number): number;
  _curl_multi_init(): Ptr;
  _curl_multi_cleanup(multi: Ptr): number;
  _curl_multi_add_handle(multi: Ptr, easy: Ptr): number;
  _curl_multi_remove_handle(multi: Ptr, easy: Ptr): number;
  _curl_multi_strerror(code: number): Ptr;
  _curl_multi_wakeup(multi: Ptr): number;
  _curl_share_init(): Ptr;
  _curl_share_cleanup(share: Ptr): number;
  _curl_share_strerror(code: number): Ptr;
  _curl_slist_append(list: Ptr, text: Ptr): Ptr;
  _curl_slist_free_all(list: Ptr): void;
  _curl_free(ptr: Ptr): void;
  _cw_easy_defaults(easy: Ptr): number;
  _cw_easy_route(easy: Ptr, option: number, on: number): number;
  _cw_easy_setopt_long(easy: Ptr, option: number, value: number): number;
  _cw_easy_setopt_ptr(easy: Ptr, option: number, value: Ptr): number;
  _cw_easy_setopt_off(easy: Ptr, option: number, value: number): number;
  _cw_easy_setopt_blob(easy: Ptr, option: number, data: Ptr, len: number): number;
  _cw_easy_getinfo(easy: Ptr, info: number, out: Ptr): number;
  _cw_multi_route_events(multi: Ptr, on: number): number;
  _cw_multi_setopt_long(multi: Ptr, option: number, value: number): number;
  _cw_multi_perform(multi: Ptr, running: Ptr): number;
  _cw_multi_socket_action(multi: Ptr, fd: number, events: number, running: Ptr): number;
  _cw_multi_timeout(multi: Ptr, timeoutMs: Ptr): number;
  _cw_multi_info_read(multi: Ptr, result: Ptr): Ptr;
  _cw_multi_fdset(multi: Ptr, out: Ptr, room: number): number;
  _cw_share_setopt_long(share: Ptr, option: number, value: number): number;
  _cw_ca_bundle_data(): Ptr;
  _cw_ca_bundle_size(): number;
  _cw_version_json(): Ptr;
  _cw_heap_in_use(): number;
  _cw_ws_send(
    easy: Ptr,
    buffer: Ptr,
    len: number,
    sent: Ptr,
    fragsize: number,
    flags: number,
  ): number;
  /** `meta` has room for 5 doubles: age, flags, offset, bytesleft, len. */
  _cw_ws_recv(easy: Ptr, buffer: Ptr, len: number, received: Ptr, meta: Ptr): number;
  /** A list of ALPN ids in the TLS extension's wire format; 0 when malformed. */
  _cw_alpn_new(wire: Ptr, len: number): Ptr;
  _cw_alpn_free(alpn: Ptr): void;
  _cw_easy_set_alpn(easy: Ptr, alpn: Ptr): number;
  _cw_tls_alpn(easy: Ptr): Ptr;
}

/** The instantiated module. Heap views are replaced when memory grows: read them anew. */
export interface CurlModule extends CurlExports {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  HEAPF64: Float64Array;
  UTF8ToString(ptr: Ptr, maxBytes?: number): string;
  stringToUTF8(text: string, ptr: Ptr, maxBytes: number): void;
  lengthBytesUTF8(text: string): number;
}
