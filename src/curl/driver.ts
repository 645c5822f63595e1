// Drives transfers to completion on one shared multi, so that easy.perform() reuses
// connections across calls and runs concurrently with other performs. It is curl's classic
// loop (perform, read messages, wait on the fdset until curl's timeout), awaited.
import type { SocketTable } from '../net/socket-table.js';
import type { Easy } from './easy.js';
import { CURLM } from './generated/codes.js';
import type { Multi } from './multi.js';
import { select, type WakeSource } from './select.js';

/** curl's advice when it has no timeout and no sockets: look again soon. */
const IDLE_WAIT_MS = 100;

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class Driver {
  #pending = new Map<Easy, Pending>();
  #running = false;

  constructor(
    readonly multi: Multi,
    readonly sockets: SocketTable,
    readonly wake?: WakeSource,
  ) {}

  perform(easy: Easy): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.multi.add(easy);
      this.#pending.set(easy, { resolve, reject });
      if (!this.#running) void this.#loop();
    });
  }

  async #loop(): Promise<void> {
    this.#running = true;
    try {
      while (this.#pending.size > 0) {
        let step;
        do step = this.multi.perform();
        while (step.code === CURLM.CALL_MULTI_PERFORM);
        this.#settle();
        if (this.#pending.size === 0) break;
        const timeout = this.multi.timeout();
        const fdset = this.multi.fdset();
        const wait = timeout >= 0 ? timeout : IDLE_WAIT_MS;
        const ms = fdset.maxFd < 0 && timeout < 0 ? IDLE_WAIT_MS : wait;
        await select(this.sockets, fdset, ms, this.wake);
      }
    } catch (error) {
      this.#failAll(error as Error);
    } finally {
      this.#running = false;
    }
  }

  #settle(): void {
    for (const { easy, error } of this.multi.infoRead()) {
      const pending = this.#pending.get(easy);
      this.#pending.delete(easy);
      this.multi.remove(easy);
      if (!pending) continue;
      if (error) pending.reject(error);
      else pending.resolve();
    }
  }

  #failAll(error: Error): void {
    for (const [easy, pending] of this.#pending) {
      this.multi.remove(easy);
      pending.reject(error);
    }
    this.#pending.clear();
  }
}
