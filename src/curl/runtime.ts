// One loaded wasm instance: the module, its socket table, and the handles alive in it, so
// that curl's callbacks (which name a C pointer) reach the JS object that owns it.
import type { CallbackHooks, CurlModule, Ptr } from '../ffi/module.js';
import type { SocketTable } from '../net/socket-table.js';

/** What an easy handle offers to the callback trampolines. */
export interface EasyTarget {
  onWrite(data: Ptr, len: number): number;
  onHeader(data: Ptr, len: number): number;
  onRead(buffer: Ptr, len: number): number;
  onXferInfo(dltotal: number, dlnow: number, ultotal: number, ulnow: number): number;
  onDebug(type: number, data: Ptr, len: number): number;
  onSeek(offset: number, origin: number): number;
}

/** What a streamed mime part offers to its read, seek and free callbacks. */
export interface StreamTarget {
  onRead(buffer: Ptr, len: number): number;
  onSeek(offset: number, origin: number): number;
  onFree(): void;
}

/** What a multi handle offers to its socket and timer callbacks. */
export interface MultiTarget {
  onSocket(easy: Ptr, fd: number, what: number): number;
  onTimer(timeoutMs: number): number;
}

// What a trampoline answers for a handle it no longer knows: stop that transfer.
const ABORT = 0;
const READFUNC_ABORT = 0x10000000;
const SEEKFUNC_CANTSEEK = 2;

export class Runtime {
  module!: CurlModule;
  readonly easies = new Map<Ptr, EasyTarget>();
  readonly multis = new Map<Ptr, MultiTarget>();
  readonly streams = new Map<number, StreamTarget>();
  #nextStream = 1;
  #wakers = new Set<() => void>();

  constructor(readonly sockets: SocketTable) {}

  /** Registers a stream source under a number never used before, so a late call finds none. */
  addStream(target: StreamTarget): number {
    const source = this.#nextStream++;
    this.streams.set(source, target);
    return source;
  }

  /**
   * Ends every pending select() of this instance at once: called after unpausing a transfer
   * from outside curl, which no socket event would announce.
   */
  wake(): void {
    for (const waker of [...this.#wakers]) waker();
  }

  /** Calls `listener` on the next wake() calls, until the returned function is called. */
  onWake(listener: () => void): () => void {
    this.#wakers.add(listener);
    return () => this.#wakers.delete(listener);
  }

  hooks(): CallbackHooks {
    const easy = (ptr: Ptr) => this.easies.get(ptr);
    return {
      write: (e, data, len) => easy(e)?.onWrite(data, len) ?? ABORT,
      header: (e, data, len) => easy(e)?.onHeader(data, len) ?? ABORT,
      read: (e, buffer, len) => easy(e)?.onRead(buffer, len) ?? READFUNC_ABORT,
      xferinfo: (e, a, b, c, d) => easy(e)?.onXferInfo(a, b, c, d) ?? 1,
      debug: (e, type, data, len) => easy(e)?.onDebug(type, data, len) ?? 0,
      seek: (e, offset, origin) => easy(e)?.onSeek(offset, origin) ?? 1,
      socketOwner: (fd, e) => this.sockets.setOwner(fd, e),
      multiSocket: (m, e, fd, what) => this.multis.get(m)?.onSocket(e, fd, what) ?? 0,
      multiTimer: (m, ms) => this.multis.get(m)?.onTimer(ms) ?? 0,
      mimeRead: (id, buffer, len) => this.streams.get(id)?.onRead(buffer, len) ?? READFUNC_ABORT,
      mimeSeek: (id, offset, origin) =>
        this.streams.get(id)?.onSeek(offset, origin) ?? SEEKFUNC_CANTSEEK,
      mimeFree: (id) => this.streams.get(id)?.onFree(),
    };
  }
}
