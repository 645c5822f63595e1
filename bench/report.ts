// results.md: the scenarios with the peers side by side (one table for the server runtimes,
// one for Chromium), the sizes of the libraries, then the targets.
import { SCENARIOS } from './scenarios.js';
import type { Measurement, Results, Size, Sizes } from './run.js';
import type { Verdict } from './targets.js';

interface Report {
  date: string;
  machine: string;
  minutes: number;
  /** In the order they ran. */
  peers: string[];
  results: Results;
  sizes: Sizes;
  targets: Verdict[];
}

const KB = 1024;

function cell(m: Measurement | undefined): string {
  if (!m || m.median === null) return m?.error ? 'error' : '—';
  const big = m.median >= 1000;
  const ends = [m.min!, m.max!].map((n) => n.toFixed(big ? 0 : 1));
  const spread = m.runs.length > 1 ? ` (${ends.join('–')})` : '';
  return `${m.median.toFixed(big ? 0 : 2)}${spread}`;
}

function table(results: Results, peers: string[]): string[] {
  const cells = (name: keyof Results) => peers.map((p) => cell(results[name]?.[p]));
  const runs = (name: keyof Results) =>
    Math.max(...peers.map((p) => results[name]?.[p]?.runs.length ?? 0));
  const rows = SCENARIOS.filter((s) => cells(s.name).some((c) => c !== '—'));
  return [
    `| scenario | unit | runs | ${peers.join(' | ')} |`,
    `| --- | --- | --- | ${peers.map(() => '---').join(' | ')} |`,
    ...rows.map(
      (s) => `| ${s.title} | ${s.unit} | ${runs(s.name)} | ${cells(s.name).join(' | ')} |`,
    ),
  ];
}

function errors(results: Results): string[] {
  const shown = (error: string) => error.split('\n').slice(0, 3).join(' ').slice(0, 300);
  const lines = SCENARIOS.flatMap((s) =>
    Object.entries(results[s.name] ?? {})
      .filter(([, m]) => m.error)
      .map(([peer, m]) => `- ${peer}, ${s.name}: ${shown(m.error!)}`),
  );
  return lines.length ? ['Errors:', '', ...lines, ''] : [];
}

function sizeRows(sizes: Sizes): string[] {
  const kb = (n: number) => `${(n / KB).toFixed(0)} KB`;
  const row = (library: string, file: string, size: Size) =>
    `| ${library} | ${file} | ${kb(size.raw)} | ${kb(size.gzip)} | ${kb(size.brotli)} |`;
  return sizes.flatMap((s) => [
    row(s.library, 'wasm', s.wasm),
    row(s.library, 'js', s.js),
    row(s.library, '**total**', {
      raw: s.wasm.raw + s.js.raw,
      gzip: s.wasm.gzip + s.js.gzip,
      brotli: s.wasm.brotli + s.js.brotli,
    }),
  ]);
}

const met = (t: Verdict) => (t.met === null ? 'not measured' : t.met ? 'yes' : 'no');

function section(title: string, results: Results, peers: string[]): string[] {
  return peers.length ? [`## ${title}`, '', ...table(results, peers), ''] : [];
}

export function renderMarkdown(report: Report): string {
  const measured = new Set(Object.values(report.results).flatMap((row) => Object.keys(row)));
  const peers = report.peers.filter((p) => measured.has(p));
  const inBrowser = peers.filter((p) => p.includes('Chromium'));
  const onServers = peers.filter((p) => !inBrowser.includes(p));
  const lines = [
    '# Benchmarks',
    '',
    `Run ${report.date} on ${report.machine}, in ${report.minutes.toFixed(1)} minutes.`,
    'Each cell is the median of the runs, with the lowest and highest in brackets; — means the',
    'peer has no such scenario. Every server is on 127.0.0.1; the browser peers go through the',
    'local proxy. What each peer and scenario is: docs/BENCHMARKS.md.',
    '',
    ...section('Native, Node, Deno and Bun', report.results, onServers),
    ...section('Chromium', report.results, inBrowser),
    ...errors(report.results),
    '## Size',
    '',
    '| library | file | raw | gzip | brotli |',
    '| --- | --- | --- | --- | --- |',
    ...sizeRows(report.sizes),
    '',
    ...report.sizes.map((s) => `${s.library}: ${s.files}.`),
    '',
    '## Targets',
    '',
    '| target | met | detail |',
    '| --- | --- | --- |',
    ...report.targets.map((t) => `| ${t.target} | ${met(t)} | ${t.detail} |`),
    '',
  ];
  return lines.join('\n');
}
