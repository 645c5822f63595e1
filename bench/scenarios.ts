// The measurements, shared by every peer: what each one does, and the unit of its result.

export type ScenarioName =
  | 'download-plain'
  | 'download-tls-aes'
  | 'download-tls-chacha'
  | 'upload'
  | 'keepalive-latency'
  | 'rps-h1-c1'
  | 'rps-h1-c50'
  | 'rps-h2-c1'
  | 'rps-h2-c50'
  | 'tls-new-connection'
  | 'h2-50-cold'
  | 'import-to-ready'
  | 'heap-after-10k'
  | 'rss-unread-300mb'
  | 'ws-echo'
  | 'ws-echo-pipelined'
  | 'main-thread-stall'
  | 'ws-push-100mb';

/** Messages of the WebSocket echo scenarios, each a short text message. */
export const WS_MESSAGES = 5000;
export const WS_MESSAGE = 'echo this, please';

export interface Scenario {
  name: ScenarioName;
  title: string;
  unit: 'MB/s' | 'ms' | 'req/s' | 'MB' | 'msg/s';
  /** Whether a larger number is better. */
  higherIsBetter: boolean;
  runs: number;
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'download-plain',
    title: '100 MB download, plain HTTP',
    unit: 'MB/s',
    higherIsBetter: true,
    runs: 5,
  },
  {
    name: 'download-tls-aes',
    title: '100 MB download, TLS 1.3 AES-GCM',
    unit: 'MB/s',
    higherIsBetter: true,
    runs: 3,
  },
  {
    name: 'download-tls-chacha',
    title: '100 MB download, TLS 1.3 ChaCha20',
    unit: 'MB/s',
    higherIsBetter: true,
    runs: 3,
  },
  {
    name: 'upload',
    title: '100 MB streaming upload, plain HTTP',
    unit: 'MB/s',
    higherIsBetter: true,
    runs: 3,
  },
  {
    name: 'keepalive-latency',
    title: 'small GET on a kept-alive connection',
    unit: 'ms',
    higherIsBetter: false,
    runs: 5,
  },
  {
    name: 'rps-h1-c1',
    title: '1,000 small GETs, HTTP/1.1, concurrency 1',
    unit: 'req/s',
    higherIsBetter: true,
    runs: 3,
  },
  {
    name: 'rps-h1-c50',
    title: '1,000 small GETs, HTTP/1.1, concurrency 50',
    unit: 'req/s',
    higherIsBetter: true,
    runs: 3,
  },
  {
    name: 'rps-h2-c1',
    title: '1,000 small GETs, HTTPS HTTP/2, concurrency 1',
    unit: 'req/s',
    higherIsBetter: true,
    runs: 3,
  },
  {
    name: 'rps-h2-c50',
    title: '1,000 small GETs, HTTPS HTTP/2, concurrency 50',
    unit: 'req/s',
    higherIsBetter: true,
    runs: 3,
  },
  {
    name: 'tls-new-connection',
    title: 'new TLS connection plus one request',
    unit: 'ms',
    higherIsBetter: false,
    runs: 5,
  },
  {
    name: 'h2-50-cold',
    title: '50 concurrent small HTTPS GETs over HTTP/2, cold',
    unit: 'ms',
    higherIsBetter: false,
    runs: 5,
  },
  {
    name: 'import-to-ready',
    title: 'import to first request ready',
    unit: 'ms',
    higherIsBetter: false,
    runs: 5,
  },
  {
    name: 'heap-after-10k',
    title: 'wasm heap in use after 10,000 requests, over its start',
    unit: 'MB',
    higherIsBetter: false,
    runs: 1,
  },
  {
    name: 'rss-unread-300mb',
    title: 'RSS growth while a 300 MB body is left unread',
    unit: 'MB',
    higherIsBetter: false,
    runs: 1,
  },
  {
    name: 'ws-echo',
    title: `WebSocket echo, ${WS_MESSAGES.toLocaleString('en')} small messages one at a time`,
    unit: 'msg/s',
    higherIsBetter: true,
    runs: 3,
  },
  {
    name: 'ws-echo-pipelined',
    title: `WebSocket echo, ${WS_MESSAGES.toLocaleString('en')} small messages sent at once`,
    unit: 'msg/s',
    higherIsBetter: true,
    runs: 3,
  },
  {
    name: 'ws-push-100mb',
    title: '100 MB pushed over one WebSocket in 64 KiB messages',
    unit: 'MB/s',
    higherIsBetter: true,
    runs: 3,
  },
  {
    name: 'main-thread-stall',
    title: 'longest main-thread stall during a 100 MB download (Chromium)',
    unit: 'ms',
    higherIsBetter: false,
    runs: 3,
  },
];

/** Where the peers find the servers: handed over in the environment. */
export interface Targets {
  plain: string; // http://127.0.0.1:port
  tlsAes: string; // https://localhost:port (AES-GCM only)
  tlsChacha: string; // https://localhost:port (ChaCha20 only)
  upload: string; // http://127.0.0.1:port/upload
  wsEcho: string; // ws://127.0.0.1:port/ (the ws package's server, echoing every message)
  proxy: string; // ws://127.0.0.1:port/ (this project's proxy: Wisp v1 and v2, websockify)
  files: string; // the folder nginx serves: 100M, 300M, small
  ca: string; // path of the test CA
  caPem: string; // the test CA itself, for peers that read no files
}

export const MB = 1 << 20;

/** Called with this argument, a peer prints the scenarios it has instead of measuring. */
export const LIST = '--list';

export type PeerRuns = Partial<Record<ScenarioName, () => number | null | Promise<number | null>>>;

/**
 * The line a peer prints for its argument: `{"scenarios": [...]}` for LIST, else
 * `{"value": ...}`, null when it has no such scenario.
 */
export async function peerAnswer(run: PeerRuns, arg: string | undefined): Promise<string> {
  if (arg === LIST) return JSON.stringify({ scenarios: Object.keys(run) });
  const measure = run[arg as ScenarioName];
  return JSON.stringify({ value: measure ? await measure() : null });
}

export function targetsFromEnv(): Targets {
  const deno = (globalThis as { Deno?: { env: { get(name: string): string | undefined } } }).Deno;
  const raw = deno ? deno.env.get('BENCH_TARGETS') : process.env.BENCH_TARGETS;
  if (!raw) throw new Error('BENCH_TARGETS is not set: run bench/run.ts');
  return JSON.parse(raw) as Targets;
}
