// Direct TCP through Bun.connect. Bun resolves names itself. Its sockets push data to
// handlers and write only what the kernel takes at once, so the rest waits in a queue of
// our own (the connection's bufferedAmount) and goes out when Bun says the socket drained.
import { codeOfErrno, fallbackCode, transportFailure } from './transport-failure.js';
import type { Connection, ConnectionEvents, Transport, TransportTarget } from './transport.js';
import { WriteQueue } from './write-queue.js';

/** The part of Bun's socket API this transport uses. */
interface BunSocket {
  /** Bytes the socket took; the rest is the caller's to retry on drain. */
  write(bytes: Uint8Array): number;
  end(): void;
  terminate(): void;
  pause?(): void;
  resume?(): void;
  setNoDelay?(noDelay: boolean): boolean;
  readonly remoteAddress?: string;
  readonly localPort?: number;
}

interface BunHandlers {
  binaryType: 'uint8array';
  open(socket: BunSocket): void;
  data(socket: BunSocket, bytes: Uint8Array): void;
  drain(socket: BunSocket): void;
  end(socket: BunSocket): void;
  close(socket: BunSocket, error?: Error): void;
  error(socket: BunSocket, error: Error): void;
  connectError(socket: BunSocket, error: Error): void;
}

interface BunNet {
  connect(options: { hostname: string; port: number; socket: BunHandlers }): Promise<BunSocket>;
}

const NAME = 'bun-tcp';

/** Direct TCP on Bun. */
export function bunTcpTransport(): Transport {
  const bun = (globalThis as { Bun?: Partial<BunNet> }).Bun;
  if (typeof bun?.connect !== 'function') {
    throw new Error('libcurl-wasm: bunTcpTransport() needs Bun (Bun.connect)');
  }
  return {
    name: NAME,
    connect: (target, events) => new BunConnection(bun as BunNet, target, events),
  };
}

type State = 'connecting' | 'open' | 'done';

class BunConnection implements Connection {
  #target: TransportTarget;
  #events: ConnectionEvents;
  #socket: BunSocket | null = null;
  #queue = new WriteQueue();
  #state: State = 'connecting';
  /** end() was called: send FIN once the queue is written. */
  #ending = false;
  #paused = false;
  /**
   * Data that arrived while paused: a chunk already on its way, or everything on a Bun
   * without socket.pause(), which cannot make the peer wait and so bounds nothing.
   */
  #held: Uint8Array[] = [];

  constructor(bun: BunNet, target: TransportTarget, events: ConnectionEvents) {
    this.#target = target;
    this.#events = events;
    // connectError reports a failure; the rejection only repeats it.
    bun
      .connect({ hostname: target.host, port: target.port, socket: this.#handlers() })
      .catch((error) => this.#fail(error));
  }

  get bufferedAmount(): number {
    return this.#queue.size;
  }

  get remoteAddress(): string | undefined {
    return this.#socket?.remoteAddress;
  }

  get localPort(): number | undefined {
    return this.#socket?.localPort;
  }

  write(bytes: Uint8Array): void {
    if (this.#state === 'done' || this.#ending) return;
    const waiting = this.#queue.size > 0;
    this.#queue.push(bytes);
    // Behind bytes already waiting for Bun's drain, or before open: the queue goes first.
    if (!waiting) this.#flush();
  }

  pause(): void {
    this.#paused = true;
    this.#socket?.pause?.();
  }

  resume(): void {
    this.#paused = false;
    this.#socket?.resume?.();
    // Delivering may pause again; what is left then waits for the next resume().
    while (!this.#paused && this.#held.length > 0) this.#events.data(this.#held.shift()!);
  }

  end(): void {
    this.#ending = true;
    this.#flush();
  }

  destroy(): void {
    this.#finish();
  }

  #handlers(): BunHandlers {
    return {
      binaryType: 'uint8array',
      open: (socket) => this.#opened(socket),
      data: (_socket, bytes) => this.#data(bytes),
      drain: () => this.#drained(),
      end: () => this.#peerEnded(),
      close: (_socket, error) => (error ? this.#fail(error) : this.#closed()),
      error: (_socket, error) => this.#fail(error),
      connectError: (_socket, error) => this.#fail(error),
    };
  }

  #opened(socket: BunSocket): void {
    if (this.#state === 'done') {
      socket.terminate();
      return;
    }
    this.#socket = socket;
    this.#state = 'open';
    socket.setNoDelay?.(true);
    if (this.#paused) socket.pause?.();
    this.#events.open();
    this.#drained();
  }

  #data(bytes: Uint8Array): void {
    if (this.#state !== 'open') return;
    if (this.#paused) this.#held.push(bytes);
    else this.#events.data(bytes);
  }

  /** Writes what the socket takes now; true when nothing is left waiting. */
  #flush(): boolean {
    const socket = this.#socket;
    if (!socket || this.#state !== 'open') return false;
    for (let chunk = this.#queue.peek(); chunk; chunk = this.#queue.peek()) {
      const n = Math.max(socket.write(chunk), 0);
      this.#queue.consume(n);
      if (n < chunk.length) return false;
    }
    if (this.#ending) socket.end();
    return true;
  }

  // Bytes that had to wait went out, so bufferedAmount fell: the table may take more from
  // curl now. Bytes the socket took at once need no drain, as the amount never rose.
  #drained(): void {
    const before = this.#queue.size;
    this.#flush();
    if (this.#queue.size < before) this.#events.drain();
  }

  // The peer sent FIN. As Node does by default, end our side too once the queue is out.
  #peerEnded(): void {
    if (this.#state !== 'open') return;
    this.#events.end();
    this.#ending = true;
    this.#flush();
  }

  #closed(): void {
    if (this.#state === 'done') return;
    this.#finish();
    this.#events.close();
  }

  #fail(error: unknown): void {
    if (this.#state === 'done') return;
    const opened = this.#state === 'open';
    this.#finish();
    const code = codeOfErrno((error as { code?: unknown } | null)?.code) ?? fallbackCode(opened);
    this.#events.error(transportFailure(NAME, code, this.#target, error));
    this.#events.close();
  }

  /** Lets go of everything; no event follows from here. */
  #finish(): void {
    this.#state = 'done';
    this.#queue.clear();
    this.#held = [];
    this.#socket?.terminate();
  }
}
