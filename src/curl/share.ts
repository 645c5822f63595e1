// Share: a CURLSH handle, through which easy handles share cookies, the DNS cache, TLS
// sessions, connections or HSTS. Everything runs on one thread, so no lock callbacks are set.
import { readCString } from '../ffi/heap.js';
import type { CurlModule, Ptr } from '../ffi/module.js';
import { CurlOptionError, CurlShareError, HandleClosedError, HandleInUseError } from './errors.js';
import { CURL_LOCK_DATA, CURLSHE, CURLSHOPT } from './generated/share.js';
import type { Runtime } from './runtime.js';

/** The share options the facade takes: the lock and user-data options have no use here. */
export type ShareOptionName = 'SHARE' | 'UNSHARE';
/** What a share can hold, by curl_lock_data name ('PSL' fails: this build has no libpsl). */
export type LockDataName = Exclude<keyof typeof CURL_LOCK_DATA, 'NONE' | 'SHARE'>;

export class Share implements Disposable {
  #runtime: Runtime;
  #ptr: Ptr;

  /** @internal Use `curl.share()`. */
  constructor(runtime: Runtime) {
    this.#runtime = runtime;
    this.#ptr = runtime.module._curl_share_init();
    if (!this.#ptr) throw new RangeError('libcurl-wasm: curl_share_init failed');
  }

  get #module(): CurlModule {
    return this.#runtime.module;
  }

  /** The CURLSH * this object owns. Throws once closed. */
  get ptr(): Ptr {
    if (!this.#ptr) throw new HandleClosedError('share');
    return this.#ptr;
  }

  get closed(): boolean {
    return this.#ptr === 0;
  }

  /**
   * curl_share_setopt with CURLSHOPT_SHARE or CURLSHOPT_UNSHARE. curl refuses changes while an
   * easy handle uses the share (CURLSHE_IN_USE).
   */
  setopt(option: ShareOptionName | number, data: LockDataName | number): this {
    const share = this.ptr;
    const number = shareOption(option);
    const code = this.#module._cw_share_setopt_long(share, number, lockData(data));
    this.#check(code, number === CURLSHOPT.SHARE ? 'CURLSHOPT_SHARE' : 'CURLSHOPT_UNSHARE');
    return this;
  }

  /** curl_share_cleanup. Refused with HandleInUseError while an easy handle still uses it. */
  close(): void {
    if (!this.#ptr) return;
    const code = this.#module._curl_share_cleanup(this.#ptr);
    if (code === CURLSHE.IN_USE) {
      throw new HandleInUseError(
        'libcurl-wasm: the share is still set on an easy handle; close the easy or set its ' +
          'SHARE to null first',
      );
    }
    this.#ptr = 0;
    this.#check(code, 'curl_share_cleanup');
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** @internal The pointer, for an easy handle of the same wasm instance only. */
  ptrFor(runtime: Runtime): Ptr {
    if (runtime !== this.#runtime) {
      throw new CurlOptionError('libcurl-wasm: this share belongs to another loadCurl() instance');
    }
    return this.ptr;
  }

  #check(code: number, what: string): void {
    if (code === CURLSHE.OK) return;
    const text = readCString(this.#module, this.#module._curl_share_strerror(code));
    throw new CurlShareError(code, `${what}: ${text}`);
  }
}

function shareOption(option: ShareOptionName | number): number {
  const number = typeof option === 'number' ? option : CURLSHOPT[option];
  if (number === CURLSHOPT.SHARE || number === CURLSHOPT.UNSHARE) return number;
  throw new CurlOptionError(
    `libcurl-wasm: share option ${String(option)} cannot be set; only SHARE and UNSHARE can ` +
      '(there is one thread, so no lock callbacks are needed)',
  );
}

// NONE and SHARE are curl's internal lock names, not something to share.
const INTERNAL_LOCKS = new Set<string>(['NONE', 'SHARE']);

function lockData(data: LockDataName | number): number {
  if (typeof data === 'number' && Number.isInteger(data)) return data;
  if (typeof data === 'string' && data in CURL_LOCK_DATA && !INTERNAL_LOCKS.has(data)) {
    return CURL_LOCK_DATA[data];
  }
  throw new CurlOptionError(`libcurl-wasm: unknown share data '${String(data)}'`);
}
