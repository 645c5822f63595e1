// Worker mode: the same fetch() and sessions from a worker thread, bodies streamed across
// with backpressure, errors keeping class, code and cause. (Chromium runs the same code in a
// real Worker: see test/browser/.)
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurlError } from '../src/index.js';
import { connectCurlWorker, type RemoteCurl } from '../src/worker/index.js';
import { bigBodySha, sendBig } from './support/origins.js';
import { rawServer } from './support/raw-server.js';
import { httpServer, type Running } from './support/servers.js';

let worker: Worker;
let remote: RemoteCurl;
let server: Running;
const MB = 1 << 20;

beforeAll(async () => {
  worker = new Worker(new URL('./support/curl-worker.mjs', import.meta.url));
  remote = connectCurlWorker(nodeEndpoint(worker as never));
  await remote.ready();
  server = await httpServer((req: any, res: any) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/big') return sendBig(res, 32);
    if (url.pathname === '/slow') return void setTimeout(() => res.end('late'), 3000);
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const set = url.searchParams.get('set');
      if (set) res.setHeader('Set-Cookie', set);
      res.setHeader('X-Method', req.method);
      res.end(
        JSON.stringify({
          cookie: req.headers.cookie ?? '',
          body: Buffer.concat(chunks).toString(),
          host: req.headers.host,
        }),
      );
    });
  });
});

afterAll(async () => {
  remote?.release();
  await worker?.terminate();
  await server?.close();
});

describe('Worker mode', () => {
  it('fetches with the same API and a standard Response', async () => {
    const response = await remote.fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: [['Host', 'forbidden-in-browsers.example']],
      body: new URLSearchParams({ q: 'worker' }),
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-method')).toBe('POST');
    expect(response.url).toBe(`${server.url}/echo`);
    const body = await response.json();
    expect(body.body).toBe('q=worker');
    expect(body.host).toBe('forbidden-in-browsers.example');
    expect((await remote.version()).version).toBe('8.14.1');
  });

  it('streams a request body and a large response body across', async () => {
    const upload = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode(`part${i};`));
        controller.close();
      },
    });
    const echoed = await (
      await remote.fetch(`${server.url}/echo`, {
        method: 'PUT',
        body: upload,
        duplex: 'half',
      } as RequestInit)
    ).json();
    expect(echoed.body).toBe('part0;part1;part2;part3;');

    const response = await remote.fetch(`${server.url}/big`);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    expect(bytes).toBe(32 * MB);
    expect(hash.digest('hex')).toBe(bigBodySha(32));
  });

  it('keeps the class, code and cause of errors across the boundary', async () => {
    const error = await remote.fetch('http://127.0.0.1:1/').catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');
    expect(error.cause).toBeInstanceOf(CurlError);
    expect(error.cause.code).toBe('CURLE_COULDNT_CONNECT');
    expect(error.cause.curlCode).toBe(7);
    expect(error.cause.cause.code).toBe('ECONNREFUSED');
  });

  it('errors the body stream with the CurlError when the body is cut short', async () => {
    const cut = await rawServer([['HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort', 'close']]);
    try {
      const response = await remote.fetch(cut.url);
      const error = await response.text().catch((e) => e);
      expect(error).toBeInstanceOf(CurlError);
      expect(error.code).toBe('CURLE_PARTIAL_FILE');
    } finally {
      await cut.close();
    }
  });

  it('aborts through the signal', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await remote
      .fetch(`${server.url}/slow`, { signal: controller.signal })
      .catch((e) => e);
    expect(error.name).toBe('AbortError');
  });

  it('keeps a session with its cookie jar in the Worker', async () => {
    const session = await remote.session({ baseUrl: server.url });
    await (await session.fetch('/echo?set=w%3D1')).text();
    expect((await (await session.fetch('/echo')).json()).cookie).toBe('w=1');
    expect(await session.cookies.export()).toMatch(/\tw\t1\n/);
    await session.close();
  });
});
