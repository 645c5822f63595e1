// One loaded wasm instance: the module, its socket table, and the handles alive in it, so
// that curl's callbacks (which name a C pointer) reach the JS object that owns it. Handles
// are held weakly: a handle the user dropped can still be collected and freed.
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
  onTrailer(list: Ptr): number;
  onPrereq(primaryIp: Ptr, localIp: Ptr, primaryPort: number, localPort: number): number;
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

class Registry<T extends object> {
  #refs = new Map<Ptr, WeakRef<T>>();

  set(ptr: Ptr, target: T): void {
    this.#refs.set(ptr, new WeakRef(target));
  }

  get(ptr: Ptr): T | undefined {
    return this.#refs.get(ptr)?.deref();
  }

  delete(ptr: Ptr): void {
    this.#refs.delete(ptr);
  }

  *values(): IterableIterator<T> {
    for (const ref of this.#refs.values()) {
      const target = ref.deref();
      if (target) yield target;
    }
  }
}

export class Runtime {
  module!: CurlModule;
  readonly easies = new Registry<EasyTarget>();
  readonly multis = new Registry<MultiTarget & { wakeup(): void }>();
  readonly streams = new Map<number, StreamTarget>();
  #nextStream = 1;
  #wake = new AbortController();

  constructor(readonly sockets: SocketTable) {}

  /** Registers a stream source under a number never used before, so a late call finds none. */
  addStream(target: StreamTarget): number {
    const source = this.#nextStream++;
    this.streams.set(source, target);
    return source;
  }

  /**
   * Makes every pending poll() of this instance return: called after unpausing a transfer
   * from outside curl, which no socket event would announce. (The event-driven driver needs
   * no wake: curl asks it for a 0 ms timer when a transfer is unpaused.)
   */
  wake(): void {
    this.#wake.abort();
    this.#wake = new AbortController();
    for (const multi of this.multis.values()) multi.wakeup();
  }

  /** Aborts at the next wake(): a pending curl.select() listens to it. */
  get wakeSignal(): AbortSignal {
    return this.#wake.signal;
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
      trailer: (e, list) => easy(e)?.onTrailer(list) ?? 1,
      prereq: (e, ip, local, port, localPort) => easy(e)?.onPrereq(ip, local, port, localPort) ?? 1,
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
