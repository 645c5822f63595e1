// What `startProxy` and `libcurl-wasm proxy` take, and the safe defaults filled in.
import { ADDRESS_CATEGORIES, type AddressCategory } from './address-rules.js';
import type { ProxyLogEntry } from './stream-log.js';
import { systemLookup, type Lookup, type TargetPolicy } from './target-policy.js';

export interface ProxyOptions {
  /** Address to listen on (default '127.0.0.1'). */
  host?: string;
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Path prefix: Wisp at the prefix itself, websockify-style at prefix + 'host:port' ('/'). */
  path?: string;
  /** Destination address categories to let through; none by default. */
  allow?: AddressCategory[];
  /** Destination ports, numbers or [from, to] ranges, or 'any' (default [80, 443]). */
  ports?: Array<number | [number, number]> | 'any';
  /** When set, only these destinations: names, '*.suffix', addresses or CIDRs. */
  allowHosts?: string[];
  /** Never these destinations (same forms). */
  denyHosts?: string[];
  /** A secret every client must present: `?token=` in the URL or `Authorization: Bearer`. */
  token?: string;
  /** Wisp v2 password authentication: username to password. */
  users?: Record<string, string>;
  /** Streams one Wisp connection may have open at once (default 128). */
  maxStreamsPerConnection?: number;
  /** WebSocket connections one client address may have open at once (default 64). */
  maxConnectionsPerClient?: number;
  /** Milliseconds a stream may pass no bytes before it is closed (default 300 000). */
  idleTimeout?: number;
  /** Bytes one stream may carry, both ways together (default: no limit). */
  maxStreamBytes?: number;
  /** Milliseconds to connect to a destination (default 10 000). */
  connectTimeout?: number;
  /** Packets of client data each Wisp stream may have queued: the CONTINUE credit (128). */
  wispBuffer?: number;
  /** Resolves names; by default the system resolver (dns.lookup). */
  lookup?: Lookup;
  /** One entry per stream when it closes, and one per refused connection. */
  log?: (entry: ProxyLogEntry) => void;
}

export interface Settings {
  host: string;
  port: number;
  path: string;
  policy: TargetPolicy;
  token: string | undefined;
  users: ReadonlyMap<string, string>;
  maxStreamsPerConnection: number;
  maxConnectionsPerClient: number;
  idleTimeout: number;
  maxStreamBytes: number;
  connectTimeout: number;
  wispBuffer: number;
  log: (entry: ProxyLogEntry) => void;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!(chosen > 0)) throw new RangeError(`libcurl-wasm proxy: ${name} must be above 0`);
  return chosen;
}

function categories(allow: AddressCategory[] = []): Set<AddressCategory> {
  for (const category of allow) {
    if (!ADDRESS_CATEGORIES.includes(category)) {
      throw new RangeError(
        `libcurl-wasm proxy: unknown address category "${category}" ` +
          `(known: ${ADDRESS_CATEGORIES.join(', ')})`,
      );
    }
  }
  return new Set(allow);
}

export function settingsFrom(options: ProxyOptions): Settings {
  const path = options.path ?? '/';
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    path: path.endsWith('/') ? path : `${path}/`,
    policy: {
      allow: categories(options.allow),
      ports: options.ports ?? [80, 443],
      allowHosts: options.allowHosts ?? [],
      denyHosts: options.denyHosts ?? [],
      lookup: options.lookup ?? systemLookup,
    },
    token: options.token || undefined,
    users: new Map(Object.entries(options.users ?? {})),
    maxStreamsPerConnection: positive(
      'maxStreamsPerConnection',
      options.maxStreamsPerConnection,
      128,
    ),
    maxConnectionsPerClient: positive(
      'maxConnectionsPerClient',
      options.maxConnectionsPerClient,
      64,
    ),
    idleTimeout: positive('idleTimeout', options.idleTimeout, 300_000),
    maxStreamBytes: positive('maxStreamBytes', options.maxStreamBytes, Infinity),
    connectTimeout: positive('connectTimeout', options.connectTimeout, 10_000),
    wispBuffer: positive('wispBuffer', options.wispBuffer, 128),
    log: options.log ?? (() => {}),
  };
}
