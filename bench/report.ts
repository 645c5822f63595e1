// results.md: one table per scenario group, peers side by side, then the targets.
import { SCENARIOS } from './scenarios.js';
import type { Measurement, Results, Sizes } from './run.js';
import type { Verdict } from './targets.js';

interface Report {
  date: string;
  machine: string;
  results: Results;
  sizes: Sizes;
  targets: Verdict[];
}

function cell(m: Measurement | undefined): string {
  if (!m || m.median === null) return m?.error ? 'error' : '—';
  const spread = m.runs.length > 1 ? ` (${m.min!.toFixed(1)}–${m.max!.toFixed(1)})` : '';
  return `${m.median.toFixed(2)}${spread}`;
}

export function renderMarkdown(report: Report): string {
  const peers = [...new Set(Object.values(report.results).flatMap((row) => Object.keys(row)))];
  const lines = [
    '# Benchmarks',
    '',
    `Run ${report.date} on ${report.machine}. Median of the runs, with the spread in brackets.`,
    '',
    `| scenario | unit | ${peers.join(' | ')} |`,
    `| --- | --- | ${peers.map(() => '---').join(' | ')} |`,
    ...SCENARIOS.map((s) => `| ${s.title} | ${s.unit} | ${peers.map((p) => cell(report.results[s.name]?.[p])).join(' | ')} |`),
    '',
    '## Size',
    '',
    '| file | raw | gzip | brotli |',
    '| --- | --- | --- | --- |',
    ...(['wasm', 'js'] as const).map((k) => {
      const s = report.sizes[k];
      return `| ${k} | ${(s.raw / 1024).toFixed(0)} KB | ${(s.gzip / 1024).toFixed(0)} KB | ${(s.brotli / 1024).toFixed(0)} KB |`;
    }),
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
