import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CURL_HTTP_VERSION,
  CURLE,
  CURLM,
  CurlError,
  loadCurl,
  nodeTcpTransport,
  type Curl,
} from '../src/index.js';
import { localOnlyLookup } from './support/lookup.js';
import { closedPort, httpServer, type Running } from './support/servers.js';
import { prepare, transfer } from './support/transfer.js';

let curl: Curl;
let server: Running;
let server6: Running;

beforeAll(async () => {
  // Unknown names fail in the test resolver: no DNS query leaves the machine.
  curl = await loadCurl({ transport: nodeTcpTransport({ lookup: localOnlyLookup }) });
  const handler = (req: any, res: any) => {
    if (req.url === '/missing') {
      res.writeHead(404).end('no such thing');
      return;
    }
    res.setHeader('X-Seen-Host', req.headers.host ?? '');
    res.end(`you asked for ${req.url} with ${req.method}`);
  };
  server = await httpServer(handler);
  server6 = await httpServer(handler, '::1');
});

afterAll(async () => {
  await server.close();
  await server6.close();
});

describe('HTTP/1.1', () => {
  it('GETs a body with status and headers', async () => {
    const r = await transfer(curl, `${server.url}/hello`);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('you asked for /hello with GET');
    expect(r.httpVersion).toBe(CURL_HTTP_VERSION['1_1']);
    expect(r.headers[0]).toBe('HTTP/1.1 200 OK');
    expect(r.headers).toContain(`X-Seen-Host: 127.0.0.1:${server.port}`);
  });

  it('connects to an IPv6 literal', async () => {
    const r = await transfer(curl, `${server6.url}/six`);
    expect(r.body.toString()).toBe('you asked for /six with GET');
    expect(r.easy.getinfo('PRIMARY_IP')).toBe('::1');
  });

  it('reuses the connection for a second request on the same easy', async () => {
    const { easy, result } = prepare(curl, `${server.url}/one`);
    await easy.perform();
    easy.setopt('URL', `${server.url}/two`);
    await easy.perform();
    expect(result().body.toString()).toBe('you asked for /one with GETyou asked for /two with GET');
    expect(easy.getinfo('NUM_CONNECTS')).toBe(0);
  });

  it('fails fast on a refused port with CURLE_COULDNT_CONNECT and the transport cause', async () => {
    const port = await closedPort();
    const started = performance.now();
    const error = await transfer(curl, `http://127.0.0.1:${port}/`).catch((e) => e);
    expect(error).toBeInstanceOf(CurlError);
    expect(error.code).toBe('CURLE_COULDNT_CONNECT');
    expect(error.curlCode).toBe(7);
    expect(error.message).toMatch(/Failed to connect to 127\.0\.0\.1 port \d+/);
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('reports an unknown host as CURLE_COULDNT_RESOLVE_HOST with the name', async () => {
    const error = await transfer(curl, 'http://no-such-host.invalid/').catch((e) => e);
    expect(error.code).toBe('CURLE_COULDNT_RESOLVE_HOST');
    expect(error.message).toBe('Could not resolve host: no-such-host.invalid');
  });

  it('runs five transfers in one multi, each with its own result', async () => {
    const refused = await closedPort();
    const urls = [
      `${server.url}/a`,
      `http://127.0.0.1:${refused}/`,
      `${server.url}/missing`,
      `${server.url}/b`,
      'http://unresolvable.invalid/',
    ];
    const multi = curl.multi();
    const jobs = urls.map((url) => {
      const job = prepare(curl, url, { FAILONERROR: url.endsWith('/missing') });
      multi.add(job.easy);
      return job;
    });

    const results = new Map<unknown, number>();
    const errors = new Map<unknown, string | undefined>();
    while (results.size < urls.length) {
      let step;
      do step = multi.perform();
      while (step.code === CURLM.CALL_MULTI_PERFORM);
      for (const done of multi.infoRead()) {
        results.set(done.easy, done.result);
        errors.set(done.easy, done.error?.code);
      }
      if (results.size === urls.length) break;
      const timeout = multi.timeout();
      await curl.select(multi.fdset(), timeout < 0 ? 100 : Math.min(timeout, 1000));
    }

    const codes = jobs.map((job) => results.get(job.easy));
    expect(codes).toEqual([
      CURLE.OK,
      CURLE.COULDNT_CONNECT,
      CURLE.HTTP_RETURNED_ERROR,
      CURLE.OK,
      CURLE.COULDNT_RESOLVE_HOST,
    ]);
    expect(jobs.map((job) => errors.get(job.easy))).toEqual([
      undefined,
      'CURLE_COULDNT_CONNECT',
      'CURLE_HTTP_RETURNED_ERROR',
      undefined,
      'CURLE_COULDNT_RESOLVE_HOST',
    ]);
    expect(jobs[0]!.result().body.toString()).toBe('you asked for /a with GET');
    expect(jobs[3]!.result().body.toString()).toBe('you asked for /b with GET');
    for (const job of jobs) multi.remove(job.easy);
    multi.close();
  });
});
