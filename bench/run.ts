// `make bench`: every peer, every scenario, against the same local servers in one run.
// Writes bench/results/results.json, results.md and chart.svg.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { renderChart } from './chart.js';
import { renderMarkdown } from './report.js';
import { SCENARIOS, type ScenarioName } from './scenarios.js';
import { startBenchServers } from './servers.js';
import { evaluateTargets } from './targets.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..');

export interface Peer {
  name: string;
  script: string;
  env?: Record<string, string>;
}

export interface Measurement {
  median: number | null;
  min: number | null;
  max: number | null;
  runs: number[];
  error?: string;
}

export type Results = Record<ScenarioName, Record<string, Measurement>>;

function peers(ca: string): Peer[] {
  return [
    { name: 'curl (native)', script: 'peers/curl-cli.ts' },
    { name: "Node's fetch", script: 'peers/node-fetch.ts', env: { NODE_EXTRA_CA_CERTS: ca } },
    { name: 'libcurl-wasm (Node, TCP)', script: 'peers/libcurl-wasm-node.ts' },
  ];
}

function runOnce(peer: Peer, scenario: ScenarioName, targets: string): number | null {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(HERE, peer.script), scenario], {
    cwd: ROOT,
    env: { ...process.env, ...peer.env, BENCH_TARGETS: targets },
    encoding: 'utf8',
    timeout: 180_000,
  });
  const last = result.stdout?.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !last.startsWith('{')) {
    throw new Error(`${peer.name} / ${scenario}: ${result.stderr?.slice(-500) || result.error}`);
  }
  return (JSON.parse(last) as { value: number | null }).value;
}

function measure(peer: Peer, scenario: ScenarioName, runs: number, targets: string): Measurement {
  const values: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const value = runOnce(peer, scenario, targets);
      if (value === null) return { median: null, min: null, max: null, runs: [] };
      values.push(value);
    }
  } catch (error) {
    return { median: null, min: null, max: null, runs: values, error: String((error as Error).message) };
  }
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)!, runs: values };
}

export interface Sizes {
  wasm: { raw: number; gzip: number; brotli: number };
  js: { raw: number; gzip: number; brotli: number };
}

function sizes(): Sizes {
  const measureBytes = (bytes: Buffer) => ({
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes).length,
  });
  const dir = join(ROOT, 'dist/browser');
  const js = Buffer.concat(
    [join(dir, 'libcurl-wasm.js'), ...readdirSync(join(dir, 'assets'))
      .filter((f) => f.endsWith('.js') && !f.startsWith('node-tcp'))
      .map((f) => join(dir, 'assets', f))].map((f) => readFileSync(f)),
  );
  return { wasm: measureBytes(readFileSync(join(dir, 'libcurl.wasm'))), js: measureBytes(js) };
}

async function main(): Promise<void> {
  const servers = await startBenchServers();
  const targets = JSON.stringify(servers.targets);
  const results = {} as Results;
  // BENCH_SCENARIOS=download-plain,upload runs only those (for working on one number).
  const only = process.env.BENCH_SCENARIOS?.split(',');
  try {
    for (const scenario of SCENARIOS.filter((s) => !only || only.includes(s.name))) {
      results[scenario.name] = {};
      for (const peer of peers(servers.targets.ca)) {
        const m = measure(peer, scenario.name, scenario.runs, targets);
        results[scenario.name][peer.name] = m;
        const shown = m.median === null ? (m.error ? 'error' : 'n/a') : m.median.toFixed(2);
        console.log(`${scenario.name.padEnd(22)} ${peer.name.padEnd(28)} ${shown} ${scenario.unit}`);
      }
    }
  } finally {
    await servers.close();
  }
  const size = sizes();
  const verdicts = evaluateTargets(results, size);
  const out = join(HERE, 'results');
  mkdirSync(out, { recursive: true });
  const report = { date: new Date().toISOString(), machine: machine(), results, sizes: size, targets: verdicts };
  writeFileSync(join(out, 'results.json'), JSON.stringify(report, null, 2));
  writeFileSync(join(out, 'results.md'), renderMarkdown(report));
  writeFileSync(join(out, 'chart.svg'), renderChart(results));
  console.log(`\nwritten: bench/results/results.{json,md}, chart.svg`);
}

function machine(): string {
  const cpus = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown cpu';
  return `${cpus}, ${process.platform}, Node ${process.version}`;
}

await main();
