// results.md: the scenarios with the peers side by side (one table for the server runtimes,
// one for Chromium), the sizes of the libraries, then the targets.
import { SCENARIOS } from './scenarios.js';
import type { Measurement, Results, Sizes } from './run.js';
import type { Verdict } from './targets.js';

interface Report {
  date: string;
  machine: string;
  minutes: number;
  results: Results;
  sizes: Sizes;
  targets: Verdict[];
}

const KB = 1024;

function cell(m: Measurement | undefined): string {
  if (!m || m.median === null) return m?.error ? 'error' : '—';
  const digits = m.median >= 1000 ? 0 : 2;
  const spread = m.runs.length > 1 ? ` (${m.min!.toFixed(digits ? 1 : 0)}–${m.max!.toFixed(digits ? 1 : 0)})` : '';
  return `${m.median.toFixed(digits)}${spread}`;
}

function table(results: Results, peers: string[]): string[] {
  const rows = SCENARIOS.filter((s) => peers.some((p) => results[s.name]?.[p] && cell(results[s.name][p]) !== '—'));
  const runs = (name: keyof Results) => Math.max(...peers.map((p) => results[name]?.[p]?.runs.length ?? 0));
  return [
    `| scenario | unit | runs | ${peers.join(' | ')} |`,
    `| --- | --- | --- | ${peers.map(() => '---').join(' | ')} |`,
    ...rows.map((s) => `| ${s.title} | ${s.unit} | ${runs(s.name)} | ${peers.map((p) => cell(results[s.name]?.[p])).join(' | ')} |`),
  ];
}

function errors(results: Results): string[] {
  const lines = SCENARIOS.flatMap((s) =>
    Object.entries(results[s.name] ?? {})
      .filter(([, m]) => m.error)
      .map(([peer, m]) => `- ${peer}, ${s.name}: ${m.error!.split('\n').slice(0, 3).join(' ').slice(0, 300)}`),
  );
  return lines.length ? ['', 'Errors:', '', ...lines] : [];
}

function sizeRows(sizes: Sizes): string[] {
  const kb = (n: number) => `${(n / KB).toFixed(0)} KB`;
  return sizes.flatMap((s) => [
    ...(['wasm', 'js'] as const).map((k) => `| ${s.library} | ${k} | ${kb(s[k].raw)} | ${kb(s[k].gzip)} | ${kb(s[k].brotli)} |`),
    `| ${s.library} | **total** | ${kb(s.wasm.raw + s.js.raw)} | ${kb(s.wasm.gzip + s.js.gzip)} | ${kb(s.wasm.brotli + s.js.brotli)} |`,
  ]);
}

export function renderMarkdown(report: Report): string {
  const peers = [...new Set(Object.values(report.results).flatMap((row) => Object.keys(row)))];
  const inBrowser = peers.filter((p) => p.includes('Chromium'));
  const onServers = peers.filter((p) => !inBrowser.includes(p));
  const lines = [
    '# Benchmarks',
    '',
    `Run ${report.date} on ${report.machine}, in ${report.minutes.toFixed(1)} minutes. Each cell is`,
    'the median of the runs, with the lowest and highest in brackets; — means the peer has no',
    'such scenario. Every server is on 127.0.0.1; the browser peers go through the local proxy.',
    '',
    ...(onServers.length ? ['## Native, Node, Deno and Bun', '', ...table(report.results, onServers), ''] : []),
    ...(inBrowser.length ? ['## Chromium', '', ...table(report.results, inBrowser), ''] : []),
    ...errors(report.results),
    '',
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
    ...report.targets.map((t) => `| ${t.target} | ${t.met === null ? 'not measured' : t.met ? 'yes' : 'no'} | ${t.detail} |`),
    '',
  ];
  return lines.join('\n');
}
