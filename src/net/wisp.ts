// Wisp transport: many streams over one WebSocket to a Wisp proxy (v1, or v2 when the server
// offers it). The proxy resolves host names. The WebSocket is opened on the first connect and
// again, lazily, on the first connect after it dropped.
import { webSocketClass, type WebSocketConstructor } from './websocket-like.js';
import { WispSession, type SessionSettings } from './wisp-session.js';
import type { Credentials } from './wisp-packets.js';
import type { Transport } from './transport.js';

export interface WispOptions {
  /** The proxy's WebSocket URL, such as 'wss://proxy.example/wisp/'. */
  url: string | URL;
  /** The WebSocket class; by default the runtime's global one. */
  WebSocket?: WebSocketConstructor;
  /** For a v2 proxy that asks for password authentication. */
  password?: string;
  /** The username sent with the password (default: empty). */
  username?: string;
  /** 'auto' (default) speaks v2 when the server offers it; 1 never offers v2. */
  version?: 1 | 2 | 'auto';
  /** Milliseconds for the WebSocket to open and the handshake to finish (default 30 s). */
  openTimeout?: number;
  /** Milliseconds a v2 proxy has to confirm a new stream (default 30 s). */
  connectTimeout?: number;
  /** Milliseconds to wait for a v2 INFO after the first CONTINUE before settling on v1 (250). */
  infoWait?: number;
  /** WebSocket bufferedAmount at which DATA waits for a drain (default 256 KiB). */
  highWaterMark?: number;
  /** Bytes held for paused streams before the WebSocket stops reading, where it can (4 MiB). */
  maxHeldBytes?: number;
}

export interface WispStats {
  /** WebSockets opened so far. */
  sessions: number;
  /** The current WebSocket's state, version and streams, if there is one. */
  current: WispSession['stats'] | null;
}

export interface WispTransport extends Transport {
  /** What the transport holds now: for monitoring, and for tests that bound memory. */
  stats(): WispStats;
  /** Closes the WebSocket; its streams fail, and the next connect opens a new one. */
  close(): void;
}

export function wispTransport(options: WispOptions): WispTransport {
  const settings = sessionSettings(options);
  let session: WispSession | null = null;
  let sessions = 0;
  const forget = (gone: WispSession) => {
    if (session === gone) session = null;
  };

  const current = (): WispSession => {
    if (session && !session.closed) return session;
    sessions++;
    session = new WispSession(settings, forget);
    return session;
  };

  return {
    name: 'wisp',
    connect: (target, events) => current().openStream(target, events),
    stats: () => ({ sessions, current: session?.stats ?? null }),
    close: () => session?.close(),
  };
}

function sessionSettings(options: WispOptions): SessionSettings {
  const credentials: Credentials | undefined =
    options.password === undefined
      ? undefined
      : { username: options.username ?? '', password: options.password };
  return {
    url: new URL(options.url).href,
    WebSocket: webSocketClass(options.WebSocket),
    version: options.version ?? 'auto',
    credentials,
    openTimeout: options.openTimeout ?? 30_000,
    connectTimeout: options.connectTimeout ?? 30_000,
    infoWait: options.infoWait ?? 250,
    highWaterMark: options.highWaterMark ?? 256 * 1024,
    maxHeldBytes: options.maxHeldBytes ?? 4 * 1024 * 1024,
  };
}
