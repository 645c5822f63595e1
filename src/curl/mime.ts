// Mime: a curl_mime handle, the body of a multipart upload (CURLOPT_MIMEPOST). Parts from
// strings and bytes are copied by curl at once; streamed parts are read from JS while the
// transfer runs (mime-stream.ts).
import { allocBytes, withCString } from '../ffi/heap.js';
import type { CurlModule, Ptr } from '../ffi/module.js';
import { buildSlist } from './easy-options.js';
import { CurlError, CurlOptionError, HandleClosedError, HandleInUseError } from './errors.js';
import { CURLE } from './generated/codes.js';
import { checkSource, MimeStream, type StreamSource, type StreamUser } from './mime-stream.js';
import type { Runtime } from './runtime.js';

export type { StreamSource } from './mime-stream.js';

export interface MimePart {
  /** The form field's name (Content-Disposition: form-data; name="..."). */
  name?: string;
  /** The part's bytes; a string is sent as UTF-8. */
  data?: string | Uint8Array;
  /** A file name to send, as for a file upload. */
  filename?: string;
  /** The part's Content-Type. */
  type?: string;
  /** Further header lines of the part ("X-Name: value"). */
  headers?: readonly string[];
  /** Bytes read while the transfer runs, instead of `data`. */
  stream?: StreamSource;
  /** The streamed part's length in bytes, if known; without it HTTP/1.1 sends chunked. */
  size?: number;
}

/** What a mime needs from the easy handle whose MIMEPOST it is. */
export interface MimeUser extends StreamUser {
  /** The multi driving the transfer, if any: the mime must not be freed under it. */
  readonly owner: object | null;
}

const encoder = new TextEncoder();

export class Mime implements Disposable {
  #runtime: Runtime;
  #ptr: Ptr;
  #user: MimeUser | null = null;
  #streams = 0;

  /** @internal Use `easy.mime()`. */
  constructor(runtime: Runtime, easy: Ptr) {
    this.#runtime = runtime;
    this.#ptr = runtime.module._curl_mime_init(easy);
    if (!this.#ptr) throw new RangeError('libcurl-wasm: curl_mime_init failed');
  }

  get #module(): CurlModule {
    return this.#runtime.module;
  }

  /** The curl_mime * this object owns. Throws once closed. */
  get ptr(): Ptr {
    if (!this.#ptr) throw new HandleClosedError('mime');
    return this.#ptr;
  }

  get closed(): boolean {
    return this.#ptr === 0;
  }

  /** Adds one part. Everything is checked first, since curl cannot take a part back. */
  addPart(init: MimePart): this {
    const mime = this.ptr;
    const source = checkPart(init);
    const module = this.#module;

    const part = module._curl_mime_addpart(mime);
    if (!part) throw new RangeError('libcurl-wasm: curl_mime_addpart failed');
    this.#describe(part, init);
    if (source) this.#stream(part, source, init.size ?? -1);
    else if (init.data !== undefined) this.#data(part, init.data);
    return this;
  }

  /**
   * curl_mime_free. Refused with HandleInUseError while a multi drives the easy handle it is
   * set on; otherwise curl lets go of it (that easy handle keeps no body).
   */
  close(): void {
    if (!this.#ptr) return;
    if (this.#user?.owner) {
      throw new HandleInUseError(
        'libcurl-wasm: the mime is being sent; remove its easy handle from the multi first',
      );
    }
    this.#module._curl_mime_free(this.#ptr);
    this.#ptr = 0;
    this.#user = null;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** @internal Whether curl_easy_duphandle would share a JS stream between two handles. */
  get hasStreams(): boolean {
    return this.#ptr !== 0 && this.#streams > 0;
  }

  /** @internal The easy handle this mime is set on, or null. */
  get user(): MimeUser | null {
    return this.#user;
  }

  /** @internal Called by the easy handle that sets or drops this mime as its MIMEPOST. */
  setUser(user: MimeUser | null): void {
    this.#user = user;
  }

  /** @internal The pointer, for an easy handle of the same wasm instance only. */
  ptrFor(runtime: Runtime): Ptr {
    if (runtime !== this.#runtime) {
      throw new CurlOptionError('libcurl-wasm: this mime belongs to another loadCurl() instance');
    }
    return this.ptr;
  }

  #describe(part: Ptr, init: MimePart): void {
    const module = this.#module;
    if (init.name !== undefined) {
      this.#check(
        withCString(module, init.name, (s) => module._curl_mime_name(part, s)),
        'name',
      );
    }
    if (init.filename !== undefined) {
      const set = (s: Ptr) => module._curl_mime_filename(part, s);
      this.#check(withCString(module, init.filename, set), 'filename');
    }
    if (init.type !== undefined) {
      this.#check(
        withCString(module, init.type, (s) => module._curl_mime_type(part, s)),
        'type',
      );
    }
    if (init.headers !== undefined) {
      // Handed over with take_ownership set: curl frees the list with the part.
      const list = buildSlist(module, 'HTTPHEADER', init.headers);
      const code = module._curl_mime_headers(part, list, 1);
      if (code !== CURLE.OK) module._curl_slist_free_all(list);
      this.#check(code, 'headers');
    }
  }

  // curl_mime_data copies the bytes, so the heap copy is freed at once.
  #data(part: Ptr, data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    const module = this.#module;
    const ptr = allocBytes(module, bytes);
    try {
      this.#check(module._curl_mime_data(part, ptr, bytes.length), 'data');
    } finally {
      module._free(ptr);
    }
  }

  #stream(part: Ptr, source: StreamSource, size: number): void {
    const stream = new MimeStream(this.#runtime, source, size, () => this.#user);
    const code = this.#module._cw_mime_data_cb(part, size, stream.source);
    if (code !== CURLE.OK) stream.onFree();
    this.#check(code, 'stream');
    this.#streams++;
  }

  #check(code: number, what: string): void {
    if (code === CURLE.OK) return;
    const text = this.#module.UTF8ToString(this.#module._curl_easy_strerror(code));
    throw new CurlError(code, `mime part ${what}: ${text}`);
  }
}

/** Checks a part's fields; returns its stream source, if it has one. */
function checkPart(init: MimePart): StreamSource | null {
  for (const key of ['name', 'filename', 'type'] as const) {
    const value = init[key];
    if (value === undefined) continue;
    if (typeof value !== 'string' || value.includes('\0')) {
      throw new CurlOptionError(`libcurl-wasm: a mime part's ${key} is a string without NUL`);
    }
  }
  const headers: unknown = init.headers;
  const isLine = (line: unknown) => typeof line === 'string' && !line.includes('\0');
  if (headers !== undefined && !(Array.isArray(headers) && headers.every(isLine))) {
    throw new CurlOptionError("libcurl-wasm: a mime part's headers are an array of strings");
  }
  if (init.data !== undefined && init.stream !== undefined) {
    throw new CurlOptionError('libcurl-wasm: a mime part has data or a stream, not both');
  }
  const data: unknown = init.data;
  if (data !== undefined && typeof data !== 'string' && !(data instanceof Uint8Array)) {
    throw new CurlOptionError("libcurl-wasm: a mime part's data is a string or a Uint8Array");
  }
  const size = init.size;
  if (size !== undefined && init.stream === undefined) {
    throw new CurlOptionError("libcurl-wasm: size is for stream parts; data's size is its length");
  }
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 0)) {
    throw new CurlOptionError(`libcurl-wasm: a stream part's size is a byte count, not ${size}`);
  }
  return init.stream === undefined ? null : checkSource(init.stream);
}
