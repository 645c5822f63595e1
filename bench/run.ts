// `make bench`: every peer, every scenario, against the same local servers in one run.
// Writes bench/results/results.json, results.md and chart.svg.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { renderChart } from './chart.js';
import { renderMarkdown } from './report.js';
import { LIST, SCENARIOS, type Scenario, type ScenarioName } from './scenarios.js';
import { startBenchServers } from './servers.js';
import { evaluateTargets } from './targets.js';
import { launchChromiumServer } from '../test/support/browser.js';
import { BUN, DENO } from '../test/support/runtimes.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..');

export interface Peer {
  name: string;
  /** The command line, to which the scenario's name is added. */
  command: string[];
  env?: Record<string, string>;
  /** At most this many runs of any scenario, for peers whose runs take long. */
  maxRuns?: number;
  /** Fewer runs of some scenarios than maxRuns, where this peer is slower still. */
  runs?: Partial<Record<ScenarioName, number>>;
}

export interface Measurement {
  median: number | null;
  min: number | null;
  max: number | null;
  runs: number[];
  /** Wall time of all its runs, start-up included. */
  seconds: number;
  error?: string;
}

export type Results = Record<ScenarioName, Record<string, Measurement>>;

const RUN_TIMEOUT_MS = 180_000;

function peers(ca: string, browserEndpoint: string): Peer[] {
  const tsx = (script: string, ...args: string[]) => [
    process.execPath,
    '--import',
    'tsx',
    join(HERE, script),
    ...args,
  ];
  // Browser peers share the Chromium that main() keeps running, each run in a new context.
  const browser = (kind: string) => ({
    command: tsx('peers/chromium.ts', kind),
    env: { BENCH_BROWSER: browserEndpoint },
    maxRuns: 3,
  });
  const neutral = join(HERE, 'peers/libcurl-wasm.ts');
  const deno = [
    DENO,
    'run',
    '--no-prompt',
    '--allow-net=127.0.0.1,[::1],localhost',
    `--allow-read=${join(ROOT, 'dist')}`,
    '--allow-env=BENCH_TARGETS,BENCH_TRANSPORT',
    neutral,
  ];
  return [
    { name: 'curl (native)', command: tsx('peers/curl-cli.ts') },
    { name: "Node's fetch", command: tsx('peers/node-fetch.ts'), env: { NODE_EXTRA_CA_CERTS: ca } },
    { name: 'ws package (Node)', command: tsx('peers/ws-node.ts') },
    { name: 'libcurl-wasm (Node, TCP)', command: tsx('peers/libcurl-wasm.ts') },
    {
      name: 'libcurl-wasm (Node, Wisp proxy)',
      command: tsx('peers/libcurl-wasm.ts'),
      env: { BENCH_TRANSPORT: 'wisp' },
    },
    { name: 'libcurl-wasm (Deno, TCP)', command: deno },
    { name: 'libcurl-wasm (Bun, TCP)', command: [BUN, 'run', neutral] },
    { name: 'libcurl-wasm (Chromium, main thread)', ...browser('main') },
    { name: 'libcurl-wasm (Chromium, Worker)', ...browser('worker') },
    {
      name: 'libcurl.js 0.7.4 (Chromium)',
      ...browser('libcurl.js'),
      // It reads a WebSocket on a 0 ms interval timer, one message per tick: 5,100 messages
      // take it about 20 s a run.
      runs: { 'ws-echo': 1, 'ws-echo-pipelined': 1 },
    },
    { name: "Chromium's WebSocket", ...browser('native') },
  ];
}

/** Runs the peer with one argument and resolves with the JSON line it printed last. */
function ask<T>(peer: Peer, arg: string, targets: string): Promise<T> {
  const [command, ...args] = peer.command;
  const child = spawn(command!, [...args, arg], {
    cwd: ROOT,
    env: { ...process.env, ...peer.env, BENCH_TARGETS: targets },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data) => (stdout += data));
  child.stderr.on('data', (data) => (stderr += data));
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('{')) return resolve(JSON.parse(last) as T);
      const why =
        signal === 'SIGKILL' ? `no result after ${RUN_TIMEOUT_MS / 1000} s` : `exit ${code}`;
      reject(new Error(`${peer.name} / ${arg}: ${why}: ${stderr.slice(-800)}`));
    });
  });
}

async function measure(peer: Peer, scenario: Scenario, targets: string): Promise<Measurement> {
  const started = performance.now();
  const seconds = () => Math.round(performance.now() - started) / 1000;
  const values: number[] = [];
  const limits = [peer.maxRuns ?? Infinity, peer.runs?.[scenario.name] ?? Infinity];
  const runs = Math.min(scenario.runs, ...limits);
  try {
    for (let i = 0; i < runs; i++) {
      const { value } = await ask<{ value: number | null }>(peer, scenario.name, targets);
      if (value === null) {
        return { median: null, min: null, max: null, runs: [], seconds: seconds() };
      }
      values.push(value);
    }
  } catch (error) {
    const message = String((error as Error).message);
    return { median: null, min: null, max: null, runs: values, seconds: seconds(), error: message };
  }
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, runs: values, seconds: seconds() };
}

export interface Size {
  raw: number;
  gzip: number;
  brotli: number;
}

/** What a page downloads to use a library: its wasm, and its JS as a browser loads it. */
export interface LibrarySize {
  library: string;
  wasm: Size;
  js: Size;
  /** Which files were counted. */
  files: string;
}

export type Sizes = LibrarySize[];

function sizeOf(bytes: Buffer): Size {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes).length,
  };
}

function sizes(): Sizes {
  const dir = join(ROOT, 'dist/browser');
  const chunks = readdirSync(join(dir, 'assets'))
    .filter((f) => f.endsWith('.js') && !f.startsWith('node-tcp'))
    .map((f) => join(dir, 'assets', f));
  const js = Buffer.concat([join(dir, 'libcurl-wasm.js'), ...chunks].map((f) => readFileSync(f)));
  const theirs = join(ROOT, 'node_modules/libcurl.js');
  return [
    {
      library: 'libcurl-wasm',
      wasm: sizeOf(readFileSync(join(dir, 'libcurl.wasm'))),
      js: sizeOf(js),
      files: 'dist/browser: libcurl.wasm; libcurl-wasm.js and its chunks but node-tcp',
    },
    {
      library: 'libcurl.js 0.7.4',
      wasm: sizeOf(readFileSync(join(theirs, 'libcurl.wasm'))),
      js: sizeOf(readFileSync(join(theirs, 'libcurl.mjs'))),
      files: 'node_modules/libcurl.js: libcurl.wasm; libcurl.mjs',
    },
  ];
}

async function main(): Promise<void> {
  const started = performance.now();
  const servers = await startBenchServers();
  const targets = JSON.stringify(servers.targets);
  const results = {} as Results;
  // BENCH_SCENARIOS=download-plain,upload runs only those scenarios, and BENCH_PEERS=Deno,Bun
  // only the peers whose names contain one of the words (for working on one number).
  const only = process.env.BENCH_SCENARIOS?.split(',');
  const words = process.env.BENCH_PEERS?.split(',');
  const chromium = await launchChromiumServer();
  const chosen = peers(servers.targets.ca, chromium.wsEndpoint()).filter(
    (p) => !words || words.some((w) => p.name.includes(w)),
  );
  try {
    // Each peer says once which scenarios it has; the others are not started for it.
    const has = new Map<Peer, ScenarioName[]>();
    for (const peer of chosen) {
      has.set(peer, (await ask<{ scenarios: ScenarioName[] }>(peer, LIST, targets)).scenarios);
    }
    for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.name))) {
      results[scenario.name] = {};
      for (const peer of chosen.filter((p) => has.get(p)!.includes(scenario.name))) {
        const m = await measure(peer, scenario, targets);
        results[scenario.name][peer.name] = m;
        const shown = m.median === null ? (m.error ? 'error' : 'n/a') : m.median.toFixed(2);
        const took = `(${m.runs.length} runs, ${m.seconds.toFixed(0)} s)`;
        const line = `${scenario.name.padEnd(20)} ${peer.name.padEnd(38)} ${shown}`;
        console.log(`${line} ${scenario.unit} ${took}`);
        if (m.error) console.log(`  ${m.error.split('\n')[0]}`);
      }
    }
  } finally {
    await chromium.close();
    await servers.close();
  }
  const size = sizes();
  const verdicts = evaluateTargets(results, size);
  const out = join(HERE, 'results');
  mkdirSync(out, { recursive: true });
  const report = {
    date: new Date().toISOString(),
    machine: machine(),
    minutes: (performance.now() - started) / 60_000,
    peers: chosen.map((p) => p.name),
    results,
    sizes: size,
    targets: verdicts,
  };
  writeFileSync(join(out, 'results.json'), JSON.stringify(report, null, 2));
  writeFileSync(join(out, 'results.md'), renderMarkdown(report));
  writeFileSync(join(out, 'chart.svg'), renderChart(results));
  console.log(`\nwritten: bench/results/results.{json,md}, chart.svg`);
}

function machine(): string {
  const cpus =
    readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown cpu';
  return `${cpus}, ${process.platform}, Node ${process.version}`;
}

await main();
