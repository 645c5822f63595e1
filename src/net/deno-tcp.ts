// Direct TCP through Deno.connect. Deno resolves names itself and races IPv6 against IPv4,
// so the name from the socket shim goes through as it is. A Deno connection is pulled, not
// pushed: a read loop delivers data (pausing is not reading), and writes go out one at a
// time from a queue whose size is the connection's bufferedAmount.
import { denoFailure } from './deno-errors.js';
import type { Connection, ConnectionEvents, Transport, TransportTarget } from './transport.js';
import { WriteQueue } from './write-queue.js';

/** The part of Deno's API this transport uses (Deno.TcpConn). */
interface DenoConn {
  read(into: Uint8Array): Promise<number | null>;
  write(bytes: Uint8Array): Promise<number>;
  closeWrite(): Promise<void>;
  close(): void;
  setNoDelay?(noDelay?: boolean): void;
  readonly localAddr: { port?: number };
  readonly remoteAddr: { hostname?: string };
}

interface DenoNet {
  connect(options: {
    hostname: string;
    port: number;
    transport: 'tcp';
    signal?: AbortSignal;
  }): Promise<DenoConn>;
}

const NAME = 'deno-tcp';
const READ_SIZE = 64 << 10;

/** Direct TCP on Deno. Needs `--allow-net` for the hosts curl connects to. */
export function denoTcpTransport(): Transport {
  const deno = (globalThis as { Deno?: Partial<DenoNet> }).Deno;
  if (typeof deno?.connect !== 'function') {
    throw new Error('libcurl-wasm: denoTcpTransport() needs Deno (Deno.connect)');
  }
  return {
    name: NAME,
    connect: (target, events) => new DenoConnection(deno as DenoNet, target, events),
  };
}

type State = 'connecting' | 'open' | 'done';

class DenoConnection implements Connection {
  #target: TransportTarget;
  #events: ConnectionEvents;
  #conn: DenoConn | null = null;
  #abort = new AbortController();
  #queue = new WriteQueue();
  #state: State = 'connecting';
  #paused = false;
  #reading = false;
  #writing = false;
  /** end() was called: shut the write side once the queue is written. */
  #ending = false;
  /** The peer sent FIN: close once the queue is written, as Node does by default. */
  #peerEnded = false;

  constructor(deno: DenoNet, target: TransportTarget, events: ConnectionEvents) {
    this.#target = target;
    this.#events = events;
    const options = { hostname: target.host, port: target.port, transport: 'tcp' as const };
    deno.connect({ ...options, signal: this.#abort.signal }).then(
      (conn) => {
        // Nagle's algorithm would hold back each small TLS handshake flight by ~40 ms.
        conn.setNoDelay?.(true);
        this.#opened(conn);
      },
      (error) => this.#fail(error),
    );
  }

  get bufferedAmount(): number {
    return this.#queue.size;
  }

  get remoteAddress(): string | undefined {
    return this.#conn?.remoteAddr.hostname;
  }

  get localPort(): number | undefined {
    return this.#conn?.localAddr.port;
  }

  write(bytes: Uint8Array): void {
    if (this.#state === 'done' || this.#ending) return;
    this.#queue.push(bytes);
    void this.#pump();
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    void this.#read();
  }

  end(): void {
    this.#ending = true;
    void this.#pump();
  }

  destroy(): void {
    this.#finish();
  }

  #opened(conn: DenoConn): void {
    if (this.#state === 'done') {
      conn.close();
      return;
    }
    this.#conn = conn;
    this.#state = 'open';
    this.#events.open();
    void this.#read();
    void this.#pump();
  }

  async #read(): Promise<void> {
    const conn = this.#conn;
    if (!conn || this.#reading || this.#paused || this.#peerEnded) return;
    this.#reading = true;
    let buffer: Uint8Array = new Uint8Array(READ_SIZE);
    try {
      while (!this.#paused && this.#state === 'open') {
        const n = await conn.read(buffer);
        if (this.#state !== 'open') return;
        if (n === null) return this.#onPeerEnd();
        buffer = this.#deliver(buffer, n);
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#reading = false;
    }
  }

  // The socket table keeps what it is given, so a buffer is handed over only when mostly
  // full; a short read is copied out and the buffer read into again.
  #deliver(buffer: Uint8Array, n: number): Uint8Array {
    if (n === 0) return buffer;
    if (n < buffer.length / 2) {
      this.#events.data(buffer.slice(0, n));
      return buffer;
    }
    this.#events.data(buffer.subarray(0, n));
    return new Uint8Array(READ_SIZE);
  }

  async #pump(): Promise<void> {
    const conn = this.#conn;
    if (!conn || this.#writing || this.#state !== 'open') return;
    this.#writing = true;
    let flushed = true;
    // A write() made while the last chunk was going out is picked up here: the check and
    // the flag change happen in the same turn.
    while (flushed && this.#queue.size > 0) flushed = await this.#flush(conn);
    this.#writing = false;
    if (!flushed || this.#state !== 'open') return;

    this.#events.drain();
    if (this.#peerEnded) this.#closeAfterPeerEnd();
    else if (this.#ending) await conn.closeWrite().catch(() => {});
  }

  /** Writes the queue out; false when the connection failed or went away meanwhile. */
  async #flush(conn: DenoConn): Promise<boolean> {
    try {
      for (let chunk = this.#queue.peek(); chunk; chunk = this.#queue.peek()) {
        const n = await conn.write(chunk);
        if (this.#state !== 'open') return false;
        this.#queue.consume(n);
      }
      return true;
    } catch (error) {
      this.#fail(error);
      return false;
    }
  }

  #onPeerEnd(): void {
    this.#peerEnded = true;
    this.#events.end();
    if (this.#state === 'open' && !this.#writing && this.#queue.size === 0) {
      this.#closeAfterPeerEnd();
    }
  }

  #closeAfterPeerEnd(): void {
    this.#finish();
    this.#events.close();
  }

  #fail(error: unknown): void {
    if (this.#state === 'done') return;
    const opened = this.#state === 'open';
    this.#finish();
    this.#events.error(denoFailure(NAME, error, this.#target, opened));
    this.#events.close();
  }

  /** Lets go of everything; no event follows from here. */
  #finish(): void {
    const connecting = this.#state === 'connecting';
    this.#state = 'done';
    this.#queue.clear();
    if (connecting) this.#abort.abort();
    try {
      this.#conn?.close();
    } catch {
      // Closed already by the peer's reset or an earlier failure.
    }
  }
}
