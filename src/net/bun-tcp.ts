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
  /** Data that arrived while paused, on a Bun without socket.pause(). */
  #held: Uint8Array[] | null = null;

  constructor(bun: BunNet, target: TransportTarget, events: ConnectionEvents) {
    this.#target = target;
    this.#events = events;
    // connectError reports a failure; the rejection only repeats it.
    bun.connect({ hostname: target.host, port: target.port, socket: this.#handlers() }).catch(
      (error) => this.#fail(error),
    );
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
    if (this.#socket?.pause) this.#socket.pause();
    else this.#held ??= [];
  }

  resume(): void {
    if (this.#socket?.resume) {
      this.#socket.resume();
      return;
    }
    const held = this.#held ?? [];
    this.#held = null;
    for (const bytes of held) this.#events.data(bytes);
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
    this.#events.open();
    this.#drained();
  }

  #data(bytes: Uint8Array): void {
    if (this.#state !== 'open') return;
    if (this.#held) this.#held.push(bytes);
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

  // Only bytes that had to wait make a drain worth telling: the table asks for writability
  // again only after send() was refused.
  #drained(): void {
    const waited = this.#queue.size > 0;
    if (this.#flush() && waited) this.#events.drain();
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
    this.#held = null;
    this.#socket?.terminate();
  }
}
