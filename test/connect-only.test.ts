// CONNECT_ONLY: curl makes the connection, the caller speaks over it with send and recv.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCurl, type Curl } from '../src/index.js';
import { tcpServer, type Running } from './support/servers.js';

let curl: Curl;
let echo: Running;

beforeAll(async () => {
  curl = await loadCurl();
  echo = await tcpServer((socket) =>
    socket.on('data', (d) => socket.write(d.toString().toUpperCase())),
  );
});

afterAll(() => echo.close());

it('sends and receives raw bytes on a connection curl made', async () => {
  const easy = curl.easy();
  easy.setopt('URL', `http://127.0.0.1:${echo.port}`);
  easy.setopt('CONNECT_ONLY', 1);
  await easy.perform();
  expect(easy.recv()).toBeNull(); // nothing yet: CURLE_AGAIN

  expect(easy.send(new TextEncoder().encode('hello wasm'))).toBe(10);
  let reply: Uint8Array | null = null;
  for (let i = 0; i < 100 && !reply; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    reply = easy.recv();
  }
  expect(new TextDecoder().decode(reply!)).toBe('HELLO WASM');

  await echo.close();
  let end: Uint8Array | null = null;
  for (let i = 0; i < 100 && end === null; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    end = easy.recv();
  }
  expect(end).toEqual(new Uint8Array(0));
  easy.close();
});
