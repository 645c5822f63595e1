// A resolved promise never lets the event loop deliver I/O, so a loop of awaits that each
// resolve at once would starve the transports. nextTurn() waits for one macrotask turn.

type Scheduler = (run: () => void) => void;

function pickScheduler(): Scheduler {
  const g = globalThis as { setImmediate?: (run: () => void) => unknown };
  if (typeof g.setImmediate === 'function') return (run) => void g.setImmediate!(run);
  if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel();
    const queue: Array<() => void> = [];
    channel.port1.onmessage = () => queue.shift()?.();
    return (run) => {
      queue.push(run);
      channel.port2.postMessage(null);
    };
  }
  return (run) => void setTimeout(run, 0);
}

const schedule = pickScheduler();

export function nextTurn(): Promise<void> {
  return new Promise((resolve) => schedule(resolve));
}
