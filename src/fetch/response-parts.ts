// The response side of a transfer: the head (status and headers, collected from curl's
// header callback) and the body (a ReadableStream whose reader drives curl: when nobody
// reads, the transfer pauses and memory stays flat).
import type { Easy } from '../curl/easy.js';
import { CURL_WRITEFUNC_PAUSE, CURLPAUSE_RECV } from '../curl/flags.js';

export interface ResponseHead {
  status: number;
  statusText: string;
  headers: Array<[string, string]>;
}

const STATUS_LINE = /^HTTP\/[\d.]+ (\d{3})(?: (.*))?$/;
const decoder = new TextDecoder('latin1');

/** Collects header lines; calls `done` once the head of the final response is complete. */
export class HeadCollector {
  #head: ResponseHead | null = null;
  #finished = false;

  constructor(private readonly done: (head: ResponseHead) => void) {}

  line = (bytes: Uint8Array): void => {
    if (this.#finished) return; // trailers come after the body
    const line = decoder.decode(bytes).replace(/\r?\n$/, '');
    const status = STATUS_LINE.exec(line);
    if (status) {
      this.#head = { status: Number(status[1]), statusText: status[2] ?? '', headers: [] };
      return;
    }
    const head = this.#head;
    if (!head) return;
    if (line === '') {
      // 1xx heads (100 Continue, 103 Early Hints) are followed by the real one.
      if (head.status >= 200 || head.status === 101) {
        this.#finished = true;
        this.done(head);
      }
      return;
    }
    if (/^[ \t]/.test(line) && head.headers.length > 0) {
      head.headers[head.headers.length - 1]![1] += ` ${line.trim()}`;
      return;
    }
    const colon = line.indexOf(':');
    if (colon > 0) head.headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  };
}

/** Bytes the body stream may hold unread before the transfer pauses. */
const BODY_HIGH_WATER = 1 << 20;

/** The body as a ReadableStream fed by curl's write callback, with pull-based backpressure. */
export class BodySink {
  readonly stream: ReadableStream<Uint8Array>;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #easy: Easy;
  #finished = false;

  constructor(easy: Easy, onCancel: (reason: unknown) => void) {
    this.#easy = easy;
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (controller) => void (this.#controller = controller),
        pull: () => {
          if (!this.#easy.closed) this.#easy.resume(CURLPAUSE_RECV);
        },
        cancel: (reason) => {
          this.#finished = true;
          onCancel(reason);
        },
      },
      new ByteLengthQueuingStrategy({ highWaterMark: BODY_HIGH_WATER }),
    );
  }

  /** curl's write callback: takes the chunk, or pauses the transfer while the queue is full. */
  write = (chunk: Uint8Array): number | void => {
    if (this.#finished) return;
    if ((this.#controller.desiredSize ?? 0) <= 0) return CURL_WRITEFUNC_PAUSE;
    this.#controller.enqueue(chunk);
  };

  close(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#controller.close();
  }

  error(reason: unknown): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#controller.error(reason);
  }
}
