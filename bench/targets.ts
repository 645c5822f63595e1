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
  const detail = `${ours.toFixed(2)} vs ${theirs.toFixed(2)} (×${(ours / theirs).toFixed(2)})`;
  return { target, met, detail };
}

function limit(target: string, ours: number | null, max: number, unit: string): Verdict {
  if (ours === null) return { target, met: null, detail: 'not measured' };
  return { target, met: ours <= max, detail: `${ours.toFixed(2)} ${unit} (limit ${max} ${unit})` };
}

function floor(target: string, ours: number | null, min: number, unit: string, note = ''): Verdict {
  if (ours === null) return { target, met: null, detail: 'not measured' };
  const shown = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 0 });
  const detail = `${shown(ours)} ${unit} (at least ${shown(min)})${note}`;
  return { target, met: ours >= min, detail };
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

/** The better of the two TLS downloads of one peer. */
function bestTls(results: Results, peer: string): number | null {
  const both = ['download-tls-chacha', 'download-tls-aes'] as const;
  return Math.max(...both.map((scenario) => value(results, scenario, peer) ?? 0)) || null;
}

export function evaluateTargets(results: Results, sizes: Sizes): Verdict[] {
  const ours = (scenario: keyof Results) => value(results, scenario, OURS);
  const of = (scenario: keyof Results, peer: string) => value(results, scenario, peer);
  const size = sizes.find((s) => s.library === 'libcurl-wasm')!;
  const plain = 'download-plain';
  const stall = 'main-thread-stall';
  return [
    ratio('plain download ≥ 0.5 × native curl', ours(plain), of(plain, NATIVE), 0.5),
    ratio("plain download ≥ 3 × Node's fetch", ours(plain), of(plain, FETCH), 3),
    ratio("TLS download ≥ Node's fetch", bestTls(results, OURS), bestTls(results, FETCH), 1),
    againstLibcurlJs(results, 'download-plain', 'plain'),
    againstLibcurlJs(results, 'download-tls-aes', 'TLS AES-GCM'),
    againstLibcurlJs(results, 'download-tls-chacha', 'TLS ChaCha20'),
    ratio(
      "small GETs at concurrency 50 ≥ 3 × Node's fetch",
      ours('rps-h1-c50'),
      of('rps-h1-c50', FETCH),
      3,
    ),
    ratio(
      "kept-alive GET no slower than Node's fetch",
      ours('keepalive-latency'),
      of('keepalive-latency', FETCH),
      1,
      false,
    ),
    limit('new TLS connection + request within 5 ms', ours('tls-new-connection'), 5, 'ms'),
    limit('50 concurrent HTTPS GETs over HTTP/2 within 30 ms', ours('h2-50-cold'), 30, 'ms'),
    wsEcho(results),
    limit('import to first request within 30 ms', ours('import-to-ready'), 30, 'ms'),
    limit('wasm + JS ≤ 600 KB gzipped', (size.wasm.gzip + size.js.gzip) / KB, 600, 'KB'),
    limit('memory flat while a body is unread (< 16 MB)', ours('rss-unread-300mb'), 16, 'MB'),
    limit('heap back to its start after 10,000 requests', ours('heap-after-10k'), 0, 'MB'),
    limit('no main-thread stall over 50 ms (Chromium, main thread)', of(stall, PAGE), 50, 'ms'),
    limit('no main-thread stall over 50 ms (Chromium, Worker mode)', of(stall, WORKER), 50, 'ms'),
  ];
}
