// curl.connect(): a raw byte stream to host:port for protocols the library does not speak, on a
// connection curl makes with CONNECT_ONLY 1, over TLS done by curl when asked (CA checks, SNI,
// the caller's ALPN list).
import type { Curl } from '../curl/curl.js';
import {
  applyCurlOptions,
  applyTrust,
  type CurlOptions,
  type TrustOptions,
} from '../curl/connection-options.js';
import type { Easy } from '../curl/easy.js';
import { CurlError } from '../curl/errors.js';
import { CURL_HTTP_VERSION } from '../curl/flags.js';
import { CURLE } from '../curl/generated/codes.js';
import { CurlSocket, type Connected } from './curl-socket.js';
import { socketTarget } from './target.js';

export interface TlsOptions extends TrustOptions {
  /** ALPN ids to offer, most wanted first. None by default: no ALPN extension is sent. */
  alpn?: readonly string[];
  /** The name to send as SNI and to verify the certificate against, if not `host`. */
  servername?: string;
}

export interface SocketOptions {
  /** TLS done by curl: `true` for the defaults (Mozilla's roots, SNI = host). */
  tls?: boolean | TlsOptions;
  /** Any CURLOPT, set last. */
  curl?: CurlOptions;
}

/**
 * ALPN ids curl acts on when the server picks them: it would speak that protocol on the socket
 * (for h2 it sends the HTTP/2 preface). This build has no HTTP/3, so h3 is only a name to it.
 */
const CURL_ALPN = new Set(['h2']);

function setTls(easy: Easy, tls: TlsOptions): void {
  applyTrust(easy, tls);
  const alpn = tls.alpn ?? [];
  const taken = alpn.find((id) => CURL_ALPN.has(id));
  if (taken) {
    throw new TypeError(`ALPN '${taken}' cannot be used on a raw socket: curl would speak it`);
  }
  if (alpn.length === 0) easy.setopt('SSL_ENABLE_ALPN', 0);
  else easy.setAlpn(alpn);
}

/**
 * Reads the ALPN id curl agreed on from the pre-request callback: the last moment the connection
 * is attached to the handle before a CONNECT_ONLY transfer ends. A caller's own callback still
 * runs after.
 */
function watchAlpn(easy: Easy, options: SocketOptions): { alpn: string | null } {
  const seen = { alpn: null as string | null };
  const theirs = options.curl?.PREREQFUNCTION;
  easy.setopt('PREREQFUNCTION', (conn) => {
    seen.alpn = easy.alpn();
    return theirs ? theirs(conn) : true;
  });
  return seen;
}

function prepare(curl: Curl, host: string, port: number, options: SocketOptions) {
  const tls = options.tls === true ? {} : options.tls || null;
  const target = socketTarget(host, port, tls !== null, tls?.servername);
  const easy = curl.easy();
  try {
    easy.setopt('URL', target.url);
    if (target.connectTo) easy.setopt('CONNECT_TO', target.connectTo);
    easy.setopt('CONNECT_ONLY', 1);
    // HTTP/1.1 only: nothing makes curl add a protocol layer of its own to the connection.
    easy.setopt('HTTP_VERSION', CURL_HTTP_VERSION['1_1']);
    if (tls) setTls(easy, tls);
    applyCurlOptions(easy, options.curl);
    return { easy, seen: watchAlpn(easy, options) };
  } catch (error) {
    easy.close();
    throw error;
  }
}

async function open(
  curl: Curl,
  easy: Easy,
  seen: { alpn: string | null },
  signal: AbortSignal,
): Promise<Connected> {
  try {
    await easy.perform({ signal });
    const fd = easy.getinfo('ACTIVESOCKET');
    if (fd < 0) throw new CurlError(CURLE.COULDNT_CONNECT, 'socket: curl kept no connection');
    const info = seen.alpn ? { alpn: seen.alpn } : {};
    return { easy, sockets: curl.sockets, fd, info };
  } catch (error) {
    easy.close();
    throw error;
  }
}

/** Connects at once; `opened` says when it is done, or rejects with a CurlError. */
export function connectSocket(
  curl: Curl,
  host: string,
  port: number,
  options: SocketOptions = {},
): CurlSocket {
  const { easy, seen } = prepare(curl, host, port, options);
  const abort = new AbortController();
  return new CurlSocket(open(curl, easy, seen, abort.signal), abort);
}
