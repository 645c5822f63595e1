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
  | 'rss-unread-300mb';

export interface Scenario {
  name: ScenarioName;
  title: string;
  unit: 'MB/s' | 'ms' | 'req/s' | 'MB';
  /** Whether a larger number is better. */
  higherIsBetter: boolean;
  runs: number;
}

export const SCENARIOS: Scenario[] = [
  { name: 'download-plain', title: '100 MB download, plain HTTP', unit: 'MB/s', higherIsBetter: true, runs: 5 },
  { name: 'download-tls-aes', title: '100 MB download, TLS 1.3 AES-GCM', unit: 'MB/s', higherIsBetter: true, runs: 3 },
  { name: 'download-tls-chacha', title: '100 MB download, TLS 1.3 ChaCha20', unit: 'MB/s', higherIsBetter: true, runs: 3 },
  { name: 'upload', title: '100 MB streaming upload, plain HTTP', unit: 'MB/s', higherIsBetter: true, runs: 3 },
  { name: 'keepalive-latency', title: 'small GET on a kept-alive connection', unit: 'ms', higherIsBetter: false, runs: 5 },
  { name: 'rps-h1-c1', title: '1,000 small GETs, HTTP/1.1, concurrency 1', unit: 'req/s', higherIsBetter: true, runs: 3 },
  { name: 'rps-h1-c50', title: '1,000 small GETs, HTTP/1.1, concurrency 50', unit: 'req/s', higherIsBetter: true, runs: 3 },
  { name: 'rps-h2-c1', title: '1,000 small GETs, HTTPS HTTP/2, concurrency 1', unit: 'req/s', higherIsBetter: true, runs: 3 },
  { name: 'rps-h2-c50', title: '1,000 small GETs, HTTPS HTTP/2, concurrency 50', unit: 'req/s', higherIsBetter: true, runs: 3 },
  { name: 'tls-new-connection', title: 'new TLS connection plus one request', unit: 'ms', higherIsBetter: false, runs: 5 },
  { name: 'h2-50-cold', title: '50 concurrent small HTTPS GETs over HTTP/2, cold', unit: 'ms', higherIsBetter: false, runs: 5 },
  { name: 'import-to-ready', title: 'import to first request ready', unit: 'ms', higherIsBetter: false, runs: 5 },
  { name: 'heap-after-10k', title: 'wasm heap in use after 10,000 requests, over its start', unit: 'MB', higherIsBetter: false, runs: 1 },
  { name: 'rss-unread-300mb', title: 'RSS growth while a 300 MB body is left unread', unit: 'MB', higherIsBetter: false, runs: 1 },
];

/** Where the peers find the servers: handed over in the environment. */
export interface Targets {
  plain: string; // http://127.0.0.1:port
  tlsAes: string; // https://localhost:port (AES-GCM only)
  tlsChacha: string; // https://localhost:port (ChaCha20 only)
  upload: string; // http://127.0.0.1:port/upload
  ca: string; // path of the test CA
}

export const MB = 1 << 20;

export function targetsFromEnv(): Targets {
  const raw = process.env.BENCH_TARGETS;
  if (!raw) throw new Error('BENCH_TARGETS is not set: run bench/run.ts');
  return JSON.parse(raw) as Targets;
}
