// Pages in Chromium that reach real servers through the local proxy: HTTPS with HTTP/2 with TLS
// done in the page, on the main thread and in a Worker, a WebSocket, and an app built by Vite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { startProxy } from '../src/proxy/index.js';
import { launchChromium, startPageServer, type PageServer } from './support/browser.js';
import { sendBig } from './support/origins.js';
import { httpServer, httpsServer, type Running } from './support/servers.js';
import { testLookup } from './support/test-lookup.js';

const MB = 1 << 20;
let browser: Browser;
let pages: PageServer;
let proxy: { url: string; close(): Promise<void> };
let h2: Running;
let big: Running;
let viteOut: string;
let echo: WebSocketServer;

beforeAll(async () => {
  h2 = await httpsServer((req: any, res: any) => res.end(`hello over HTTP/${req.httpVersion}`));
  big = await httpServer((_req: any, res: any) => sendBig(res, 32));
  echo = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    handleProtocols: (p) => [...p][0] ?? false,
  });
  echo.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
    ws.on('close', () => {});
  });
  await new Promise((resolve) => echo.once('listening', resolve));
  proxy = await startProxy({
    allow: ['loopback'],
    ports: 'any',
    lookup: testLookup,
    log: () => {},
  });
  viteOut = mkdtempSync(join(tmpdir(), 'libcurl-wasm-vite-'));
  await build({
    root: fileURLToPath(new URL('../examples/vite-app', import.meta.url)),
    configFile: fileURLToPath(new URL('../examples/vite-app/vite.config.js', import.meta.url)),
    base: '/vite/',
    logLevel: 'warn',
    build: { outDir: viteOut, emptyOutDir: true },
  });
  pages = await startPageServer([['/vite/', viteOut]]);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await pages?.close();
  await proxy?.close();
  await h2?.close();
  await big?.close();
  await new Promise((resolve) => echo?.close(resolve));
  if (viteOut) rmSync(viteOut, { recursive: true, force: true });
});

async function resultOf(path: string, query: Record<string, string>): Promise<any> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(`${pages.url}/${path}?${new URLSearchParams(query)}`);
  await page.waitForFunction(() => (window as any).result !== undefined, null, { timeout: 60_000 });
  const result = await page.evaluate(() => (window as any).result);
  await page.close();
  return { ...result, problems };
}

const common = () => ({
  proxy: proxy.url,
  target: `https://localhost:${h2.port}/page`,
  big: `http://127.0.0.1:${big.port}/big`,
});

describe('Chromium through the local proxy', () => {
  it('fetches HTTPS over HTTP/2 on the main thread, and stays responsive during 32 MB', async () => {
    const result = await resultOf('fetch.html', common());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body).toBe('hello over HTTP/2.0');
    expect(result.httpVersion).toBe(3); // CURL_HTTP_VERSION_2_0
    expect(result.bytes).toBe(32 * MB);
    console.log(
      `main thread: 32 MB at ${result.mbPerSecond.toFixed(0)} MB/s, longest stall ${result.stall.toFixed(0)} ms`,
    );
    expect(result.problems).toEqual([]);
  });

  it('does the same in Worker mode, with errors keeping class and code', async () => {
    const result = await resultOf('worker.html', common());
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body).toBe('hello over HTTP/2.0');
    expect(result.bytes).toBe(32 * MB);
    expect(result.failure).toEqual({
      name: 'TypeError',
      message: 'fetch failed',
      causeName: 'CurlError',
      code: 'CURLE_COULDNT_CONNECT',
    });
  });

  it('speaks WebSocket through the proxy, text and binary, with a clean close', async () => {
    const port = (echo.address() as { port: number }).port;
    const result = await resultOf('websocket.html', {
      proxy: proxy.url,
      target: `ws://127.0.0.1:${port}/`,
    });
    expect(result.error).toBeUndefined();
    expect(result.protocol).toBe('echo');
    expect(result.text).toBe('hello from the page');
    expect(result.binary).toEqual([0, 1, 2, 254, 255]);
    expect(result).toMatchObject({ code: 4000, reason: 'page done', wasClean: true });
  });

  it('runs the example app built with Vite', async () => {
    const result = await resultOf('vite/index.html', {
      proxy: proxy.url,
      url: `https://localhost:${h2.port}/vite`,
      ca: '/test-ca.pem',
    });
    expect(result.error).toBeUndefined();
    expect(result.status).toBe(200);
    expect(result.body).toBe('hello over HTTP/2.0');
  });
});
