// websockify-style transport: one WebSocket per connection, the target in the URL, bytes as
// binary messages both ways. Works with websockify itself (given a target function that
// speaks its token plugin's language) and with `libcurl-wasm proxy`.
//
// A WebSocket has no half-close and cannot pause the sender: while the socket table has
// paused the stream, what arrives is held here (and, where the implementation can, as with
// `ws` on Node, the WebSocket stops reading, so the proxy's TCP window closes instead).
import { DrainWatch } from './socket-drain.js';
import { HeldChunks } from './held-chunks.js';
import { CLOSE_CODE_BASE, closeReasonError } from './wisp-reasons.js';
import {
  describeClose,
  errorText,
  messageBytes,
  webSocketClass,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket-like.js';
import {
  TransportError,
  type Connection,
  type ConnectionEvents,
  type Transport,
  type TransportTarget,
} from './transport.js';

export interface WebsockifyOptions {
  /** The proxy's base URL, such as 'wss://proxy.example/ws/'. */
  url: string | URL;
  /**
   * The WebSocket URL for one target. By default the base URL with `host:port` appended to its
   * path (`[v6]:port` for IPv6 literals), as `libcurl-wasm proxy` serves it.
   */
  target?: (host: string, port: number, base: URL) => string | URL;
  /** The WebSocket class; by default the runtime's global one. */
  WebSocket?: WebSocketConstructor;
  /** Subprotocols to offer; websockify wants 'binary'. */
  protocols?: string[];
  /** Milliseconds to wait for the WebSocket to open (default 30 s). */
  openTimeout?: number;
  /** bufferedAmount at which writes wait for a drain (default 64 KiB). */
  highWaterMark?: number;
}

export function websockifyTransport(options: WebsockifyOptions): Transport {
  const base = new URL(options.url);
  const settings: Settings = {
    WebSocket: webSocketClass(options.WebSocket),
    urlFor: (target) =>
      new URL(options.target?.(target.host, target.port, base) ?? defaultPath(base, target)),
    protocols: options.protocols ?? ['binary'],
    openTimeout: options.openTimeout ?? 30_000,
    highWaterMark: options.highWaterMark ?? 64 * 1024,
  };
  return {
    name: 'websockify',
    connect: (target, events) => new WebsockifyConnection(target, events, settings),
  };
}

interface Settings {
  WebSocket: WebSocketConstructor;
  urlFor(target: TransportTarget): URL;
  protocols: string[];
  openTimeout: number;
  highWaterMark: number;
}

/** `base` + `host:port`, the host in brackets when it is an IPv6 literal. */
export function defaultPath(base: URL, { host, port }: TransportTarget): URL {
  const url = new URL(base);
  const shown = host.includes(':') ? `[${host}]` : host;
  url.pathname = `${url.pathname.replace(/\/?$/, '/')}${shown}:${port}`;
  return url;
}

class WebsockifyConnection implements Connection {
  #socket: WebSocketLike;
  #drain: DrainWatch;
  #held = new HeldChunks();
  #openTimer: ReturnType<typeof setTimeout> | undefined;
  #opened = false;
  #received = false;
  #paused = false;
  #endHeld = false;
  #done = false;
  #lastError: unknown;
  readonly #via: string;

  constructor(
    private readonly target: TransportTarget,
    private readonly events: ConnectionEvents,
    settings: Settings,
  ) {
    const url = settings.urlFor(target);
    this.#via = `websockify ${url.origin}${url.pathname}`;
    this.#socket = new settings.WebSocket(url.href, settings.protocols);
    this.#socket.binaryType = 'arraybuffer';
    this.#drain = new DrainWatch(this.#socket, settings.highWaterMark, () => this.#emit('drain'));
    this.#openTimer = setTimeout(() => this.#timeOut(settings.openTimeout), settings.openTimeout);
    this.#listen();
  }

  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  write(bytes: Uint8Array): void {
    if (!this.#done && this.#opened) this.#drain.send(bytes);
  }

  pause(): void {
    this.#paused = true;
    this.#socket.pause?.();
  }

  resume(): void {
    this.#paused = false;
    this.#held.release(
      (chunk) => this.events.data(chunk),
      () => !this.#paused && !this.#done,
    );
    if (this.#paused) return;
    this.#socket.resume?.();
    if (this.#endHeld && this.#held.bytes === 0) this.#end();
  }

  /** A WebSocket cannot half-close; the stream stays open until the proxy or we close it. */
  end(): void {}

  destroy(): void {
    this.#finish();
    this.#socket.close(1000);
  }

  #listen(): void {
    this.#socket.addEventListener('open', () => {
      clearTimeout(this.#openTimer);
      this.#opened = true;
      this.#emit('open');
    });
    this.#socket.addEventListener('message', (event: { data: unknown }) =>
      this.#receive(event.data),
    );
    this.#socket.addEventListener('error', (event: { error?: unknown; message?: string }) => {
      this.#lastError = event.error ?? event.message;
    });
    this.#socket.addEventListener('close', (event: { code?: number; reason?: string }) => {
      this.#closed(event);
    });
  }

  #receive(data: unknown): void {
    const bytes = messageBytes(data);
    if (this.#done || !bytes || bytes.length === 0) return;
    this.#received = true;
    if (this.#paused) this.#held.push(bytes);
    else this.events.data(bytes);
  }

  #closed(event: { code?: number; reason?: string }): void {
    if (this.#done) return;
    const normal = event.code === 1000 || event.code === 1005;
    if (this.#opened && normal) {
      // Bytes held for a paused reader go first; the end follows them on resume.
      if (this.#held.bytes > 0) this.#endHeld = true;
      else this.#end();
      return;
    }
    this.events.error(this.#closeError(event));
    this.#finish();
    this.events.close();
  }

  #end(): void {
    this.#emit('end');
    this.#finish();
    this.events.close();
  }

  #closeError(event: { code?: number; reason?: string }): TransportError {
    const code = event.code ?? 1006;
    const unconfirmed = !this.#received;
    if (code > CLOSE_CODE_BASE && code < CLOSE_CODE_BASE + 256) {
      return closeReasonError(code - CLOSE_CODE_BASE, {
        target: this.target,
        via: this.#via,
        unconfirmed,
      });
    }
    const said = errorText(this.#lastError);
    const detail = said ? `, ${said}` : '';
    const where = `${this.target.host}:${this.target.port} via ${this.#via}${detail}`;
    const cause = this.#lastError === undefined ? {} : { cause: this.#lastError };
    if (!this.#opened) {
      return new TransportError(
        'ECONNREFUSED',
        `could not open the WebSocket to the proxy (${where}, close ${describeClose(event)})`,
        { ...cause, connectFailure: true },
      );
    }
    const text = unconfirmed
      ? 'the proxy closed the stream before any data came'
      : 'the proxy closed the stream';
    return new TransportError('ECONNRESET', `${text} (${where}, close ${describeClose(event)})`, {
      ...cause,
      connectFailure: unconfirmed,
    });
  }

  #timeOut(ms: number): void {
    if (this.#done) return;
    const where = `${this.target.host}:${this.target.port} via ${this.#via}`;
    this.events.error(
      new TransportError(
        'ETIMEDOUT',
        `the proxy's WebSocket did not open within ${ms} ms (${where})`,
        {
          connectFailure: true,
        },
      ),
    );
    this.destroy();
    this.events.close();
  }

  #emit(event: 'open' | 'drain' | 'end'): void {
    if (!this.#done) this.events[event]();
  }

  #finish(): void {
    this.#done = true;
    clearTimeout(this.#openTimer);
    this.#drain.stop();
    this.#held.clear();
  }
}
