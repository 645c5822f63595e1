// Node's own fetch (undici), for scale: the test CA comes in through NODE_EXTRA_CA_CERTS,
// which run.ts sets. Node 20's fetch speaks HTTP/1.1 only, so its "HTTP/2" rows are HTTP/1.1.
import { performance } from 'node:perf_hooks';
import { MB, peerAnswer, targetsFromEnv, type PeerRuns } from '../scenarios.js';

const targets = targetsFromEnv();

async function drain(url: string): Promise<number> {
  const response = await fetch(url);
  let bytes = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
    bytes += chunk.length;
  return bytes;
}

async function throughput(url: string): Promise<number> {
  const start = performance.now();
  const bytes = await drain(url);
  return bytes / MB / ((performance.now() - start) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function upload(): Promise<number> {
  const block = new Uint8Array(256 * 1024).fill(7);
  let left = 100 * MB;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (left <= 0) return controller.close();
      left -= block.length;
      controller.enqueue(block);
    },
  });
  const start = performance.now();
  const response = await fetch(targets.upload, {
    method: 'PUT',
    body,
    duplex: 'half',
  } as RequestInit);
  await response.arrayBuffer();
  return 100 / ((performance.now() - start) / 1000);
}

async function keepaliveLatency(): Promise<number> {
  await drain(`${targets.plain}/small`);
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    await drain(`${targets.plain}/small`);
    times.push(performance.now() - start);
  }
  return median(times);
}

async function requestsPerSecond(base: string, concurrency: number): Promise<number> {
  let left = 1000;
  await drain(`${base}/small`);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await drain(`${base}/small`);
    }),
  );
  return 1000 / ((performance.now() - start) / 1000);
}

const run: PeerRuns = {
  'download-plain': () => throughput(`${targets.plain}/100M`),
  'download-tls-aes': () => throughput(`${targets.tlsAes}/100M`),
  'download-tls-chacha': () => throughput(`${targets.tlsChacha}/100M`),
  upload,
  'keepalive-latency': keepaliveLatency,
  'rps-h1-c1': () => requestsPerSecond(targets.plain, 1),
  'rps-h1-c50': () => requestsPerSecond(targets.plain, 50),
  'rps-h2-c1': () => requestsPerSecond(targets.tlsChacha, 1),
  'rps-h2-c50': () => requestsPerSecond(targets.tlsChacha, 50),
  'h2-50-cold': async () => {
    const start = performance.now();
    await Promise.all(Array.from({ length: 50 }, () => drain(`${targets.tlsChacha}/small`)));
    return performance.now() - start;
  },
  'rss-unread-300mb': async () => {
    const before = process.memoryUsage().rss;
    const response = await fetch(`${targets.plain}/300M`);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const grown = (process.memoryUsage().rss - before) / MB;
    await response.body?.cancel();
    return grown;
  },
};

console.log(await peerAnswer(run, process.argv[2]));
process.exit(0);
