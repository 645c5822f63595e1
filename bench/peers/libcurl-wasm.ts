// This library on Node, Deno and Bun: one scenario per process, the result printed as JSON.
// The same file runs on all three (Node through tsx, Deno and Bun as they run TypeScript),
// and imports the build as the package's default export condition gives it. Its transport
// is the runtime's direct TCP, or with BENCH_TRANSPORT=wisp the local proxy over Wisp.
import { MB, peerAnswer, targetsFromEnv, type PeerRuns } from '../scenarios.ts';
import { echoRate, pushRate, type EchoSocket } from './ws-echo.ts';

interface DenoLike {
  args: string[];
  env: { get(name: string): string | undefined };
  memoryUsage(): { rss: number };
  exit(code: number): never;
}
const deno = (globalThis as { Deno?: DenoLike }).Deno;
const args = deno ? deno.args : process.argv.slice(2);
const rss = () => (deno ? deno.memoryUsage().rss : process.memoryUsage().rss);
const env = (name: string) => (deno ? deno.env.get(name) : process.env[name]);
const transportName = env('BENCH_TRANSPORT') ?? 'tcp';

const targets = targetsFromEnv();
const ca = targets.caPem;

type Library = typeof import('../../src/index.ts');
const entry = new URL('../../dist/node/index.js', import.meta.url).href;

async function transportOption(lib: Library): Promise<Parameters<Library['loadCurl']>[0]> {
  if (transportName !== 'wisp') return {};
  // Node 20 has no WebSocket of its own; Deno and Bun do.
  const WebSocket = globalThis.WebSocket ?? (await import('ws')).WebSocket;
  return { transport: lib.wispTransport({ url: targets.proxy, WebSocket: WebSocket as never }) };
}

const started = performance.now();
const lib: Library = await import(entry);
const curl = await lib.loadCurl(await transportOption(lib));
const importToReady = performance.now() - started;

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

async function requestsPerSecond(
  base: string,
  concurrency: number,
  options: Options,
): Promise<number> {
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
    await transfer(`${targets.tlsChacha}/small`, {
      CAINFO_BLOB: ca,
      FRESH_CONNECT: 1,
      FORBID_REUSE: 1,
    });
    times.push(performance.now() - start);
  }
  return median(times);
}

async function h2Cold(): Promise<number> {
  const session = curl.session({ curl: { ca } });
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 50 }, () =>
      session.fetch(`${targets.tlsChacha}/small`).then((r) => r.arrayBuffer()),
    ),
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
  const before = rss();
  const response = await curl.fetch(`${targets.plain}/300M`);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const grown = (rss() - before) / MB;
  await response.body?.cancel();
  return grown;
}

/** A message's length: binary ones arrive as ArrayBuffers, text as strings. */
const size = (data: unknown) =>
  data instanceof ArrayBuffer ? data.byteLength : String(data).length;

async function withSocket(exchange: (socket: EchoSocket) => Promise<number>): Promise<number> {
  const ws = new curl.WebSocket(targets.wsEcho);
  ws.binaryType = 'arraybuffer';
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = (event) => reject(event.error);
  });
  const rate = await exchange({
    send: (message) => ws.send(message),
    onMessage: (listener) => (ws.onmessage = (event) => listener(size(event.data))),
  });
  ws.close();
  return rate;
}

/**
 * On Deno and Bun, the time this process took. Node runs this file under tsx, whose loader
 * sees every import, so there the same import and load are timed in a plain Node process.
 */
async function importTime(): Promise<number> {
  if (deno || 'Bun' in globalThis) return importToReady;
  const { execFileSync } = await import('node:child_process');
  const load =
    transportName === 'wisp'
      ? `lib.loadCurl({ transport: lib.wispTransport({ url: ${JSON.stringify(targets.proxy)}, ` +
        `WebSocket: (await import('ws')).WebSocket }) })`
      : 'lib.loadCurl()';
  const code =
    `const start = performance.now(); const lib = await import(${JSON.stringify(entry)}); ` +
    `const curl = await ${load}; console.log(performance.now() - start); curl.close();`;
  return Number(execFileSync(process.execPath, ['--input-type=module', '-e', code]).toString());
}

const tls = { CAINFO_BLOB: ca };
const h2 = { ...tls, PIPEWAIT: 1 };
const run: PeerRuns = {
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
  'import-to-ready': importTime,
  'heap-after-10k': heapAfter10k,
  'rss-unread-300mb': rssUnread,
  'ws-echo': () => withSocket((socket) => echoRate(socket, false)),
  'ws-echo-pipelined': () => withSocket((socket) => echoRate(socket, true)),
  'ws-push-100mb': () => withSocket(pushRate),
};

console.log(await peerAnswer(run, args[0]));
curl.close();
if (deno) deno.exit(0);
else process.exit(0);
