// Multipart uploads with Mime: parts from strings, bytes and streams, checked byte for byte by
// Node servers on 127.0.0.1 that read the multipart body.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CURL_HTTP_VERSION,
  CurlError,
  CurlOptionError,
  HandleClosedError,
  HandleInUseError,
  loadCurl,
  type Curl,
  type Easy,
} from '../src/index.js';
import { testCerts } from './support/certs.js';
import { drive } from './support/drive.js';
import { boundaryOf, parseMultipart, type ReceivedPart } from './support/multipart.js';
import { httpServer, httpsServer, type Running } from './support/servers.js';
import { prepare } from './support/transfer.js';

interface Received {
  headers: Record<string, string | string[] | undefined>;
  parts: ReceivedPart[];
}

let curl: Curl;
let server: Running;
let h2: Running;
const received: Received[] = [];

function collect(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const parts = parseMultipart(body, boundaryOf(req.headers['content-type']));
    received.push({ headers: req.headers, parts });
    res.end(`${parts.length} parts, ${body.length} bytes`);
  });
}

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpServer(collect);
  // The same reader serves HTTP/2: it uses only what both request kinds have.
  h2 = await httpsServer(collect as never);
});

afterAll(async () => {
  await server.close();
  await h2.close();
});

/** A ReadableStream of `bytes`, handed out in chunks as it is pulled. */
function readable(bytes: Uint8Array, chunk = 64 << 10): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, at + chunk));
      at += chunk;
    },
  });
}

/** An async generator function giving `bytes` in chunks, waiting `delayMs` before each. */
function chunked(bytes: Uint8Array, chunk: number, delayMs = 0) {
  return async function* () {
    for (let at = 0; at < bytes.length; at += chunk) {
      if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
      yield bytes.subarray(at, at + chunk);
    }
  };
}

function disposition(part: ReceivedPart): string | undefined {
  return part.headers['content-disposition'];
}

async function post(easy: Easy, url: string): Promise<Received> {
  easy.setopt('URL', url);
  await easy.perform();
  expect(easy.getinfo('RESPONSE_CODE')).toBe(200);
  return received.pop()!;
}

describe('multipart POST', () => {
  it('sends string, bytes and a streamed part of 6 MiB, every byte intact', async () => {
    const bytes = new Uint8Array([0, 1, 2, 254, 255, 13, 10, 45, 45]);
    const big = randomBytes(6 << 20);
    using easy = curl.easy();
    using mime = easy.mime();
    mime
      .addPart({ name: 'text', data: 'héllo wörld' })
      .addPart({ name: 'bytes', data: bytes, type: 'application/octet-stream' })
      .addPart({
        name: 'upload',
        filename: 'big.bin',
        type: 'application/x-test',
        headers: ['X-Part: streamed'],
        stream: readable(big),
        size: big.length,
      });
    easy.setopt('MIMEPOST', mime);

    const { headers, parts } = await post(easy, `${server.url}/upload`);

    expect(headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(parts).toHaveLength(3);
    expect(disposition(parts[0]!)).toBe('form-data; name="text"');
    expect(parts[0]!.data.toString('utf8')).toBe('héllo wörld');
    expect(parts[1]!.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.compare(parts[1]!.data, bytes)).toBe(0);
    expect(disposition(parts[2]!)).toBe('form-data; name="upload"; filename="big.bin"');
    expect(parts[2]!.headers['content-type']).toBe('application/x-test');
    expect(parts[2]!.headers['x-part']).toBe('streamed');
    expect(parts[2]!.data.length).toBe(big.length);
    expect(parts[2]!.data.equals(big)).toBe(true);
  });

  it('streams an iterable of unknown size, chunked, woken without idle waits', async () => {
    const data = randomBytes(40 * 1024);
    using easy = curl.easy();
    using mime = easy.mime();
    mime.addPart({ name: 'slow', stream: chunked(data, 1024, 2) });
    easy.setopt('MIMEPOST', mime);

    // Each chunk comes late, so each pauses the transfer: 40 pauses. Woken, this takes about
    // 120 ms here; left to wait for curl's next timeout, about a second.
    const started = performance.now();
    const { headers, parts } = await post(easy, `${server.url}/slow`);
    const elapsed = performance.now() - started;

    expect(headers['transfer-encoding']).toBe('chunked');
    expect(parts[0]!.data.equals(data)).toBe(true);
    expect(elapsed).toBeLessThan(600);
  });

  it('streams over HTTP/2 with TLS', async () => {
    const data = randomBytes(3 << 20);
    using easy = curl.easy();
    using mime = easy.mime();
    mime.addPart({ name: 'first', data: 'before' });
    mime.addPart({ name: 'h2', stream: chunked(data, 100_000), size: data.length });
    easy.setopt('MIMEPOST', mime);
    easy.setopt('CAINFO_BLOB', testCerts().caPem);

    const { parts } = await post(easy, `https://localhost:${h2.port}/h2`);

    expect(easy.getinfo('HTTP_VERSION')).toBe(CURL_HTTP_VERSION['2_0']);
    expect(parts[0]!.data.toString()).toBe('before');
    expect(parts[1]!.data.equals(data)).toBe(true);
  });

  it('pulls the stream only as curl sends it, so memory stays bounded', async () => {
    const size = 24 << 20;
    const chunk = new Uint8Array(256 << 10).fill(7);
    let produced = 0;
    let sent = 0;
    let mostAhead = 0;
    async function* eager() {
      while (produced < size) {
        mostAhead = Math.max(mostAhead, produced - sent);
        produced += chunk.length;
        yield chunk;
      }
    }
    using easy = curl.easy();
    using mime = easy.mime();
    mime.addPart({ name: 'eager', stream: eager, size });
    easy.setopt('MIMEPOST', mime);
    easy.setopt('XFERINFOFUNCTION', (_dt, _dn, _ut, ulnow) => void (sent = ulnow));

    const { parts } = await post(easy, `${server.url}/eager`);

    expect(parts[0]!.data.length).toBe(size);
    expect(parts[0]!.data.every((byte) => byte === 7)).toBe(true);
    expect(mostAhead).toBeGreaterThan(0);
    expect(mostAhead).toBeLessThan(4 << 20);
  });

  it('sends a mime again: a function source starts over, a ReadableStream cannot', async () => {
    const data = randomBytes(300_000);
    using easy = curl.easy();
    using mime = easy.mime();
    mime.addPart({ name: 'again', stream: chunked(data, 50_000), size: data.length });
    easy.setopt('MIMEPOST', mime);
    expect((await post(easy, `${server.url}/1`)).parts[0]!.data.equals(data)).toBe(true);
    expect((await post(easy, `${server.url}/2`)).parts[0]!.data.equals(data)).toBe(true);

    using once = easy.mime();
    once.addPart({ name: 'once', stream: readable(data), size: data.length });
    easy.setopt('MIMEPOST', once);
    expect((await post(easy, `${server.url}/3`)).parts[0]!.data.equals(data)).toBe(true);
    const error = await easy.perform().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CurlError);
    expect((error as CurlError).code).toBe('CURLE_SEND_FAIL_REWIND');
  });
});

describe('stream failures', () => {
  it("fails the transfer with the stream's own error as cause", async () => {
    const broken = new Error('disk went away');
    async function* failing() {
      yield new Uint8Array(1000);
      await new Promise((resolve) => setTimeout(resolve, 5));
      throw broken;
    }
    using easy = curl.easy();
    using mime = easy.mime();
    mime.addPart({ name: 'broken', stream: failing });
    easy.setopt('MIMEPOST', mime);
    easy.setopt('URL', `${server.url}/broken`);

    const error = (await easy.perform().catch((e: unknown) => e)) as CurlError;
    expect(error.code).toBe('CURLE_ABORTED_BY_CALLBACK');
    expect(error.cause).toBe(broken);
  });

  it('fails when a stream ends before its size', async () => {
    using easy = curl.easy();
    using mime = easy.mime();
    mime.addPart({ name: 'short', stream: chunked(new Uint8Array(10), 5), size: 20 });
    easy.setopt('MIMEPOST', mime);
    easy.setopt('URL', `${server.url}/short`);

    const error = (await easy.perform().catch((e: unknown) => e)) as CurlError;
    expect(error.code).toBe('CURLE_ABORTED_BY_CALLBACK');
    expect(error.cause).toBeInstanceOf(RangeError);
    expect(String(error.cause)).toMatch(/gave 10 bytes, but its size is 20/);
  });

  it('fails when a stream gives something other than bytes', async () => {
    using easy = curl.easy();
    using mime = easy.mime();
    mime.addPart({
      name: 'text',
      stream: async function* () {
        yield 'text';
      } as never,
    });
    easy.setopt('MIMEPOST', mime);
    easy.setopt('URL', `${server.url}/wrong`);

    const error = (await easy.perform().catch((e: unknown) => e)) as CurlError;
    expect(error.code).toBe('CURLE_ABORTED_BY_CALLBACK');
    expect(error.cause).toBeInstanceOf(TypeError);
  });
});

describe('ownership and checks', () => {
  it('refuses to close a mime while its transfer runs, and closes it afterwards', async () => {
    const easy = curl.easy();
    const mime = easy.mime();
    mime.addPart({ name: 'a', stream: chunked(randomBytes(10_000), 1000, 1) });
    easy.setopt('MIMEPOST', mime);
    easy.setopt('URL', `${server.url}/busy`);
    const multi = curl.multi();
    multi.add(easy);
    multi.perform();

    expect(() => mime.close()).toThrow(HandleInUseError);
    const [done] = await drive(curl, multi);
    expect(done?.error).toBeNull();
    expect(() => mime.close()).toThrow(HandleInUseError);
    multi.remove(easy);
    mime.close();
    expect(mime.closed).toBe(true);
    expect(received.pop()!.parts[0]!.data.length).toBe(10_000);
    multi.close();
    easy.close();
  });

  it('lets go of a closed mime on its easy, and refuses it afterwards', () => {
    using easy = curl.easy();
    const mime = easy.mime();
    mime.addPart({ name: 'a', data: 'x' });
    easy.setopt('MIMEPOST', mime);
    mime.close();
    expect(() => mime.addPart({ name: 'b', data: 'y' })).toThrow(HandleClosedError);
    expect(() => easy.setopt('MIMEPOST', mime)).toThrow(HandleClosedError);
    easy.setopt('MIMEPOST', null);
  });

  it('is the MIMEPOST of one easy at a time', () => {
    using first = curl.easy();
    using second = curl.easy();
    using mime = first.mime();
    first.setopt('MIMEPOST', mime);
    expect(() => second.setopt('MIMEPOST', mime)).toThrow(HandleInUseError);
    first.setopt('MIMEPOST', null);
    second.setopt('MIMEPOST', mime);
    second.reset();
    first.setopt('MIMEPOST', mime);
  });

  it('duplicates a handle with a data-only mime, but not one with a stream', async () => {
    using easy = curl.easy();
    using mime = easy.mime();
    mime.addPart({ name: 'copied', data: 'by curl' });
    easy.setopt('MIMEPOST', mime);
    const { easy: twin } = prepare(curl, `${server.url}/twin`, {}, easy.duphandle());
    const { parts } = await post(twin, `${server.url}/twin`);
    expect(parts[0]!.data.toString()).toBe('by curl');
    twin.close();

    mime.addPart({ name: 's', stream: chunked(new Uint8Array(4), 4) });
    expect(() => easy.duphandle()).toThrow(CurlOptionError);
  });

  it('checks parts before curl sees them', () => {
    using easy = curl.easy();
    using mime = easy.mime();
    const stream = chunked(new Uint8Array(1), 1);
    expect(() => mime.addPart({ data: 'x', stream })).toThrow(CurlOptionError);
    expect(() => mime.addPart({ name: 1 as never })).toThrow(CurlOptionError);
    expect(() => mime.addPart({ name: 'a\0b' })).toThrow(CurlOptionError);
    expect(() => mime.addPart({ data: 5 as never })).toThrow(CurlOptionError);
    expect(() => mime.addPart({ headers: ['ok', 7] as never })).toThrow(CurlOptionError);
    expect(() => mime.addPart({ data: 'x', size: 1 })).toThrow(CurlOptionError);
    expect(() => mime.addPart({ stream, size: -1 })).toThrow(CurlOptionError);
    expect(() => mime.addPart({ stream: {} as never })).toThrow(CurlOptionError);
    const locked = readable(new Uint8Array(1));
    locked.getReader();
    expect(() => mime.addPart({ stream: locked })).toThrow(CurlOptionError);
    expect(() => easy.setopt('MIMEPOST', 'text' as never)).toThrow(CurlOptionError);
  });

  it('leaves the heap as it found it', async () => {
    const before = curl.memory().inUseBytes;
    for (let i = 0; i < 3; i++) {
      // A multi of its own, whose close() also closes the connection.
      using multi = curl.multi();
      using easy = curl.easy();
      using mime = easy.mime();
      mime.addPart({ name: 'a', data: randomBytes(100_000), headers: ['X-A: 1'] });
      mime.addPart({ name: 'b', stream: chunked(randomBytes(200_000), 30_000) });
      easy.setopt('MIMEPOST', mime);
      easy.setopt('URL', `${server.url}/leak`);
      multi.add(easy);
      const [done] = await drive(curl, multi);
      expect(done?.error).toBeNull();
      multi.remove(easy);
      expect(received.pop()!.parts[1]!.data.length).toBe(200_000);
    }
    expect(curl.memory().inUseBytes).toBe(before);
  });
});
