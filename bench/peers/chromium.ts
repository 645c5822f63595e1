// Chromium (Debian's, through playwright-core, with the flags the browser tests use): this
// library on the main thread or in Worker mode, or libcurl.js 0.7.4 from node_modules, each
// through the local proxy; or Chromium's own WebSocket, for scale. One scenario per process,
// in a fresh browser context that opens bench/pages/bench.html, which measures and leaves its
// result in `window.result`. The browser is the one run.ts keeps running (BENCH_BROWSER, its
// endpoint), or one of its own.
//
//   node --import tsx bench/peers/chromium.ts main|worker|libcurl.js|native SCENARIO
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { connectChromium, launchChromium, startPageServer } from '../../test/support/browser.js';
import { LIST, targetsFromEnv, type ScenarioName } from '../scenarios.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PAGE_TIMEOUT_MS = 170_000;

// What bench/pages/bench-page.js measures for each peer (its SCENARIOS).
const LIBRARY: ScenarioName[] = [
  'download-plain',
  'download-tls-aes',
  'download-tls-chacha',
  'keepalive-latency',
  'rps-h1-c1',
  'rps-h1-c50',
  'rps-h2-c1',
  'rps-h2-c50',
  'h2-50-cold',
  'import-to-ready',
  'ws-echo',
  'ws-echo-pipelined',
  'main-thread-stall',
];
const SCENARIOS: Record<string, ScenarioName[]> = {
  main: LIBRARY,
  worker: LIBRARY,
  'libcurl.js': LIBRARY,
  native: ['ws-echo', 'ws-echo-pipelined', 'ws-push-100mb'],
};

async function inPage(browser: Browser, peer: string, scenario: ScenarioName): Promise<number> {
  const { plain, tlsAes, tlsChacha, wsEcho, proxy } = targetsFromEnv();
  const pages = await startPageServer([
    ['/bench/', join(ROOT, 'bench/pages')],
    ['/libcurl.js/', join(ROOT, 'node_modules/libcurl.js')],
  ]);
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(String(error)));
    const query = new URLSearchParams({
      peer,
      scenario,
      targets: JSON.stringify({ plain, tlsAes, tlsChacha, wsEcho, proxy }),
    });
    await page.goto(`${pages.url}/bench/bench.html?${query}`);
    await page.waitForFunction(() => (window as any).result !== undefined, null, {
      timeout: PAGE_TIMEOUT_MS,
      polling: 250,
    });
    const result = await page.evaluate(() => (window as any).result);
    if (result.error || problems.length) throw new Error([result.error, ...problems].join('\n'));
    return result.value as number;
  } finally {
    await context.close();
    await pages.close();
  }
}

async function measure(peer: string, scenario: ScenarioName): Promise<number> {
  const endpoint = process.env.BENCH_BROWSER;
  const browser = endpoint ? await connectChromium(endpoint) : await launchChromium();
  try {
    return await inPage(browser, peer, scenario);
  } finally {
    await browser.close(); // for a connected browser: only this connection
  }
}

const [peer, arg] = process.argv.slice(2) as [string, string];
const scenario = arg as ScenarioName;
try {
  if (arg === LIST) {
    console.log(JSON.stringify({ scenarios: SCENARIOS[peer] ?? [] }));
  } else {
    const value = SCENARIOS[peer]?.includes(scenario) ? await measure(peer, scenario) : null;
    console.log(JSON.stringify({ value }));
  }
  process.exit(0);
} catch (error) {
  console.error(String((error as Error).message ?? error));
  process.exit(1);
}
