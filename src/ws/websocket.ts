// The WHATWG WebSocket (websockets.spec.whatwg.org), as a thin layer over WsConnection: states
// and events, messages put together from frames, the closing handshake, bufferedAmount.
import type { Curl } from '../curl/curl.js';
import type { ConnectionOptions } from '../curl/connection-options.js';
import { CurlError } from '../curl/errors.js';
import { CURLE } from '../curl/generated/codes.js';
import { CURLWS } from '../curl/flags.js';
import { CLOSE_CODE, decodeClose, MAX_REASON_BYTES } from './close-frame.js';
import { webSocketUrl, wsConnect } from './connect.js';
import type { WsConnection, WsFrame } from './connection.js';
import { EventHandlers } from './event-handlers.js';
import { CloseEventImpl, MessageEventImpl, WebSocketErrorEvent } from './events.js';
import { checkProtocols, prepareHandshake, type RequestHeaders } from './handshake.js';
import { MessageAssembler, type Message } from './message-assembler.js';
import { Outbox } from './outbox.js';

export type BinaryType = 'blob' | 'arraybuffer';
export type WebSocketData = string | ArrayBufferLike | ArrayBufferView | Blob;

export interface WebSocketOptions extends ConnectionOptions {
  /** More request headers for the handshake (browsers allow none). */
  headers?: RequestHeaders;
  /**
   * Milliseconds the closing handshake may take, from close() or the server's Close frame to
   * the end of the connection. Past it the connection is dropped. 5000 by default.
   */
  closeTimeout?: number;
}

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
const DEFAULT_CLOSE_TIMEOUT = 5000;
const encoder = new TextEncoder();

interface Ending {
  code: number;
  reason: string;
  wasClean: boolean;
  error?: CurlError;
}

function syntaxError(message: string): DOMException {
  return new DOMException(message, 'SyntaxError');
}

function asCurlError(error: unknown): CurlError {
  if (error instanceof CurlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CurlError(CURLE.SEND_ERROR, `WebSocket: ${message}`, { cause: error });
}

/** The bytes send() takes: a copy, so later changes by the caller do not reach the wire. */
function bytesOf(data: Exclude<WebSocketData, string | Blob>): Uint8Array {
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  }
  return new Uint8Array(data).slice();
}

function exactBuffer(bytes: Uint8Array): ArrayBuffer {
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return (whole ? bytes : bytes.slice()).buffer as ArrayBuffer;
}

function joinBytes(parts: Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  parts.reduce((at, part) => (whole.set(part, at), at + part.length), 0);
  return whole;
}

export class CurlWebSocket extends EventTarget implements Disposable {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSING = CLOSING;
  readonly CLOSED = CLOSED;

  #url: string;
  #origin: string;
  #readyState: number = CONNECTING;
  #protocol = '';
  #extensions = '';
  #binaryType: BinaryType = 'blob';
  #connection: WsConnection | null = null;
  #abort = new AbortController();
  #outbox = new Outbox((error) => this.#fail(error));
  #afterClose = 0;
  #peerClose: { code: number; reason: string } | null = null;
  #closeSent = false;
  #closeTimeout: number;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  #handlers = new EventHandlers(this);

  /** @internal Use `new curl.WebSocket(url, protocols, options)`. */
  constructor(
    curl: Curl,
    url: string | URL,
    protocols: string | readonly string[] = [],
    options: WebSocketOptions = {},
  ) {
    super();
    const list = typeof protocols === 'string' ? [protocols] : [...protocols];
    let target: URL;
    try {
      target = webSocketUrl(url);
      checkProtocols(list);
      prepareHandshake(list, options.headers);
    } catch (error) {
      throw syntaxError((error as Error).message);
    }
    this.#url = target.href;
    this.#origin = target.origin;
    this.#closeTimeout = options.closeTimeout ?? DEFAULT_CLOSE_TIMEOUT;
    void this.#open(curl, target, list, options);
  }

  get url(): string {
    return this.#url;
  }

  get readyState(): number {
    return this.#readyState;
  }

  /** Bytes send() took that have not reached the socket yet (and, once closing, never will). */
  get bufferedAmount(): number {
    return (this.#connection?.bufferedAmount ?? 0) + this.#outbox.held + this.#afterClose;
  }

  get protocol(): string {
    return this.#protocol;
  }

  get extensions(): string {
    return this.#extensions;
  }

  get binaryType(): BinaryType {
    return this.#binaryType;
  }

  set binaryType(type: BinaryType) {
    // An unknown value is ignored, as the IDL enumeration makes browsers do.
    if (type === 'blob' || type === 'arraybuffer') this.#binaryType = type;
  }

  get onopen(): ((this: CurlWebSocket, event: Event) => unknown) | null {
    return this.#handlers.get('open') as never;
  }

  set onopen(handler: ((this: CurlWebSocket, event: Event) => unknown) | null) {
    this.#handlers.set('open', handler);
  }

  get onmessage(): ((this: CurlWebSocket, event: MessageEvent) => unknown) | null {
    return this.#handlers.get('message') as never;
  }

  set onmessage(handler: ((this: CurlWebSocket, event: MessageEvent) => unknown) | null) {
    this.#handlers.set('message', handler);
  }

  get onerror(): ((this: CurlWebSocket, event: WebSocketErrorEvent) => unknown) | null {
    return this.#handlers.get('error') as never;
  }

  /** The event is a plain Event to the standard; here it also holds the CurlError. */
  set onerror(handler: ((this: CurlWebSocket, event: WebSocketErrorEvent) => unknown) | null) {
    this.#handlers.set('error', handler);
  }

  get onclose(): ((this: CurlWebSocket, event: CloseEvent) => unknown) | null {
    return this.#handlers.get('close') as never;
  }

  set onclose(handler: ((this: CurlWebSocket, event: CloseEvent) => unknown) | null) {
    this.#handlers.set('close', handler);
  }

  send(data: WebSocketData): void {
    if (this.#readyState === CONNECTING) {
      throw new DOMException('the WebSocket is still connecting', 'InvalidStateError');
    }
    const text = typeof data === 'string';
    const payload = text ? encoder.encode(data) : data instanceof Blob ? data : bytesOf(data);
    if (this.#readyState !== OPEN) {
      this.#afterClose += payload instanceof Blob ? payload.size : payload.length;
      return;
    }
    const flags = text ? CURLWS.TEXT : CURLWS.BINARY;
    this.#outbox.post(payload, (bytes) => this.#deliver(bytes, flags));
  }

  close(code?: number, reason?: string): void {
    if (code !== undefined && code !== CLOSE_CODE.NORMAL && !(code >= 3000 && code <= 4999)) {
      const why = `close code ${code} is neither 1000 nor 3000-4999`;
      throw new DOMException(why, 'InvalidAccessError');
    }
    if (reason !== undefined && encoder.encode(reason).length > MAX_REASON_BYTES) {
      throw syntaxError(`a close reason holds at most ${MAX_REASON_BYTES} bytes of UTF-8`);
    }
    if (this.#readyState === CLOSING || this.#readyState === CLOSED) return;

    const connecting = this.#readyState === CONNECTING;
    this.#readyState = CLOSING;
    if (connecting) {
      const why = 'the WebSocket was closed before the connection was established';
      this.#abort.abort(new CurlError(CURLE.ABORTED_BY_CALLBACK, why));
      return;
    }
    // A reason needs a code before it on the wire; the standard picks 1000.
    const sent = code ?? (reason ? CLOSE_CODE.NORMAL : undefined);
    this.#outbox.post(new Uint8Array(0), () => this.#sendClose(sent, reason ?? ''));
    this.#armCloseTimer();
  }

  /**
   * close() with no code: the closing handshake starts, and curl's handle is freed when it ends
   * (at the latest after closeTimeout).
   */
  [Symbol.dispose](): void {
    this.close();
  }

  // --- opening -------------------------------------------------------------------------

  async #open(curl: Curl, url: URL, protocols: string[], options: WebSocketOptions) {
    let connection: WsConnection;
    try {
      const signal = this.#abort.signal;
      connection = await wsConnect(curl, url, { ...options, protocols, signal });
    } catch (error) {
      this.#fail(error);
      return;
    }
    if (this.#abort.signal.aborted) {
      // close() came after curl finished the handshake but before this turn.
      connection.close();
      this.#fail(this.#abort.signal.reason);
      return;
    }
    this.#connection = connection;
    this.#protocol = connection.protocol;
    this.#extensions = connection.extensions;
    this.#readyState = OPEN;
    this.dispatchEvent(new Event('open'));
    void this.#receive(connection);
  }

  // --- receiving -----------------------------------------------------------------------

  async #receive(connection: WsConnection): Promise<void> {
    const assembler = new MessageAssembler();
    const closeParts: Uint8Array[] = [];
    try {
      for (let frame = await connection.recv(); frame; frame = await connection.recv()) {
        if (frame.flags & CURLWS.CLOSE) {
          closeParts.push(frame.data);
          if (frame.bytesLeft === 0) this.#onPeerClose(joinBytes(closeParts.splice(0)));
        } else if (!(frame.flags & (CURLWS.PING | CURLWS.PONG))) {
          this.#onData(assembler, frame);
        }
      }
      this.#onEnd();
    } catch (error) {
      this.#fail(error);
    }
  }

  #onData(assembler: MessageAssembler, frame: WsFrame): void {
    const message = assembler.push(frame);
    // Messages that arrive once closing has begun are dropped, as the standard says.
    if (message && this.#readyState === OPEN) this.#dispatchMessage(message);
  }

  #dispatchMessage(message: Message): void {
    let data: string | Blob | ArrayBuffer = message.data as string;
    if (message.type === 'binary') {
      const bytes = message.data as Uint8Array<ArrayBuffer>;
      data = this.#binaryType === 'blob' ? new Blob([bytes]) : exactBuffer(bytes);
    }
    this.dispatchEvent(new MessageEventImpl('message', { data, origin: this.#origin }));
  }

  /** The server's Close frame: answered with one of ours unless we sent ours first. */
  #onPeerClose(payload: Uint8Array): void {
    if (this.#peerClose) return;
    this.#peerClose = decodeClose(payload);
    if (this.#readyState === OPEN) this.#readyState = CLOSING;
    const { code } = this.#peerClose;
    const echo = code === CLOSE_CODE.NO_STATUS ? undefined : code;
    this.#outbox.post(new Uint8Array(0), () => this.#sendClose(echo, ''));
    this.#armCloseTimer();
  }

  /** The connection ended: after the closing handshake that is a clean close. */
  #onEnd(): void {
    const peer = this.#peerClose;
    if (peer) {
      this.#finish({ code: peer.code, reason: peer.reason, wasClean: true });
      return;
    }
    const why = 'the server ended the connection without a Close frame';
    this.#fail(new CurlError(CURLE.GOT_NOTHING, `WebSocket: ${why}`));
  }

  // --- sending -------------------------------------------------------------------------

  #deliver(bytes: Uint8Array, flags: number): void {
    if (!this.#connection || this.#closeSent) return;
    this.#connection.send(bytes, flags).catch((error: unknown) => this.#fail(error));
  }

  #sendClose(code: number | undefined, reason: string): void {
    if (!this.#connection || this.#closeSent) return;
    this.#closeSent = true;
    this.#connection.sendClose(code, reason).catch((error: unknown) => this.#fail(error));
  }

  // --- closing -------------------------------------------------------------------------

  #armCloseTimer(): void {
    if (this.#closeTimer !== undefined) return;
    this.#closeTimer = setTimeout(() => this.#onCloseTimeout(), this.#closeTimeout);
  }

  #onCloseTimeout(): void {
    const peer = this.#peerClose;
    if (peer) {
      // The handshake is done; only the server's end of the connection is late.
      this.#finish({ code: peer.code, reason: peer.reason, wasClean: true });
      return;
    }
    const why = `no Close frame from the server within ${this.#closeTimeout} ms`;
    this.#fail(new CurlError(CURLE.OPERATION_TIMEDOUT, `WebSocket: ${why}`));
  }

  /** Fails the connection: `error`, then `close` with 1006, as browsers do. */
  #fail(error: unknown): void {
    const failure = asCurlError(error);
    this.#finish({ code: CLOSE_CODE.ABNORMAL, reason: '', wasClean: false, error: failure });
  }

  #finish(ending: Ending): void {
    if (this.#readyState === CLOSED) return;
    this.#readyState = CLOSED;
    clearTimeout(this.#closeTimer);
    this.#connection?.close();
    if (ending.error) this.dispatchEvent(new WebSocketErrorEvent(ending.error));
    const { code, reason, wasClean } = ending;
    this.dispatchEvent(new CloseEventImpl('close', { code, reason, wasClean }));
  }
}

/** `curl.WebSocket`: the WHATWG constructor, bound to one Curl. */
export interface WebSocketConstructor {
  new (
    url: string | URL,
    protocols?: string | readonly string[],
    options?: WebSocketOptions,
  ): CurlWebSocket;
  readonly prototype: CurlWebSocket;
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSING: 2;
  readonly CLOSED: 3;
}

export function bindWebSocket(curl: Curl): WebSocketConstructor {
  return class WebSocket extends CurlWebSocket {
    constructor(
      url: string | URL,
      protocols?: string | readonly string[],
      options?: WebSocketOptions,
    ) {
      super(curl, url, protocols, options);
    }
  } as unknown as WebSocketConstructor;
}
