// curl's header API (easy.header, easy.headers) against Node servers on 127.0.0.1: redirects,
// duplicates, 1xx, trailers and HTTP/2 pseudo headers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CURLH,
  CurlOptionError,
  HandleClosedError,
  loadCurl,
  type Curl,
  type Easy,
} from '../src/index.js';
import { testCerts } from './support/certs.js';
import { httpServer, httpsServer, tcpServer, type Running } from './support/servers.js';
import { transfer } from './support/transfer.js';

let curl: Curl;
let server: Running;
let h2: Running;

function handler(req: IncomingMessage, res: ServerResponse) {
  switch (req.url) {
    case '/start':
      res.setHeader('X-Hop', 'first');
      res.setHeader('X-Dup', ['a', 'b']);
      res.writeHead(302, { Location: '/final' }).end();
      return;
    case '/final':
      res.setHeader('X-Hop', 'second');
      res.setHeader('X-Dup', ['one', 'two', 'three']);
      res.end('done');
      return;
    case '/hints':
      res.writeEarlyHints({ link: '</style.css>; rel=preload' });
      res.end('after hints');
      return;
    case '/trailer':
      res.writeHead(200, { 'Content-Type': 'text/plain', Trailer: 'X-Checksum' });
      res.write('body');
      res.addTrailers({ 'X-Checksum': 'abc' });
      res.end();
      return;
    default:
      res.writeHead(404).end();
  }
}

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpServer(handler);
  h2 = await httpsServer((req: any, res: any) => res.end('h2'));
});

afterAll(async () => {
  await server.close();
  await h2.close();
});

async function fetched(path: string): Promise<Easy> {
  const r = await transfer(curl, `${server.url}${path}`, { FOLLOWLOCATION: 1 });
  return r.easy;
}

describe('easy.header', () => {
  it('finds a header by name in the last request, or any request of a redirect chain', async () => {
    using easy = await fetched('/start');
    expect(easy.header('X-Hop')?.value).toBe('second');
    expect(easy.header('X-Hop', { request: -1 })?.value).toBe('second');
    expect(easy.header('X-Hop', { request: 0 })?.value).toBe('first');
    expect(easy.header('X-Hop', { request: 1 })?.value).toBe('second');
    expect(easy.header('Location')).toBeNull();
    expect(easy.header('Location', { request: 0 })?.value).toBe('/final');
    expect(easy.header('X-Hop', { request: 2 })).toBeNull();
  });

  it('gives each of several headers of one name by index, with their amount', async () => {
    using easy = await fetched('/start');
    expect(easy.header('x-dup')).toEqual({
      name: 'X-Dup',
      value: 'one',
      amount: 3,
      index: 0,
      origin: CURLH.HEADER,
    });
    expect(easy.header('X-Dup', { index: 2 })).toMatchObject({ value: 'three', index: 2 });
    expect(easy.header('X-Dup', { index: 3 })).toBeNull();
    expect(easy.header('X-Dup', { request: 0, index: 1 })).toMatchObject({
      value: 'b',
      amount: 2,
    });
  });

  it('reads values as byte strings, one character per byte', async () => {
    const raw = await tcpServer((socket) => {
      socket.once('data', () => {
        const head = 'HTTP/1.1 200 OK\r\nX-Bytes: caf\xe9 \xc3\xa9\r\nContent-Length: 0\r\n\r\n';
        socket.end(Buffer.from(head, 'latin1'));
      });
    });
    try {
      using easy = (await transfer(curl, `${raw.url}/`)).easy;
      const value = easy.header('X-Bytes')!.value;
      expect([...value].map((c) => c.charCodeAt(0))).toEqual([
        0x63, 0x61, 0x66, 0xe9, 0x20, 0xc3, 0xa9,
      ]);
    } finally {
      await raw.close();
    }
  });

  it('tells 1xx headers and trailers apart by origin', async () => {
    using hints = await fetched('/hints');
    expect(hints.header('Link')).toBeNull();
    expect(hints.header('Link', { origin: '1XX' })).toMatchObject({
      value: '</style.css>; rel=preload',
      origin: CURLH['1XX'],
    });
    expect(hints.header('Link', { origin: ['HEADER', '1XX'] })?.origin).toBe(CURLH['1XX']);

    using trailer = await fetched('/trailer');
    expect(trailer.header('X-Checksum')).toBeNull();
    expect(trailer.header('X-Checksum', { origin: CURLH.TRAILER })).toMatchObject({
      value: 'abc',
      origin: CURLH.TRAILER,
    });
  });

  it('gives HTTP/2 pseudo headers with origin PSEUDO', async () => {
    const r = await transfer(curl, `https://localhost:${h2.port}/`, {
      CAINFO_BLOB: testCerts().caPem,
    });
    using easy = r.easy;
    expect(easy.header(':status')).toBeNull();
    expect(easy.header(':status', { origin: 'PSEUDO' })).toEqual({
      name: ':status',
      value: '200',
      amount: 1,
      index: 0,
      origin: CURLH.PSEUDO,
    });
    expect(easy.headers({ origin: 'PSEUDO' }).map((h) => h.name)).toEqual([':status']);
  });
});

describe('easy.headers', () => {
  it('lists every header of one request in order, with index and amount', async () => {
    using easy = await fetched('/start');
    const last = easy.headers();
    const dups = last.filter((h) => h.name === 'X-Dup');
    expect(dups.map((h) => [h.value, h.index, h.amount])).toEqual([
      ['one', 0, 3],
      ['two', 1, 3],
      ['three', 2, 3],
    ]);
    expect(last.map((h) => h.name)).toContain('Content-Length');
    expect(last.every((h) => h.origin === CURLH.HEADER)).toBe(true);

    const first = easy.headers({ request: 0 });
    expect(first.find((h) => h.name === 'Location')?.value).toBe('/final');
    expect(first.filter((h) => h.name === 'X-Dup').map((h) => h.value)).toEqual(['a', 'b']);
    expect(easy.headers({ request: 5 })).toEqual([]);
  });

  it('lists nothing before a transfer', () => {
    using easy = curl.easy();
    expect(easy.headers()).toEqual([]);
    expect(easy.header('Anything')).toBeNull();
  });
});

describe('arguments', () => {
  it('refuses bad origins, requests and indexes', async () => {
    using easy = await fetched('/final');
    expect(() => easy.header('X-Hop', { origin: 0 })).toThrow(CurlOptionError);
    expect(() => easy.header('X-Hop', { origin: 64 })).toThrow(CurlOptionError);
    expect(() => easy.header('X-Hop', { origin: 'BODY' as never })).toThrow(CurlOptionError);
    expect(() => easy.header('X-Hop', { origin: [] })).toThrow(CurlOptionError);
    expect(() => easy.header('X-Hop', { request: -2 })).toThrow(CurlOptionError);
    expect(() => easy.header('X-Hop', { index: -1 })).toThrow(CurlOptionError);
    expect(() => easy.headers({ request: 1.5 })).toThrow(CurlOptionError);
  });

  it('throws HandleClosedError once the easy is closed', async () => {
    const easy = await fetched('/final');
    easy.close();
    expect(() => easy.header('X-Hop')).toThrow(HandleClosedError);
    expect(() => easy.headers()).toThrow(HandleClosedError);
  });
});
