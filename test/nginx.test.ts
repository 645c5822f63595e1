// Against a server nobody here wrote: Debian's nginx on 127.0.0.1.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURL_HTTP_VERSION, loadCurl, type Curl } from '../src/index.js';
import { testCerts } from './support/certs.js';
import { startNginx, type Nginx } from './support/nginx.js';
import { transfer } from './support/transfer.js';

const payload = randomBytes(3 << 20);
let curl: Curl;
let nginx: Nginx;

beforeAll(async () => {
  curl = await loadCurl();
  nginx = await startNginx({ 'index.html': '<h1>nginx</h1>\n', 'payload.bin': payload });
});

afterAll(() => nginx?.close());

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('nginx', () => {
  it('serves HTTP/1.1', async () => {
    const r = await transfer(curl, `${nginx.httpUrl}/index.html`);
    expect(r.status).toBe(200);
    expect(r.httpVersion).toBe(CURL_HTTP_VERSION['1_1']);
    expect(r.body.toString()).toBe('<h1>nginx</h1>\n');
    expect(r.headers.some((h) => /^Server: nginx/i.test(h))).toBe(true);
  });

  it('serves HTTP/2 over verified TLS', async () => {
    const r = await transfer(curl, `${nginx.httpsUrl}/payload.bin`, {
      CAINFO_BLOB: testCerts().caPem,
    });
    expect(r.status).toBe(200);
    expect(r.httpVersion).toBe(CURL_HTTP_VERSION['2_0']);
    expect(sha(r.body)).toBe(sha(payload));
  });

  it('answers 404 for a missing file, and FAILONERROR turns it into CURLE_HTTP_RETURNED_ERROR', async () => {
    const r = await transfer(curl, `${nginx.httpUrl}/nope`);
    expect(r.status).toBe(404);
    const error = await transfer(curl, `${nginx.httpUrl}/nope`, { FAILONERROR: 1 }).catch((e) => e);
    expect(error.code).toBe('CURLE_HTTP_RETURNED_ERROR');
    expect(error.message).toMatch(/404/);
  });
});
