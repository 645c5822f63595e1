// Big bodies: every byte arrives, the wasm heap stays bounded, and the
// CURLM_CALL_MULTI_PERFORM contract holds for loops that honour it and loops that ignore it.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CURLM, loadCurl, type Curl, type Multi } from '../src/index.js';
import { bigBodySha, MB, sendBig } from './support/origins.js';
import { httpServer, type Running } from './support/servers.js';
import { prepare } from './support/transfer.js';

let curl: Curl;
let server: Running;

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpServer((req: any, res: any) => {
    sendBig(res, Number(new URL(req.url, 'http://x').searchParams.get('mb')));
  });
});

afterAll(() => server.close());

/** Hashes the body as it arrives, without keeping it. */
function hashingTransfer(url: string) {
  const hash = createHash('sha256');
  let bytes = 0;
  const { easy } = prepare(curl, url);
  easy.setopt('WRITEFUNCTION', (chunk: Uint8Array) => {
    hash.update(chunk);
    bytes += chunk.length;
  });
  return { easy, bytes: () => bytes, sha: () => hash.digest('hex') };
}

async function waitOnFdset(multi: Multi) {
  const timeout = multi.timeout();
  await curl.select(multi.fdset(), timeout < 0 ? 100 : timeout);
}

describe('large transfers', () => {
  it('downloads 100 MB with the right checksum while the wasm heap stays bounded', async () => {
    const heapBefore = curl.memory().heapBytes;
    const job = hashingTransfer(`${server.url}/?mb=100`);
    await job.easy.perform();
    expect(job.bytes()).toBe(100 * MB);
    expect(job.sha()).toBe(bigBodySha(100));
    // The heap may grow for buffers, never with the body.
    expect(curl.memory().heapBytes - heapBefore).toBeLessThan(8 * MB);
  });

  it('honours CALL_MULTI_PERFORM in the legacy do/while loop with a tiny budget', async () => {
    const multi = curl.multi();
    multi.budget = { bytes: 16 * 1024, ms: 1000 };
    const job = hashingTransfer(`${server.url}/?mb=8`);
    multi.add(job.easy);

    let callMultiPerform = 0;
    let results: number[] = [];
    for (;;) {
      let step;
      do {
        step = multi.perform();
        if (step.code === CURLM.CALL_MULTI_PERFORM) callMultiPerform++;
      } while (step.code === CURLM.CALL_MULTI_PERFORM);
      results = results.concat(multi.infoRead().map((done) => done.result));
      if (step.running === 0) break;
      await waitOnFdset(multi);
    }

    expect(results).toEqual([0]);
    expect(callMultiPerform).toBeGreaterThan(100);
    expect(job.bytes()).toBe(8 * MB);
    expect(job.sha()).toBe(bigBodySha(8));
    multi.remove(job.easy);
    multi.close();
  });

  it('loses nothing when a loop ignores CALL_MULTI_PERFORM and waits instead', async () => {
    const multi = curl.multi();
    multi.budget = { bytes: 16 * 1024, ms: 1000 };
    const job = hashingTransfer(`${server.url}/?mb=8`);
    multi.add(job.easy);

    let sawCallMultiPerform = false;
    let immediateReadiness = 0;
    const results: number[] = [];
    for (;;) {
      const step = multi.perform();
      results.push(...multi.infoRead().map((done) => done.result));
      if (step.running === 0) break;
      if (step.code === CURLM.CALL_MULTI_PERFORM) {
        sawCallMultiPerform = true;
        // The data curl left behind makes the wait return at once.
        if ((await curl.select(multi.fdset(), 5000)) > 0) immediateReadiness++;
        continue;
      }
      await waitOnFdset(multi);
    }

    expect(sawCallMultiPerform).toBe(true);
    expect(immediateReadiness).toBeGreaterThan(0);
    expect(results).toEqual([0]);
    expect(job.bytes()).toBe(8 * MB);
    expect(job.sha()).toBe(bigBodySha(8));
    multi.remove(job.easy);
    multi.close();
  });
});
