// Backpressure on a WebSocket that reports nothing when its buffer empties (a browser's): the
// drain is found by a timer that runs only while the buffer is above the mark.
import { afterEach, expect, it, vi } from 'vitest';
import { DrainWatch } from '../src/net/socket-drain.js';
import { webSocketClass, type WebSocketLike } from '../src/net/websocket-like.js';

afterEach(() => void vi.useRealTimers());

/** A WebSocket whose send ignores a completion callback, as browsers do. */
function browserLike() {
  return {
    bufferedAmount: 0,
    send(data: Uint8Array) {
      this.bufferedAmount += data.length;
    },
  } as unknown as WebSocketLike & { bufferedAmount: number };
}

it('polls only while above the mark, and says drain once when below it', () => {
  vi.useFakeTimers();
  const socket = browserLike();
  const onDrain = vi.fn();
  const watch = new DrainWatch(socket, 1000, onDrain);

  watch.send(new Uint8Array(10));
  expect(vi.getTimerCount()).toBe(0);
  watch.send(new Uint8Array(2000));
  expect(watch.congested).toBe(true);
  vi.advanceTimersByTime(100);
  expect(onDrain).not.toHaveBeenCalled();

  socket.bufferedAmount = 500;
  vi.advanceTimersByTime(10);
  expect(onDrain).toHaveBeenCalledTimes(1);
  expect(vi.getTimerCount()).toBe(0);
});

it('uses the send completion where the WebSocket reports one', () => {
  vi.useFakeTimers();
  let done: (() => void) | undefined;
  const socket = {
    bufferedAmount: 0,
    send(data: Uint8Array, callback: () => void) {
      this.bufferedAmount += data.length;
      done = callback;
    },
  } as unknown as WebSocketLike & { bufferedAmount: number };
  const onDrain = vi.fn();
  new DrainWatch(socket, 1000, onDrain).send(new Uint8Array(5000));
  socket.bufferedAmount = 0;
  done!();
  expect(onDrain).toHaveBeenCalledTimes(1);
  expect(vi.getTimerCount()).toBe(0);
});

it('asks for a WebSocket class where the runtime has none (Node 20)', () => {
  const had = (globalThis as { WebSocket?: unknown }).WebSocket;
  vi.stubGlobal('WebSocket', undefined);
  try {
    expect(() => webSocketClass(undefined)).toThrow(/pass one, for example \{ WebSocket \} from the 'ws' package/);
  } finally {
    vi.stubGlobal('WebSocket', had);
    vi.unstubAllGlobals();
  }
});
