// loadCurl(): the whole library on one wasm instance: curl's own API (Easy, Multi, select)
// and, on top of it, fetch(), sessions, WebSockets and raw sockets, which the curl layer
// itself must not know about.
import { createRuntime, Curl, type LoadOptions } from './curl/curl.js';
import { curlFetch, type CurlRequestInit, type FetchContext } from './fetch/fetch.js';
import { Session, type SessionOptions } from './fetch/session.js';
import { connectSocket, type SocketOptions } from './socket/connect.js';
import type { CurlSocket } from './socket/curl-socket.js';
import { wsConnect, type WsConnectOptions } from './ws/connect.js';
import type { WsConnection } from './ws/connection.js';
import { bindWebSocket, type WebSocketConstructor } from './ws/websocket.js';

export class CurlClient extends Curl {
  #fetchContext: FetchContext | undefined;

  /** fetch() through libcurl: a standard Response, with curl's options under `init.curl`. */
  fetch = async (input: RequestInfo | URL, init?: CurlRequestInit): Promise<Response> => {
    const driver = this.driver(); // a HandleClosedError once the client is closed
    this.#fetchContext ??= { driver, newEasy: () => this.easy(), defaultCa: () => this.caBundle() };
    return curlFetch(this.#fetchContext, input, init);
  };

  /** A session: its own connections and limits, a cookie jar, a base URL, default headers. */
  session(options?: SessionOptions): Session {
    return new Session(this, options);
  }

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

export async function loadCurl(options: LoadOptions = {}): Promise<CurlClient> {
  return new CurlClient(await createRuntime(options));
}
