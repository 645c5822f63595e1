// host:port as people write it, for messages and allow-lists: IPv6 literals in brackets,
// names lower-cased, IP literals in their canonical text form, so that two spellings of
// one target compare equal.
import type { TransportTarget } from './transport.js';

/** `host:port`, with an IPv6 literal in brackets. */
export function formatTarget(target: TransportTarget): string {
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  return `${host}:${target.port}`;
}

/**
 * Parses `host:port` (`[v6]:port` for IPv6) into a target with a canonical host, the form
 * the socket table hands to transports. Throws a TypeError for anything else.
 */
export function parseTarget(text: string): TransportTarget {
  const match = /^(\[[^\]]+\]|[^:[\]]+):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[2]);
  if (!match || port < 1 || port > 65535) {
    throw new TypeError(`libcurl-wasm: '${text}' is not host:port ([v6]:port for IPv6)`);
  }
  return { host: canonicalHost(match[1]!, text), port };
}

// The WHATWG URL parser lower-cases names and writes IP literals the way formatAddress()
// in name-pool.ts does (RFC 5952 for IPv6, dotted quad for IPv4).
function canonicalHost(host: string, text: string): string {
  let parsed: string;
  try {
    parsed = new URL(`http://${host}/`).hostname;
  } catch {
    throw new TypeError(`libcurl-wasm: '${text}' does not name a valid host`);
  }
  return parsed.startsWith('[') ? parsed.slice(1, -1) : parsed;
}
