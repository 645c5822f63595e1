// The targets this project sets itself (issue 7), judged on one run's results. A target
// whose peer was not measured in this run says so instead of passing or failing.
import type { Results, Sizes } from './run.js';

export interface Verdict {
  target: string;
  met: boolean | null;
  detail: string;
}

const OURS = 'libcurl-wasm (Node, TCP)';
const NATIVE = 'curl (native)';
const FETCH = "Node's fetch";
const KB = 1024;

function value(results: Results, scenario: keyof Results, peer: string): number | null {
  return results[scenario]?.[peer]?.median ?? null;
}

function ratio(
  target: string,
  ours: number | null,
  theirs: number | null,
  factor: number,
  higherIsBetter = true,
): Verdict {
  if (ours === null || theirs === null) return { target, met: null, detail: 'not measured' };
  const met = higherIsBetter ? ours >= factor * theirs : ours <= factor * theirs;
  return { target, met, detail: `${ours.toFixed(2)} vs ${theirs.toFixed(2)} (×${(ours / theirs).toFixed(2)})` };
}

function limit(target: string, ours: number | null, max: number, unit: string): Verdict {
  if (ours === null) return { target, met: null, detail: 'not measured' };
  return { target, met: ours <= max, detail: `${ours.toFixed(2)} ${unit} (limit ${max} ${unit})` };
}

export function evaluateTargets(results: Results, sizes: Sizes): Verdict[] {
  const tls = Math.max(value(results, 'download-tls-chacha', OURS) ?? 0, value(results, 'download-tls-aes', OURS) ?? 0) || null;
  const fetchTls = Math.max(value(results, 'download-tls-chacha', FETCH) ?? 0, value(results, 'download-tls-aes', FETCH) ?? 0) || null;
  const total = sizes.wasm.gzip + sizes.js.gzip;
  return [
    ratio('plain download ≥ 0.5 × native curl', value(results, 'download-plain', OURS), value(results, 'download-plain', NATIVE), 0.5),
    ratio("plain download ≥ 3 × Node's fetch", value(results, 'download-plain', OURS), value(results, 'download-plain', FETCH), 3),
    ratio("TLS download ≥ Node's fetch", tls, fetchTls, 1),
    { target: 'downloads ≥ 4 × libcurl.js', met: null, detail: 'libcurl.js not in this run' },
    ratio("small GETs at concurrency 50 ≥ 3 × Node's fetch", value(results, 'rps-h1-c50', OURS), value(results, 'rps-h1-c50', FETCH), 3),
    ratio("kept-alive GET no slower than Node's fetch", value(results, 'keepalive-latency', OURS), value(results, 'keepalive-latency', FETCH), 1, false),
    limit('new TLS connection + request within 5 ms', value(results, 'tls-new-connection', OURS), 5, 'ms'),
    limit('50 concurrent HTTPS GETs over HTTP/2 within 30 ms', value(results, 'h2-50-cold', OURS), 30, 'ms'),
    { target: 'WebSocket echo ≥ 20,000 messages/s', met: null, detail: 'not in this run' },
    limit('import to first request within 30 ms', value(results, 'import-to-ready', OURS), 30, 'ms'),
    limit('wasm + JS ≤ 600 KB gzipped', total / KB, 600, 'KB'),
    limit('memory flat while a body is unread (< 16 MB)', value(results, 'rss-unread-300mb', OURS), 16, 'MB'),
    limit('heap back to its start after 10,000 requests', value(results, 'heap-after-10k', OURS), 0, 'MB'),
    { target: 'no main-thread stall over 50 ms (Chromium)', met: null, detail: 'not in this run' },
  ];
}
