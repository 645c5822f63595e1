// The parts of the opening handshake (RFC 6455, 4.1) that curl 8.14 leaves to its caller. curl
// sends Upgrade, Connection, Sec-WebSocket-Version and a key, and insists on status 101; it
// does not check the reply's Sec-WebSocket-Accept, Upgrade, Connection, subprotocol or
// extensions. The key is made here (curl uses a key it is given) so that the reply can be.
import { CurlError } from '../curl/errors.js';
import { CURLE } from '../curl/generated/codes.js';
import { sha1 } from './sha1.js';

const ACCEPT_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** RFC 7230 token characters: what a subprotocol name may hold. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Request headers the handshake owns: a caller's value would break it. */
const OWN_HEADERS = new Set([
  'upgrade',
  'connection',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-protocol',
  'sec-websocket-extensions',
]);

export type RequestHeaders = Record<string, string> | Iterable<readonly [string, string]>;

export interface Handshake {
  key: string;
  /** "Name: value" lines for CURLOPT_HTTPHEADER. */
  headerLines: string[];
  protocols: readonly string[];
}

/** What the server's 101 settled. */
export interface Agreement {
  protocol: string;
  extensions: string;
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

export function acceptFor(key: string): string {
  return base64(sha1(new TextEncoder().encode(key + ACCEPT_GUID)));
}

/** Throws a TypeError for a protocol list a browser would refuse (it throws SyntaxError). */
export function checkProtocols(protocols: readonly string[]): void {
  const seen = new Set<string>();
  for (const protocol of protocols) {
    if (!TOKEN.test(protocol)) throw new TypeError(`'${protocol}' is not a valid subprotocol`);
    if (seen.has(protocol)) throw new TypeError(`subprotocol '${protocol}' is given twice`);
    seen.add(protocol);
  }
}

function headerLine(name: string, value: string): string {
  if (!TOKEN.test(name)) throw new TypeError(`'${name}' is not a valid header name`);
  if (/[\r\n\0]/.test(value)) throw new TypeError(`the value of header '${name}' has a line break`);
  if (OWN_HEADERS.has(name.toLowerCase())) {
    throw new TypeError(`header '${name}' is set by the WebSocket handshake`);
  }
  return `${name}: ${value}`;
}

function pairsOf(headers: RequestHeaders | undefined): Array<readonly [string, string]> {
  if (headers === undefined) return [];
  return Symbol.iterator in headers ? [...headers] : Object.entries(headers);
}

export function prepareHandshake(
  protocols: readonly string[],
  headers?: RequestHeaders,
): Handshake {
  checkProtocols(protocols);
  const key = base64(crypto.getRandomValues(new Uint8Array(16)));
  const headerLines = pairsOf(headers).map(([name, value]) => headerLine(name, value));
  headerLines.push(`Sec-WebSocket-Key: ${key}`);
  if (protocols.length > 0) headerLines.push(`Sec-WebSocket-Protocol: ${protocols.join(', ')}`);
  return { key, headerLines, protocols };
}

function refuse(why: string): CurlError {
  return new CurlError(CURLE.WEIRD_SERVER_REPLY, `WebSocket handshake: ${why}`);
}

function hasToken(value: string | undefined, token: string): boolean {
  return (value ?? '').split(',').some((part) => part.trim().toLowerCase() === token);
}

/** Checks the 101 reply's headers (lower-case names) as RFC 6455 4.1 asks of a client. */
export function checkReply(handshake: Handshake, headers: Record<string, string>): Agreement {
  if ((headers['upgrade'] ?? '').trim().toLowerCase() !== 'websocket') {
    throw refuse(`the reply's Upgrade header is '${headers['upgrade'] ?? ''}', not websocket`);
  }
  if (!hasToken(headers['connection'], 'upgrade')) {
    throw refuse("the reply's Connection header does not say Upgrade");
  }
  if (headers['sec-websocket-accept']?.trim() !== acceptFor(handshake.key)) {
    throw refuse('Sec-WebSocket-Accept does not match the key sent');
  }
  const extensions = headers['sec-websocket-extensions']?.trim() ?? '';
  if (extensions) throw refuse(`the server chose extensions that were not offered: ${extensions}`);
  const protocol = headers['sec-websocket-protocol']?.trim() ?? '';
  if (protocol && !handshake.protocols.includes(protocol)) {
    throw refuse(`the server chose subprotocol '${protocol}', which was not offered`);
  }
  return { protocol, extensions };
}
