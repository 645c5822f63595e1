// On the main thread: HTTPS with HTTP/2 to a local server, through the local Wisp proxy, with
// TLS done in the page; then a large download, measuring the longest stall of the main thread.
import { loadCurl, wispTransport } from '/lib/libcurl-wasm.js';

const params = new URL(location.href).searchParams;
const proxy = params.get('proxy');
const target = params.get('target');
const bigUrl = params.get('big');

async function longestStall(work) {
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
    await work();
  } finally {
    running = false;
  }
  return longest;
}

async function run() {
  const ca = await (await fetch('/test-ca.pem')).text();
  const curl = await loadCurl({ transport: wispTransport({ url: proxy }) });

  const response = await curl.fetch(target, { curl: { ca } });
  const body = await response.text();

  const easy = curl.easy();
  easy.setopt('URL', target);
  easy.setopt('CAINFO_BLOB', ca);
  await easy.perform();
  const httpVersion = easy.getinfo('HTTP_VERSION');
  easy.close();

  let bytes = 0;
  const started = performance.now();
  const stall = await longestStall(async () => {
    const big = await curl.fetch(bigUrl);
    for await (const chunk of big.body) bytes += chunk.length;
  });
  const seconds = (performance.now() - started) / 1000;
  return { status: response.status, body, httpVersion, bytes, stall, mbPerSecond: bytes / 1048576 / seconds };
}

run().then(
  (result) => (window.result = result),
  (error) => (window.result = { error: `${error}\n${error?.cause ?? ''}\n${error?.stack ?? ''}` }),
);
