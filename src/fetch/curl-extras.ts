// curl's power within fetch's reach: the documented `curl` key of the init object.
import type { Easy } from '../curl/easy.js';
import { CURL_HTTP_VERSION } from '../curl/flags.js';
import type { OptionName } from '../curl/option-types.js';
import { curlHeaderLines, headerPairs } from './request-headers.js';

export interface CurlExtras {
  /** curl's verbose output: true writes it to console.error, a function receives it. */
  verbose?: boolean | ((type: number, text: string) => void);
  /** Milliseconds for the whole transfer (CURLOPT_TIMEOUT_MS). */
  timeout?: number;
  /** Milliseconds to connect (CURLOPT_CONNECTTIMEOUT_MS). */
  connectTimeout?: number;
  /** '1.0', '1.1', '2' (over TLS by ALPN, the default), or '2-prior-knowledge'. */
  httpVersion?: '1.0' | '1.1' | '2' | '2-prior-knowledge';
  /** A proxy URL: http://, https://, socks4://, socks4a://, socks5:// or socks5h://. */
  proxy?: string;
  /** Headers for the proxy alone (CONNECT). */
  proxyHeaders?: HeadersInit;
  /** Hosts that bypass the proxy (CURLOPT_NOPROXY). */
  noProxy?: string;
  /** CA certificates (PEM) to trust instead of the embedded Mozilla roots. */
  ca?: string | Uint8Array;
  /** CA certificates (PEM) to trust as well as the embedded roots. */
  addCa?: string | Uint8Array;
  /** A client certificate and its key (PEM), with the key's password if any. */
  cert?: string | Uint8Array;
  key?: string | Uint8Array;
  keyPassword?: string;
  /** Skips certificate and host name verification. */
  insecure?: boolean;
  /** CURLOPT_PINNEDPUBLICKEY: "sha256//<base64>" values separated by ';'. */
  pinnedPublicKey?: string;
  /** CURLOPT_RESOLVE entries: "host:port:address". */
  resolve?: string[];
  /** CURLOPT_CONNECT_TO entries: "host:port:connect-host:connect-port". */
  connectTo?: string[];
  /** Any other option, set last, by name: the escape hatch. */
  options?: Partial<Record<OptionName, unknown>>;
}

const HTTP_VERSIONS = {
  '1.0': CURL_HTTP_VERSION['1_0'],
  '1.1': CURL_HTTP_VERSION['1_1'],
  '2': CURL_HTTP_VERSION['2TLS'],
  '2-prior-knowledge': CURL_HTTP_VERSION['2_PRIOR_KNOWLEDGE'],
} as const;

const text = (value: string | Uint8Array) =>
  typeof value === 'string' ? value : new TextDecoder().decode(value);

export function applyExtras(easy: Easy, extras: CurlExtras, defaultCa: () => string): void {
  if (extras.verbose) {
    const sink =
      extras.verbose === true
        ? (type: number, line: string) => type === 0 && console.error(`* ${line.trimEnd()}`)
        : extras.verbose;
    easy.setopt('VERBOSE', 1);
    easy.setopt('DEBUGFUNCTION', (type, data) => sink(type, new TextDecoder().decode(data)));
  }
  if (extras.timeout !== undefined) easy.setopt('TIMEOUT_MS', extras.timeout);
  if (extras.connectTimeout !== undefined) easy.setopt('CONNECTTIMEOUT_MS', extras.connectTimeout);
  if (extras.httpVersion) {
    const version = HTTP_VERSIONS[extras.httpVersion];
    if (version === undefined)
      throw new TypeError(`fetch: unknown httpVersion '${extras.httpVersion}'`);
    easy.setopt('HTTP_VERSION', version);
  }
  applyProxy(easy, extras);
  applyTls(easy, extras, defaultCa);
  if (extras.resolve) easy.setopt('RESOLVE', extras.resolve);
  if (extras.connectTo) easy.setopt('CONNECT_TO', extras.connectTo);
  for (const [name, value] of Object.entries(extras.options ?? {})) {
    easy.setopt(name as OptionName, value as never);
  }
}

function applyProxy(easy: Easy, extras: CurlExtras): void {
  if (extras.proxy === undefined) return;
  easy.setopt('PROXY', extras.proxy);
  if (extras.noProxy !== undefined) easy.setopt('NOPROXY', extras.noProxy);
  if (extras.proxyHeaders) {
    easy.setopt('PROXYHEADER', curlHeaderLines(headerPairs(extras.proxyHeaders), []));
    easy.setopt('HEADEROPT', 1); // CURLHEADER_SEPARATE: the server never sees them
  }
}

function applyTls(easy: Easy, extras: CurlExtras, defaultCa: () => string): void {
  if (extras.ca !== undefined) easy.setopt('CAINFO_BLOB', extras.ca);
  if (extras.addCa !== undefined)
    easy.setopt('CAINFO_BLOB', defaultCa() + '\n' + text(extras.addCa));
  if (extras.ca !== undefined || extras.addCa !== undefined) {
    // A proxy over TLS is checked against the same CAs.
    easy.setopt('PROXY_CAINFO_BLOB', extras.ca ?? defaultCa() + '\n' + text(extras.addCa!));
  }
  if (extras.cert !== undefined) easy.setopt('SSLCERT_BLOB', extras.cert);
  if (extras.key !== undefined) easy.setopt('SSLKEY_BLOB', extras.key);
  if (extras.keyPassword !== undefined) easy.setopt('KEYPASSWD', extras.keyPassword);
  if (extras.insecure) {
    easy.setopt('SSL_VERIFYPEER', 0);
    easy.setopt('SSL_VERIFYHOST', 0);
    easy.setopt('PROXY_SSL_VERIFYPEER', 0);
    easy.setopt('PROXY_SSL_VERIFYHOST', 0);
  }
  if (extras.pinnedPublicKey !== undefined) easy.setopt('PINNEDPUBLICKEY', extras.pinnedPublicKey);
}
