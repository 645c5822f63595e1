// Every handle frees what it holds: after 10,000 transfers and close(), the wasm heap's
// in-use bytes are back where they started. Use after close throws a dedicated error.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  CURLM,
  HandleClosedError,
  HandleInUseError,
  loadCurl,
  type Curl,
  type Multi,
} from '../src/index.js';
import { httpServer, type Running } from './support/servers.js';

let curl: Curl;
let server: Running;

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpServer((_req: any, res: any) => res.end('ok'));
});

afterAll(() => server.close());

async function runBatch(multi: Multi, count: number): Promise<void> {
  const easies = Array.from({ length: count }, (_, i) => {
    const easy = curl.easy();
    easy.setopt('URL', `${server.url}/${i}`);
    easy.setopt('HTTPHEADER', ['X-Batch: yes']);
    easy.setopt('WRITEFUNCTION', () => {});
    multi.add(easy);
    return easy;
  });
  let finished = 0;
  while (finished < count) {
    let step;
    do step = multi.perform();
    while (step.code === CURLM.CALL_MULTI_PERFORM);
    for (const done of multi.infoRead()) {
      if (done.result !== 0) throw done.error;
      finished++;
    }
    if (finished < count) await multi.poll(1000);
  }
  for (const easy of easies) {
    multi.remove(easy);
    easy.close();
  }
}

it('returns the heap to where it started after 10,000 transfers', async () => {
  const warmup = curl.multi();
  await runBatch(warmup, 10);
  warmup.close();

  const before = curl.memory().inUseBytes;
  const multi = curl.multi();
  multi.setopt('MAX_HOST_CONNECTIONS', 20);
  for (let i = 0; i < 100; i++) await runBatch(multi, 100);
  multi.close();
  const after = curl.memory().inUseBytes;
  expect(after - before).toBeLessThanOrEqual(0);
});

it('throws HandleClosedError on use after close, and close is idempotent', () => {
  const easy = curl.easy();
  easy.close();
  easy.close();
  expect(() => easy.setopt('URL', 'http://127.0.0.1/')).toThrow(HandleClosedError);
  const multi = curl.multi();
  multi.close();
  expect(() => multi.perform()).toThrow(HandleClosedError);
});

it('refuses a handle in two multis, and closing an easy its multi still drives', () => {
  const easy = curl.easy();
  const a = curl.multi();
  const b = curl.multi();
  a.add(easy);
  expect(() => b.add(easy)).toThrow(HandleInUseError);
  expect(() => easy.close()).toThrow(HandleInUseError);
  a.remove(easy);
  easy.close();
  a.close();
  b.close();
});

it('frees with `using` at the end of a block', () => {
  const before = curl.memory().inUseBytes;
  {
    using easy = curl.easy();
    easy.setopt('URL', 'http://127.0.0.1/');
    easy.setopt('HTTPHEADER', ['A: b']);
  }
  expect(curl.memory().inUseBytes).toBe(before);
});

it('frees handles that were dropped without close() once they are collected', async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  expect(gc, 'vitest runs with --expose-gc').toBeTypeOf('function');
  const settle = async () => {
    for (let i = 0; i < 10; i++) {
      gc!();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  await settle();
  const before = curl.memory().inUseBytes;
  (() => {
    for (let i = 0; i < 200; i++) {
      const easy = curl.easy();
      easy.setopt('URL', `${server.url}/forgotten`);
      easy.setopt('HTTPHEADER', ['X-Forgotten: yes']);
    }
  })();
  expect(curl.memory().inUseBytes).toBeGreaterThan(before + 200 * 1000);
  await settle();
  expect(curl.memory().inUseBytes).toBeLessThanOrEqual(before);
});
