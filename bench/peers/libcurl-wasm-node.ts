// This library on Node, direct TCP: one scenario per process, the result printed as JSON.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { MB, targetsFromEnv, type ScenarioName } from '../scenarios.js';

const { loadCurl } = await import('libcurl-wasm');
const curl = await loadCurl();

const targets = targetsFromEnv();
const ca = readFileSync(targets.ca);

type Options = Record<string, unknown>;

async function transfer(url: string, options: Options = {}): Promise<number> {
  const easy = curl.easy();
  let bytes = 0;
  easy.setopt('URL', url);
  easy.setopt('WRITEFUNCTION', (chunk) => void (bytes += chunk.length));
  for (const [name, value] of Object.entries(options)) easy.setopt(name as never, value as never);
  await easy.perform();
  easy.close();
  return bytes;
}

// Measured in a plain Node process, as a user's script would load the package: this one runs
// under tsx, whose loader would slow every import down.
function importToReady(): number {
  const script = `const t = performance.now();
const { loadCurl } = await import('libcurl-wasm');
await loadCurl();
console.log(performance.now() - t);`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script]).toString());
}

async function throughput(url: string, options: Options = {}): Promise<number> {
  const start = performance.now();
  const bytes = await transfer(url, options);
  return bytes / MB / ((performance.now() - start) / 1000);
}

async function upload(): Promise<number> {
  const block = new Uint8Array(256 * 1024).fill(7);
  let left = 100 * MB;
  const start = performance.now();
  await transfer(targets.upload, {
    UPLOAD: 1,
    INFILESIZE_LARGE: left,
    READFUNCTION: (buffer: Uint8Array) => {
      const n = Math.min(left, buffer.length, block.length);
      buffer.set(block.subarray(0, n));
      left -= n;
      return n;
    },
  });
  return 100 / ((performance.now() - start) / 1000);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function keepaliveLatency(): Promise<number> {
  const easy = curl.easy();
  easy.setopt('URL', `${targets.plain}/small`);
  easy.setopt('WRITEFUNCTION', () => {});
  await easy.perform();
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    await easy.perform();
    times.push(performance.now() - start);
  }
  easy.close();
  return median(times);
}

async function requestsPerSecond(base: string, concurrency: number, options: Options): Promise<number> {
  let left = 1000;
  const worker = async () => {
    const easy = curl.easy();
    easy.setopt('URL', `${base}/small`);
    easy.setopt('WRITEFUNCTION', () => {});
    for (const [name, value] of Object.entries(options)) easy.setopt(name as never, value as never);
    while (left-- > 0) await easy.perform();
    easy.close();
  };
  await transfer(`${base}/small`, options); // connection and TLS session ready
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return 1000 / ((performance.now() - start) / 1000);
}

async function newTlsConnection(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    await transfer(`${targets.tlsChacha}/small`, { CAINFO_BLOB: ca, FRESH_CONNECT: 1, FORBID_REUSE: 1 });
    times.push(performance.now() - start);
  }
  return median(times);
}

async function h2Cold(): Promise<number> {
  const session = curl.session({ curl: { ca } });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, () => session.fetch(`${targets.tlsChacha}/small`).then((r) => r.arrayBuffer())),
  );
  const elapsed = performance.now() - start;
  session.close();
  return elapsed;
}

async function heapAfter10k(): Promise<number> {
  const multiStart = curl.memory().inUseBytes;
  for (let i = 0; i < 10_000; i++) await transfer(`${targets.plain}/small`);
  return (curl.memory().inUseBytes - multiStart) / MB;
}

async function rssUnread(): Promise<number> {
  const before = process.memoryUsage().rss;
  const response = await curl.fetch(`${targets.plain}/300M`);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const grown = (process.memoryUsage().rss - before) / MB;
  await response.body?.cancel();
  return grown;
}

const tls = { CAINFO_BLOB: ca };
const h2 = { ...tls, PIPEWAIT: 1 };
const run: Record<ScenarioName, () => Promise<number | null>> = {
  'download-plain': () => throughput(`${targets.plain}/100M`),
  'download-tls-aes': () => throughput(`${targets.tlsAes}/100M`, tls),
  'download-tls-chacha': () => throughput(`${targets.tlsChacha}/100M`, tls),
  upload,
  'keepalive-latency': keepaliveLatency,
  'rps-h1-c1': () => requestsPerSecond(targets.plain, 1, {}),
  'rps-h1-c50': () => requestsPerSecond(targets.plain, 50, {}),
  'rps-h2-c1': () => requestsPerSecond(targets.tlsChacha, 1, h2),
  'rps-h2-c50': () => requestsPerSecond(targets.tlsChacha, 50, h2),
  'tls-new-connection': newTlsConnection,
  'h2-50-cold': h2Cold,
  'import-to-ready': async () => importToReady(),
  'heap-after-10k': heapAfter10k,
  'rss-unread-300mb': rssUnread,
};

const scenario = process.argv[2] as ScenarioName;
const value = await run[scenario]();
console.log(JSON.stringify({ value }));
process.exit(0);
