// Waiting on one socket of the table, for code that calls curl on a connection it owns (a
// CONNECT_ONLY WebSocket or raw stream) after curl answered CURLE_AGAIN. The table's activity
// events wake it; nothing polls at an interval.
//
// Readiness is level-triggered, as poll() is for curl: CURLE_AGAIN does not mean all was read.
// mbedTLS answers a TLS 1.3 session ticket with "want read" (curl: CURLE_AGAIN) while the
// application data behind it already sits in the socket's queue, and no further event comes.
import { READY } from '../ffi/module.js';
import { nextTurn } from './next-turn.js';
import type { SocketTable } from './socket-table.js';

const READABLE = READY.IN | READY.ERR | READY.HUP;
const WRITABLE = READY.OUT | READY.ERR | READY.HUP;

interface Waiter {
  mask: number;
  resolve: () => void;
}

export class SocketWaiter implements Disposable {
  #sockets: SocketTable;
  #fd: number;
  #waiters: Waiter[] = [];
  #unsubscribe: (() => void) | null;

  constructor(sockets: SocketTable, fd: number) {
    this.#sockets = sockets;
    this.#fd = fd;
    this.#unsubscribe = sockets.subscribe((active) => {
      if (active === this.#fd) this.#wake();
    });
  }

  /**
   * Resolves once the socket is readable (data, the peer's end, or an error): after a turn of
   * the event loop when it is already, else at the event that makes it so.
   */
  readable(): Promise<void> {
    return this.#wait(READABLE);
  }

  /** As readable(), for a socket that takes bytes again (or failed). */
  writable(): Promise<void> {
    return this.#wait(WRITABLE);
  }

  /** Stops listening; whoever still waits is let go, to find the connection closed. */
  close(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.resolve();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #wait(mask: number): Promise<void> {
    if (!this.#unsubscribe) return Promise.resolve();
    // The turn keeps a caller that gets CURLE_AGAIN again from holding the event loop.
    if (this.#sockets.poll(this.#fd) & mask) return nextTurn();
    return new Promise((resolve) => this.#waiters.push({ mask, resolve }));
  }

  #wake(): void {
    const ready = this.#sockets.poll(this.#fd);
    const waiting: Waiter[] = [];
    for (const waiter of this.#waiters) {
      if (ready & waiter.mask) waiter.resolve();
      else waiting.push(waiter);
    }
    this.#waiters = waiting;
  }
}
