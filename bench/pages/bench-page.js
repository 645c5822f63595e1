// One scenario in the page, for one browser peer: this library on the main thread ('main'),
// in Worker mode ('worker'), or libcurl.js 0.7.4 from node_modules ('libcurl.js'), all through
// the local proxy; or, for scale, Chromium's own WebSocket straight to the server ('native').
// bench/peers/chromium.ts opens this page and reads `window.result`: { value } in the
// scenario's unit, or { error }.
import { echoRate, opened, pushRate } from './echo.js';

const MB = 1 << 20;
const params = new URL(location.href).searchParams;
const peer = params.get('peer');
const scenario = params.get('scenario');
const targets = JSON.parse(params.get('targets'));

/** A client: fetch(url) for plain and TLS URLs alike, and an echo rate for WebSockets. */
async function loadOurs() {
  const ca = await (await fetch('/test-ca.pem')).text();
  const started = performance.now();
  const { loadCurl, wispTransport } = await import('/lib/libcurl-wasm.js');
  const curl = await loadCurl({ transport: wispTransport({ url: targets.proxy }) });
  return {
    ready: performance.now() - started,
    fetch: (url) => curl.fetch(url, { curl: { ca } }),
    async echo(pipelined) {
      const socket = new curl.WebSocket(targets.wsEcho);
      await opened(socket);
      return echoRate(socket, pipelined);
    },
  };
}

async function loadWorkerMode() {
  const ca = await (await fetch('/test-ca.pem')).text();
  const started = performance.now();
  const { connectCurlWorker } = await import('/lib/worker.js');
  const query = `proxy=${encodeURIComponent(targets.proxy)}`;
  const curl = connectCurlWorker(new Worker(`/bench/curl-worker.js?${query}`, { type: 'module' }));
  await curl.ready();
  return {
    ready: performance.now() - started,
    fetch: (url) => curl.fetch(url, { curl: { ca } }),
    echo: (pipelined) =>
      new Promise((resolve, reject) => {
        const worker = new Worker('/bench/ws-worker.js', { type: 'module' });
        worker.onmessage = ({ data }) =>
          data.error ? reject(new Error(data.error)) : resolve(data.rate);
        worker.postMessage({ proxy: targets.proxy, url: targets.wsEcho, pipelined });
      }),
  };
}

/** Resolves with the memory of the next wasm instance the page makes. */
function nextWasmMemory() {
  const { instantiate, instantiateStreaming } = WebAssembly;
  return new Promise((resolve) => {
    const seen = (result) => {
      WebAssembly.instantiate = instantiate;
      WebAssembly.instantiateStreaming = instantiateStreaming;
      const exports = (result.instance ?? result).exports;
      resolve(Object.values(exports).find((e) => e instanceof WebAssembly.Memory));
      return result;
    };
    WebAssembly.instantiate = (...args) => instantiate(...args).then(seen);
    WebAssembly.instantiateStreaming = (...args) => instantiateStreaming(...args).then(seen);
  });
}

/**
 * libcurl.js trusts only the roots built into it and has no option for any other CA, so for
 * its TLS scenarios the test CA is written over that bundle where it lies in its wasm memory
 * (a NUL-terminated string of fixed place and size), padded to the same length. Only which
 * roots are trusted changes; its TLS code is untouched.
 */
function trustTestCa(libcurl, memory, ca) {
  const bundle = new TextEncoder().encode(libcurl.get_cacert());
  const heap = new Uint8Array(memory.buffer);
  const head = bundle.subarray(0, 256);
  const matches = (at) => head.every((byte, i) => heap[at + i] === byte);
  let at = heap.indexOf(head[0]);
  while (at !== -1 && !matches(at)) at = heap.indexOf(head[0], at + 1);
  if (at === -1) throw new Error("libcurl.js's CA bundle was not found in its memory");
  const ours = new TextEncoder().encode(ca);
  if (ours.length > bundle.length) throw new Error('the test CA is larger than the bundle');
  heap.fill(0x0a, at, at + bundle.length);
  heap.set(ours, at);
}

async function loadLibcurlJs() {
  const ca = await (await fetch('/test-ca.pem')).text();
  const started = performance.now();
  const memory = nextWasmMemory();
  const { libcurl } = await import('/libcurl.js/libcurl.mjs');
  libcurl.set_websocket(targets.proxy);
  await libcurl.load_wasm('/libcurl.js/libcurl.wasm');
  const ready = performance.now() - started;
  trustTestCa(libcurl, await memory, ca);
  return {
    ready,
    fetch: (url) => libcurl.fetch(url),
    async echo(pipelined) {
      const socket = new libcurl.WebSocket(targets.wsEcho);
      await opened(socket);
      return echoRate(socket, pipelined);
    },
  };
}

async function loadNative() {
  const open = async () => {
    const socket = new WebSocket(targets.wsEcho);
    await opened(socket);
    return socket;
  };
  return {
    echo: async (pipelined) => echoRate(await open(), pipelined),
    push: async () => pushRate(await open()),
  };
}

const LOADERS = {
  main: loadOurs,
  worker: loadWorkerMode,
  'libcurl.js': loadLibcurlJs,
  native: loadNative,
};

async function drain(response) {
  let bytes = 0;
  const reader = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    bytes += read.value.length;
  }
  return bytes;
}

async function throughput(client, url) {
  const start = performance.now();
  const bytes = await drain(await client.fetch(url));
  if (bytes !== 100 * MB) throw new Error(`got ${bytes} bytes, not 100 MB`);
  return bytes / MB / ((performance.now() - start) / 1000);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function keepaliveLatency(client) {
  await drain(await client.fetch(`${targets.plain}/small`));
  const times = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    await drain(await client.fetch(`${targets.plain}/small`));
    times.push(performance.now() - start);
  }
  return median(times);
}

async function requestsPerSecond(client, base, concurrency) {
  let left = 1000;
  const loop = async () => {
    while (left-- > 0) await drain(await client.fetch(`${base}/small`));
  };
  await drain(await client.fetch(`${base}/small`));
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, loop));
  return 1000 / ((performance.now() - start) / 1000);
}

async function h2Cold(client) {
  const start = performance.now();
  const one = async () => drain(await client.fetch(`${targets.tlsChacha}/small`));
  await Promise.all(Array.from({ length: 50 }, one));
  return performance.now() - start;
}

/**
 * The longest gap between turns of a setTimeout(0) ticker on this page while a 100 MB body
 * arrives and is read here. In Worker mode curl runs in the Worker; the page only reads.
 */
async function mainThreadStall(client) {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const tick = () => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setTimeout(tick, 0);
  };
  setTimeout(tick, 0);
  try {
    const bytes = await drain(await client.fetch(`${targets.plain}/100M`));
    if (bytes !== 100 * MB) throw new Error(`got ${bytes} bytes, not 100 MB`);
  } finally {
    running = false;
  }
  return longest;
}

const SCENARIOS = {
  'download-plain': (c) => throughput(c, `${targets.plain}/100M`),
  'download-tls-aes': (c) => throughput(c, `${targets.tlsAes}/100M`),
  'download-tls-chacha': (c) => throughput(c, `${targets.tlsChacha}/100M`),
  'keepalive-latency': keepaliveLatency,
  'rps-h1-c1': (c) => requestsPerSecond(c, targets.plain, 1),
  'rps-h1-c50': (c) => requestsPerSecond(c, targets.plain, 50),
  'rps-h2-c1': (c) => requestsPerSecond(c, targets.tlsChacha, 1),
  'rps-h2-c50': (c) => requestsPerSecond(c, targets.tlsChacha, 50),
  'h2-50-cold': h2Cold,
  'import-to-ready': async (c) => c.ready,
  'ws-echo': (c) => c.echo(false),
  'ws-echo-pipelined': (c) => c.echo(true),
  'ws-push-100mb': (c) => c.push(),
  'main-thread-stall': mainThreadStall,
};

async function run() {
  const client = await LOADERS[peer]();
  return { value: await SCENARIOS[scenario](client) };
}

run().then(
  (result) => (window.result = result),
  (error) => (window.result = { error: `${error}\n${error?.cause ?? ''}\n${error?.stack ?? ''}` }),
);
