// The library in a real browser: Debian's Chromium, driven by playwright-core, loading the
// browser build under a strict Content Security Policy and without COOP/COEP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, startPageServer, type PageServer } from './support/browser.js';

let browser: Browser;
let pages: PageServer;

beforeAll(async () => {
  pages = await startPageServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await pages?.close();
});

async function resultOf(path: string): Promise<any> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${pages.url}/${path}`);
  await page.waitForFunction(() => (window as any).result !== undefined, null, { timeout: 30_000 });
  const result = await page.evaluate(() => (window as any).result);
  await page.close();
  return { ...result, errors };
}

describe('in Chromium', () => {
  it('loads on the main thread and as a single file, under a strict CSP', async () => {
    const result = await resultOf('version.html');
    expect(result.error).toBeUndefined();
    expect(result.version.version).toBe('8.14.1');
    expect(result.version.ssl).toBe('mbedTLS/3.6.6');
    expect(result.single).toBe('8.14.1');
    expect(result.failure.message).toBe('fetch failed');
    expect(result.failure.code).toBe('CURLE_COULDNT_CONNECT');
    expect(result.errors.filter((e: string) => /Content Security Policy|eval/i.test(e))).toEqual(
      [],
    );
  });
});
