// Unpausing from outside curl: the loop waiting in select() is woken, not left to its timeout.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CURL_READFUNC_PAUSE, CURLPAUSE_CONT, loadCurl, type Curl } from '../src/index.js';
import { httpServer, type Running } from './support/servers.js';
import { prepare } from './support/transfer.js';

let curl: Curl;
let server: Running;

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => res.end(body));
  });
});

afterAll(async () => {
  await server.close();
});

it('resumes a READFUNCTION upload at once when easy.pause(CURLPAUSE_CONT) is called', async () => {
  const pieces = Array.from({ length: 20 }, (_, i) => `piece ${i};`);
  const ready: string[] = [];
  let paused = false;
  const { easy, result } = prepare(curl, `${server.url}/echo`, { UPLOAD: 1, POST: 1 });
  const encoder = new TextEncoder();
  easy.setopt('READFUNCTION', (buffer) => {
    const next = ready.shift();
    if (next !== undefined) {
      buffer.set(encoder.encode(next));
      return next.length;
    }
    if (pieces.length === 0) return 0;
    paused = true;
    return CURL_READFUNC_PAUSE;
  });
  // Each piece becomes ready a little later, from a timer: 20 pauses and 20 unpauses.
  const feed = setInterval(() => {
    const next = pieces.shift();
    if (next === undefined) return clearInterval(feed);
    ready.push(next);
    if (!paused) return;
    paused = false;
    easy.pause(CURLPAUSE_CONT);
  }, 2);

  const started = performance.now();
  await easy.perform();
  const elapsed = performance.now() - started;

  expect(result().body.toString()).toBe(
    Array.from({ length: 20 }, (_, i) => `piece ${i};`).join(''),
  );
  // Left to wait for curl's next timeout, each pause costs tens of milliseconds.
  expect(elapsed).toBeLessThan(400);
  easy.close();
});
