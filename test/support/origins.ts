// The destinations behind the proxies in the transport tests: an HTTP/1.1 server and an
// HTTPS server speaking HTTP/2, both on 127.0.0.1, serving small replies, deterministic big
// bodies made as they are sent, and an upload sink that hashes what it gets.
import { createHash } from 'node:crypto';
import { httpServer, httpsServer, type Running } from './servers.js';

export const MB = 1 << 20;

/** Block `index` of a big body: its bytes depend only on their offset. */
export function block(index: number): Buffer {
  const out = Buffer.alloc(MB);
  for (let i = 0; i < MB; i += 4) out.writeUInt32LE((index * MB + i) >>> 0, i);
  return out;
}

export function bigBodySha(megabytes: number): string {
  const hash = createHash('sha256');
  for (let i = 0; i < megabytes; i++) hash.update(block(i));
  return hash.digest('hex');
}

/** Answers `megabytes` of the deterministic body, written as the socket drains. */
export function sendBig(res: any, megabytes: number): void {
  res.writeHead(200, { 'Content-Length': megabytes * MB });
  let i = 0;
  const pump = () => {
    while (i < megabytes) if (!res.write(block(i++))) return void res.once('drain', pump);
    res.end();
  };
  pump();
}

function handler(req: any, res: any): void {
  const url = new URL(req.url, 'http://origin');
  if (url.pathname === '/big') return sendBig(res, Number(url.searchParams.get('mb')));
  const hash = createHash('sha256');
  let bytes = 0;
  req.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  req.on('end', () => {
    res.setHeader('Content-Type', 'application/json');
    const host = req.headers.host ?? req.headers[':authority'];
    res.end(
      JSON.stringify({
        path: url.pathname,
        method: req.method,
        host,
        bytes,
        sha: hash.digest('hex'),
      }),
    );
  });
}

export interface Origins {
  http: Running;
  https: Running;
  close(): Promise<void>;
}

export async function startOrigins(): Promise<Origins> {
  const http = await httpServer(handler);
  const https = await httpsServer(handler);
  return {
    http,
    https,
    close: async () => void (await Promise.all([http.close(), https.close()])),
  };
}
