// Opening a WebSocket with curl: CONNECT_ONLY 2 makes curl do the upgrade and hand the
// connection over; the handshake's remaining checks are ours (handshake.ts).
import type { Curl } from '../curl/curl.js';
import {
  applyCurlOptions,
  applyTrust,
  type ConnectionOptions,
} from '../curl/connection-options.js';
import { CurlError } from '../curl/errors.js';
import { CURLE } from '../curl/generated/codes.js';
import { CURLWS_NOAUTOPONG } from '../curl/flags.js';
import { SocketWaiter } from '../net/socket-waiter.js';
import { WsConnection } from './connection.js';
import { checkReply, prepareHandshake, type RequestHeaders } from './handshake.js';
import { ReplyHeaders } from './reply-headers.js';

export interface WsConnectOptions extends ConnectionOptions {
  /** Subprotocols to offer (Sec-WebSocket-Protocol), most wanted first. */
  protocols?: readonly string[];
  /** More request headers. The handshake's own (Upgrade, Sec-WebSocket-*) are refused. */
  headers?: RequestHeaders;
  /** Answer pings with pongs, and hide them from recv(). On by default. */
  autoPong?: boolean;
  /** Aborts the handshake; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** ws: and wss: as curl wants them; http: and https: are taken too, as browsers do now. */
export function webSocketUrl(url: string | URL): URL {
  const parsed = new URL(url);
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  else if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new TypeError(`a WebSocket URL is ws: or wss:, not ${parsed.protocol}`);
  }
  if (parsed.hash) throw new TypeError('a WebSocket URL has no fragment');
  return parsed;
}

function prepare(curl: Curl, url: URL, options: WsConnectOptions) {
  const handshake = prepareHandshake(options.protocols ?? [], options.headers);
  const reply = new ReplyHeaders();
  const easy = curl.easy();
  try {
    easy.setopt('URL', url.href);
    easy.setopt('CONNECT_ONLY', 2);
    // Pings are answered by WsConnection, between frames: curl's own pong could land in
    // the middle of a frame it is still sending.
    easy.setopt('WS_OPTIONS', CURLWS_NOAUTOPONG);
    easy.setopt('HTTPHEADER', handshake.headerLines);
    easy.setopt('HEADERFUNCTION', reply.onLine);
    applyTrust(easy, options);
    applyCurlOptions(easy, options.curl);
  } catch (error) {
    easy.close();
    throw error;
  }
  return { easy, handshake, reply };
}

/** Opens a WebSocket; rejects with a CurlError when the connection or the handshake fails. */
export async function wsConnect(
  curl: Curl,
  url: string | URL,
  options: WsConnectOptions = {},
): Promise<WsConnection> {
  const target = webSocketUrl(url);
  const { easy, handshake, reply } = prepare(curl, target, options);
  try {
    await easy.perform({ signal: options.signal });
    easy.setopt('HEADERFUNCTION', null);
    const headers = reply.all;
    const agreement = checkReply(handshake, headers);
    const fd = easy.getinfo('ACTIVESOCKET');
    if (fd < 0) throw new CurlError(CURLE.GOT_NOTHING, 'WebSocket: curl kept no connection');
    return new WsConnection({
      easy,
      waiter: new SocketWaiter(curl.sockets, fd),
      url: target.href,
      headers,
      autoPong: options.autoPong ?? true,
      ...agreement,
    });
  } catch (error) {
    easy.close();
    throw error;
  }
}
