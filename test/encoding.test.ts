import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { brotliCompressSync, gzipSync, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCurl, type Curl } from '../src/index.js';
import { httpServer, type Running } from './support/servers.js';
import { transfer } from './support/transfer.js';

// Text with repetition, so every encoder really compresses, plus random bytes.
const original = Buffer.concat([Buffer.from('libcurl-wasm '.repeat(20_000)), randomBytes(50_000)]);
const encoded: Record<string, Buffer> = {
  gzip: gzipSync(original),
  deflate: deflateSync(original),
  br: brotliCompressSync(original),
  // Node 20 has no zstd encoder; Debian's zstd command is installed by scripts/setup.sh.
  zstd: execFileSync('zstd', ['-q', '-c', '-3'], { input: original }),
};

let curl: Curl;
let server: Running;

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpServer((req: any, res: any) => {
    const coding = req.url.slice(1);
    res.writeHead(200, { 'Content-Encoding': coding, 'Content-Length': encoded[coding]!.length });
    res.end(req.method === 'HEAD' ? undefined : encoded[coding]);
  });
});

afterAll(() => server.close());

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('content encodings', () => {
  it('advertises every decoder the build has', async () => {
    const sent: string[] = [];
    await transfer(curl, `${server.url}/gzip`, {
      ACCEPT_ENCODING: '',
      VERBOSE: 1,
      DEBUGFUNCTION: (type: number, data: Uint8Array) => {
        if (type === 2) sent.push(Buffer.from(data).toString());
      },
    });
    expect(sent.join('')).toMatch(/Accept-Encoding: deflate, gzip, br, zstd/);
  });

  for (const coding of Object.keys(encoded)) {
    it(`decodes ${coding}`, async () => {
      expect(encoded[coding]!.length).toBeLessThan(original.length);
      const r = await transfer(curl, `${server.url}/${coding}`, { ACCEPT_ENCODING: '' });
      expect(r.body.length).toBe(original.length);
      expect(sha(r.body)).toBe(sha(original));
      // curl counts the bytes received, before decoding.
      expect(r.easy.getinfo('SIZE_DOWNLOAD_T')).toBe(encoded[coding]!.length);
    });
  }

  it('leaves the body encoded when decoding is off', async () => {
    const r = await transfer(curl, `${server.url}/br`);
    expect(sha(r.body)).toBe(sha(encoded.br!));
  });
});
