// select() over a multi's fdset, as an awaitable: resolves with the number of ready
// descriptors as soon as one is ready (checked at once, since a socket that is already
// writable fires no event), or with 0 when the time is up or the runtime is woken (a transfer
// unpaused from outside curl has work again). A negative timeout waits for readiness alone.
import { READY } from '../ffi/module.js';
import { nextTurn } from '../net/next-turn.js';
import type { SocketTable } from '../net/socket-table.js';
import type { FdSet } from './multi.js';

const READABLE = READY.IN | READY.HUP | READY.ERR;
const WRITABLE = READY.OUT | READY.ERR;

function countReady(sockets: SocketTable, fdset: FdSet): number {
  let ready = 0;
  for (const fd of fdset.read) if (sockets.poll(fd) & READABLE) ready++;
  for (const fd of fdset.write) if (sockets.poll(fd) & WRITABLE) ready++;
  for (const fd of fdset.except) if (sockets.poll(fd) & READY.ERR) ready++;
  return ready;
}

/** What can end a wait early (the Runtime). */
export interface WakeSource {
  onWake(listener: () => void): () => void;
}

export function select(
  sockets: SocketTable,
  fdset: FdSet,
  timeoutMs: number,
  wake?: WakeSource,
): Promise<number> {
  const now = countReady(sockets, fdset);
  if (now > 0) return Promise.resolve(now);
  // Even a zero timeout lets the event loop turn once, or a polling loop would starve it.
  if (timeoutMs === 0) return nextTurn().then(() => countReady(sockets, fdset));

  const watched = new Set([...fdset.read, ...fdset.write, ...fdset.except]);
  return new Promise((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (count: number) => {
      unsubscribe();
      stopWake?.();
      clearTimeout(timer);
      resolve(count);
    };
    const stopWake = wake?.onWake(() => finish(0));
    const unsubscribe = sockets.subscribe((fd) => {
      if (!watched.has(fd)) return;
      const count = countReady(sockets, fdset);
      if (count > 0) finish(count);
    });
    if (timeoutMs >= 0) timer = setTimeout(() => finish(0), timeoutMs);
  });
}
