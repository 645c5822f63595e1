// The sockets libcurl opened, with POSIX non-blocking semantics over a transport: connect
// answers EINPROGRESS, recv EAGAIN when nothing is queued, send EAGAIN above the transport's
// high-water mark, and readiness comes from here, never from blocking.
import { READY } from '../ffi/module.js';
import type { ErrnoName, SocketAddress, SocketHost } from '../ffi/module.js';
import { formatAddress, NamePool } from './name-pool.js';
import { errnoFor, isConnectFailure, isResolveFailure } from './transport-errors.js';
import { ReceiveQueue } from './receive-queue.js';
import type { Connection, Transport } from './transport.js';

/** Above this many unread bytes a socket pauses its transport... */
const RECEIVE_HIGH_WATER = 1 << 20;
/** ...and resumes it once curl has read it down to this. */
const RECEIVE_LOW_WATER = 256 << 10;
/** send() answers EAGAIN while the transport holds this much unsent. */
const SEND_HIGH_WATER = 1 << 20;

type State = 'new' | 'connecting' | 'open' | 'closed';

interface Socket {
  fd: number;
  family: 4 | 6;
  datagram: boolean;
  state: State;
  owner: number;
  connection: Connection | null;
  remote: SocketAddress | null;
  host: string;
  queue: ReceiveQueue;
  paused: boolean;
  ended: boolean;
  writeShut: boolean;
  /** Set once the stream failed; recv and send keep answering it. */
  error: ErrnoName | null;
  /** The same error, once, for getsockopt(SO_ERROR) after a failed connect. */
  pendingError: ErrnoName | null;
}

/** A transport failure kept for the transfer whose socket it broke. */
export interface SocketFailure {
  error: Error;
  host: string;
  port: number;
  /** The transport could not resolve the host name. */
  resolve: boolean;
  /** The stream never reached its destination (it may have been reported open before). */
  connect: boolean;
}

interface Slice {
  bytesLeft: number;
  deadline: number;
  starved: boolean;
}

export type ActivityListener = (fd: number) => void;

export class SocketTable implements SocketHost {
  readonly names = new NamePool();
  #sockets = new Map<number, Socket>();
  #failures = new Map<number, SocketFailure>();
  #listeners = new Set<ActivityListener>();
  #slice: Slice | null = null;
  #transport: Transport;

  constructor(transport: Transport) {
    this.#transport = transport;
  }

  /**
   * Fixed for the table's life, and a getter so that nobody can assign another: a host that
   * grants a plugin a transport as a capability relies on it.
   */
  get transport(): Transport {
    return this.#transport;
  }

  // --- the work budget of one perform call ---------------------------------------------

  /** From now on recv hands out at most `bytes` bytes, until `ms` milliseconds have passed. */
  beginSlice(bytes: number, ms: number): void {
    this.#slice = { bytesLeft: bytes, deadline: performance.now() + ms, starved: false };
  }

  /** Ends the slice; true when it ran out while data was still waiting to be read. */
  endSlice(): boolean {
    const starved = this.#slice?.starved ?? false;
    this.#slice = null;
    return starved && this.hasQueuedData();
  }

  hasQueuedData(): boolean {
    for (const socket of this.#sockets.values()) if (socket.queue.size > 0) return true;
    return false;
  }

  #sliceExhausted(): boolean {
    const slice = this.#slice;
    if (!slice) return false;
    if (slice.bytesLeft > 0 && performance.now() < slice.deadline) return false;
    slice.starved = true;
    return true;
  }

  // --- readiness -----------------------------------------------------------------------

  subscribe(listener: ActivityListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(fd: number): void {
    for (const listener of this.#listeners) listener(fd);
  }

  // --- failures, for the facade ----------------------------------------------------------

  setOwner(fd: number, owner: number): void {
    const socket = this.#sockets.get(fd);
    if (socket) socket.owner = owner;
  }

  /** The transport failure that broke a socket of `owner`, once. */
  takeFailure(owner: number): SocketFailure | undefined {
    const failure = this.#failures.get(owner);
    this.#failures.delete(owner);
    return failure;
  }

  // --- SocketHost ----------------------------------------------------------------------

  open(fd: number, family: 4 | 6, datagram: boolean): void {
    this.#sockets.set(fd, {
      fd,
      family,
      datagram,
      state: 'new',
      owner: 0,
      connection: null,
      remote: null,
      host: '',
      queue: new ReceiveQueue(),
      paused: false,
      ended: false,
      writeShut: false,
      error: null,
      pendingError: null,
    });
  }

  connect(fd: number, address: SocketAddress): number | ErrnoName {
    const socket = this.#sockets.get(fd);
    if (!socket) return 'EBADF';
    if (socket.datagram) return 'EOPNOTSUPP';
    if (socket.state === 'connecting') return 'EALREADY';
    if (socket.state !== 'new') return 'EISCONN';

    socket.state = 'connecting';
    socket.remote = address;
    socket.host = this.names.nameOf(address) ?? formatAddress(address);
    try {
      socket.connection = this.#transport.connect(
        { host: socket.host, port: address.port },
        this.#eventsFor(socket),
      );
    } catch (error) {
      this.#fail(socket, error);
    }
    return 'EINPROGRESS';
  }

  send(fd: number, bytes: Uint8Array): number | ErrnoName {
    const socket = this.#sockets.get(fd);
    if (!socket) return 'EBADF';
    if (socket.error) return socket.error === 'ECONNRESET' ? 'ECONNRESET' : 'EPIPE';
    if (socket.writeShut) return 'EPIPE';
    if (socket.state !== 'open' || !socket.connection) return 'EAGAIN';
    if (socket.connection.bufferedAmount >= SEND_HIGH_WATER) return 'EAGAIN';
    if (bytes.length === 0) return 0;

    // The bytes are a view of the wasm heap: the transport gets its own copy.
    socket.connection.write(bytes.slice());
    return bytes.length;
  }

  recv(fd: number, into: Uint8Array, peek: boolean): number | ErrnoName {
    const socket = this.#sockets.get(fd);
    if (!socket) return 'EBADF';
    if (socket.queue.size > 0) {
      if (this.#sliceExhausted()) return 'EAGAIN';
      // A read never takes more than what is left of the budget.
      const room = this.#slice ? Math.min(into.length, this.#slice.bytesLeft) : into.length;
      return this.#take(socket, into.subarray(0, room), peek);
    }
    if (socket.error) return socket.error;
    if (socket.ended) return 0;
    if (socket.state === 'new') return 'ENOTCONN';
    return 'EAGAIN';
  }

  poll(fd: number): number {
    const socket = this.#sockets.get(fd);
    if (!socket) return READY.ERR | READY.HUP;
    if (socket.error) return READY.IN | READY.OUT | READY.ERR | READY.HUP;
    if (socket.state === 'new') return READY.OUT | READY.HUP;
    if (socket.state !== 'open') return 0;

    let ready = 0;
    const readable = socket.queue.size > 0 ? !this.#sliceExhausted() : socket.ended;
    if (readable) ready |= READY.IN;
    if (!socket.writeShut && socket.connection!.bufferedAmount < SEND_HIGH_WATER) {
      ready |= READY.OUT;
    }
    return ready;
  }

  close(fd: number): void {
    const socket = this.#sockets.get(fd);
    if (!socket) return;
    socket.state = 'closed';
    socket.connection?.destroy();
    socket.connection = null;
    socket.queue.clear();
    this.#sockets.delete(fd);
  }

  shutdown(fd: number, how: number): number | ErrnoName {
    const socket = this.#sockets.get(fd);
    if (!socket) return 'EBADF';
    if (socket.state !== 'open') return 'ENOTCONN';
    // SHUT_RD (0) has nothing to do on a stream; SHUT_WR (1) and SHUT_RDWR (2) end writing.
    if (how !== 0 && !socket.writeShut) {
      socket.writeShut = true;
      socket.connection?.end();
    }
    return 0;
  }

  takeError(fd: number): ErrnoName | null {
    const socket = this.#sockets.get(fd);
    if (!socket) return 'EBADF';
    const error = socket.pendingError;
    socket.pendingError = null;
    return error;
  }

  queued(fd: number): number {
    return this.#sockets.get(fd)?.queue.size ?? 0;
  }

  localAddress(fd: number): SocketAddress {
    const socket = this.#sockets.get(fd);
    const family = socket?.family ?? 4;
    const port = socket?.connection?.localPort ?? 0;
    return { family, port, bytes: new Uint8Array(family === 4 ? 4 : 16) };
  }

  remoteAddress(fd: number): SocketAddress | null {
    const socket = this.#sockets.get(fd);
    return socket?.state === 'open' ? socket.remote : null;
  }

  addressFor(name: string, family: 0 | 4 | 6): SocketAddress | null {
    return this.names.addressFor(name, family);
  }

  // --- transport events ----------------------------------------------------------------

  #eventsFor(socket: Socket) {
    const live = () => this.#sockets.get(socket.fd) === socket;
    return {
      open: () => {
        if (!live() || socket.state !== 'connecting') return;
        socket.state = 'open';
        // A failed attempt of the same transfer (the other address family of a race) is not
        // the cause of whatever happens on this connection later.
        if (socket.owner) this.#failures.delete(socket.owner);
        this.#notify(socket.fd);
      },
      data: (bytes: Uint8Array) => {
        if (!live()) return;
        socket.queue.push(bytes);
        if (!socket.paused && socket.queue.size >= RECEIVE_HIGH_WATER) {
          socket.paused = true;
          socket.connection?.pause();
        }
        this.#notify(socket.fd);
      },
      drain: () => {
        if (live()) this.#notify(socket.fd);
      },
      end: () => {
        if (!live()) return;
        socket.ended = true;
        this.#notify(socket.fd);
      },
      error: (error: Error) => {
        if (live()) this.#fail(socket, error);
      },
      close: () => {
        if (!live() || socket.error) return;
        if (socket.state === 'connecting') {
          this.#fail(socket, new Error(`connection to ${socket.host} closed before it opened`));
          return;
        }
        socket.ended = true;
        this.#notify(socket.fd);
      },
    };
  }

  #take(socket: Socket, into: Uint8Array, peek: boolean): number {
    const n = socket.queue.read(into, peek);
    if (!peek && this.#slice) this.#slice.bytesLeft -= n;
    if (socket.paused && socket.queue.size <= RECEIVE_LOW_WATER) {
      socket.paused = false;
      socket.connection?.resume();
    }
    return n;
  }

  #fail(socket: Socket, cause: unknown): void {
    const error = cause instanceof Error ? cause : new Error(String(cause));
    const opened = socket.state === 'open';
    socket.error = errnoFor(error, opened);
    if (!opened) socket.pendingError = socket.error;
    if (socket.owner) {
      this.#failures.set(socket.owner, {
        error,
        host: socket.host,
        port: socket.remote?.port ?? 0,
        resolve: isResolveFailure(error),
        connect: !opened || isConnectFailure(error),
      });
    }
    this.#notify(socket.fd);
  }
}
