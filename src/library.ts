// The Curl that loadCurl() gives: the curl layer's handles, plus the entry points of the layers
// above it (WebSocket, raw sockets), which the curl layer itself must not know about.
import { Curl as CurlCore, loadRuntime, type LoadOptions } from './curl/curl.js';
import { connectSocket, type SocketOptions } from './socket/connect.js';
import type { CurlSocket } from './socket/curl-socket.js';
import { wsConnect, type WsConnectOptions } from './ws/connect.js';
import type { WsConnection } from './ws/connection.js';
import { bindWebSocket, type WebSocketConstructor } from './ws/websocket.js';

export class Curl extends CurlCore {
  /** The WHATWG WebSocket, over this instance: `new curl.WebSocket(url, protocols, options)`. */
  readonly WebSocket: WebSocketConstructor = bindWebSocket(this);

  /** Opens a WebSocket spoken frame by frame (curl_ws_send and curl_ws_recv). */
  wsConnect(url: string | URL, options?: WsConnectOptions): Promise<WsConnection> {
    return wsConnect(this, url, options);
  }

  /** A raw byte stream to host:port, plain or over TLS, as WHATWG streams. */
  connect(host: string, port: number, options?: SocketOptions): CurlSocket {
    return connectSocket(this, host, port, options);
  }
}

export async function loadCurl(options: LoadOptions = {}): Promise<Curl> {
  return new Curl(await loadRuntime(options));
}
