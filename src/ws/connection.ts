// A WebSocket that curl opened (CONNECT_ONLY 2), spoken frame by frame with curl_ws_send and
// curl_ws_recv. It owns its easy handle. Frames go out one after another from a queue, each
// resolving once curl has handed all of it to the socket; frames come in only when asked for.
// CURLE_AGAIN either way waits for the socket table to report the socket ready.
import type { Easy } from '../curl/easy.js';
import type { WsFrame } from '../curl/easy-ws.js';
import { CurlError, HandleClosedError } from '../curl/errors.js';
import { CURLE } from '../curl/generated/codes.js';
import { CURLWS } from '../curl/flags.js';
import type { SocketWaiter } from '../net/socket-waiter.js';
import { encodeClose } from './close-frame.js';

/** Payload bytes given to one curl_ws_send call: a larger frame goes in several. */
const SEND_CHUNK = 256 << 10;
/** Room for the payload of one curl_ws_recv call. */
const RECV_CHUNK = 64 << 10;
const encoder = new TextEncoder();

export type { WsFrame };

interface Outgoing {
  bytes: Uint8Array;
  flags: number;
  fragsize: number;
  sent: number;
  /** Counted in bufferedAmount: the caller's data, not a pong of ours. */
  counted: boolean;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface WsConnectionParts {
  easy: Easy;
  waiter: SocketWaiter;
  url: string;
  protocol: string;
  extensions: string;
  headers: Record<string, string>;
  autoPong: boolean;
}

export class WsConnection implements Disposable, AsyncIterable<WsFrame> {
  /** The URL connected to (ws: or wss:). */
  readonly url: string;
  /** The subprotocol the server chose, or ''. */
  readonly protocol: string;
  /** The extensions the server chose: always '' (curl 8.14 negotiates none). */
  readonly extensions: string;
  /** The headers of the server's 101 reply, by lower-case name. */
  readonly headers: Record<string, string>;
  #easy: Easy;
  #waiter: SocketWaiter;
  #autoPong: boolean;
  #queue: Outgoing[] = [];
  #pumping = false;
  #buffered = 0;
  #receiving: Promise<unknown> = Promise.resolve();
  #pingParts: Uint8Array[] = [];
  #ended = false;
  #failure: CurlError | null = null;
  #closed = false;

  /** @internal Use `curl.wsConnect()`. */
  constructor(parts: WsConnectionParts) {
    this.#easy = parts.easy;
    this.#waiter = parts.waiter;
    this.#autoPong = parts.autoPong;
    this.url = parts.url;
    this.protocol = parts.protocol;
    this.extensions = parts.extensions;
    this.headers = parts.headers;
  }

  /** Payload bytes of send() not yet handed to the socket. */
  get bufferedAmount(): number {
    return this.#buffered;
  }

  /** close() was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Why the connection broke, once it did. */
  get failure(): CurlError | null {
    return this.#failure;
  }

  /**
   * Queues one frame: a string as TEXT, bytes as BINARY, unless `flags` (CURLWS_*) say
   * otherwise; CURLWS.OFFSET with `fragsize` starts a frame of that size whose payload the
   * following calls complete. Resolves once curl handed all of it to the socket.
   */
  send(data: string | Uint8Array, flags?: number, fragsize = 0): Promise<void> {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data.slice();
    const kind = flags ?? (typeof data === 'string' ? CURLWS.TEXT : CURLWS.BINARY);
    return this.#enqueue(bytes, kind, fragsize, true);
  }

  /** Sends a Close frame: no payload without a code, else the code and a UTF-8 reason. */
  sendClose(code?: number, reason = ''): Promise<void> {
    return this.#enqueue(encodeClose(code, reason), CURLWS.CLOSE, 0, false);
  }

  /** Sends a PING frame (at most 125 bytes of payload). */
  ping(data: Uint8Array = new Uint8Array(0)): Promise<void> {
    return this.#enqueue(data.slice(), CURLWS.PING, 0, false);
  }

  /**
   * The next piece of a frame, waiting until one arrives; null once the peer closed the
   * connection or close() was called. Pings are answered, and not returned, when autoPong is
   * on. Rejects with a CurlError when the connection broke or a frame was malformed.
   */
  recv(): Promise<WsFrame | null> {
    const next = this.#receiving.then(() => this.#recvFrame());
    this.#receiving = next.catch(() => undefined);
    return next;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WsFrame> {
    for (let frame = await this.recv(); frame; frame = await this.recv()) yield frame;
  }

  /** Closes the connection at once, with no closing handshake (see sendClose); frees the handle. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#rejectQueued(new HandleClosedError('WebSocket'));
    this.#waiter.close();
    this.#easy.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  // --- sending -------------------------------------------------------------------------

  #enqueue(bytes: Uint8Array, flags: number, fragsize: number, counted: boolean): Promise<void> {
    if (this.#closed) return Promise.reject(new HandleClosedError('WebSocket'));
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ bytes, flags, fragsize, sent: 0, counted, resolve, reject });
      if (counted) this.#buffered += bytes.length;
      // Handing over starts after the caller's turn, as a browser's does: bufferedAmount
      // counts what send() queued until the socket has it.
      if (!this.#pumping) {
        this.#pumping = true;
        queueMicrotask(() => void this.#pump());
      }
    });
  }

  async #pump(): Promise<void> {
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        const frame = this.#queue[0]!;
        await this.#sendFrame(frame);
        if (this.#closed) return;
        this.#queue.shift();
        frame.resolve();
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      this.#pumping = false;
    }
  }

  async #sendFrame(frame: Outgoing): Promise<void> {
    const { bytes } = frame;
    // A frame larger than one chunk announces its whole size first (CURLWS_OFFSET).
    const split = bytes.length > SEND_CHUNK && !(frame.flags & CURLWS.OFFSET);
    const flags = split ? frame.flags | CURLWS.OFFSET : frame.flags;
    const fragsize = split ? bytes.length : frame.fragsize;
    for (;;) {
      const piece = bytes.subarray(frame.sent, frame.sent + (split ? SEND_CHUNK : bytes.length));
      const sent = this.#easy.wsSend(piece, flags, fragsize);
      if (sent !== null) {
        frame.sent += sent;
        if (frame.counted) this.#buffered -= sent;
        if (frame.sent >= bytes.length) return;
      }
      // Nothing or not all taken: curl met a full socket.
      if (sent === null || sent < piece.length) await this.#waiter.writable();
      if (this.#closed) return;
    }
  }

  /** A pong goes between frames, never inside the one curl is sending. */
  #queuePong(payload: Uint8Array): void {
    if (this.#closed || this.#failure) return;
    const at = this.#pumping ? 1 : 0;
    const pong: Outgoing = {
      bytes: payload,
      flags: CURLWS.PONG,
      fragsize: 0,
      sent: 0,
      counted: false,
      resolve: () => undefined,
      reject: () => undefined,
    };
    this.#queue.splice(Math.min(at, this.#queue.length), 0, pong);
    if (!this.#pumping) {
      this.#pumping = true;
      queueMicrotask(() => void this.#pump());
    }
  }

  // --- receiving -----------------------------------------------------------------------

  async #recvFrame(): Promise<WsFrame | null> {
    for (;;) {
      if (this.#closed || this.#ended) return null;
      if (this.#failure) throw this.#failure;
      const frame = this.#tryRecv();
      if (frame === undefined) return null;
      if (frame === null) {
        await this.#waiter.readable();
        continue;
      }
      if (this.#autoPong && frame.flags & CURLWS.PING) {
        this.#collectPing(frame);
        continue;
      }
      return frame;
    }
  }

  /** A frame, null for CURLE_AGAIN, undefined once the peer closed the connection. */
  #tryRecv(): WsFrame | null | undefined {
    try {
      return this.#easy.wsRecv(RECV_CHUNK);
    } catch (error) {
      if (error instanceof CurlError && error.curlCode === CURLE.GOT_NOTHING) {
        this.#ended = true;
        return undefined;
      }
      throw this.#fail(error);
    }
  }

  #collectPing(frame: WsFrame): void {
    this.#pingParts.push(frame.data);
    if (frame.bytesLeft > 0) return;
    const parts = this.#pingParts;
    this.#pingParts = [];
    const payload = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
    parts.reduce((at, part) => (payload.set(part, at), at + part.length), 0);
    this.#queuePong(payload);
  }

  // --- failure -------------------------------------------------------------------------

  #fail(error: unknown): CurlError {
    const failure =
      error instanceof CurlError
        ? error
        : new CurlError(CURLE.SEND_ERROR, `WebSocket: ${String(error)}`, { cause: error });
    this.#failure ??= failure;
    this.#rejectQueued(this.#failure);
    return this.#failure;
  }

  #rejectQueued(error: Error): void {
    const queued = this.#queue;
    this.#queue = [];
    this.#buffered = 0;
    for (const frame of queued) frame.reject(error);
  }
}
