// The event-driven driver behind easy.perform() and the higher layers: curl's socket and
// timer callbacks say what to watch, transport events and real timers say when to act, and
// every finished transfer is read after each action. Nothing polls at a fixed interval.
import { READY } from '../ffi/module.js';
import { nextTurn } from '../net/next-turn.js';
import type { SocketTable } from '../net/socket-table.js';
import type { Easy } from './easy.js';
import { CURLM } from './generated/codes.js';
import { HandleClosedError, HandleInUseError } from './errors.js';
import { CURL_CSELECT, CURL_POLL, CURL_SOCKET_TIMEOUT, type Multi } from './multi.js';

/** How long transfers may wait with no timer from curl before curl is asked again. */
const IDLE_KICK_MS = 1000;

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class EventDriver {
  #multi: Multi;
  #sockets: SocketTable;
  /** What curl wants to know of each socket: CURL_POLL_IN, _OUT or _INOUT. */
  #watched = new Map<number, number>();
  #dirty = new Set<number>();
  #flushQueued = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerTurn = 0;
  #pending = new Map<Easy, Pending>();
  #actions = 0;
  #idleKick: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: () => void;

  constructor(multi: Multi, sockets: SocketTable) {
    this.#multi = multi;
    this.#sockets = sockets;
    multi.releasesOnClose = true;
    multi.onRelease = (easy) => this.#released(easy);
    multi.setopt('SOCKETFUNCTION', (_easy, fd, what) => this.#onSocket(fd, what));
    multi.setopt('TIMERFUNCTION', (ms) => this.#onTimer(ms));
    this.#unsubscribe = sockets.subscribe((fd) => {
      if (this.#watched.has(fd)) this.#mark(fd);
    });
  }

  get multi(): Multi {
    return this.#multi;
  }

  /** How many socket actions have run: tests use it to tell idle from spinning. */
  get actions(): number {
    return this.#actions;
  }

  /**
   * Adds `easy` and settles when its transfer is done. Once `signal` aborts, the transfer is
   * stopped and the promise rejects with the signal's reason.
   */
  perform(easy: Easy, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#pending.has(easy)) {
      return Promise.reject(
        new HandleInUseError('libcurl-wasm: this easy handle is already performing a transfer'),
      );
    }
    const done = new Promise<void>((resolve, reject) => {
      this.#pending.set(easy, { resolve, reject });
      try {
        // A CONNECT_ONLY handle stays in the multi after its transfer (see #settle).
        if (easy.owner === this.#multi) this.#multi.remove(easy);
        this.#multi.add(easy);
      } catch (error) {
        this.#pending.delete(easy);
        reject(error);
      }
    });
    return signal ? this.#abortable(easy, done, signal) : done;
  }

  #abortable(easy: Easy, done: Promise<void>, signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const pending = this.#pending.get(easy);
        if (!pending) return;
        this.abandon(easy);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      done.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Stops `easy` (if running) without settling it: its caller decided it is over. */
  abandon(easy: Easy): void {
    this.#pending.delete(easy);
    this.#multi.remove(easy);
  }

  /** The handle was closed while its transfer ran: that transfer rejects. */
  #released(easy: Easy): void {
    const pending = this.#pending.get(easy);
    this.#pending.delete(easy);
    pending?.reject(new HandleClosedError('easy'));
  }

  /**
   * Ends every transfer in flight with `reason`, closes their handles and stops listening:
   * the owner is about to close the multi.
   */
  closeAll(reason: Error): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#idleKick);
    this.#timerTurn++;
    this.#unsubscribe();
    for (const [easy, pending] of this.#pending) {
      this.#multi.remove(easy);
      pending.reject(reason);
      easy.close();
    }
    this.#pending.clear();
    this.#watched.clear();
  }

  // Called by curl, from inside a curl call: only record and schedule.
  #onSocket(fd: number, what: number): void {
    if (what === CURL_POLL.REMOVE) {
      this.#watched.delete(fd);
      this.#dirty.delete(fd);
      return;
    }
    this.#watched.set(fd, what);
    // A socket that is already readable or writable fires no new event.
    this.#mark(fd);
  }

  #onTimer(ms: number): void {
    clearTimeout(this.#idleKick);
    this.#idleKick = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const turn = ++this.#timerTurn;
    if (ms < 0) return;
    const fire = () => {
      if (turn === this.#timerTurn) this.#act(CURL_SOCKET_TIMEOUT, 0);
    };
    // A 0 ms timer is honoured on the next turn of the event loop, never from the callback.
    if (ms === 0) void nextTurn().then(fire);
    else this.#timer = setTimeout(fire, ms);
  }

  #mark(fd: number): void {
    this.#dirty.add(fd);
    if (this.#flushQueued) return;
    this.#flushQueued = true;
    void nextTurn().then(() => this.#flush());
  }

  #flush(): void {
    this.#flushQueued = false;
    const fds = [...this.#dirty];
    this.#dirty.clear();
    for (const fd of fds) {
      const events = this.#readiness(fd);
      if (events) this.#act(fd, events);
    }
  }

  #readiness(fd: number): number {
    const want = this.#watched.get(fd);
    if (!want || this.#multi.closed) return 0;
    const ready = this.#sockets.poll(fd);
    let events = 0;
    if (want & CURL_POLL.IN && ready & (READY.IN | READY.HUP)) events |= CURL_CSELECT.IN;
    if (want & CURL_POLL.OUT && ready & READY.OUT) events |= CURL_CSELECT.OUT;
    if (ready & READY.ERR) events |= CURL_CSELECT.ERR;
    return events;
  }

  #act(fd: number, events: number): void {
    if (this.#multi.closed) return;
    try {
      const step = this.#multi.socketAction(fd, events);
      this.#actions++;
      this.#settle();
      // Stopped at the work budget with data waiting, or wants to write to a socket that is
      // writable already (which fires no event): go on once the event loop has turned.
      const again = [...this.#watched].filter(
        ([watched, want]) =>
          step.code === CURLM.CALL_MULTI_PERFORM ||
          (want & CURL_POLL.OUT && this.#sockets.poll(watched) & READY.OUT),
      );
      if (again.length > 0) {
        void nextTurn().then(() => {
          for (const [watched] of again) this.#mark(watched);
        });
      }
      this.#checkIdle();
    } catch (error) {
      this.#failAll(error as Error);
    }
  }

  /**
   * curl can have work due that no callback announced: after nghttp2 ends a connection inside a
   * read, for one, the failure is noticed only on the next call. Due now: run it on the next
   * turn. No timer at all while transfers wait: look again in a second, as curl's own tool
   * (curl_multi_poll with a one-second bound) would. A real timer from curl replaces this.
   */
  #checkIdle(): void {
    clearTimeout(this.#idleKick);
    this.#idleKick = undefined;
    if (this.#pending.size === 0 || this.#multi.closed) return;
    const due = this.#multi.timeout();
    if (due === 0) {
      const turn = this.#timerTurn;
      void nextTurn().then(() => {
        if (turn === this.#timerTurn) this.#act(CURL_SOCKET_TIMEOUT, 0);
      });
    } else if (due < 0) {
      // A timeout action runs only transfers whose timers expired: ask about each socket.
      this.#idleKick = setTimeout(() => {
        for (const fd of [...this.#watched.keys()]) this.#act(fd, 0);
      }, IDLE_KICK_MS);
    }
  }

  #settle(): void {
    for (const { easy, error } of this.#multi.infoRead()) {
      const pending = this.#pending.get(easy);
      this.#pending.delete(easy);
      // curl finds a CONNECT_ONLY connection for send and recv through the multi.
      if (error || !easy.connectOnly) this.#multi.remove(easy);
      if (!pending) continue;
      if (error) pending.reject(error);
      else pending.resolve();
    }
  }

  #failAll(error: Error): void {
    for (const [easy, pending] of this.#pending) {
      try {
        this.#multi.remove(easy);
      } catch {
        // The multi is already broken; the rejection below is what matters.
      }
      pending.reject(error);
    }
    this.#pending.clear();
  }
}
