// Debian's Chromium driven by playwright-core, and a static server for the pages it loads:
// the browser build (dist/browser) and the test pages (test/browser/pages), with a Content
// Security Policy that allows no eval beyond 'wasm-unsafe-eval', and no COOP/COEP.
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserServer } from 'playwright-core';
import { testCerts } from './certs.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The build is served below /lib/, not at the root, so that a URL that only works from the
// root shows up as a failure.
const MOUNTS: Array<[string, string]> = [
  ['/lib/', join(ROOT, 'dist/browser')],
  ['/', join(ROOT, 'test/browser/pages')],
];
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the browser build (below /lib/), the test pages, the test CA (/test-ca.pem) and any
 * further folders (`mounts`, by URL prefix) on 127.0.0.1.
 */
export async function startPageServer(
  mounts: Array<[string, string]> = [],
  extraCsp = '',
): Promise<PageServer> {
  const all = [...mounts, ...MOUNTS];
  const csp =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
    `connect-src 'self' ws://127.0.0.1:* ${extraCsp}`;
  const server = http.createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url!, 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    if (path === '/test-ca.pem') {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      return void res.end(testCerts().caPem);
    }
    const [prefix, folder] = all.find(([prefix]) => path.startsWith(prefix))!;
    const file = join(folder, path.slice(prefix.length));
    if (!existsSync(file) || file.endsWith('/')) return void res.writeHead(404).end('not found');
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': csp,
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** Headless Chromium as the machine has it, with the flags this workplace needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

/** The same Chromium, left running for other processes to connect to (`connectChromium`). */
export function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer({ ...CHROMIUM, host: '127.0.0.1' });
}

export function connectChromium(wsEndpoint: string): Promise<Browser> {
  return chromium.connect(wsEndpoint);
}
