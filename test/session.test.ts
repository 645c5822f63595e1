// Sessions: connection reuse and limits, a base URL, default headers, and a cookie jar that
// is right for concurrent and back-to-back requests, across redirects, and for deletion.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandleClosedError, loadCurl, type CurlClient } from '../src/index.js';
import { httpServer, type Running } from './support/servers.js';

let curl: CurlClient;
let server: Running;
const connections = new Set<unknown>();
let peakOpen = 0;
let open = 0;

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpServer((req: any, res: any) => {
    connections.add(req.socket);
    const url = new URL(req.url, 'http://x');
    const set = url.searchParams.getAll('set');
    if (set.length) res.setHeader('Set-Cookie', set);
    if (url.pathname === '/hop') {
      res.writeHead(302, { Location: '/show', 'Set-Cookie': 'hop=1; Path=/' }).end();
      return;
    }
    const delay = Number(url.searchParams.get('delay') ?? 0);
    open++;
    peakOpen = Math.max(peakOpen, open);
    setTimeout(() => {
      open--;
      res.end(
        JSON.stringify({
          cookie: req.headers.cookie ?? '',
          agent: req.headers['user-agent'] ?? '',
        }),
      );
    }, delay);
  });
});

afterAll(() => server.close());

describe('sessions', () => {
  it('resolves relative URLs against the base, sends default headers, reuses connections', async () => {
    using session = curl.session({ baseUrl: server.url, headers: { 'User-Agent': 'session/1' } });
    connections.clear();
    for (let i = 0; i < 5; i++) {
      const body = await (await session.fetch('/show')).json();
      expect(body.agent).toBe('session/1');
    }
    const own = await (await session.fetch('/show', { headers: { 'User-Agent': 'own' } })).json();
    expect(own.agent).toBe('own');
    expect(connections.size).toBe(1);
  });

  it('keeps cookies for back-to-back and concurrent requests', async () => {
    using session = curl.session({ baseUrl: server.url });
    await (await session.fetch('/show?set=a%3D1')).text();
    expect((await (await session.fetch('/show')).json()).cookie).toBe('a=1');

    await Promise.all(
      ['b', 'c', 'd'].map((n) =>
        session.fetch(`/show?delay=20&set=${n}%3D2`).then((r) => r.text()),
      ),
    );
    const cookie = (await (await session.fetch('/show')).json()).cookie as string;
    expect(cookie.split('; ').sort()).toEqual(['a=1', 'b=2', 'c=2', 'd=2']);
  });

  it('keeps cookies set on a redirect', async () => {
    using session = curl.session({ baseUrl: server.url });
    const response = await session.fetch('/hop');
    expect(response.redirected).toBe(true);
    expect((await response.json()).cookie).toBe('hop=1');
  });

  it('deletes a cookie by Max-Age=0 and forgets it once expired', async () => {
    using session = curl.session({ baseUrl: server.url });
    await (
      await session.fetch('/show?set=gone%3D1&set=short%3D1%3B%20Max-Age%3D1&set=kept%3D1')
    ).text();
    await (await session.fetch('/show?set=gone%3D%3B%20Max-Age%3D0')).text();
    expect((await (await session.fetch('/show')).json()).cookie.split('; ').sort()).toEqual([
      'kept=1',
      'short=1',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await (await session.fetch('/show')).json()).cookie).toBe('kept=1');
  });

  it('exports and imports the jar in the Netscape format', async () => {
    const first = curl.session({ baseUrl: server.url });
    await (await first.fetch('/show?set=token%3Dabc%3B%20Path%3D%2F%3B%20Max-Age%3D3600')).text();
    const file = first.cookies.export();
    expect(file).toMatch(/^# Netscape HTTP Cookie File\n/);
    expect(file).toMatch(/\ttoken\tabc\n/);
    first.close();

    using second = curl.session({ baseUrl: server.url });
    second.cookies.import(file);
    expect((await (await second.fetch('/show')).json()).cookie).toBe('token=abc');
    second.cookies.clear();
    expect(second.cookies.list()).toEqual([]);
    expect((await (await second.fetch('/show')).json()).cookie).toBe('');
  });

  it('runs requests concurrently within its connection limit', async () => {
    using session = curl.session({ baseUrl: server.url, maxConnections: 2 });
    peakOpen = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 6 }, () => session.fetch('/show?delay=100').then((r) => r.text())),
    );
    expect(peakOpen).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('has no cookie jar when cookies are off, and refuses use after close', async () => {
    const session = curl.session({ baseUrl: server.url, cookies: false });
    await (await session.fetch('/show?set=x%3D1')).text();
    expect((await (await session.fetch('/show')).json()).cookie).toBe('');
    session.close();
    await expect(session.fetch('/show')).rejects.toThrow(HandleClosedError);
  });

  it('ends requests in flight when closed', async () => {
    const session = curl.session({ baseUrl: server.url });
    const pending = session.fetch('/show?delay=2000');
    await new Promise((resolve) => setTimeout(resolve, 50));
    session.close();
    await expect(pending).rejects.toThrow();
  });
});
