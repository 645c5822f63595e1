// The multi interface with curl's semantics: socket and timer callbacks driven by hand,
// poll/wait/wakeup, calls from inside callbacks, and completions that arrive together.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CURL_CSELECT,
  CURL_POLL,
  CURL_SOCKET_TIMEOUT,
  CURLM,
  loadCurl,
  type Curl,
  type Easy,
} from '../src/index.js';
import { testCerts } from './support/certs.js';
import { httpServer, httpsServer, type Running } from './support/servers.js';
import { prepare } from './support/transfer.js';

let curl: Curl;
let server: Running;

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpServer((req: any, res: any) => {
    const delay = Number(new URL(req.url, 'http://x').searchParams.get('delay') ?? 0);
    setTimeout(() => res.end(`done ${req.url}`), delay);
  });
});

afterAll(() => server.close());

describe('socket_action with SOCKETFUNCTION and TIMERFUNCTION', () => {
  it('runs transfers driven only by the callbacks, as curl documents it', async () => {
    const multi = curl.multi();
    const watched = new Map<number, number>();
    const assignedSeen: unknown[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finished: string[] = [];

    let wake: () => void = () => {};
    const kick = () => wake();
    const act = (fd: number, events: number) => {
      multi.socketAction(fd, events);
      for (const done of multi.infoRead()) finished.push(`${done.result}`);
      kick();
    };

    multi.setopt('SOCKETFUNCTION', (_easy, fd, what, assigned) => {
      assignedSeen.push(assigned);
      if (what === CURL_POLL.REMOVE) watched.delete(fd);
      else {
        if (!watched.has(fd)) multi.assign(fd, `socket ${fd}`);
        watched.set(fd, what);
      }
    });
    multi.setopt('TIMERFUNCTION', (ms) => {
      clearTimeout(timer);
      if (ms >= 0) timer = setTimeout(() => act(CURL_SOCKET_TIMEOUT, 0), ms);
    });

    const jobs = [1, 2, 3].map((i) => prepare(curl, `${server.url}/t${i}?delay=${i * 10}`));
    for (const job of jobs) multi.add(job.easy);

    // The waiting loop a user writes: watch what curl asked for with the library's select.
    while (finished.length < jobs.length) {
      const fdset = { read: [] as number[], write: [] as number[], except: [], maxFd: -1 };
      for (const [fd, what] of watched) {
        if (what & CURL_POLL.IN) fdset.read.push(fd);
        if (what & CURL_POLL.OUT) fdset.write.push(fd);
        fdset.maxFd = Math.max(fdset.maxFd, fd);
      }
      await Promise.race([
        curl.select(fdset, 1000),
        new Promise<void>((resolve) => (wake = resolve)),
      ]);
      for (const [fd, what] of [...watched]) {
        const readable = (await curl.select({ ...fdset, read: [fd], write: [] }, 0)) > 0;
        const writable = (await curl.select({ ...fdset, read: [], write: [fd] }, 0)) > 0;
        let events = 0;
        if (what & CURL_POLL.IN && readable) events |= CURL_CSELECT.IN;
        if (what & CURL_POLL.OUT && writable) events |= CURL_CSELECT.OUT;
        if (events) act(fd, events);
      }
    }

    clearTimeout(timer);
    expect(finished).toEqual(['0', '0', '0']);
    expect(jobs.map((job) => job.result().body.toString())).toEqual([
      'done /t1?delay=10',
      'done /t2?delay=20',
      'done /t3?delay=30',
    ]);
    expect(assignedSeen.some((a) => typeof a === 'string' && a.startsWith('socket '))).toBe(true);
    for (const job of jobs) multi.remove(job.easy);
    multi.close();
  });
});

describe('poll, wait and wakeup', () => {
  it('wakeup() ends a pending poll at once', async () => {
    const multi = curl.multi();
    const job = prepare(curl, `${server.url}/slow?delay=2000`);
    multi.add(job.easy);
    // Let the request go out, so that nothing but the wakeup can end the next poll.
    for (let i = 0; i < 5; i++) {
      multi.perform();
      await multi.poll(20);
    }
    const started = performance.now();
    const polled = multi.poll(5000);
    setTimeout(() => multi.wakeup(), 50);
    await polled;
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(40);
    expect(elapsed).toBeLessThan(1000);
    multi.remove(job.easy);
    multi.close();
  });

  it('wait() returns when a socket is ready, and ignores wakeup()', async () => {
    const multi = curl.multi();
    const job = prepare(curl, `${server.url}/soon?delay=200`);
    multi.add(job.easy);
    let results: number[] = [];
    const started = performance.now();
    for (;;) {
      const step = multi.perform();
      results = results.concat(multi.infoRead().map((d) => d.result));
      if (step.running === 0) break;
      const waited = multi.wait(5000);
      multi.wakeup();
      await waited;
    }
    expect(results).toEqual([0]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    multi.remove(job.easy);
    multi.close();
  });
});

describe('calls from inside callbacks', () => {
  it('adds a new transfer from a write callback instead of failing with RECURSIVE_API_CALL', async () => {
    const multi = curl.multi();
    const second = prepare(curl, `${server.url}/second`);
    const first = prepare(curl, `${server.url}/first`);
    first.easy.setopt('WRITEFUNCTION', () => {
      multi.add(second.easy); // curl itself would answer CURLM_RECURSIVE_API_CALL here
    });
    multi.add(first.easy);
    const done: Easy[] = [];
    while (done.length < 2) {
      let step;
      do step = multi.perform();
      while (step.code === CURLM.CALL_MULTI_PERFORM);
      for (const d of multi.infoRead()) {
        expect(d.result).toBe(0);
        done.push(d.easy);
      }
      if (done.length < 2) await multi.poll(1000);
    }
    expect(done).toEqual([first.easy, second.easy]);
    expect(second.result().body.toString()).toBe('done /second');
    multi.close();
  });

  it('starts a transfer from a completion handler with the promise API', async () => {
    const a = prepare(curl, `${server.url}/a`);
    const b = prepare(curl, `${server.url}/b`);
    await a.easy.perform().then(() => b.easy.perform());
    expect(b.result().body.toString()).toBe('done /b');
  });

  it('turns an exception in a callback into CURLE_ABORTED_BY_CALLBACK with the cause', async () => {
    const job = prepare(curl, `${server.url}/boom`);
    const thrown = new Error('the consumer broke');
    job.easy.setopt('WRITEFUNCTION', () => {
      throw thrown;
    });
    const error = await job.easy.perform().catch((e) => e);
    expect(error.code).toBe('CURLE_ABORTED_BY_CALLBACK');
    expect(error.cause).toBe(thrown);
    expect(error.message).toContain('the consumer broke');
  });

  it('aborts from XFERINFOFUNCTION', async () => {
    const job = prepare(curl, `${server.url}/progress?delay=300`);
    job.easy.setopt('XFERINFOFUNCTION', () => true);
    const error = await job.easy.perform().catch((e) => e);
    expect(error.code).toBe('CURLE_ABORTED_BY_CALLBACK');
  });
});

describe('completions', () => {
  it('gives every stream that ends at the same moment its message in the same turn', async () => {
    const count = 10;
    const waiting: Array<() => void> = [];
    const h2 = await httpsServer((req: any, res: any) => {
      waiting.push(() => res.end(`stream ${req.url}`));
      if (waiting.length === count) for (const finish of waiting) finish();
    });
    try {
      const multi = curl.multi();
      multi.setopt('PIPELINING', 2); // CURLPIPE_MULTIPLEX
      const jobs = Array.from({ length: count }, (_, i) =>
        prepare(curl, `https://localhost:${h2.port}/${i}`, {
          CAINFO_BLOB: testCerts().caPem,
          PIPEWAIT: 1,
        }),
      );
      for (const job of jobs) multi.add(job.easy);
      const batches: number[] = [];
      let total = 0;
      while (total < count) {
        let step;
        do step = multi.perform();
        while (step.code === CURLM.CALL_MULTI_PERFORM);
        const done = multi.infoRead();
        if (done.length) batches.push(done.length);
        total += done.length;
        if (total < count) await multi.poll(1000);
      }
      expect(batches).toEqual([count]);
      expect(jobs.every((job) => job.easy.getinfo('HTTP_VERSION') === 3)).toBe(true);
      expect(jobs.reduce((n, job) => n + job.easy.getinfo('NUM_CONNECTS'), 0)).toBe(1);
      multi.close();
    } finally {
      await h2.close();
    }
  });
});
