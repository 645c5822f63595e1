// fetch() through libcurl, checked as a browser's fetch would be, against real servers.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CurlError, loadCurl, type CurlClient } from '../src/index.js';
import { testCerts } from './support/certs.js';
import { rawServer } from './support/raw-server.js';
import { httpServer, httpsServer, type Running } from './support/servers.js';

let curl: CurlClient;
let server: Running;
let h2: Running;
const MB = 1 << 20;

interface Echo {
  method: string;
  url: string;
  headers: Array<[string, string]>;
  body: string;
  bodyBytes: number;
}

function echoHandler(req: any, res: any) {
  const chunks: Buffer[] = [];
  req.on('data', (d: Buffer) => chunks.push(d));
  req.on('end', () => {
    const url = new URL(req.url, 'http://x');
    const path = url.pathname;
    if (path === '/loop') {
      res.writeHead(302, { Location: '/loop' }).end();
      return;
    }
    if (path.startsWith('/redirect/')) {
      const status = Number(path.split('/')[2]);
      res.writeHead(status, { Location: url.searchParams.get('to') ?? '/echo' }).end();
      return;
    }
    if (path === '/big') {
      const total = Number(url.searchParams.get('mb')) * MB;
      res.writeHead(200, { 'Content-Length': total });
      let sent = 0;
      const block = Buffer.alloc(64 * 1024, 7);
      const pump = () => {
        while (sent < total) {
          sent += block.length;
          if (!res.write(block)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return;
    }
    if (path === '/cookie') {
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
    }
    if (path === '/nocontent') {
      res.writeHead(204).end();
      return;
    }
    const body = Buffer.concat(chunks);
    const echo: Echo = {
      method: req.method,
      url: req.url,
      headers: pairs(req.rawHeaders),
      body: body.length > 4096 ? '' : body.toString('latin1'),
      bodyBytes: body.length,
    };
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('X-Multi', ['one', 'two']);
    res.end(JSON.stringify(echo));
  });
}

function pairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpServer(echoHandler);
  h2 = await httpsServer(echoHandler);
});

afterAll(async () => {
  await server.close();
  await h2.close();
});

const tls = { curl: { ca: testCerts().caPem } };
const header = (echo: Echo, name: string) =>
  echo.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);

describe('requests', () => {
  it('accepts a string, a URL and a Request, and returns a standard Response', async () => {
    for (const input of [
      `${server.url}/echo`,
      new URL('/echo', server.url),
      new Request(`${server.url}/echo`),
    ]) {
      const response = await curl.fetch(input);
      expect(response).toBeInstanceOf(Response);
      expect(response.status).toBe(200);
      expect(response.ok).toBe(true);
      expect(response.url).toBe(`${server.url}/echo`);
      expect(response.redirected).toBe(false);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('x-multi')).toBe('one, two');
      const echo = (await response.json()) as Echo;
      expect(echo.method).toBe('GET');
    }
  });

  it('sends headers in every form, duplicates in order, forbidden names as given', async () => {
    const forms: HeadersInit[] = [
      [
        ['X-Dup', 'first'],
        ['X-Dup', 'second'],
        ['Cookie', 'c=1'],
        ['Origin', 'https://o.example'],
        ['Host', 'virtual.example'],
      ],
      { 'X-Dup': 'only', Cookie: 'c=1', Origin: 'https://o.example', Host: 'virtual.example' },
      new Headers({
        'X-Dup': 'h',
        Cookie: 'c=1',
        Origin: 'https://o.example',
        Host: 'virtual.example',
      }),
    ];
    const expected = [['first', 'second'], ['only'], ['h']];
    for (const [i, headers] of forms.entries()) {
      const echo = (await (await curl.fetch(`${server.url}/echo`, { headers })).json()) as Echo;
      expect(header(echo, 'x-dup')).toEqual(expected[i]);
      expect(header(echo, 'cookie')).toEqual(['c=1']);
      expect(header(echo, 'origin')).toEqual(['https://o.example']);
      expect(header(echo, 'host')).toEqual(['virtual.example']);
    }
  });

  it('never sends an h2c Upgrade over plain http, and negotiates HTTP/2 over https', async () => {
    const plain = (await (await curl.fetch(`${server.url}/echo`)).json()) as Echo;
    expect(header(plain, 'upgrade')).toEqual([]);
    expect(header(plain, 'connection')).toEqual([]);
    const secure = await curl.fetch(`https://localhost:${h2.port}/echo`, tls);
    expect(secure.status).toBe(200);
    const echo = (await secure.json()) as Echo;
    expect(header(echo, ':authority').length + header(echo, 'host').length).toBeGreaterThan(0);
  });

  it('sends every kind of body, bytes as bytes', async () => {
    const bytes = Uint8Array.from([0, 255, 1, 128]);
    const form = new FormData();
    form.append('field', 'value');
    form.append('file', new Blob(['file body'], { type: 'text/plain' }), 'f.txt');
    const cases: Array<[BodyInit, string | null, (echo: Echo) => void]> = [
      ['text body', 'text/plain;charset=UTF-8', (e) => expect(e.body).toBe('text body')],
      [
        new URLSearchParams({ a: '1', b: 'x y' }),
        'application/x-www-form-urlencoded;charset=UTF-8',
        (e) => expect(e.body).toBe('a=1&b=x+y'),
      ],
      [bytes, null, (e) => expect(Buffer.from(e.body, 'latin1')).toEqual(Buffer.from(bytes))],
      [bytes.buffer, null, (e) => expect(e.bodyBytes).toBe(4)],
      [
        new DataView(bytes.buffer, 1, 2),
        null,
        (e) => expect(Buffer.from(e.body, 'latin1')).toEqual(Buffer.from([255, 1])),
      ],
      [
        new Blob(['blob!'], { type: 'application/x-blob' }),
        'application/x-blob',
        (e) => expect(e.body).toBe('blob!'),
      ],
      [
        form,
        'multipart/form-data',
        (e) =>
          expect(e.body).toMatch(
            /name="field"\r\n\r\nvalue\r\n[\s\S]*filename="f.txt"[\s\S]*file body/,
          ),
      ],
    ];
    for (const [body, type, check] of cases) {
      const echo = (await (
        await curl.fetch(`${server.url}/echo`, { method: 'POST', body })
      ).json()) as Echo;
      expect(echo.method).toBe('POST');
      const contentType = header(echo, 'content-type')[0] ?? null;
      if (type === null) expect(contentType).toBeNull();
      else expect(contentType?.startsWith(type)).toBe(true);
      expect(header(echo, 'expect')).toEqual([]);
      check(echo);
    }
  });

  it('streams a ReadableStream body without buffering it, with chunked encoding', async () => {
    let pulled = 0;
    const total = 20 * MB;
    const chunk = new Uint8Array(256 * 1024).fill(3);
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (pulled >= total) return controller.close();
          pulled += chunk.length;
          controller.enqueue(chunk);
        },
      },
      { highWaterMark: 0 },
    );
    const response = await curl.fetch(`${server.url}/echo`, {
      method: 'PUT',
      body,
      duplex: 'half',
    } as RequestInit);
    const echo = (await response.json()) as Echo;
    expect(echo.method).toBe('PUT');
    expect(echo.bodyBytes).toBe(total);
    expect(header(echo, 'transfer-encoding')).toEqual(['chunked']);
  });

  it('sends POST, PUT and PATCH without a body with Content-Length: 0, and other methods as given', async () => {
    for (const method of ['POST', 'put', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND']) {
      const echo = (await (await curl.fetch(`${server.url}/echo`, { method })).json()) as Echo;
      expect(echo.method).toBe(method.toUpperCase() === 'PUT' ? 'PUT' : method);
      if (['POST', 'put', 'PATCH'].includes(method))
        expect(header(echo, 'content-length')).toEqual(['0']);
    }
  });

  it('refuses a body on GET and HEAD as fetch does', async () => {
    await expect(curl.fetch(`${server.url}/echo`, { method: 'GET', body: 'x' })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('responses', () => {
  it('resolves when the headers are in, before the first body byte', async () => {
    const slow = await rawServer([
      ['HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Early: yes\r\n\r\n', { wait: 400 }, 'late!'],
    ]);
    try {
      const started = performance.now();
      const response = await curl.fetch(slow.url);
      expect(performance.now() - started).toBeLessThan(300);
      expect(response.headers.get('x-early')).toBe('yes');
      expect(await response.text()).toBe('late!');
    } finally {
      await slow.close();
    }
  });

  it('errors the body stream with the CurlError when the body is cut short', async () => {
    const cut = await rawServer([
      ['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part', 'close'],
    ]);
    try {
      const response = await curl.fetch(cut.url);
      expect(response.status).toBe(200);
      const error = await response.text().catch((e) => e);
      expect(error).toBeInstanceOf(CurlError);
      expect(error.code).toBe('CURLE_PARTIAL_FILE');
    } finally {
      await cut.close();
    }
  });

  it('has no body for HEAD and 204, and waits for none', async () => {
    const head = await curl.fetch(`${server.url}/big?mb=50`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(50 * MB));
    expect(head.body).toBeNull();
    const none = await curl.fetch(`${server.url}/nocontent`);
    expect(none.status).toBe(204);
    expect(none.body).toBeNull();
  });

  it('keeps memory flat while a large body is read slowly', async () => {
    const response = await curl.fetch(`${server.url}/big?mb=64`);
    const reader = response.body!.getReader();
    const heapBefore = curl.memory().heapBytes;
    const rssBefore = process.memoryUsage().rss;
    let bytes = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      bytes += value.length;
      if (bytes % (4 * MB) < value.length) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(bytes).toBe(64 * MB);
    expect(curl.memory().heapBytes - heapBefore).toBeLessThan(8 * MB);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(48 * MB);
  });

  it('rejects with TypeError("fetch failed") and the CurlError as cause', async () => {
    const error = await curl.fetch('http://127.0.0.1:1/').catch((e) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');
    expect(error.cause).toBeInstanceOf(CurlError);
    expect(error.cause.code).toBe('CURLE_COULDNT_CONNECT');
  });
});

describe('redirects', () => {
  it('follows 301, 302 and 303 turning POST into GET without a body', async () => {
    for (const status of [301, 302, 303]) {
      const response = await curl.fetch(`${server.url}/redirect/${status}?to=/echo`, {
        method: 'POST',
        body: 'payload',
        headers: { 'Content-Type': 'text/x-custom' },
      });
      const echo = (await response.json()) as Echo;
      expect(echo.method).toBe('GET');
      expect(echo.bodyBytes).toBe(0);
      expect(header(echo, 'content-type')).toEqual([]);
      expect(response.redirected).toBe(true);
      expect(response.url).toBe(`${server.url}/echo`);
    }
  });

  it('keeps method and body for 307 and 308', async () => {
    for (const status of [307, 308]) {
      const echo = (await (
        await curl.fetch(`${server.url}/redirect/${status}?to=/echo`, {
          method: 'PUT',
          body: 'kept',
        })
      ).json()) as Echo;
      expect(echo.method).toBe('PUT');
      expect(echo.body).toBe('kept');
    }
  });

  it("returns the redirect itself with 'manual' and rejects with 'error'", async () => {
    const manual = await curl.fetch(`${server.url}/redirect/302?to=/echo`, { redirect: 'manual' });
    expect(manual.status).toBe(302);
    expect(manual.headers.get('location')).toBe('/echo');
    expect(manual.redirected).toBe(false);
    await expect(
      curl.fetch(`${server.url}/redirect/302?to=/echo`, { redirect: 'error' }),
    ).rejects.toThrow('fetch failed');
  });

  it('stops after 20 redirects', async () => {
    const error = await curl.fetch(`${server.url}/loop`).catch((e) => e);
    expect(error.message).toBe('fetch failed');
    expect(String(error.cause)).toMatch(/too many redirects/);
  });
});

describe('abort', () => {
  it('rejects at once for a signal aborted before the call', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await curl
      .fetch(`${server.url}/echo`, { signal: controller.signal })
      .catch((e) => e);
    expect(error.name).toBe('AbortError');
  });

  it('aborts while waiting for headers', async () => {
    const silent = await rawServer([['silence']]);
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      const error = await curl.fetch(silent.url, { signal: controller.signal }).catch((e) => e);
      expect(error.name).toBe('AbortError');
    } finally {
      await silent.close();
    }
  });

  it('aborts while the body is streaming', async () => {
    const controller = new AbortController();
    const response = await curl.fetch(`${server.url}/big?mb=100`, { signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const error = await (async () => {
      for (;;) {
        const { done } = await reader.read();
        if (done) return null;
      }
    })().catch((e) => e);
    expect(error?.name).toBe('AbortError');
  });
});

describe('curl extras', () => {
  it('passes timeouts, RESOLVE and raw options through', async () => {
    const response = await curl.fetch(`http://resolved.example:${server.port}/echo`, {
      curl: {
        resolve: [`resolved.example:${server.port}:127.0.0.1`],
        timeout: 5000,
        options: { USERAGENT: 'extras/1' },
      },
    });
    const echo = (await response.json()) as Echo;
    expect(header(echo, 'user-agent')).toEqual(['extras/1']);
    expect(header(echo, 'host')).toEqual([`resolved.example:${server.port}`]);
  });

  it('reports verbose output to a callback', async () => {
    const lines: string[] = [];
    await (
      await curl.fetch(`${server.url}/echo`, {
        curl: { verbose: (type, text) => type === 0 && lines.push(text) },
      })
    ).text();
    expect(lines.join('')).toMatch(/Connected to 127\.0\.0\.1/);
  });

  it('trusts an added CA, or none but the embedded roots, or anything when insecure', async () => {
    const url = `https://localhost:${h2.port}/echo`;
    expect((await curl.fetch(url, { curl: { addCa: testCerts().caPem } })).status).toBe(200);
    const error = await curl.fetch(url).catch((e) => e);
    expect(error.cause.code).toBe('CURLE_PEER_FAILED_VERIFICATION');
    expect((await curl.fetch(url, { curl: { insecure: true } })).status).toBe(200);
  });

  it('holds a request to HTTP/1.1 when asked', async () => {
    const response = await curl.fetch(`https://localhost:${h2.port}/echo`, {
      curl: { ca: testCerts().caPem, httpVersion: '1.1' },
    });
    const echo = (await response.json()) as Echo;
    expect(header(echo, 'host')).toEqual([`localhost:${h2.port}`]);
  });
});

it('hashes a downloaded body identically to the bytes sent', async () => {
  const response = await curl.fetch(`${server.url}/big?mb=8`);
  const hash = createHash('sha256');
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
    hash.update(chunk);
  expect(hash.digest('hex')).toBe(
    createHash('sha256')
      .update(Buffer.alloc(8 * MB, 7))
      .digest('hex'),
  );
});
