// A WebSocket has no 'drain' event: its bufferedAmount only falls, silently. This watches it
// while it is at or above a mark and says when it fell below: on each send completion where
// the implementation reports one (`ws` calls send's callback; browsers ignore the extra
// argument), and otherwise with a timer that runs only while the mark is exceeded.
import type { WebSocketLike } from './websocket-like.js';

type SendWithCallback = (data: Uint8Array, done?: (error?: Error) => void) => void;

const POLL_MS = 5;

export class DrainWatch {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #waiting = false;

  constructor(
    private readonly socket: WebSocketLike,
    private readonly mark: number,
    private readonly onDrain: () => void,
  ) {}

  /** At or above the mark: hold back further sends until {@link onDrain}. */
  get congested(): boolean {
    return this.socket.bufferedAmount >= this.mark;
  }

  send(bytes: Uint8Array): void {
    (this.socket.send as SendWithCallback).call(this.socket, bytes, this.#check);
    if (this.congested) this.#arm();
  }

  stop(): void {
    this.#waiting = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(): void {
    this.#waiting = true;
    this.#timer ??= setTimeout(this.#tick, POLL_MS);
  }

  #tick = (): void => {
    this.#timer = undefined;
    this.#check();
    if (this.#waiting) this.#timer = setTimeout(this.#tick, POLL_MS);
  };

  #check = (): void => {
    if (!this.#waiting || this.congested) return;
    this.stop();
    this.onDrain();
  };
}
