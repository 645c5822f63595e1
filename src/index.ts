// libcurl-wasm: libcurl compiled to WebAssembly, with curl's own API in TypeScript.
export * from './browser.js';
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
