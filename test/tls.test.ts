import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURL_HTTP_VERSION, CURL_SSLVERSION, loadCurl, type Curl } from '../src/index.js';
import { testCerts } from './support/certs.js';
import { httpsServer, type Running } from './support/servers.js';
import { transfer } from './support/transfer.js';

let curl: Curl;
let server: Running;
let wrongName: Running;
const handler = (req: any, res: any) => res.end(`${req.httpVersion} ${req.url}`);

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpsServer(handler);
  wrongName = await httpsServer(handler, { wrongName: true });
});

afterAll(async () => {
  await server.close();
  await wrongName.close();
});

describe('HTTPS', () => {
  const ca = () => ({ CAINFO_BLOB: testCerts().caPem });

  it('negotiates HTTP/2 by ALPN and verifies the peer against the given CA', async () => {
    const r = await transfer(curl, `https://localhost:${server.port}/h2`, ca());
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('2.0 /h2');
    expect(r.httpVersion).toBe(CURL_HTTP_VERSION['2_0']);
    expect(r.easy.getinfo('SSL_VERIFYRESULT')).toBe(0);
    expect(r.headers[0]).toBe('HTTP/2 200');
  });

  it('speaks TLS 1.3 by default and TLS 1.2 when capped', async () => {
    const seen: string[] = [];
    const debug = (type: number, data: Uint8Array) => {
      if (type === 0) seen.push(Buffer.from(data).toString());
    };
    await transfer(curl, `https://localhost:${server.port}/`, {
      ...ca(),
      VERBOSE: 1,
      FRESH_CONNECT: 1,
      DEBUGFUNCTION: debug,
    });
    expect(seen.join('')).toMatch(/TLSv1\.3/);

    seen.length = 0;
    await transfer(curl, `https://localhost:${server.port}/`, {
      ...ca(),
      VERBOSE: 1,
      FRESH_CONNECT: 1,
      DEBUGFUNCTION: debug,
      SSLVERSION: CURL_SSLVERSION.TLSv1_2 | CURL_SSLVERSION.MAX_TLSv1_2,
    });
    expect(seen.join('')).toMatch(/TLSv1\.2/);
  });

  it('can be held to HTTP/1.1', async () => {
    const r = await transfer(curl, `https://127.0.0.1:${server.port}/one`, {
      ...ca(),
      HTTP_VERSION: CURL_HTTP_VERSION['1_1'],
    });
    expect(r.body.toString()).toBe('1.1 /one');
  });

  it('fails with CURLE_PEER_FAILED_VERIFICATION for a certificate of another name', async () => {
    const error = await transfer(curl, `https://localhost:${wrongName.port}/`, ca()).catch(
      (e) => e,
    );
    expect(error.code).toBe('CURLE_PEER_FAILED_VERIFICATION');
    expect(error.curlCode).toBe(60);
    expect(error.message).toMatch(/certificate|verif/i);
  });

  it('rejects the test CA when only the embedded Mozilla roots are trusted', async () => {
    const error = await transfer(curl, `https://localhost:${server.port}/`).catch((e) => e);
    expect(error.code).toBe('CURLE_PEER_FAILED_VERIFICATION');
  });

  it('trusts the embedded roots plus an added CA', async () => {
    const bundle = curl.caBundle() + testCerts().caPem.toString();
    const r = await transfer(curl, `https://localhost:${server.port}/both`, {
      CAINFO_BLOB: bundle,
    });
    expect(r.body.toString()).toBe('2.0 /both');
  });

  it('connects without verification when asked', async () => {
    const r = await transfer(curl, `https://localhost:${wrongName.port}/insecure`, {
      SSL_VERIFYPEER: 0,
      SSL_VERIFYHOST: 0,
    });
    expect(r.body.toString()).toBe('2.0 /insecure');
  });
});
