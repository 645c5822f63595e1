/***************************************************************************
 * The C side of the TypeScript facade: fixed-signature wrappers for curl's
 * variadic calls, and trampolines that turn curl callbacks into calls to
 * wasm/socket-shim.js, which hands them to the facade.
 *
 * Ownership: every CURL, CURLM, CURLSH, CURLU and curl_mime handle is owned
 * by one TS object, which calls the matching cleanup. Strings passed to the
 * setopt wrappers are copied by curl and freed by the caller afterwards;
 * string lists stay owned by the facade until the handle is closed or the
 * option replaced. cw_version_json() returns a malloc'ed string the caller
 * frees. A streamed mime part names its JS source by a number; curl calls
 * the free trampoline once when it lets go of the part, and the facade
 * forgets the source then. The WebSocket wrappers write only into buffers
 * the caller owns.
 ***************************************************************************/

#include <curl/curl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Implemented in wasm/socket-shim.js. */
extern size_t cw_js_write(CURL *easy, char *data, size_t len);
extern size_t cw_js_header(CURL *easy, char *data, size_t len);
extern size_t cw_js_read(CURL *easy, char *buffer, size_t len);
extern int cw_js_xferinfo(CURL *easy, double dltotal, double dlnow,
                          double ultotal, double ulnow);
extern int cw_js_debug(CURL *easy, int type, char *data, size_t len);
extern int cw_js_seek(CURL *easy, double offset, int origin);
extern int cw_js_trailer(CURL *easy, struct curl_slist **list);
extern int cw_js_prereq(CURL *easy, char *primary_ip, char *local_ip,
                        int primary_port, int local_port);
extern void cw_js_socket_owner(int fd, CURL *easy);
extern int cw_js_multi_socket(CURLM *multi, CURL *easy, int fd, int what);
extern int cw_js_multi_timer(CURLM *multi, long timeout_ms);
extern size_t cw_js_mime_read(int source, char *buffer, size_t len);
extern int cw_js_mime_seek(int source, double offset, int origin);
extern void cw_js_mime_free(int source);

/* Generated at build time from Debian's ca-certificates (wasm/module.mk). */
extern const char cw_ca_bundle[];
extern const size_t cw_ca_bundle_len;

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *easy)
{
  return cw_js_write(easy, ptr, size * nmemb);
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *easy)
{
  return cw_js_header(easy, ptr, size * nmemb);
}

static size_t on_read(char *buffer, size_t size, size_t nitems, void *easy)
{
  return cw_js_read(easy, buffer, size * nitems);
}

static int on_xferinfo(void *easy, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow)
{
  return cw_js_xferinfo(easy, (double)dltotal, (double)dlnow,
                        (double)ultotal, (double)ulnow);
}

static int on_debug(CURL *handle, curl_infotype type, char *data,
                    size_t size, void *easy)
{
  (void)handle;
  return cw_js_debug(easy, (int)type, data, size);
}

static int on_seek(void *easy, curl_off_t offset, int origin)
{
  return cw_js_seek(easy, (double)offset, origin);
}

static int on_trailer(struct curl_slist **list, void *easy)
{
  return cw_js_trailer(easy, list);
}

static int on_prereq(void *easy, char *primary_ip, char *local_ip,
                     int primary_port, int local_port)
{
  return cw_js_prereq(easy, primary_ip, local_ip, primary_port, local_port);
}

/* Tags every socket with its easy handle, so that a transport's error can
 * be given to the transfer it broke. */
static curl_socket_t on_opensocket(void *easy, curlsocktype purpose,
                                   struct curl_sockaddr *addr)
{
  curl_socket_t fd;

  (void)purpose;
  fd = socket(addr->family, addr->socktype, addr->protocol);
  if(fd != CURL_SOCKET_BAD)
    cw_js_socket_owner(fd, easy);
  return fd;
}

/* Settings every handle gets after init, reset and duphandle. */
int cw_easy_defaults(CURL *easy)
{
  struct curl_blob ca;
  CURLcode rc = CURLE_OK;

  ca.data = (void *)cw_ca_bundle;
  ca.len = cw_ca_bundle_len;
  ca.flags = CURL_BLOB_NOCOPY;

  /* No alarm() based timeouts: the resolver never blocks here. */
  rc |= curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
  rc |= curl_easy_setopt(easy, CURLOPT_CAINFO_BLOB, &ca);
  /* Both synthetic addresses of a name lead to the same host: starting the
   * second family while the first is still connecting would only open a
   * second transport stream. The transport races families itself. */
  rc |= curl_easy_setopt(easy, CURLOPT_HAPPY_EYEBALLS_TIMEOUT_MS, 60000L);
  /* Each call across the wasm boundary costs more than in C: a receive
   * buffer larger than curl's 16 KB default more than doubles plain HTTP
   * throughput (measured: 270 MB/s at 16 KB, 650 MB/s at 256 KB). */
  rc |= curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, 256L * 1024);
  rc |= curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, on_opensocket);
  rc |= curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, easy);
  rc |= curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_write);
  rc |= curl_easy_setopt(easy, CURLOPT_WRITEDATA, easy);
  rc |= curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header);
  rc |= curl_easy_setopt(easy, CURLOPT_HEADERDATA, easy);
  return rc ? CURLE_FAILED_INIT : CURLE_OK;
}

/* Points one of curl's callbacks at its trampoline, or back to curl's
 * default when on is 0. */
int cw_easy_route(CURL *easy, int option, int on)
{
  CURLoption data;
  void *fn;

  switch(option) {
  case CURLOPT_READFUNCTION:
    fn = on_read;
    data = CURLOPT_READDATA;
    break;
  case CURLOPT_XFERINFOFUNCTION:
    fn = on_xferinfo;
    data = CURLOPT_XFERINFODATA;
    break;
  case CURLOPT_DEBUGFUNCTION:
    fn = on_debug;
    data = CURLOPT_DEBUGDATA;
    break;
  case CURLOPT_SEEKFUNCTION:
    fn = on_seek;
    data = CURLOPT_SEEKDATA;
    break;
  case CURLOPT_TRAILERFUNCTION:
    fn = on_trailer;
    data = CURLOPT_TRAILERDATA;
    break;
  case CURLOPT_PREREQFUNCTION:
    fn = on_prereq;
    data = CURLOPT_PREREQDATA;
    break;
  default:
    return CURLE_UNKNOWN_OPTION;
  }
  if(curl_easy_setopt(easy, (CURLoption)option, on ? fn : NULL))
    return CURLE_BAD_FUNCTION_ARGUMENT;
  return curl_easy_setopt(easy, data, on ? (void *)easy : NULL);
}

int cw_easy_setopt_long(CURL *easy, int option, long value)
{
  return curl_easy_setopt(easy, (CURLoption)option, value);
}

int cw_easy_setopt_ptr(CURL *easy, int option, void *value)
{
  return curl_easy_setopt(easy, (CURLoption)option, value);
}

int cw_easy_setopt_off(CURL *easy, int option, double value)
{
  return curl_easy_setopt(easy, (CURLoption)option, (curl_off_t)value);
}

int cw_easy_setopt_blob(CURL *easy, int option, void *data, size_t len)
{
  struct curl_blob blob;

  blob.data = data;
  blob.len = len;
  blob.flags = CURL_BLOB_COPY;
  return curl_easy_setopt(easy, (CURLoption)option, data ? &blob : NULL);
}

/* out has room for 8 bytes; the facade reads it by the info's type bits. */
int cw_easy_getinfo(CURL *easy, int info, void *out)
{
  return curl_easy_getinfo(easy, (CURLINFO)info, out);
}

/* curl_ws_send with a fixed signature: curl takes fragsize as a curl_off_t,
 * which reaches us as a double (exact up to 2^53). */
int cw_ws_send(CURL *easy, const void *buffer, size_t len, size_t *sent,
               double fragsize, unsigned int flags)
{
  return curl_ws_send(easy, buffer, len, sent, (curl_off_t)fragsize, flags);
}

/* curl_ws_recv, with the frame's struct curl_ws_frame copied into meta as
 * plain numbers, so the facade reads no C struct: meta[0] age, meta[1]
 * flags, meta[2] offset, meta[3] bytesleft, meta[4] len. curl's frame is
 * only valid until the next call on the handle; the copy stays. */
int cw_ws_recv(CURL *easy, void *buffer, size_t len, size_t *received,
               double *meta)
{
  const struct curl_ws_frame *frame = NULL;
  CURLcode rc = curl_ws_recv(easy, buffer, len, received, &frame);

  if(rc == CURLE_OK && frame) {
    meta[0] = frame->age;
    meta[1] = frame->flags;
    meta[2] = (double)frame->offset;
    meta[3] = (double)frame->bytesleft;
    meta[4] = (double)frame->len;
  }
  return rc;
}

static int on_multi_socket(CURL *easy, curl_socket_t fd, int what,
                           void *multi, void *socketp)
{
  (void)socketp;
  return cw_js_multi_socket(multi, easy, fd, what);
}

static int on_multi_timer(CURLM *multi, long timeout_ms, void *userp)
{
  (void)userp;
  return cw_js_multi_timer(multi, timeout_ms);
}

/* Routes the multi's socket and timer callbacks to the facade. */
int cw_multi_route_events(CURLM *multi, int on)
{
  CURLMcode rc = CURLM_OK;

  rc |= curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION,
                          on ? on_multi_socket : NULL);
  rc |= curl_multi_setopt(multi, CURLMOPT_SOCKETDATA, on ? multi : NULL);
  rc |= curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION,
                          on ? on_multi_timer : NULL);
  rc |= curl_multi_setopt(multi, CURLMOPT_TIMERDATA, NULL);
  return rc ? CURLM_BAD_FUNCTION_ARGUMENT : CURLM_OK;
}

int cw_multi_setopt_long(CURLM *multi, int option, long value)
{
  return curl_multi_setopt(multi, (CURLMoption)option, value);
}

int cw_multi_perform(CURLM *multi, int *running)
{
  return curl_multi_perform(multi, running);
}

int cw_multi_socket_action(CURLM *multi, int fd, int events, int *running)
{
  return curl_multi_socket_action(multi, fd, events, running);
}

int cw_multi_timeout(CURLM *multi, long *timeout_ms)
{
  return curl_multi_timeout(multi, timeout_ms);
}

/* The next finished transfer, with its result, or NULL when none is
 * left. */
CURL *cw_multi_info_read(CURLM *multi, int *result)
{
  int queued;
  CURLMsg *msg;

  while((msg = curl_multi_info_read(multi, &queued))) {
    if(msg->msg == CURLMSG_DONE) {
      *result = msg->data.result;
      return msg->easy_handle;
    }
  }
  return NULL;
}

/* Writes fd | mask << 16 for every fd curl wants watched (mask: 1 read,
 * 2 write, 4 except) and returns how many, or -1 on error. */
int cw_multi_fdset(CURLM *multi, int *out, int room)
{
  fd_set r, w, e;
  int maxfd = -1;
  int fd, n = 0;

  FD_ZERO(&r);
  FD_ZERO(&w);
  FD_ZERO(&e);
  if(curl_multi_fdset(multi, &r, &w, &e, &maxfd))
    return -1;
  for(fd = 0; fd <= maxfd && n < room; fd++) {
    int mask = (FD_ISSET(fd, &r) ? 1 : 0) | (FD_ISSET(fd, &w) ? 2 : 0) |
               (FD_ISSET(fd, &e) ? 4 : 0);
    if(mask)
      out[n++] = fd | (mask << 16);
  }
  return n;
}

static size_t on_mime_read(char *buffer, size_t size, size_t nitems,
                           void *source)
{
  return cw_js_mime_read((int)(intptr_t)source, buffer, size * nitems);
}

static int on_mime_seek(void *source, curl_off_t offset, int origin)
{
  return cw_js_mime_seek((int)(intptr_t)source, (double)offset, origin);
}

static void on_mime_free(void *source)
{
  cw_js_mime_free((int)(intptr_t)source);
}

/* Makes part read its data from the JS source numbered source. size is -1
 * when unknown; curl_off_t does not cross the boundary, a double does. */
int cw_mime_data_cb(curl_mimepart *part, double size, int source)
{
  curl_off_t datasize = size < 0 ? -1 : (curl_off_t)size;

  return curl_mime_data_cb(part, datasize, on_mime_read, on_mime_seek,
                           on_mime_free, (void *)(intptr_t)source);
}

int cw_share_setopt_long(CURLSH *share, int option, long value)
{
  return curl_share_setopt(share, (CURLSHoption)option, value);
}

/* Bytes of the heap in use by malloc, for leak checks. */
size_t cw_heap_in_use(void)
{
  struct mallinfo info = mallinfo();
  return (size_t)info.uordblks;
}

const char *cw_ca_bundle_data(void)
{
  return cw_ca_bundle;
}

size_t cw_ca_bundle_size(void)
{
  return cw_ca_bundle_len;
}

static size_t json_list(char *out, size_t room, const char *const *items)
{
  size_t n = 0;
  int i;

  n += snprintf(out + n, room - n, "[");
  for(i = 0; items && items[i] && n < room; i++)
    n += snprintf(out + n, room - n, "%s\"%s\"", i ? "," : "", items[i]);
  if(n < room)
    n += snprintf(out + n, room - n, "]");
  return n;
}

static const char *or_empty(const char *s)
{
  return s ? s : "";
}

/* curl_version_info() as JSON, so the facade reads no C structs. */
char *cw_version_json(void)
{
  const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
  size_t room = 4096, n = 0;
  char *out = malloc(room);

  if(!out)
    return NULL;
  n += snprintf(out + n, room - n,
                "{\"version\":\"%s\",\"versionNum\":%u,\"host\":\"%s\","
                "\"ssl\":\"%s\",\"libz\":\"%s\",\"brotli\":\"%s\","
                "\"zstd\":\"%s\",\"nghttp2\":\"%s\",\"features\":%d,"
                "\"protocols\":",
                v->version, v->version_num, or_empty(v->host),
                or_empty(v->ssl_version), or_empty(v->libz_version),
                or_empty(v->brotli_version), or_empty(v->zstd_version),
                or_empty(v->nghttp2_version), v->features);
  n += json_list(out + n, room - n, v->protocols);
  n += snprintf(out + n, room - n, ",\"featureNames\":");
  n += json_list(out + n, room - n, v->feature_names);
  snprintf(out + n, room - n, "}");
  return out;
}
