// chart.svg: the throughput scenarios as grouped bars, one colour per peer; a peer without a
// number in a scenario gets no bar there.
import { SCENARIOS } from './scenarios.js';
import type { Results } from './run.js';

const COLOURS = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#76b7b2',
  '#edc948',
  '#b07aa1',
  '#9c755f',
  '#ff9da7',
  '#bab0ac',
  '#1b9e77',
  '#7570b3',
];

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

export function renderChart(results: Results): string {
  const scenarios = SCENARIOS.filter((s) => s.unit === 'MB/s' && results[s.name]);
  const peers = [...new Set(scenarios.flatMap((s) => Object.keys(results[s.name] ?? {})))];
  const measured = (name: keyof Results) => peers.filter((p) => results[name]?.[p]?.median != null);
  const values = scenarios.flatMap((s) => peers.map((p) => results[s.name]?.[p]?.median ?? 0));
  const max = Math.max(1, ...values);
  const bar = 18;
  const width = 760;
  const left = 20;
  const parts: string[] = [];
  let top = 24;
  for (const s of scenarios) {
    const shown = measured(s.name);
    parts.push(`<text x="4" y="${top + 12}">${escape(s.title)}</text>`);
    top += 18;
    shown.forEach((p, j) => {
      const v = results[s.name]![p]!.median!;
      const w = ((width - left - 60) * v) / max;
      const y = top + j * bar;
      const colour = COLOURS[peers.indexOf(p) % COLOURS.length];
      const size = `width="${w.toFixed(1)}" height="${bar - 4}"`;
      parts.push(`<rect x="${left}" y="${y}" ${size} fill="${colour}"/>`);
      parts.push(`<text x="${left + w + 4}" y="${y + bar - 7}">${v.toFixed(0)}</text>`);
    });
    top += shown.length * bar + 12;
  }
  peers.forEach((p, j) => {
    const colour = COLOURS[j % COLOURS.length];
    parts.push(`<rect x="${left}" y="${top + j * 18}" width="12" height="12" fill="${colour}"/>`);
    parts.push(`<text x="${left + 18}" y="${top + j * 18 + 10}">${escape(p)}</text>`);
  });
  const height = top + peers.length * 18 + 20;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      'font-family="sans-serif" font-size="12">',
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="4" y="14" font-weight="bold">MB/s, median of the runs</text>`,
    ...parts,
    '</svg>',
  ].join('\n');
}
