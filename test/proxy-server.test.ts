// The proxy server's behaviour beyond the address rules: authentication, limits, flow
// control, logs, reconnects, graceful shutdown and the command line. Loopback destinations
// are allowed here (allow: ['loopback']); every destination is on 127.0.0.1.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CurlError,
  loadCurl,
  TransportError,
  websockifyTransport,
  wispTransport,
  type CurlClient,
  type Transport,
  type WispOptions,
} from '../src/index.js';
import { encodeConnect, encodeData, PACKET } from '../src/net/wisp-packets.js';
import {
  formatJson,
  formatText,
  startProxy,
  type ProxyLogEntry,
  type ProxyOptions,
  type RunningProxy,
} from '../src/proxy/index.js';
import { parseProxyArgs } from '../src/cli/proxy-command.js';
import { block, bigBodySha, MB, startOrigins, type Origins } from './support/origins.js';
import { rawServer, response } from './support/raw-server.js';
import { testLookup } from './support/test-lookup.js';

let origins: Origins;
beforeAll(async () => void (origins = await startOrigins()));
afterAll(() => origins.close());

const base: ProxyOptions = { allow: ['loopback'], ports: 'any', lookup: testLookup };

/** A proxy with `options`, a curl on a Wisp (or other) transport to it, and the logs. */
async function setup(options: ProxyOptions = {}, transport?: (url: string) => Transport) {
  const logs: ProxyLogEntry[] = [];
  const proxy = await startProxy({ ...base, ...options, log: (entry) => logs.push(entry) });
  const chosen = transport?.(proxy.url) ?? wispTransport({ url: proxy.url, WebSocket });
  const curl = await loadCurl({ transport: chosen });
  return {
    proxy,
    curl,
    logs,
    close: async () => {
      (chosen as { close?: () => void }).close?.();
      await proxy.close();
    },
  };
}

async function failure(curl: CurlClient, url: string, init?: RequestInit): Promise<CurlError> {
  const error = await curl.fetch(url, init).then(
    () => null,
    (e: unknown) => e,
  );
  const cause = (error as TypeError | null)?.cause ?? (error as CurlError);
  expect(cause).toBeInstanceOf(CurlError);
  return cause as CurlError;
}

const text = async (curl: CurlClient, url: string) => (await curl.fetch(url)).text();

describe('authentication', () => {
  it('asks for the token in the URL or the Authorization header', async () => {
    const { proxy, close } = await setup({ token: 's3cret' });
    try {
      const without = await loadCurl({ transport: wispTransport({ url: proxy.url, WebSocket }) });
      const refused = await failure(without, `${origins.http.url}/a`);
      expect(refused.code).toBe('CURLE_COULDNT_CONNECT');
      expect((refused.cause as TransportError).message).toMatch(/could not open a WebSocket.*401/);

      const withToken = await loadCurl({
        transport: wispTransport({ url: `${proxy.url}?token=s3cret`, WebSocket }),
      });
      expect(await text(withToken, `${origins.http.url}/b`)).toContain('"/b"');

      const viaHeader = new WebSocket(proxy.url, { headers: { Authorization: 'Bearer s3cret' } });
      await new Promise((resolve, reject) => viaHeader.once('open', resolve).once('error', reject));
      viaHeader.close();
      const wrong = new WebSocket(proxy.url, { headers: { Authorization: 'Bearer nope' } });
      await expect(
        new Promise((resolve, reject) => wrong.once('open', resolve).once('error', reject)),
      ).rejects.toThrow(/401/);
    } finally {
      await close();
    }
  });

  it('takes a Wisp v2 password, and says so when it is wrong or missing', async () => {
    const { proxy, logs, close } = await setup({ users: { alice: 'wonderland' } });
    const through = (options: Partial<WispOptions>) =>
      loadCurl({ transport: wispTransport({ url: proxy.url, WebSocket, ...options }) });
    try {
      const alice = await through({ username: 'alice', password: 'wonderland' });
      expect(await text(alice, `${origins.http.url}/alice`)).toContain('"/alice"');

      const wrong = await failure(
        await through({ username: 'alice', password: 'x' }),
        `${origins.http.url}/`,
      );
      expect(wrong.code).toBe('CURLE_COULDNT_CONNECT');
      expect(wrong.cause).toMatchObject({
        code: 'EACCES',
        message: expect.stringContaining('refused the username or password'),
      });

      const missing = await failure(await through({}), `${origins.http.url}/`);
      expect(missing.cause).toMatchObject({
        code: 'EACCES',
        message: expect.stringContaining('requires a password'),
      });

      // A v1 client cannot authenticate at all: turned away at the upgrade.
      const v1 = await failure(
        await through({ version: 1, password: 'wonderland' }),
        `${origins.http.url}/`,
      );
      expect((v1.cause as TransportError).message).toMatch(/401/);
    } finally {
      await close();
    }
    // Alice's stream is logged with her name when the proxy closes it.
    expect(logs.some((e) => e.kind === 'stream' && e.user === 'alice')).toBe(true);
  });
});

describe('limits', () => {
  it('throttles streams beyond the per-connection limit', async () => {
    const slow = await rawServer([[{ wait: 300 }, response('200 OK', [], 'slow')]]);
    const { curl, close } = await setup({ maxStreamsPerConnection: 2 });
    try {
      const session = curl.session({ maxHostConnections: 3 });
      const results = await Promise.all(
        [1, 2, 3].map((i) =>
          session.fetch(`${slow.url}/${i}`).then(
            (r) => r.text(),
            (e: TypeError) => e.cause as CurlError,
          ),
        ),
      );
      const failed = results.filter((r): r is CurlError => r instanceof CurlError);
      expect(results.filter((r) => r === 'slow')).toHaveLength(2);
      expect(failed).toHaveLength(1);
      expect(failed[0]!.cause).toMatchObject({
        code: 'EBUSY',
        message: expect.stringContaining('throttled'),
      });
      session.close();
    } finally {
      await close();
      await slow.close();
    }
  });

  it('turns away connections beyond the per-client limit', async () => {
    const slow = await rawServer([[{ wait: 300 }, response('200 OK', [], 'slow')]]);
    const { curl, logs, close } = await setup({ maxConnectionsPerClient: 1 }, (url) =>
      websockifyTransport({ url, WebSocket }),
    );
    try {
      const session = curl.session({ maxHostConnections: 2 });
      const results = await Promise.all(
        [1, 2].map((i) =>
          session.fetch(`${slow.url}/${i}`).then(
            (r) => r.text(),
            (e: TypeError) => e.cause as CurlError,
          ),
        ),
      );
      expect(results.filter((r) => r === 'slow')).toHaveLength(1);
      const failed = results.find((r): r is CurlError => r instanceof CurlError)!;
      expect(failed.code).toBe('CURLE_COULDNT_CONNECT');
      expect((failed.cause as TransportError).message).toMatch(/429/);
      expect(logs).toContainEqual(
        expect.objectContaining({
          kind: 'connection',
          refused: expect.stringContaining('over 1 connections'),
        }),
      );
      session.close();
    } finally {
      await close();
      await slow.close();
    }
  });

  it('closes a stream that stays idle too long', async () => {
    const silent = await rawServer([['silence']]);
    const { curl, logs, close } = await setup({ idleTimeout: 200 });
    try {
      const error = await failure(curl, `${silent.url}/`);
      expect(error.cause).toMatchObject({
        code: 'ETIMEDOUT',
        message: expect.stringContaining('idle'),
      });
      expect(logs).toContainEqual(
        expect.objectContaining({ kind: 'stream', closed: 'idle for 200 ms', reason: 0x47 }),
      );
    } finally {
      await close();
      await silent.close();
    }
  });

  it('closes a stream over its byte limit', async () => {
    const { curl, logs, close } = await setup({ maxStreamBytes: MB });
    try {
      const response = await curl.fetch(`${origins.http.url}/big?mb=4`);
      await expect(response.arrayBuffer()).rejects.toThrow();
      expect(logs).toContainEqual(
        expect.objectContaining({ closed: `over the byte limit of ${MB}`, reason: 0x49 }),
      );
    } finally {
      await close();
    }
  });
});

describe('flow control', () => {
  it('never lets a client send past its CONTINUE credit (a 2-packet buffer, 8 MiB up)', async () => {
    for (const version of [2, 1] as const) {
      const { curl, logs, close } = await setup({ wispBuffer: 2 }, (url) =>
        wispTransport({ url, WebSocket, version }),
      );
      try {
        let sent = 0;
        const body = new ReadableStream<Uint8Array>({
          pull: (controller) =>
            sent === 8 ? controller.close() : controller.enqueue(block(sent++)),
        });
        const got = await (
          await curl.fetch(`${origins.http.url}/upload`, {
            method: 'PUT',
            body,
            duplex: 'half',
          } as RequestInit)
        ).json();
        expect(got).toMatchObject({ bytes: 8 * MB, sha: bigBodySha(8) });
        expect(logs.filter((e) => e.kind === 'stream' && e.reason === 0x49)).toEqual([]);
      } finally {
        await close();
      }
    }
  });

  it('closes the stream of a client that ignores its credit', async () => {
    const { proxy, logs, close } = await setup({ wispBuffer: 2 });
    const listener = await rawServer([['silence']]);
    try {
      const ws = new WebSocket(proxy.url);
      ws.binaryType = 'arraybuffer';
      const closes: number[] = [];
      ws.on('message', (data: ArrayBuffer) => {
        const bytes = new Uint8Array(data);
        if (bytes[0] === PACKET.CLOSE) closes.push(bytes[5]!);
      });
      await new Promise((resolve) => ws.once('open', resolve));
      ws.send(encodeConnect(7, '127.0.0.1', listener.port));
      for (let i = 0; i < 3; i++) ws.send(encodeData(7, new Uint8Array(10)));
      await expect.poll(() => closes, { timeout: 5000 }).toEqual([0x49]);
      expect(logs).toContainEqual(
        expect.objectContaining({ closed: 'the client sent more than its CONTINUE credit' }),
      );
      ws.close();
    } finally {
      await close();
      await listener.close();
    }
  });
});

describe('logs', () => {
  it('writes one entry per stream: who, where, bytes both ways, why it closed', async () => {
    const { curl, logs, close } = await setup();
    const body = 'x'.repeat(1000);
    await (
      await curl.fetch(`http://origin.test:${origins.http.port}/logged`, { method: 'POST', body })
    ).text();
    await close();
    const streams = logs.filter((e) => e.kind === 'stream');
    expect(streams).toHaveLength(1);
    const entry = streams[0]!;
    expect(entry).toMatchObject({
      client: '127.0.0.1',
      protocol: 'wisp-v2',
      target: `origin.test:${origins.http.port}`,
      address: '127.0.0.1',
      closed: expect.any(String),
    });
    if (entry.kind !== 'stream') throw new Error('not a stream entry');
    expect(entry.up).toBeGreaterThan(1000);
    expect(entry.down).toBeGreaterThan(0);
    expect(formatText(entry)).toMatch(
      new RegExp(
        `127\\.0\\.0\\.1 wisp-v2#1 origin\\.test:${origins.http.port} \\[127\\.0\\.0\\.1\\] up \\d+ down \\d+ \\d+ ms: `,
      ),
    );
    expect(JSON.parse(formatJson(entry))).toEqual(entry);
  });
});

describe('connections', () => {
  it('opens the WebSocket again, lazily, after it dropped', async () => {
    const first = await startProxy(base);
    const transport = wispTransport({ url: first.url, WebSocket });
    const curl = await loadCurl({ transport });
    expect(await text(curl, `${origins.http.url}/one`)).toContain('"/one"');
    await first.close();
    const second = await startProxy({ ...base, port: first.port });
    try {
      expect(await text(curl, `${origins.http.url}/two`)).toContain('"/two"');
      expect(transport.stats().sessions).toBe(2);
    } finally {
      transport.close();
      await second.close();
    }
  });

  it('shuts down gracefully: streams closed cleanly, then nothing accepted', async () => {
    const { proxy, curl, logs } = await setup();
    const response = await curl.fetch(`${origins.http.url}/big?mb=64`);
    const reader = response.body!.getReader();
    await reader.read();
    const started = performance.now();
    await proxy.close();
    expect(performance.now() - started).toBeLessThan(3000);
    await expect(
      reader.read().then(async function drain(r): Promise<unknown> {
        return r.done ? r : reader.read().then(drain);
      }),
    ).rejects.toThrow();
    expect(logs).toContainEqual(
      expect.objectContaining({ kind: 'stream', closed: 'proxy shutting down', reason: 0x02 }),
    );
    const late = await failure(curl, `${origins.http.url}/late`);
    expect(late.code).toBe('CURLE_COULDNT_CONNECT');
  });
});

describe('the proxy command', () => {
  it('maps flags onto options', () => {
    const { options, log } = parseProxyArgs(
      [
        '--port',
        '0',
        '--allow',
        'loopback,private',
        '--ports',
        '80,443,8000-8100',
        '--deny-host',
        '*.evil.test',
        '--allow-host',
        'a.test',
        '--user',
        'alice:pa:ss',
        '--max-streams',
        '4',
        '--idle-timeout',
        '1000',
        '--log',
        'json',
      ],
      { LIBCURL_WASM_PROXY_TOKEN: 'tok' },
    );
    expect(options).toMatchObject({
      port: 0,
      allow: ['loopback', 'private'],
      ports: [80, 443, [8000, 8100]],
      denyHosts: ['*.evil.test'],
      allowHosts: ['a.test'],
      users: { alice: 'pa:ss' },
      token: 'tok',
      maxStreamsPerConnection: 4,
      idleTimeout: 1000,
    });
    expect(log).toBe('json');
    expect(() => parseProxyArgs(['--ports', '0'])).toThrow(RangeError);
    expect(() => parseProxyArgs(['--log', 'xml'])).toThrow(RangeError);
    expect(() => parseProxyArgs(['--bogus'])).toThrow(TypeError);
  });

  it('serves from the command line, logs JSON, and exits cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        'dist/cli/main.js',
        'proxy',
        '--port',
        '0',
        '--allow',
        'loopback',
        '--ports',
        'any',
        '--log',
        'json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const line = await Promise.race([
        new Promise<string>((resolve) =>
          createInterface({ input: child.stdout }).once('line', resolve),
        ),
        exited.then((code) => Promise.reject(new Error(`proxy exited with ${code}: ${stderr}`))),
      ]);
      const url = /Wisp at (\S+),/.exec(line)![1]!;
      const curl = await loadCurl({ transport: wispTransport({ url, WebSocket }) });
      expect(await text(curl, `${origins.http.url}/cli`)).toContain('"/cli"');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const entries = stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l));
      expect(entries).toContainEqual(
        expect.objectContaining({ kind: 'stream', target: `127.0.0.1:${origins.http.port}` }),
      );
      expect(stderr).toContain('SIGTERM, closing');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
