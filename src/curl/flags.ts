// Return values and bit flags from curl.h that callbacks and pause() use. These are macros,
// not enums, so the generator does not see them; each value is checked against curl.h by
// test/constants.test.ts.

export const CURL_WRITEFUNC_PAUSE = 0x10000001;
export const CURL_WRITEFUNC_ERROR = 0xffffffff;
export const CURL_READFUNC_ABORT = 0x10000000;
export const CURL_READFUNC_PAUSE = 0x10000001;
export const CURL_SEEKFUNC_OK = 0;
export const CURL_SEEKFUNC_FAIL = 1;
export const CURL_SEEKFUNC_CANTSEEK = 2;

export const CURLPAUSE_RECV = 1;
export const CURLPAUSE_SEND = 4;
export const CURLPAUSE_ALL = CURLPAUSE_RECV | CURLPAUSE_SEND;
export const CURLPAUSE_CONT = 0;

export const CURL_HTTP_VERSION = {
  NONE: 0,
  '1_0': 1,
  '1_1': 2,
  '2_0': 3,
  '2TLS': 4,
  '2_PRIOR_KNOWLEDGE': 5,
} as const;

export const CURL_SSLVERSION = {
  DEFAULT: 0,
  TLSv1: 1,
  TLSv1_0: 4,
  TLSv1_1: 5,
  TLSv1_2: 6,
  TLSv1_3: 7,
  MAX_DEFAULT: 1 << 16,
  MAX_TLSv1_2: 6 << 16,
  MAX_TLSv1_3: 7 << 16,
} as const;

/** Frame flags of curl_ws_send and curl_ws_recv (curl/websockets.h). */
export const CURLWS = {
  TEXT: 1 << 0,
  BINARY: 1 << 1,
  CONT: 1 << 2,
  CLOSE: 1 << 3,
  PING: 1 << 4,
  OFFSET: 1 << 5,
  PONG: 1 << 6,
} as const;

/** Bits of CURLOPT_WS_OPTIONS. */
export const CURLWS_RAW_MODE = 1 << 0;
export const CURLWS_NOAUTOPONG = 1 << 1;
