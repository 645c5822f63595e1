// libcurl-wasm: libcurl compiled to WebAssembly, with curl's own API in TypeScript.
export { loadCurl, CurlClient } from './client.js';
export { Curl } from './curl/curl.js';
export type { LoadOptions, VersionInfo } from './curl/curl.js';
export { Easy } from './curl/easy.js';
export {
  Multi,
  DEFAULT_BUDGET,
  CURL_CSELECT,
  CURL_POLL,
  CURL_SOCKET_TIMEOUT,
} from './curl/multi.js';
export type {
  Completed,
  FdSet,
  MultiCallbacks,
  SocketCallback,
  TimerCallback,
  WorkBudget,
} from './curl/multi.js';
export type { HeaderEntry, HeaderOrigin, HeaderOriginName, HeaderQuery, HeadersQuery } from './curl/easy-headers.js';
export { Share } from './curl/share.js';
export type { LockDataName, ShareOptionName } from './curl/share.js';
export { CurlUrl } from './curl/url.js';
export type { UrlFlagName, UrlFlags, UrlPartName } from './curl/url.js';
export { Mime } from './curl/mime.js';
export type { MimePart, StreamSource } from './curl/mime.js';
export {
  CurlError,
  CurlHeaderError,
  CurlMultiError,
  CurlOptionError,
  CurlShareError,
  CurlUrlError,
  HandleClosedError,
  HandleInUseError,
} from './curl/errors.js';
export { CURLE, CURLM } from './curl/generated/codes.js';
export { CURLINFO } from './curl/generated/infos.js';
export { CURLOPT, CURLMOPT } from './curl/generated/options.js';
export { CURLSHOPT, CURLSHE, CURL_LOCK_DATA } from './curl/generated/share.js';
export { CURLUE, CURLUPART, CURLU } from './curl/generated/url.js';
export { CURLH, CURLHE } from './curl/generated/header.js';
export * from './curl/flags.js';
export type * from './curl/option-types.js';
export type { CurlRequestInit } from './fetch/fetch.js';
export { Session, CookieJar } from './fetch/session.js';
export type { SessionOptions } from './fetch/session.js';
export type { CurlExtras } from './fetch/curl-extras.js';
export { TransportError } from './net/transport.js';
export type {
  Connection,
  ConnectionEvents,
  Transport,
  TransportTarget,
  TransportErrorCode,
} from './net/transport.js';
export { nodeTcpTransport } from './net/node-tcp.js';
export { denoTcpTransport } from './net/deno-tcp.js';
export { bunTcpTransport } from './net/bun-tcp.js';
export { defaultTransport } from './net/default-transport.js';
export { allowListTransport } from './net/allow-list.js';
