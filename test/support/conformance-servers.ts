// The servers the conformance suite runs against, started by the Node side on 127.0.0.1
// and ::1 and described as a Fixture that a Deno or Bun runner can be handed as JSON.
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Fixture } from '../conformance/fixture.ts';
import { testCerts } from './certs.js';
import { closedPort, httpServer, httpsServer, type Running } from './servers.js';

const BIG = randomBytes(5 << 20);
const GZIP_TEXT = 'curl decodes this. '.repeat(2000);
const GZIPPED = gzipSync(GZIP_TEXT);

function handler(req: any, res: any): void {
  const path = new URL(req.url, 'http://x').pathname;
  if (path === '/big') return void res.writeHead(200, { 'Content-Length': BIG.length }).end(BIG);
  if (path === '/gzip') {
    res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': GZIPPED.length });
    return void res.end(GZIPPED);
  }
  if (path === '/sha256') return void hashBody(req, res);
  if (path === '/late-sha256') return void hashBodyLate(req, res);
  if (path === '/stream') return void stream(req, res);
  if (path === '/written') return void res.end(String(written.get(query(req, 'id')) ?? -1));
  if (path === '/cut') {
    // Promises 1000 bytes, sends 10, then FIN.
    res.writeHead(200, { 'Content-Length': 1000 });
    res.write('x'.repeat(10));
    return void req.socket.end();
  }
  res.setHeader('Content-Type', 'text/plain');
  res.end(`hello ${req.method} ${req.url}`);
}

const written = new Map<string, number>();

function query(req: any, name: string): string {
  return new URL(req.url, 'http://x').searchParams.get(name) ?? '';
}

/** `mb` MB, written only as fast as the client takes them; /written tells how far it got. */
function stream(req: any, res: any): void {
  const id = query(req, 'id');
  const total = Number(query(req, 'mb')) << 20;
  const block = BIG.subarray(0, 256 << 10);
  written.set(id, 0);
  res.writeHead(200, { 'Content-Length': total });
  const pump = () => {
    for (let sent = written.get(id)!; sent < total; sent = written.get(id)!) {
      written.set(id, sent + block.length);
      if (!res.write(block)) return void res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

/** Like /sha256, but reads nothing for half a second, so the client's writes back up. */
function hashBodyLate(req: any, res: any): void {
  req.pause();
  setTimeout(() => {
    hashBody(req, res);
    req.resume();
  }, 500);
}

function hashBody(req: any, res: any): void {
  const hash = createHash('sha256');
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ bytes, sha256: hash.digest('hex') }));
  });
}

export interface ConformanceServers {
  fixture: Fixture;
  http: Running;
  http6: Running;
  https: Running;
  /** A live server on 127.0.0.1 that allow-list runs leave out: reaching it is a failure. */
  forbidden: Running;
  refusedPort: number;
  close(): Promise<void>;
}

export async function startConformanceServers(): Promise<ConformanceServers> {
  const http = await httpServer(handler);
  const http6 = await httpServer(handler, '::1');
  const https = await httpsServer(handler);
  const forbidden = await httpServer((_req: any, res: any) => res.end('out of reach'));
  const refusedPort = await closedPort();
  const fixture: Fixture = {
    http: http.url,
    http6: http6.url,
    https: `https://localhost:${https.port}`,
    caPem: testCerts().caPem.toString(),
    refused: `http://127.0.0.1:${refusedPort}/`,
    unresolvable: 'http://no-such-host.invalid/',
    bigSize: BIG.length,
    bigSha256: createHash('sha256').update(BIG).digest('hex'),
    gzipText: GZIP_TEXT,
  };
  const close = async () => {
    await Promise.all([http.close(), http6.close(), https.close(), forbidden.close()]);
  };
  return { fixture, http, http6, https, forbidden, refusedPort, close };
}
