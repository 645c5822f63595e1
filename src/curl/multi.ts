// Multi: curl's multi interface with its own semantics, including the
// CURLM_CALL_MULTI_PERFORM contract of ../shared/DESIGN.md.
import { readCString, readI32, withScratch } from '../ffi/heap.js';
import type { CurlModule, Ptr } from '../ffi/module.js';
import type { Easy } from './easy.js';
import { CurlError, CurlMultiError, CurlOptionError, HandleClosedError, HandleInUseError } from './errors.js';
import { CURLE, CURLM } from './generated/codes.js';
import { CURLMOPT, CURLMOPT_KIND } from './generated/options.js';
import type { MultiOptionName, MultiOptionValue } from './option-types.js';
import type { MultiTarget, Runtime } from './runtime.js';

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
 * How much one perform() may do before it returns: bytes read from the sockets and
 * milliseconds spent. On a browser's main thread this keeps each slice short.
 */
export interface WorkBudget {
  bytes: number;
  ms: number;
}

export const DEFAULT_BUDGET: WorkBudget = { bytes: 8 << 20, ms: 50 };
const FDSET_ROOM = 1024;

export class Multi implements MultiTarget, Disposable {
  #runtime: Runtime;
  #ptr: Ptr;
  #easies = new Map<Ptr, Easy>();
  budget: WorkBudget = { ...DEFAULT_BUDGET };

  /** @internal Use `curl.multi()`. */
  constructor(runtime: Runtime) {
    this.#runtime = runtime;
    this.#ptr = runtime.module._curl_multi_init();
    if (!this.#ptr) throw new RangeError('libcurl-wasm: curl_multi_init failed');
    runtime.multis.set(this.#ptr, this);
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

  add(easy: Easy): void {
    const multi = this.ptr;
    if (easy.owner === this) return;
    if (easy.owner) throw new HandleInUseError('libcurl-wasm: the easy handle is in another multi');
    easy.beginTransfer();
    this.#check(this.#module._curl_multi_add_handle(multi, easy.ptr), 'curl_multi_add_handle');
    easy.owner = this;
    this.#easies.set(easy.ptr, easy);
  }

  remove(easy: Easy): void {
    const multi = this.ptr;
    if (easy.owner !== this) return;
    this.#check(this.#module._curl_multi_remove_handle(multi, easy.ptr), 'curl_multi_remove_handle');
    easy.owner = null;
    this.#easies.delete(easy.ptr);
  }

  /**
   * curl_multi_perform. Returns CALL_MULTI_PERFORM when it stopped at its work budget while
   * data is still waiting: call it again before waiting.
   */
  perform(): { code: number; running: number } {
    const multi = this.ptr;
    const sockets = this.#runtime.sockets;
    return withScratch(this.#module, 4, (running) => {
      sockets.beginSlice(this.budget.bytes, this.budget.ms);
      let code: number;
      let starved: boolean;
      try {
        code = this.#module._cw_multi_perform(multi, running);
      } finally {
        starved = sockets.endSlice();
      }
      this.#check(code, 'curl_multi_perform');
      const stillRunning = readI32(this.#module, running);
      const more = starved && stillRunning > 0;
      return { code: more ? CURLM.CALL_MULTI_PERFORM : code, running: stillRunning };
    });
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

  setopt<N extends MultiOptionName>(option: N, value: MultiOptionValue<N>): this {
    const multi = this.ptr;
    if (!(option in CURLMOPT) || CURLMOPT_KIND[option] !== 'long') {
      throw new CurlOptionError(`libcurl-wasm: CURLMOPT_${String(option)} cannot be set from JS`);
    }
    const number = typeof value === 'boolean' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number)) {
      throw new CurlOptionError(`CURLMOPT_${option} takes an integer or a boolean`);
    }
    this.#check(this.#module._cw_multi_setopt_long(multi, CURLMOPT[option], number), `CURLMOPT_${option}`);
    return this;
  }

  close(): void {
    if (!this.#ptr) return;
    for (const easy of this.#easies.values()) this.remove(easy);
    this.#runtime.multis.delete(this.#ptr);
    this.#module._curl_multi_cleanup(this.#ptr);
    this.#ptr = 0;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  // --- MultiTarget: socket and timer callbacks (event-driven use) -----------------------

  onSocket(): number {
    return 0;
  }

  onTimer(): number {
    return 0;
  }

  #check(code: number, what: string): void {
    if (code === CURLM.OK) return;
    const message = readCString(this.#module, this.#module._curl_multi_strerror(code));
    throw new CurlMultiError(code, `${what}: ${message}`);
  }
}
