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
const WS = 'ws package (Node)';
const PAGE = 'libcurl-wasm (Chromium, main thread)';
const WORKER = 'libcurl-wasm (Chromium, Worker)';
const LIBCURL_JS = 'libcurl.js 0.7.4 (Chromium)';
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

function floor(target: string, ours: number | null, min: number, unit: string, note = ''): Verdict {
  if (ours === null) return { target, met: null, detail: 'not measured' };
  const shown = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 0 });
  return { target, met: ours >= min, detail: `${shown(ours)} ${unit} (at least ${shown(min)})${note}` };
}

/** Our page against libcurl.js's, both on Chromium's main thread through the same proxy. */
function againstLibcurlJs(results: Results, scenario: keyof Results, what: string): Verdict {
  const target = `${what} download ≥ 4 × libcurl.js (Chromium, main thread)`;
  return ratio(target, value(results, scenario, PAGE), value(results, scenario, LIBCURL_JS), 4);
}

function wsEcho(results: Results): Verdict {
  const pipelined = value(results, 'ws-echo-pipelined', OURS);
  const scale = value(results, 'ws-echo', WS);
  const notes = [
    pipelined === null ? '' : `all sent at once: ${pipelined.toFixed(0)}`,
    scale === null ? '' : `the ws package, one at a time: ${scale.toFixed(0)}`,
  ].filter(Boolean);
  const note = notes.length ? `; ${notes.join('; ')}` : '';
  const target = 'WebSocket echo ≥ 20,000 messages/s (Node, one at a time)';
  return floor(target, value(results, 'ws-echo', OURS), 20_000, 'msg/s', note);
}

export function evaluateTargets(results: Results, sizes: Sizes): Verdict[] {
  const tls = Math.max(value(results, 'download-tls-chacha', OURS) ?? 0, value(results, 'download-tls-aes', OURS) ?? 0) || null;
  const fetchTls = Math.max(value(results, 'download-tls-chacha', FETCH) ?? 0, value(results, 'download-tls-aes', FETCH) ?? 0) || null;
  const ours = sizes.find((s) => s.library === 'libcurl-wasm')!;
  const total = ours.wasm.gzip + ours.js.gzip;
  return [
    ratio('plain download ≥ 0.5 × native curl', value(results, 'download-plain', OURS), value(results, 'download-plain', NATIVE), 0.5),
    ratio("plain download ≥ 3 × Node's fetch", value(results, 'download-plain', OURS), value(results, 'download-plain', FETCH), 3),
    ratio("TLS download ≥ Node's fetch", tls, fetchTls, 1),
    againstLibcurlJs(results, 'download-plain', 'plain'),
    againstLibcurlJs(results, 'download-tls-aes', 'TLS AES-GCM'),
    againstLibcurlJs(results, 'download-tls-chacha', 'TLS ChaCha20'),
    ratio("small GETs at concurrency 50 ≥ 3 × Node's fetch", value(results, 'rps-h1-c50', OURS), value(results, 'rps-h1-c50', FETCH), 3),
    ratio("kept-alive GET no slower than Node's fetch", value(results, 'keepalive-latency', OURS), value(results, 'keepalive-latency', FETCH), 1, false),
    limit('new TLS connection + request within 5 ms', value(results, 'tls-new-connection', OURS), 5, 'ms'),
    limit('50 concurrent HTTPS GETs over HTTP/2 within 30 ms', value(results, 'h2-50-cold', OURS), 30, 'ms'),
    wsEcho(results),
    limit('import to first request within 30 ms', value(results, 'import-to-ready', OURS), 30, 'ms'),
    limit('wasm + JS ≤ 600 KB gzipped', total / KB, 600, 'KB'),
    limit('memory flat while a body is unread (< 16 MB)', value(results, 'rss-unread-300mb', OURS), 16, 'MB'),
    limit('heap back to its start after 10,000 requests', value(results, 'heap-after-10k', OURS), 0, 'MB'),
    limit('no main-thread stall over 50 ms (Chromium, main thread)', value(results, 'main-thread-stall', PAGE), 50, 'ms'),
    limit('no main-thread stall over 50 ms (Chromium, Worker mode)', value(results, 'main-thread-stall', WORKER), 50, 'ms'),
  ];
}
