// Request bodies: every BodyInit kind, turned into what curl reads. Known bytes go out as a
// copy (small) or through the read callback (large); a ReadableStream is streamed through
// the read callback, one chunk at a time, never buffered whole.
import type { Easy } from '../curl/easy.js';
import { CURL_READFUNC_ABORT, CURL_READFUNC_PAUSE, CURLPAUSE_SEND } from '../curl/flags.js';

/** Bodies up to this size are handed to curl in one copy (CURLOPT_COPYPOSTFIELDS). */
const COPY_LIMIT = 1 << 20;

export interface PreparedBody {
  /** The bytes, when known in advance; such a body can be sent again after a redirect. */
  bytes: Uint8Array | null;
  /** A one-shot stream, when the body is one. */
  stream: ReadableStream<Uint8Array> | null;
  /** The length, when known. */
  length: number | null;
  /** The Content-Type the body kind implies, if any. */
  contentType: string | null;
}

const encoder = new TextEncoder();
const NO_BODY: PreparedBody = { bytes: null, stream: null, length: 0, contentType: null };

function fromBytes(bytes: Uint8Array, contentType: string | null = null): PreparedBody {
  return { bytes, stream: null, length: bytes.length, contentType };
}

function isAsyncIterable(value: unknown): value is AsyncIterable<Uint8Array> {
  return typeof (value as AsyncIterable<unknown>)?.[Symbol.asyncIterator] === 'function';
}

function iterableStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      const { value, done } = await iterator.next();
      if (done) controller.close();
      else controller.enqueue(typeof value === 'string' ? encoder.encode(value) : value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

/** Turns any BodyInit (or an async iterable of bytes) into a PreparedBody. */
export async function prepareBody(body: unknown): Promise<PreparedBody> {
  if (body === null || body === undefined) return NO_BODY;
  if (typeof body === 'string') return fromBytes(encoder.encode(body), 'text/plain;charset=UTF-8');
  if (body instanceof URLSearchParams) {
    return fromBytes(
      encoder.encode(body.toString()),
      'application/x-www-form-urlencoded;charset=UTF-8',
    );
  }
  if (body instanceof ArrayBuffer) return fromBytes(new Uint8Array(body.slice(0)));
  if (ArrayBuffer.isView(body)) {
    return fromBytes(new Uint8Array(body.buffer, body.byteOffset, body.byteLength).slice());
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) {
    return fromBytes(new Uint8Array(await body.arrayBuffer()), body.type || null);
  }
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    // The platform's own multipart encoder picks the boundary and spells the parts.
    const encoded = new Response(body);
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    return fromBytes(bytes, encoded.headers.get('content-type'));
  }
  if (body instanceof ReadableStream) return { ...NO_BODY, stream: body, length: null };
  if (isAsyncIterable(body)) return { ...NO_BODY, stream: iterableStream(body), length: null };
  // Anything else is converted to a string, as fetch() does with a BodyInit it does not know.
  return fromBytes(encoder.encode(String(body)), 'text/plain;charset=UTF-8');
}

/** Feeds curl's read callback from a ReadableStream, pausing the upload while it waits. */
export class UploadStream {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #easy: Easy;
  #chunk: Uint8Array | null = null;
  #done = false;
  #pulling = false;
  #waiting = false;
  /** Why the stream failed, if it did: the cause of the transfer's error. */
  error: unknown = undefined;

  constructor(stream: ReadableStream<Uint8Array>, easy: Easy) {
    this.#reader = stream.getReader();
    this.#easy = easy;
  }

  read = (buffer: Uint8Array): number => {
    const chunk = this.#chunk;
    if (chunk) {
      const n = Math.min(chunk.length, buffer.length);
      buffer.set(chunk.subarray(0, n));
      this.#chunk = n === chunk.length ? null : chunk.subarray(n);
      return n;
    }
    if (this.error !== undefined) return CURL_READFUNC_ABORT;
    if (this.#done) return 0;
    this.#waiting = true;
    void this.#pull();
    return CURL_READFUNC_PAUSE;
  };

  cancel(reason: unknown): void {
    this.#reader.cancel(reason).catch(() => {});
  }

  async #pull(): Promise<void> {
    if (this.#pulling) return;
    this.#pulling = true;
    try {
      const { value, done } = await this.#reader.read();
      if (done) this.#done = true;
      else if (!(value instanceof Uint8Array))
        throw new TypeError('fetch: a body stream must yield Uint8Array chunks');
      else if (value.length > 0) this.#chunk = value;
    } catch (error) {
      this.error = error;
    } finally {
      this.#pulling = false;
    }
    if (this.#waiting && !this.#easy.closed) {
      this.#waiting = false;
      this.#easy.resume(CURLPAUSE_SEND);
    }
  }
}

/** A read callback over bytes already in memory. */
function bytesReader(bytes: Uint8Array): (buffer: Uint8Array) => number {
  let offset = 0;
  return (buffer) => {
    const n = Math.min(bytes.length - offset, buffer.length);
    buffer.set(bytes.subarray(offset, offset + n));
    offset += n;
    return n;
  };
}

/** Sets `body` as the request body of `easy`; returns the upload stream, if one is used. */
export function attachBody(easy: Easy, body: PreparedBody): UploadStream | null {
  easy.setopt('POST', 1);
  if (body.bytes && body.bytes.length <= COPY_LIMIT) {
    easy.setopt('POSTFIELDS', body.bytes);
    return null;
  }
  easy.setopt('POSTFIELDSIZE_LARGE', body.length ?? -1);
  if (body.bytes) {
    easy.setopt('READFUNCTION', bytesReader(body.bytes));
    return null;
  }
  const upload = new UploadStream(body.stream!, easy);
  easy.setopt('READFUNCTION', upload.read);
  return upload;
}
