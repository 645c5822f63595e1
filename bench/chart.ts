// chart.svg: the throughput scenarios as grouped bars, one colour per peer.
import { SCENARIOS } from './scenarios.js';
import type { Results } from './run.js';

const COLOURS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#9c755f'];

export function renderChart(results: Results): string {
  const scenarios = SCENARIOS.filter((s) => s.unit === 'MB/s');
  const peers = [...new Set(scenarios.flatMap((s) => Object.keys(results[s.name] ?? {})))];
  const max = Math.max(1, ...scenarios.flatMap((s) => peers.map((p) => results[s.name]?.[p]?.median ?? 0)));
  const bar = 18;
  const group = peers.length * bar + 24;
  const width = 720;
  const left = 220;
  const height = scenarios.length * group + 40 + peers.length * 18;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
  ];
  scenarios.forEach((s, i) => {
    const top = 20 + i * group;
    parts.push(`<text x="4" y="${top + group / 2 - 6}">${s.title} (MB/s)</text>`);
    peers.forEach((p, j) => {
      const v = results[s.name]?.[p]?.median ?? 0;
      const w = ((width - left - 60) * v) / max;
      const y = top + j * bar;
      parts.push(`<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="${bar - 4}" fill="${COLOURS[j % COLOURS.length]}"/>`);
      parts.push(`<text x="${left + w + 4}" y="${y + bar - 7}">${v.toFixed(0)}</text>`);
    });
  });
  const legendTop = 20 + scenarios.length * group;
  peers.forEach((p, j) => {
    parts.push(`<rect x="${left}" y="${legendTop + j * 18}" width="12" height="12" fill="${COLOURS[j % COLOURS.length]}"/>`);
    parts.push(`<text x="${left + 18}" y="${legendTop + j * 18 + 10}">${p.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}
