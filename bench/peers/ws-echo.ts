// The WebSocket echo exchange every peer with WebSockets runs (bench/pages/bench-page.js does
// the same in the browser): after 100 messages of warm-up, WS_MESSAGES short text messages,
// either one at a time, each waiting for its echo, or all sent at once. Messages per second.
// And the push: the server sends 100 MB in binary messages; MB per second as they arrive.
import { MB, WS_MESSAGE, WS_MESSAGES } from '../scenarios.ts';

/** What the exchange needs from an open WebSocket of any kind. */
export interface EchoSocket {
  send(message: string): void;
  /** `size` is the message's length in bytes (only binary messages need to say). */
  onMessage(listener: (size: number) => void): void;
}

export async function echoRate(socket: EchoSocket, pipelined: boolean): Promise<number> {
  let received = 0;
  let wanted = 0;
  let wake = () => {};
  socket.onMessage(() => void (++received >= wanted && wake()));
  const echoed = (count: number) =>
    new Promise<void>((resolve) => {
      wanted = count;
      wake = resolve;
      if (received >= count) resolve();
    });
  const exchange = async (count: number) => {
    const base = received;
    if (pipelined) {
      for (let i = 0; i < count; i++) socket.send(WS_MESSAGE);
      return echoed(base + count);
    }
    for (let i = 1; i <= count; i++) {
      socket.send(WS_MESSAGE);
      await echoed(base + i);
    }
  };

  await exchange(100);
  const start = performance.now();
  await exchange(WS_MESSAGES);
  return WS_MESSAGES / ((performance.now() - start) / 1000);
}

export function pushRate(socket: EchoSocket): Promise<number> {
  const total = 100 * MB;
  let bytes = 0;
  const start = performance.now();
  return new Promise((resolve) => {
    socket.onMessage((size) => {
      bytes += size;
      if (bytes >= total) resolve(total / MB / ((performance.now() - start) / 1000));
    });
    socket.send(`push ${total}`);
  });
}
