// Bugs found by attacking the product as a user would, each kept as a test.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CURL_WRITEFUNC_PAUSE,
  CURLPAUSE_RECV,
  CurlMultiError,
  HandleClosedError,
  HandleInUseError,
  loadCurl,
  type Curl,
} from '../src/index.js';
import { rawServer } from './support/raw-server.js';
import { httpServer, type Running } from './support/servers.js';

let curl: Curl;
let server: Running;
const compressible = gzipSync('{"id":1,"ok":true},'.repeat(100_000));
const paths: string[] = [];

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpServer((req: any, res: any) => {
    paths.push(req.url);
    if (req.url === '/gzip') {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': compressible.length });
      return void res.end(compressible);
    }
    if (req.url === '/slow') return void setTimeout(() => res.end('late'), 300);
    res.end('body '.repeat(20_000));
  });
});

afterAll(() => server.close());

describe('handles closed or reused while curl runs', () => {
  it('refuses to close a handle from its own callback, without breaking the instance', async () => {
    const easy = curl.easy();
    easy.setopt('URL', `${server.url}/`);
    let thrown: unknown;
    easy.setopt('WRITEFUNCTION', () => {
      try {
        easy.close();
      } catch (error) {
        thrown = error;
      }
    });
    await easy.perform();
    expect(thrown).toBeInstanceOf(HandleInUseError);
    easy.close();
    expect(await (await curl.fetch(`${server.url}/`)).text()).toHaveLength(100_000);
  });

  it('rejects a perform whose handle is closed meanwhile, and a second perform at once', async () => {
    const easy = curl.easy();
    easy.setopt('URL', `${server.url}/slow`);
    easy.setopt('WRITEFUNCTION', () => {});
    const first = easy.perform();
    await expect(easy.perform()).rejects.toBeInstanceOf(HandleInUseError);
    await new Promise((resolve) => setTimeout(resolve, 20));
    easy.close();
    await expect(first).rejects.toBeInstanceOf(HandleClosedError);
  });
});

describe('pauses', () => {
  it('finishes a well-compressed body read through fetch', async () => {
    const text = await (await curl.fetch(`${server.url}/gzip`)).text();
    expect(text).toHaveLength(19 * 100_000);
  });

  it('keeps a pause made while an unpause replays held data', async () => {
    const easy = curl.easy();
    let chunks = 0;
    let bytes = 0;
    easy.setopt('URL', `${server.url}/gzip`);
    easy.setopt('ACCEPT_ENCODING', '');
    easy.setopt('WRITEFUNCTION', (chunk) => {
      if (++chunks % 10 === 0) {
        setTimeout(() => easy.resume(CURLPAUSE_RECV), 5);
        return CURL_WRITEFUNC_PAUSE;
      }
      bytes += chunk.length;
    });
    await easy.perform();
    expect(bytes).toBe(19 * 100_000);
    easy.close();
  });
});

describe('fetch input', () => {
  it('refuses a method that is not a token', async () => {
    await expect(
      curl.fetch(`${server.url}/`, { method: 'GET /admin HTTP/1.1\r\nX-Injected: 1' }),
    ).rejects.toThrow(TypeError);
    await expect(curl.fetch(`${server.url}/`, { method: 'GE T' })).rejects.toThrow(TypeError);
  });

  it('follows a UTF-8 Location as browsers do', async () => {
    const hop = await rawServer([
      [Buffer.from('HTTP/1.1 302 Found\r\nLocation: /café?q=☃\r\nContent-Length: 0\r\n\r\n')],
      ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'],
    ]);
    try {
      const response = await curl.fetch(hop.url);
      expect(await response.text()).toBe('ok');
      expect(hop.requests[1]).toMatch(/^GET \/caf%C3%A9\?q=%E2%98%83 HTTP\/1\.1/);
    } finally {
      await hop.close();
    }
  });

  it('rejects an unparseable Location as fetch failed', async () => {
    const hop = await rawServer([
      ['HTTP/1.1 302 Found\r\nLocation: http://[::1\r\nContent-Length: 0\r\n\r\n'],
    ]);
    try {
      const error = await curl.fetch(hop.url).catch((e) => e);
      expect(error.message).toBe('fetch failed');
    } finally {
      await hop.close();
    }
  });

  it('turns a body of another type into a string', async () => {
    const echo = await rawServer([['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n']]);
    try {
      await curl.fetch(echo.url, { method: 'POST', body: 12345 as unknown as BodyInit });
      expect(echo.requests[0]).toMatch(/\r\n\r\n12345$/);
    } finally {
      await echo.close();
    }
  });
});

describe('bad arguments', () => {
  it('refuses a timeout that is not a number of milliseconds', async () => {
    const multi = curl.multi();
    await expect(multi.poll(Number.NaN)).rejects.toBeInstanceOf(CurlMultiError);
    await expect(multi.wait(-5)).rejects.toBeInstanceOf(CurlMultiError);
    multi.close();
  });

  it('does not take names from the object prototype', () => {
    const easy = curl.easy();
    expect(() => easy.setopt('constructor' as never, 1 as never)).toThrow(
      /unknown option 'constructor'/,
    );
    expect(() => easy.getinfo('toString' as never)).toThrow(/unknown info 'toString'/);
    easy.close();
  });
});

describe('HTTP/2 failures noticed inside a read', () => {
  it('reports an invalid HPACK block within seconds instead of hanging', async () => {
    const frame = (type: number, flags: number, stream: number, payload = Buffer.alloc(0)) => {
      const head = Buffer.alloc(9);
      head.writeUIntBE(payload.length, 0, 3);
      head[3] = type;
      head[4] = flags;
      head.writeUInt32BE(stream, 5);
      return Buffer.concat([head, payload]);
    };
    const { tcpServer } = await import('./support/servers.js');
    // h2c: SETTINGS, then HEADERS for stream 1 whose HPACK block cannot be decoded.
    const server = await tcpServer((socket) => {
      socket.on('error', () => {});
      socket.write(frame(4, 0, 0));
      let seen = 0;
      socket.on('data', (data) => {
        seen += data.length;
        if (seen > 33 && seen - data.length <= 33) {
          socket.write(frame(4, 1, 0));
          socket.write(frame(1, 4, 1, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f])));
        }
      });
    });
    try {
      const started = performance.now();
      const error = await curl
        .fetch(`http://127.0.0.1:${server.port}/`, { curl: { httpVersion: '2-prior-knowledge' } })
        .catch((e) => e);
      expect(error.cause.code).toBe('CURLE_HTTP2');
      expect(performance.now() - started).toBeLessThan(5000);
    } finally {
      await server.close();
    }
  });
});
