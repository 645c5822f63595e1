// One suite, written once, run over every proxy transport and server: plain and TLS fetches,
// a name the proxy resolves, many streams at once, refusals, and 32 MiB each way with
// checksums and bounded memory.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CurlError,
  loadCurl,
  TransportError,
  type CurlClient,
  type Transport,
} from '../../src/index.js';
import { testCerts } from './certs.js';
import { bigBodySha, block, MB, startOrigins, type Origins } from './origins.js';
import { closedPort } from './servers.js';
import { transfer } from './transfer.js';

export interface SuiteTarget {
  /** Starts the proxy; returns the transport to it and how to stop it. */
  start(): Promise<{ transport: Transport; close(): Promise<void> }>;
  /** What curl reports for a name the proxy cannot resolve (see the calling file why). */
  unresolvable: 'CURLE_COULDNT_RESOLVE_HOST' | 'CURLE_COULDNT_CONNECT';
  /** Bytes the transport holds in JS at most while a reader is slow, when it can say. */
  peakHeldBytes?: () => number;
  heldLimit?: number;
}

const json = async (response: Response) => (await response.json()) as Record<string, unknown>;

/** The CurlError behind a rejected fetch. */
async function fetchError(promise: Promise<Response>): Promise<CurlError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TypeError);
  const cause = (error as TypeError).cause;
  expect(cause).toBeInstanceOf(CurlError);
  return cause as CurlError;
}

export function transportSuite(name: string, target: SuiteTarget): void {
  describe(name, () => {
    let curl: CurlClient;
    let origins: Origins;
    let proxy: { transport: Transport; close(): Promise<void> };
    const ca = { ca: testCerts().caPem };

    beforeAll(async () => {
      origins = await startOrigins();
      proxy = await target.start();
      curl = await loadCurl({ transport: proxy.transport });
    });

    afterAll(async () => {
      await proxy?.close();
      await origins?.close();
    });

    it('fetches over HTTP, GET and POST', async () => {
      const got = await json(await curl.fetch(`${origins.http.url}/hello`));
      expect(got).toMatchObject({ path: '/hello', method: 'GET', bytes: 0 });
      const posted = await json(
        await curl.fetch(`${origins.http.url}/post`, { method: 'POST', body: 'x'.repeat(100_000) }),
      );
      expect(posted).toMatchObject({ method: 'POST', bytes: 100_000 });
    });

    it('fetches over HTTPS with the test CA, HTTP/2 by ALPN', async () => {
      const response = await curl.fetch(`https://127.0.0.1:${origins.https.port}/tls`, {
        curl: ca,
      });
      expect(await json(response)).toMatchObject({ path: '/tls' });
      const r = await transfer(curl, `https://127.0.0.1:${origins.https.port}/h2`, {
        CAINFO_BLOB: ca.ca,
      });
      expect(r.httpVersion).toBe(3); // CURL_HTTP_VERSION_2_0
      expect(r.easy.getinfo('SSL_VERIFYRESULT')).toBe(0);
    });

    it('reaches a host name that the proxy resolves', async () => {
      const got = await json(await curl.fetch(`http://origin.test:${origins.http.port}/named`));
      expect(got).toMatchObject({ path: '/named', host: `origin.test:${origins.http.port}` });
    });

    it('carries 40 streams at once', async () => {
      const session = curl.session({ maxHostConnections: 40 });
      const paths = Array.from({ length: 40 }, (_, i) => `/many/${i}`);
      const bodies = await Promise.all(
        paths.map(
          async (path) => (await json(await session.fetch(`${origins.http.url}${path}`))).path,
        ),
      );
      expect(bodies).toEqual(paths);
      session.close();
    });

    it("reports a refused port as CURLE_COULDNT_CONNECT with the proxy's words as cause", async () => {
      const port = await closedPort();
      const error = await fetchError(curl.fetch(`http://127.0.0.1:${port}/`));
      expect(error.code).toBe('CURLE_COULDNT_CONNECT');
      expect(error.cause).toBeInstanceOf(TransportError);
      const cause = error.cause as TransportError;
      expect(cause.connectFailure).toBe(true);
      expect(cause.message).toContain(`127.0.0.1:${port}`);
    });

    it(`reports a name the proxy cannot resolve as ${target.unresolvable}`, async () => {
      const error = await fetchError(curl.fetch('http://no-such-host.test/'));
      expect(error.code).toBe(target.unresolvable);
      expect(error.cause).toBeInstanceOf(TransportError);
      expect((error.cause as TransportError).message).toContain('no-such-host.test:80');
    });

    it('downloads 32 MiB with the right checksum, memory bounded while the reader is slow', async () => {
      const heapBefore = curl.memory().heapBytes;
      const started = performance.now();
      const response = await curl.fetch(`${origins.http.url}/big?mb=32`);
      const reader = response.body!.getReader();
      const hash = createHash('sha256');
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        hash.update(value);
        bytes += value.length;
        // A reader that stops for a while, twice: the transport must pause, not pile up.
        if (bytes >= 4 * MB && bytes - value.length < 4 * MB) await sleep(300);
        if (bytes >= 20 * MB && bytes - value.length < 20 * MB) await sleep(300);
      }
      const ms = performance.now() - started - 600;
      expect(bytes).toBe(32 * MB);
      expect(hash.digest('hex')).toBe(bigBodySha(32));
      expect(curl.memory().heapBytes - heapBefore).toBeLessThan(8 * MB);
      if (target.peakHeldBytes)
        expect(target.peakHeldBytes()).toBeLessThanOrEqual(target.heldLimit! + 2 * MB);
      console.log(
        `[throughput] ${name}: 32 MiB down in ${ms.toFixed(0)} ms (600 ms of reader pauses left out), ${((32 * 1000) / ms).toFixed(1)} MiB/s`,
      );
    });

    it('uploads 32 MiB streamed, with the right checksum', async () => {
      let sent = 0;
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            if (sent === 32) return controller.close();
            controller.enqueue(block(sent++));
          },
        },
        { highWaterMark: 0 },
      );
      const started = performance.now();
      const response = await curl.fetch(`${origins.http.url}/upload`, {
        method: 'PUT',
        body,
        duplex: 'half',
      } as RequestInit);
      const got = await json(response);
      const ms = performance.now() - started;
      expect(got).toMatchObject({ bytes: 32 * MB, sha: bigBodySha(32) });
      console.log(
        `[throughput] ${name}: 32 MiB up in ${ms.toFixed(0)} ms, ${((32 * 1000) / ms).toFixed(1)} MiB/s`,
      );
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
