// Multi: curl's multi interface with its own semantics, including the
// CURLM_CALL_MULTI_PERFORM contract of ../shared/DESIGN.md, the socket/timer callbacks, and
// calls from inside callbacks deferred instead of refused.
import { readCString, readI32, withScratch } from '../ffi/heap.js';
import type { CurlModule, Ptr } from '../ffi/module.js';
import type { Easy, EasyOwner } from './easy.js';
import {
  CurlError,
  CurlMultiError,
  CurlOptionError,
  HandleClosedError,
  HandleInUseError,
} from './errors.js';
import { CURLE, CURLM } from './generated/codes.js';
import { CURLMOPT, CURLMOPT_KIND } from './generated/options.js';
import type { MultiOptionName } from './option-types.js';
import type { MultiTarget, Runtime } from './runtime.js';
import { select } from './select.js';

/** The sockets curl wants watched, as curl_multi_fdset reports them. */
export interface FdSet {
  read: number[];
  write: number[];
  except: number[];
  /** The highest descriptor in any set, or -1 when there is none. */
  maxFd: number;
}

/** A finished transfer, as curl_multi_info_read reports it. */
export interface Completed {
  easy: Easy;
  /**
   * The numeric CURLcode, as native curl would report it: a host name the transport could
   * not resolve gives CURLE_COULDNT_RESOLVE_HOST here, although inside wasm the name
   * "resolved" to a synthetic address and only the connect failed.
   */
  result: number;
  /** The same result as an error, or null for CURLE_OK. */
  error: CurlError | null;
}

/**
 * How much one perform() or socketAction() may do before it returns: bytes read from the
 * sockets and milliseconds spent. On a browser's main thread this keeps each slice short.
 */
export interface WorkBudget {
  bytes: number;
  ms: number;
}

/** CURLMOPT_SOCKETFUNCTION: `what` is CURL_POLL_IN (1), _OUT (2), _INOUT (3) or _REMOVE (4). */
export type SocketCallback = (
  easy: Easy | null,
  fd: number,
  what: number,
  assigned: unknown,
) => number | void;
/** CURLMOPT_TIMERFUNCTION: -1 deletes the timer. Return -1 to fail every transfer. */
export type TimerCallback = (timeoutMs: number) => number | void;

export interface MultiCallbacks {
  SOCKETFUNCTION: SocketCallback | null;
  TIMERFUNCTION: TimerCallback | null;
}

type MultiValue<N> = N extends keyof MultiCallbacks ? MultiCallbacks[N] : number | boolean;

export const DEFAULT_BUDGET: WorkBudget = { bytes: 8 << 20, ms: 50 };
export const CURL_SOCKET_TIMEOUT = -1;
export const CURL_POLL = { NONE: 0, IN: 1, OUT: 2, INOUT: 3, REMOVE: 4 } as const;
export const CURL_CSELECT = { IN: 1, OUT: 2, ERR: 4 } as const;
const FDSET_ROOM = 1024;

// A multi dropped without close() is cleaned up once collected.
const forgotten = new FinalizationRegistry<{ module: CurlModule; ptr: Ptr }>(({ module, ptr }) =>
  module._curl_multi_cleanup(ptr),
);

export class Multi implements MultiTarget, EasyOwner, Disposable {
  #runtime: Runtime;
  #ptr: Ptr;
  #easies = new Map<Ptr, Easy>();
  #depth = 0;
  #deferred: Array<() => void> = [];
  #running = 0;
  #socketCallback: SocketCallback | null = null;
  #timerCallback: TimerCallback | null = null;
  #assigned = new Map<number, unknown>();
  #wakers = new Set<AbortController>();
  budget: WorkBudget = { ...DEFAULT_BUDGET };
  /** @internal Set on the library's own multi: closing an easy takes it out. */
  releasesOnClose = false;
  /** @internal Told when a handle leaves because it was closed (see releasesOnClose). */
  onRelease: ((easy: Easy) => void) | undefined;

  /** @internal Use `curl.multi()`. */
  constructor(runtime: Runtime) {
    this.#runtime = runtime;
    this.#ptr = runtime.module._curl_multi_init();
    if (!this.#ptr) throw new RangeError('libcurl-wasm: curl_multi_init failed');
    runtime.multis.set(this.#ptr, this);
    forgotten.register(this, { module: runtime.module, ptr: this.#ptr }, this);
  }

  get #module(): CurlModule {
    return this.#runtime.module;
  }

  get ptr(): Ptr {
    if (!this.#ptr) throw new HandleClosedError('multi');
    return this.#ptr;
  }

  get closed(): boolean {
    return this.#ptr === 0;
  }

  /** The easy handles added and not yet removed. */
  get handles(): Easy[] {
    return [...this.#easies.values()];
  }

  /** True while curl runs a call of this multi (and so its callbacks may be on the stack). */
  get inCallback(): boolean {
    return this.#depth > 0;
  }

  /** curl_multi_add_handle; from inside a callback it happens once that call returns. */
  add(easy: Easy): void {
    this.ptr;
    if (easy.owner === this) return;
    if (easy.owner) throw new HandleInUseError('libcurl-wasm: the easy handle is in another multi');
    easy.ptr;
    easy.owner = this;
    this.#whenFree(() => {
      if (easy.owner !== this || easy.closed) return;
      easy.beginTransfer();
      const code = this.#module._curl_multi_add_handle(this.ptr, easy.ptr);
      if (code !== CURLM.OK) easy.owner = null;
      this.#check(code, 'curl_multi_add_handle');
      this.#easies.set(easy.ptr, easy);
    });
  }

  /** curl_multi_remove_handle; from inside a callback it happens once that call returns. */
  remove(easy: Easy): void {
    this.ptr;
    if (easy.owner !== this) return;
    easy.owner = null;
    this.#whenFree(() => {
      if (easy.owner !== null || easy.closed || !this.#easies.has(easy.ptr)) return;
      this.#easies.delete(easy.ptr);
      this.#check(
        this.#module._curl_multi_remove_handle(this.ptr, easy.ptr),
        'curl_multi_remove_handle',
      );
    });
  }

  /**
   * curl_multi_perform. Returns CALL_MULTI_PERFORM when it stopped at its work budget while
   * data is still waiting: call it again before waiting. From inside a callback it runs once
   * that call returns, and answers OK with the last known count.
   */
  perform(): { code: number; running: number } {
    const multi = this.ptr;
    if (this.#depth > 0) {
      this.#deferred.push(() => void this.perform());
      return { code: CURLM.OK, running: this.#running };
    }
    return this.#sliced('curl_multi_perform', (running) =>
      this.#module._cw_multi_perform(multi, running),
    );
  }

  /** curl_multi_socket_action: `fd` is a socket or CURL_SOCKET_TIMEOUT, `events` CURL_CSELECT_*. */
  socketAction(fd: number, events = 0): { code: number; running: number } {
    const multi = this.ptr;
    if (this.#depth > 0) {
      this.#deferred.push(() => void this.socketAction(fd, events));
      return { code: CURLM.OK, running: this.#running };
    }
    return this.#sliced('curl_multi_socket_action', (running) =>
      this.#module._cw_multi_socket_action(multi, fd, events, running),
    );
  }

  /** Every transfer that finished since the last call, each with its result. */
  infoRead(): Completed[] {
    const multi = this.ptr;
    const module = this.#module;
    const done: Completed[] = [];
    withScratch(module, 4, (result) => {
      for (;;) {
        const ptr = module._cw_multi_info_read(multi, result);
        if (!ptr) break;
        const easy = this.#easies.get(ptr);
        if (!easy) continue;
        const error = easy.resultError(readI32(module, result));
        done.push({ easy, result: error?.curlCode ?? CURLE.OK, error });
      }
    });
    return done;
  }

  fdset(): FdSet {
    const multi = this.ptr;
    const module = this.#module;
    return withScratch(module, FDSET_ROOM * 4, (out) => {
      const n = module._cw_multi_fdset(multi, out, FDSET_ROOM);
      if (n < 0) throw new CurlMultiError(CURLM.INTERNAL_ERROR, 'curl_multi_fdset failed');
      const set: FdSet = { read: [], write: [], except: [], maxFd: -1 };
      for (let i = 0; i < n; i++) {
        const entry = readI32(module, out + i * 4);
        const fd = entry & 0xffff;
        if (entry & (1 << 16)) set.read.push(fd);
        if (entry & (2 << 16)) set.write.push(fd);
        if (entry & (4 << 16)) set.except.push(fd);
        set.maxFd = Math.max(set.maxFd, fd);
      }
      return set;
    });
  }

  /** curl_multi_timeout: milliseconds until curl wants perform() called, -1 for none set. */
  timeout(): number {
    const multi = this.ptr;
    return withScratch(this.#module, 4, (out) => {
      this.#check(this.#module._cw_multi_timeout(multi, out), 'curl_multi_timeout');
      return readI32(this.#module, out);
    });
  }

  /**
   * curl_multi_poll, awaited: resolves with the number of ready sockets once one is ready,
   * curl's own timeout has come, `timeoutMs` has passed, or wakeup() was called.
   */
  poll(timeoutMs: number): Promise<number> {
    const waker = new AbortController();
    this.#wakers.add(waker);
    return this.#wait(timeoutMs, waker.signal).finally(() => this.#wakers.delete(waker));
  }

  /** curl_multi_wait, awaited: as poll(), but wakeup() does not end it. */
  wait(timeoutMs: number): Promise<number> {
    return this.#wait(timeoutMs);
  }

  /** curl_multi_wakeup: makes every pending poll() return now. */
  wakeup(): void {
    for (const waker of this.#wakers) waker.abort();
    this.#wakers.clear();
  }

  /** curl_multi_assign: `data` comes back to the socket callback for `fd`. */
  assign(fd: number, data: unknown): void {
    this.ptr;
    if (data === undefined || data === null) this.#assigned.delete(fd);
    else this.#assigned.set(fd, data);
  }

  setopt<N extends MultiOptionName>(option: N, value: MultiValue<N>): this {
    const multi = this.ptr;
    if (option === 'SOCKETFUNCTION' || option === 'TIMERFUNCTION') {
      return this.#setCallback(option, value as SocketCallback | TimerCallback | null);
    }
    if (!Object.hasOwn(CURLMOPT, option) || CURLMOPT_KIND[option] !== 'long') {
      throw new CurlOptionError(`libcurl-wasm: CURLMOPT_${String(option)} cannot be set from JS`);
    }
    const number = typeof value === 'boolean' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number)) {
      throw new CurlOptionError(`CURLMOPT_${option} takes an integer or a boolean`);
    }
    const code = this.#module._cw_multi_setopt_long(multi, CURLMOPT[option], number);
    this.#check(code, `CURLMOPT_${option}`);
    return this;
  }

  close(): void {
    if (!this.#ptr) return;
    if (this.#depth > 0) {
      throw new HandleInUseError('libcurl-wasm: a multi cannot be closed from its own callback');
    }
    this.wakeup();
    for (const easy of [...this.#easies.values()]) {
      easy.owner = null;
      this.#module._curl_multi_remove_handle(this.#ptr, easy.ptr);
    }
    this.#easies.clear();
    forgotten.unregister(this);
    this.#runtime.multis.delete(this.#ptr);
    this.#module._curl_multi_cleanup(this.#ptr);
    this.#ptr = 0;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  // --- MultiTarget: socket and timer callbacks --------------------------------------------

  onSocket(easyPtr: Ptr, fd: number, what: number): number {
    const callback = this.#socketCallback;
    const assigned = this.#assigned.get(fd);
    if (what === CURL_POLL.REMOVE) this.#assigned.delete(fd);
    if (!callback) return 0;
    try {
      const easy = this.#easies.get(easyPtr) ?? null;
      return callback(easy, fd, what, assigned) === -1 ? -1 : 0;
    } catch {
      return -1;
    }
  }

  onTimer(timeoutMs: number): number {
    try {
      return this.#timerCallback?.(timeoutMs) === -1 ? -1 : 0;
    } catch {
      return -1;
    }
  }

  // --- internals -------------------------------------------------------------------------

  #setCallback(option: keyof MultiCallbacks, value: unknown): this {
    if (value !== null && value !== undefined && typeof value !== 'function') {
      throw new CurlOptionError(`CURLMOPT_${option} takes a function or null`);
    }
    const fn = (value ?? null) as never;
    if (option === 'SOCKETFUNCTION') this.#socketCallback = fn;
    else this.#timerCallback = fn;
    const on = this.#socketCallback || this.#timerCallback ? 1 : 0;
    this.#check(this.#module._cw_multi_route_events(this.ptr, on), `CURLMOPT_${option}`);
    return this;
  }

  /** Runs one curl call inside the work budget and answers { code, running }. */
  #sliced(what: string, call: (running: Ptr) => number): { code: number; running: number } {
    const sockets = this.#runtime.sockets;
    return withScratch(this.#module, 4, (running) => {
      sockets.beginSlice(this.budget.bytes, this.budget.ms);
      this.#depth++;
      let code: number;
      let starved: boolean;
      try {
        code = call(running);
      } finally {
        this.#depth--;
        starved = sockets.endSlice();
      }
      this.#running = readI32(this.#module, running);
      this.#check(code, what);
      this.#runDeferred();
      const more = starved && this.#running > 0;
      return { code: more ? CURLM.CALL_MULTI_PERFORM : code, running: this.#running };
    });
  }

  async #wait(timeoutMs: number, signal?: AbortSignal): Promise<number> {
    if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
      throw new CurlMultiError(CURLM.BAD_FUNCTION_ARGUMENT, `poll/wait: bad timeout ${timeoutMs}`);
    }
    // setTimeout takes 32-bit delays; a longer wait is as good as forever here.
    timeoutMs = Math.min(timeoutMs, 0x7fffffff);
    const curlTimeout = this.timeout();
    const limit = curlTimeout >= 0 ? Math.min(curlTimeout, timeoutMs) : timeoutMs;
    return select(this.#runtime.sockets, this.fdset(), Math.max(0, limit), signal);
  }

  #whenFree(operation: () => void): void {
    if (this.#depth > 0) this.#deferred.push(operation);
    else operation();
  }

  #runDeferred(): void {
    while (this.#depth === 0 && this.#deferred.length > 0) this.#deferred.shift()!();
  }

  #check(code: number, what: string): void {
    if (code === CURLM.OK) return;
    const message = readCString(this.#module, this.#module._curl_multi_strerror(code));
    throw new CurlMultiError(code, `${what}: ${message}`);
  }
}
