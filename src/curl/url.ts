// CurlUrl: a CURLU handle, curl's own URL parser (curl_url_set, curl_url_get), so that URLs
// are read, built and resolved exactly as the transfers will read them.
import { readCString, readPtr, withCString, withScratch } from '../ffi/heap.js';
import type { CurlModule, Ptr } from '../ffi/module.js';
import { CurlOptionError, CurlUrlError, HandleClosedError } from './errors.js';
import { CURLU, CURLUE, CURLUPART } from './generated/url.js';
import type { Runtime } from './runtime.js';

export type UrlPartName = keyof typeof CURLUPART;
export type UrlFlagName = keyof typeof CURLU;
/** CURLU_* bits, as a number or by name. */
export type UrlFlags = number | readonly UrlFlagName[];

/** The codes curl_url_get answers for a part the URL does not have. */
const MISSING = new Set<number>([
  CURLUE.NO_SCHEME,
  CURLUE.NO_USER,
  CURLUE.NO_PASSWORD,
  CURLUE.NO_OPTIONS,
  CURLUE.NO_HOST,
  CURLUE.NO_PORT,
  CURLUE.NO_QUERY,
  CURLUE.NO_FRAGMENT,
  CURLUE.NO_ZONEID,
]);

export class CurlUrl implements Disposable {
  #runtime: Runtime;
  #ptr: Ptr;

  /** @internal Use `curl.url()`. */
  constructor(runtime: Runtime, ptr?: Ptr) {
    this.#runtime = runtime;
    this.#ptr = ptr ?? runtime.module._curl_url();
    if (!this.#ptr) throw new RangeError('libcurl-wasm: curl_url failed');
  }

  get #module(): CurlModule {
    return this.#runtime.module;
  }

  /** The CURLU * this object owns. Throws once closed. */
  get ptr(): Ptr {
    if (!this.#ptr) throw new HandleClosedError('url');
    return this.#ptr;
  }

  get closed(): boolean {
    return this.#ptr === 0;
  }

  /**
   * curl_url_set: sets one part (a whole URL, or a relative reference against the URL held),
   * or clears it with null. Throws a CurlUrlError when curl refuses the value.
   */
  set(part: UrlPartName | number, value: string | number | null, flags: UrlFlags = 0): this {
    const url = this.ptr;
    const which = partNumber(part);
    const bits = flagBits(flags);
    const module = this.#module;

    const code =
      value === null
        ? module._curl_url_set(url, which, 0, bits)
        : withCString(module, cText(value), (text) => module._curl_url_set(url, which, text, bits));
    this.#check(code);
    return this;
  }

  /** curl_url_get: one part as text, or null when the URL has no such part. */
  get(part: UrlPartName | number, flags: UrlFlags = 0): string | null {
    const url = this.ptr;
    const [code, text] = this.#read(url, partNumber(part), flagBits(flags));
    if (MISSING.has(code)) return null;
    this.#check(code);
    return text;
  }

  /** The whole URL; throws a CurlUrlError when the handle holds none yet. */
  toString(): string {
    const [code, text] = this.#read(this.ptr, CURLUPART.URL, 0);
    this.#check(code);
    return text ?? '';
  }

  /** A new CurlUrl for `reference` resolved against this one, as curl follows a Location. */
  resolve(reference: string, flags: UrlFlags = 0): CurlUrl {
    const copy = this.dup();
    try {
      return copy.set('URL', reference, flags);
    } catch (error) {
      copy.close();
      throw error;
    }
  }

  /** curl_url_dup: an independent copy, with its own owner. */
  dup(): CurlUrl {
    const copy = this.#module._curl_url_dup(this.ptr);
    if (!copy) throw new RangeError('libcurl-wasm: curl_url_dup failed');
    return new CurlUrl(this.#runtime, copy);
  }

  close(): void {
    if (!this.#ptr) return;
    this.#module._curl_url_cleanup(this.#ptr);
    this.#ptr = 0;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  // curl_url_get hands over a string of its own: copied, then given back with curl_free.
  #read(url: Ptr, which: number, bits: number): [number, string | null] {
    const module = this.#module;
    return withScratch(module, 4, (out) => {
      const code = module._curl_url_get(url, which, out, bits);
      if (code !== CURLUE.OK) return [code, null];
      const text = readPtr(module, out);
      try {
        return [code, readCString(module, text)];
      } finally {
        module._curl_free(text);
      }
    });
  }

  #check(code: number): void {
    if (code === CURLUE.OK) return;
    const text = readCString(this.#module, this.#module._curl_url_strerror(code));
    throw new CurlUrlError(code, text ?? `URL error ${code}`);
  }
}

function partNumber(part: UrlPartName | number): number {
  if (typeof part === 'number' && Number.isInteger(part)) return part;
  if (typeof part === 'string' && part in CURLUPART) return CURLUPART[part];
  throw new CurlOptionError(`libcurl-wasm: unknown URL part '${String(part)}'`);
}

function flagBits(flags: UrlFlags): number {
  if (typeof flags === 'number' && Number.isInteger(flags)) return flags;
  if (!Array.isArray(flags)) {
    throw new CurlOptionError('libcurl-wasm: URL flags are a number or an array of names');
  }
  let bits = 0;
  for (const name of flags as readonly string[]) {
    if (!(name in CURLU)) throw new CurlOptionError(`libcurl-wasm: unknown URL flag '${name}'`);
    bits |= CURLU[name as UrlFlagName];
  }
  return bits;
}

function cText(value: string | number): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string') throw new CurlOptionError('libcurl-wasm: a URL part is a string');
  if (text.includes('\0')) throw new CurlOptionError('libcurl-wasm: a URL part cannot hold NUL');
  return text;
}
