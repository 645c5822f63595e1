// libcurl-wasm: libcurl compiled to WebAssembly, with curl's own API in TypeScript.
export { loadCurl, Curl } from './library.js';
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
export {
  CurlError,
  CurlMultiError,
  CurlOptionError,
  HandleClosedError,
  HandleInUseError,
} from './curl/errors.js';
export { CURLE, CURLM } from './curl/generated/codes.js';
export { CURLINFO } from './curl/generated/infos.js';
export { CURLOPT, CURLMOPT } from './curl/generated/options.js';
export * from './curl/flags.js';
export type * from './curl/option-types.js';
export { TransportError } from './net/transport.js';
export type {
  Connection,
  ConnectionEvents,
  Transport,
  TransportTarget,
  TransportErrorCode,
} from './net/transport.js';
export { nodeTcpTransport } from './net/node-tcp.js';
export type {
  ConnectionOptions,
  CurlOptions,
  TrustOptions,
} from './curl/connection-options.js';
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
