// Backpressure on a WebSocket that reports nothing when its buffer empties (a browser's): the
// drain is found by a timer that runs only while the buffer is above the mark.
import { afterEach, expect, it, vi } from 'vitest';
import { DrainWatch } from '../src/net/socket-drain.js';
import { webSocketClass, type WebSocketLike } from '../src/net/websocket-like.js';

afterEach(() => void vi.useRealTimers());

/** A WebSocket whose send ignores a completion callback, as browsers do. */
class BrowserLike {
  bufferedAmount = 0;
  send(data: Uint8Array): void {
    this.bufferedAmount += data.length;
  }
}

/** One that calls it, as `ws` does. */
class WithCompletion extends BrowserLike {
  done: (() => void) | undefined;
  override send(data: Uint8Array, callback?: () => void): void {
    super.send(data);
    this.done = callback;
  }
}

const asWebSocket = (fake: BrowserLike) => fake as unknown as WebSocketLike;

it('polls only while above the mark, and says drain once when below it', () => {
  vi.useFakeTimers();
  const socket = new BrowserLike();
  const onDrain = vi.fn();
  const watch = new DrainWatch(asWebSocket(socket), 1000, onDrain);

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
  const socket = new WithCompletion();
  const onDrain = vi.fn();
  new DrainWatch(asWebSocket(socket), 1000, onDrain).send(new Uint8Array(5000));
  socket.bufferedAmount = 0;
  socket.done!();
  expect(onDrain).toHaveBeenCalledTimes(1);
  expect(vi.getTimerCount()).toBe(0);
});

it('asks for a WebSocket class where the runtime has none (Node 20)', () => {
  const had = (globalThis as { WebSocket?: unknown }).WebSocket;
  vi.stubGlobal('WebSocket', undefined);
  try {
    expect(() => webSocketClass(undefined)).toThrow(
      /pass one, for example \{ WebSocket \} from the 'ws' package/,
    );
  } finally {
    vi.stubGlobal('WebSocket', had);
    vi.unstubAllGlobals();
  }
});
