// The WebSocket exchanges, as bench/peers/ws-echo.ts does them for the server runtimes: after
// 100 messages of warm-up, 5,000 short text messages, one at a time (each waiting for its
// echo) or all sent at once, in messages per second; and 100 MB pushed by the server, in MB
// per second. `socket` is open and has addEventListener.
export const WS_MESSAGES = 5000;
const WS_MESSAGE = 'echo this, please';

export async function echoRate(socket, pipelined) {
  let received = 0;
  let wanted = 0;
  let wake = () => {};
  socket.addEventListener('message', () => void (++received >= wanted && wake()));
  const echoed = (count) =>
    new Promise((resolve) => {
      wanted = count;
      wake = resolve;
      if (received >= count) resolve();
    });
  const exchange = async (count) => {
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

export function pushRate(socket) {
  const total = 100 * 1048576;
  let bytes = 0;
  const start = performance.now();
  socket.binaryType = 'arraybuffer';
  return new Promise((resolve) => {
    socket.addEventListener('message', ({ data }) => {
      bytes += data.byteLength;
      if (bytes >= total) resolve(total / 1048576 / ((performance.now() - start) / 1000));
    });
    socket.send(`push ${total}`);
  });
}

/** Resolves once `socket` is open; rejects on its first error. */
export function opened(socket) {
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    const failed = (event) => reject(event.error ?? new Error('WebSocket failed'));
    socket.addEventListener('error', failed, { once: true });
  });
}
