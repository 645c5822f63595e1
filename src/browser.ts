// libcurl-wasm for browsers and workers: everything but the transports of server runtimes.
// (src/index.ts adds those.)
// `Curl` is what loadCurl() returns; `CurlCore` is its curl-layer base, without fetch(),
// sessions, WebSockets and raw sockets.
export { loadCurl, CurlClient, CurlClient as Curl } from './client.js';
export { Curl as CurlCore } from './curl/curl.js';
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
export type {
  HeaderEntry,
  HeaderOrigin,
  HeaderOriginName,
  HeaderQuery,
  HeadersQuery,
} from './curl/easy-headers.js';
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
export { denoTcpTransport } from './net/deno-tcp.js';
export { bunTcpTransport } from './net/bun-tcp.js';
export { defaultTransport } from './net/default-transport.js';
export { allowListTransport } from './net/allow-list.js';
export { websockifyTransport } from './net/websockify.js';
export type { WebsockifyOptions } from './net/websockify.js';
export { wispTransport } from './net/wisp.js';
export type { WispOptions, WispStats, WispTransport } from './net/wisp.js';
export type {
  WebSocketConstructor as WebSocketLikeConstructor,
  WebSocketLike,
} from './net/websocket-like.js';
export type {
  Connection,
  ConnectionEvents,
  Transport,
  TransportTarget,
  TransportErrorCode,
} from './net/transport.js';
export type { ConnectionOptions } from './curl/connection-options.js';
export type { WsFrame } from './curl/easy-ws.js';
export { WsConnection } from './ws/connection.js';
export type { WsConnectOptions } from './ws/connect.js';
export type { RequestHeaders } from './ws/handshake.js';
export { CurlWebSocket } from './ws/websocket.js';
export type {
  BinaryType,
  WebSocketConstructor,
  WebSocketData,
  WebSocketOptions,
} from './ws/websocket.js';
export { WebSocketErrorEvent } from './ws/events.js';
export { CLOSE_CODE } from './ws/close-frame.js';
export { CurlSocket } from './socket/curl-socket.js';
export type { SocketInfo } from './socket/curl-socket.js';
export type { SocketOptions, TlsOptions } from './socket/connect.js';
