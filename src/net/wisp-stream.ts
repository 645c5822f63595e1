// One Wisp stream: a Connection for the socket table, multiplexed with others over the
// session's WebSocket. It sends DATA only while it holds buffer credit from the proxy's
// CONTINUE packets, and queues the rest here, which is what bufferedAmount reports.
import { HeldChunks } from './held-chunks.js';
import { CLOSE_REASON, closeReasonError } from './wisp-reasons.js';
import { encodeClose, encodeConnect, encodeData } from './wisp-packets.js';
import {
  TransportError,
  type Connection,
  type ConnectionEvents,
  type TransportTarget,
} from './transport.js';

/** Larger writes go out as several DATA packets, so no proxy sees a huge message. */
const MAX_DATA = 32 * 1024;

/** What a stream needs from its session. */
export interface StreamHost {
  readonly via: string;
  readonly confirmsStreams: boolean;
  readonly connectTimeout: number;
  readonly congested: boolean;
  send(packet: Uint8Array): void;
  noteHeld(delta: number): void;
  forget(stream: WispStream): void;
}

type State = 'waiting' | 'opening' | 'open' | 'closed';

export class WispStream implements Connection {
  #state: State = 'waiting';
  #credit = 0;
  #queue: Uint8Array[] = [];
  #queuedBytes = 0;
  #confirmed = false;
  #received = false;
  #paused = false;
  #held = new HeldChunks();
  #endHeld = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly id: number,
    readonly target: TransportTarget,
    private readonly events: ConnectionEvents,
    private readonly host: StreamHost,
  ) {}

  /** Sends CONNECT, once the session is ready, with the credit every stream starts with. */
  start(credit: number): void {
    if (this.#state !== 'waiting') return;
    this.#credit = credit;
    this.host.send(encodeConnect(this.id, this.target.host, this.target.port));
    if (!this.host.confirmsStreams) return this.#open();

    this.#state = 'opening';
    const ms = this.host.connectTimeout;
    this.#timer = setTimeout(() => this.#openTimedOut(ms), ms);
  }

  get bufferedAmount(): number {
    return this.#queuedBytes;
  }

  write(bytes: Uint8Array): void {
    if (this.#state === 'closed') return;
    for (let at = 0; at < bytes.length; at += MAX_DATA) {
      this.#queue.push(bytes.subarray(at, at + MAX_DATA));
    }
    this.#queuedBytes += bytes.length;
    this.#pump();
  }

  /**
   * Sends what credit and the WebSocket allow, and tells the socket table there is room again.
   * Called when credit arrives or the WebSocket drains, never from inside a write.
   */
  flush(): void {
    if (this.#pump()) this.events.drain();
  }

  /** Sends queued DATA while there is credit and the WebSocket is not congested. */
  #pump(): boolean {
    if (this.#state !== 'open') return false;
    let sent = false;
    while (this.#queue.length > 0 && this.#credit > 0 && !this.host.congested) {
      const chunk = this.#queue.shift()!;
      this.#queuedBytes -= chunk.length;
      this.#credit--;
      this.host.send(encodeData(this.id, chunk));
      sent = true;
    }
    return sent;
  }

  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    const before = this.#held.bytes;
    this.#held.release(
      (chunk) => this.events.data(chunk),
      () => !this.#paused && this.#state !== 'closed',
    );
    this.host.noteHeld(this.#held.bytes - before);
    if (this.#endHeld && this.#held.bytes === 0) this.#finish('end');
  }

  /** Wisp has no half-close: the stream stays open until either side closes it. */
  end(): void {}

  destroy(): void {
    if (this.#state === 'closed') return;
    if (this.#state !== 'waiting') this.host.send(encodeClose(this.id, CLOSE_REASON.VOLUNTARY));
    this.#close();
  }

  // --- from the session --------------------------------------------------------------

  onContinue(credit: number): void {
    this.#credit = credit;
    this.#confirmed = true;
    if (this.#state === 'opening') this.#open();
    else this.flush();
  }

  onData(bytes: Uint8Array): void {
    if (this.#state === 'closed' || bytes.length === 0) return;
    this.#received = true;
    if (!this.#paused) return this.events.data(bytes);
    this.#held.push(bytes);
    this.host.noteHeld(bytes.length);
  }

  onClose(reason: number): void {
    if (this.#state === 'closed') return;
    if (reason !== CLOSE_REASON.VOLUNTARY || this.#state !== 'open') {
      return this.fail(
        closeReasonError(reason, {
          target: this.target,
          via: this.host.via,
          unconfirmed: this.#unconfirmed(),
        }),
      );
    }
    // Bytes held for a paused reader go first; the end follows them on resume.
    if (this.#held.bytes > 0) this.#endHeld = true;
    else this.#finish('end');
  }

  /** The session broke, or the proxy said no: `error`, then `close`. */
  fail(error: TransportError): void {
    if (this.#state === 'closed') return;
    this.#close();
    this.events.error(error);
    this.events.close();
  }

  /** Nothing came back and the proxy never confirmed the stream: it may never have opened. */
  #unconfirmed(): boolean {
    return !this.#received && !this.#confirmed;
  }

  /** For a session that breaks: the error this stream reports. */
  lostError(what: string): TransportError {
    const where = `${this.target.host}:${this.target.port} via ${this.host.via}`;
    return new TransportError(
      this.#state === 'waiting' ? 'ECONNREFUSED' : 'ECONNRESET',
      `${what} (${where})`,
      { connectFailure: this.#state !== 'open' || this.#unconfirmed() },
    );
  }

  #open(): void {
    clearTimeout(this.#timer);
    this.#state = 'open';
    this.events.open();
    this.flush();
  }

  #openTimedOut(ms: number): void {
    if (this.#state !== 'opening') return;
    this.host.send(encodeClose(this.id, CLOSE_REASON.VOLUNTARY));
    const where = `${this.target.host}:${this.target.port} via ${this.host.via}`;
    this.fail(
      new TransportError(
        'ETIMEDOUT',
        `the proxy did not confirm the stream within ${ms} ms (${where})`,
        {
          connectFailure: true,
        },
      ),
    );
  }

  #finish(how: 'end'): void {
    this.#close();
    this.events[how]();
    this.events.close();
  }

  #close(): void {
    this.#state = 'closed';
    clearTimeout(this.#timer);
    this.host.noteHeld(-this.#held.bytes);
    this.#held.clear();
    this.#queue = [];
    this.#queuedBytes = 0;
    this.host.forget(this);
  }
}
