// The JS side of one streamed mime part. curl asks for bytes from inside a callback, where
// nothing can be awaited, so the user's stream is pulled ahead into a small buffer. With the
// buffer empty, the read answers CURL_READFUNC_PAUSE; once bytes arrive, the transfer is
// unpaused and the runtime woken, so that whoever drives the multi runs it again at once.
import type { Ptr } from '../ffi/module.js';
import { CurlOptionError } from './errors.js';
import {
  CURL_READFUNC_ABORT,
  CURL_READFUNC_PAUSE,
  CURL_SEEKFUNC_CANTSEEK,
  CURL_SEEKFUNC_OK,
} from './flags.js';
import type { Runtime, StreamTarget } from './runtime.js';

/** Where a streamed part's bytes come from. A function can be called again to start over. */
export type StreamSource = ReadableStream<Uint8Array> | (() => AsyncIterable<Uint8Array>);

/** What a stream needs from the easy handle whose MIMEPOST holds it. */
export interface StreamUser {
  /** Lets a transfer paused by CURL_READFUNC_PAUSE go on. */
  resumeSend(): void;
  /** Keeps the error to report as the cause of the transfer's CURLE_ABORTED_BY_CALLBACK. */
  noteCallbackError(error: unknown): void;
}

// Pulling starts when less than LOW_WATER is buffered and stops at HIGH_WATER, so memory stays
// bounded by HIGH_WATER plus one chunk, however fast the source.
const LOW_WATER = 256 << 10;
const HIGH_WATER = 1 << 20;
const SEEK_SET = 0;

interface Chunks {
  next(): Promise<{ done?: boolean; value?: Uint8Array }>;
  cancel(): void;
}

function open(source: StreamSource): Chunks {
  if (typeof source === 'function') {
    const iterator = source()[Symbol.asyncIterator]();
    return { next: () => iterator.next(), cancel: () => void iterator.return?.()?.catch(() => {}) };
  }
  const reader = source.getReader();
  return { next: () => reader.read(), cancel: () => void reader.cancel().catch(() => {}) };
}

/** Checks a source before curl is told about it. */
export function checkSource(source: unknown): StreamSource {
  if (typeof source === 'function') return source as StreamSource;
  const stream = source as ReadableStream<Uint8Array> | null;
  if (typeof stream?.getReader !== 'function') {
    throw new CurlOptionError('libcurl-wasm: a stream part takes a ReadableStream or a function');
  }
  if (stream.locked) throw new CurlOptionError('libcurl-wasm: the ReadableStream is locked');
  return stream;
}

export class MimeStream implements StreamTarget {
  readonly source: number;
  #runtime: Runtime;
  #from: StreamSource;
  #size: number;
  #user: () => StreamUser | null;
  #chunks: Chunks | null = null;
  #queue: Uint8Array[] = [];
  #head = 0;
  #buffered = 0;
  #produced = 0;
  #taken = 0;
  #generation = 0;
  #pulling = false;
  #ended = false;
  #paused = false;
  #error: unknown = undefined;

  /** `size` is -1 when unknown; `user` names the easy handle sending the part, if any. */
  constructor(runtime: Runtime, from: StreamSource, size: number, user: () => StreamUser | null) {
    this.#runtime = runtime;
    this.#from = from;
    this.#size = size;
    this.#user = user;
    this.source = runtime.addStream(this);
  }

  onRead(buffer: Ptr, len: number): number {
    if (this.#error !== undefined) return this.#abort();
    if (this.#buffered === 0) {
      if (this.#ended) return this.#end();
      this.#paused = true;
      this.#pull();
      return CURL_READFUNC_PAUSE;
    }

    const n = this.#copyTo(buffer, len);
    this.#pull();
    return n;
  }

  onSeek(offset: number, origin: number): number {
    if (offset !== 0 || origin !== SEEK_SET) return CURL_SEEKFUNC_CANTSEEK;
    if (this.#taken === 0) return CURL_SEEKFUNC_OK;
    // Only a function can give the bytes again; a ReadableStream is read once.
    if (typeof this.#from !== 'function') return CURL_SEEKFUNC_CANTSEEK;

    this.#stop();
    this.#queue = [];
    this.#head = this.#buffered = this.#produced = this.#taken = 0;
    this.#ended = this.#paused = false;
    this.#error = undefined;
    return CURL_SEEKFUNC_OK;
  }

  onFree(): void {
    this.#stop();
    this.#queue = [];
    this.#buffered = 0;
    this.#runtime.streams.delete(this.source);
  }

  // The heap view is read here and used before anything else runs: nothing in between
  // allocates, so it cannot go stale.
  #copyTo(buffer: Ptr, len: number): number {
    const heap = this.#runtime.module.HEAPU8;
    let written = 0;
    while (written < len && this.#queue.length > 0) {
      const chunk = this.#queue[0]!;
      const take = Math.min(len - written, chunk.length - this.#head);
      heap.set(chunk.subarray(this.#head, this.#head + take), buffer + written);
      written += take;
      this.#head += take;
      if (this.#head === chunk.length) {
        this.#queue.shift();
        this.#head = 0;
      }
    }
    this.#buffered -= written;
    this.#taken += written;
    return written;
  }

  #pull(): void {
    if (this.#pulling || this.#ended || this.#error !== undefined) return;
    if (this.#buffered >= LOW_WATER) return;
    this.#pulling = true;
    void this.#fill(this.#generation);
  }

  // Runs outside curl: its awaits end the callback that started it before anything resumes.
  async #fill(generation: number): Promise<void> {
    try {
      const chunks = (this.#chunks ??= open(this.#from));
      while (this.#buffered < HIGH_WATER) {
        const { done, value } = await chunks.next();
        if (generation !== this.#generation) return;
        if (done) {
          this.#ended = true;
          break;
        }
        this.#push(value);
        this.#resume();
      }
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#error = error;
    }
    this.#pulling = false;
    this.#resume();
  }

  #push(value: unknown): void {
    if (!(value instanceof Uint8Array)) {
      throw new TypeError('libcurl-wasm: a stream part must give Uint8Array chunks');
    }
    if (value.length === 0) return;
    // A copy: the source may reuse its buffer once asked for the next chunk, which happens
    // before curl has sent this one.
    this.#queue.push(value.slice());
    this.#buffered += value.length;
    this.#produced += value.length;
  }

  #resume(): void {
    if (!this.#paused) return;
    this.#paused = false;
    this.#user()?.resumeSend();
    this.#runtime.wake();
  }

  #end(): number {
    if (this.#size >= 0 && this.#produced !== this.#size) {
      this.#error = new RangeError(
        `libcurl-wasm: the stream part gave ${this.#produced} bytes, but its size is ${this.#size}`,
      );
      return this.#abort();
    }
    return 0;
  }

  #abort(): number {
    this.#user()?.noteCallbackError(this.#error);
    return CURL_READFUNC_ABORT;
  }

  // Cancelling may run the source's own code, so it waits until curl has returned.
  #stop(): void {
    this.#generation++;
    this.#pulling = false;
    const chunks = this.#chunks;
    this.#chunks = null;
    if (chunks) queueMicrotask(() => chunks.cancel());
  }
}
