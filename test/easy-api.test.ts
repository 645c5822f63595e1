// The easy handle's API: typed options and infos, callbacks with curl's conventions,
// reset and duphandle.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CURL_SEEKFUNC_OK,
  CURLE,
  CURLINFO,
  CURLOPT,
  CurlError,
  CurlOptionError,
  loadCurl,
  type Curl,
} from '../src/index.js';
import { testCerts } from './support/certs.js';
import { httpServer, httpsServer, type Running } from './support/servers.js';
import { prepare, transfer } from './support/transfer.js';

let curl: Curl;
let server: Running;
const seen: Array<{ url: string; headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpServer((req: any, res: any) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('latin1')));
    req.on('end', () => {
      seen.push({ url: req.url, headers: req.headers, body });
      if (req.url === '/cookie') res.setHeader('Set-Cookie', ['sid=42; Path=/', 'lang=en; Path=/']);
      if (req.url === '/redirect307') {
        res.writeHead(307, { Location: '/target' }).end();
        return;
      }
      if (req.url === '/trailers') {
        res.end(`trailers ${JSON.stringify(req.trailers)}`);
        return;
      }
      res.end(`body of ${req.url}: ${body}`);
    });
  });
});

afterAll(() => server.close());

describe('options', () => {
  it('takes options by name and by CURLOPT number', async () => {
    const easy = curl.easy();
    easy.setopt(CURLOPT.URL, `${server.url}/by-number`);
    easy.setopt('USERAGENT', 'wasm-agent/1');
    const { result } = prepare(curl, `${server.url}/by-number`, {}, easy);
    await easy.perform();
    expect(result().body.toString()).toBe('body of /by-number: ');
    expect(seen.at(-1)!.headers['user-agent']).toBe('wasm-agent/1');
  });

  it('rejects a value of the wrong type with CurlOptionError, in TS and at run time', () => {
    const easy = curl.easy();
    // @ts-expect-error a string for a number option is a type error
    expect(() => easy.setopt('TIMEOUT_MS', '100')).toThrow(CurlOptionError);
    // @ts-expect-error a number for a string option
    expect(() => easy.setopt('URL', 42)).toThrow(/CURLOPT_URL takes a string/);
    // @ts-expect-error a string for a list option
    expect(() => easy.setopt('HTTPHEADER', 'X: y')).toThrow(/array of strings/);
    expect(() => easy.setopt('TIMEOUT_MS', 2 ** 40)).toThrow(/32-bit/);
    expect(() => easy.setopt('URL', 'http://a\0b')).toThrow(/NUL/);
    // @ts-expect-error no such option
    expect(() => easy.setopt('NO_SUCH_OPTION', 1)).toThrow(/unknown option/);
    easy.close();
  });

  it("reports curl's refusal of a bad value as a CurlError", () => {
    const easy = curl.easy();
    const error = (() => {
      try {
        easy.setopt('SSLVERSION', 999);
      } catch (e) {
        return e as CurlError;
      }
    })();
    expect(error).toBeInstanceOf(CurlError);
    expect(error!.code).toBe('CURLE_BAD_FUNCTION_ARGUMENT');
    easy.close();
  });

  it('sends string lists, off_t values and binary POST bodies', async () => {
    const bytes = Uint8Array.from([0, 1, 2, 255, 0x41]);
    await transfer(curl, `${server.url}/post`, {
      HTTPHEADER: ['X-One: 1', 'X-Two: 2'],
      POSTFIELDS: bytes,
      MAXFILESIZE_LARGE: 10n ** 9n,
    });
    const last = seen.at(-1)!;
    expect(last.headers['x-one']).toBe('1');
    expect(last.headers['x-two']).toBe('2');
    expect(last.headers['content-length']).toBe('5');
    expect(Buffer.from(last.body, 'latin1')).toEqual(Buffer.from(bytes));
  });
});

describe('infos', () => {
  it('reads strings, longs, doubles, off_t values and lists', async () => {
    const r = await transfer(curl, `${server.url}/cookie`, { COOKIEFILE: '' });
    expect(r.easy.getinfo('EFFECTIVE_URL')).toBe(`${server.url}/cookie`);
    expect(r.easy.getinfo(CURLINFO.RESPONSE_CODE)).toBe(200);
    expect(r.easy.getinfo('TOTAL_TIME')).toBeGreaterThan(0);
    expect(r.easy.getinfo('SIZE_DOWNLOAD_T')).toBe(r.body.length);
    const cookies = r.easy.getinfo('COOKIELIST');
    expect(cookies).toHaveLength(2);
    expect(cookies.join('\n')).toMatch(/\tsid\t42$/m);
    expect(cookies.join('\n')).toMatch(/\tlang\ten$/m);
  });

  it('lists the certificate chain with CERTINFO', async () => {
    const tls = await httpsServer((_req: any, res: any) => res.end('ok'));
    try {
      const r = await transfer(curl, `https://localhost:${tls.port}/`, {
        CAINFO_BLOB: testCerts().caPem,
        CERTINFO: 1,
      });
      const { certs } = r.easy.getinfo('CERTINFO');
      expect(certs.length).toBeGreaterThanOrEqual(1);
      expect(certs[0]!.some((field) => /^Subject:.*localhost/.test(field))).toBe(true);
    } finally {
      await tls.close();
    }
  });
});

describe('callbacks', () => {
  it('rewinds an upload through SEEKFUNCTION when a 307 repeats the POST', async () => {
    const data = Buffer.from('payload-to-repeat');
    let offset = 0;
    const seeks: number[] = [];
    const r = await transfer(curl, `${server.url}/redirect307`, {
      POST: 1,
      POSTFIELDSIZE: data.length,
      FOLLOWLOCATION: 1,
      READFUNCTION: (buffer: Uint8Array) => {
        const n = data.copy(buffer, 0, offset);
        offset += n;
        return n;
      },
      SEEKFUNCTION: (to: number) => {
        seeks.push(to);
        offset = to;
        return CURL_SEEKFUNC_OK;
      },
    });
    expect(seeks).toEqual([0]);
    expect(r.body.toString()).toBe('body of /target: payload-to-repeat');
  });

  it('asks PREREQFUNCTION before sending, and aborts when it says so', async () => {
    const calls: unknown[] = [];
    await transfer(curl, `${server.url}/prereq`, {
      PREREQFUNCTION: (conn: unknown) => void calls.push(conn),
    });
    expect(calls).toEqual([
      expect.objectContaining({ primaryIp: '127.0.0.1', primaryPort: server.port }),
    ]);
    const error = await transfer(curl, `${server.url}/prereq`, {
      PREREQFUNCTION: () => false,
    }).catch((e) => e);
    expect(error.code).toBe('CURLE_ABORTED_BY_CALLBACK');
  });

  it('sends trailers from TRAILERFUNCTION on a chunked upload', async () => {
    const body = ['chunk-1', 'chunk-2'];
    const r = await transfer(curl, `${server.url}/trailers`, {
      POST: 1,
      HTTPHEADER: ['Transfer-Encoding: chunked', 'Trailer: X-Checksum'],
      READFUNCTION: (buffer: Uint8Array) => {
        const next = body.shift();
        if (!next) return 0;
        buffer.set(Buffer.from(next));
        return next.length;
      },
      TRAILERFUNCTION: () => ['X-Checksum: 1234'],
    });
    expect(r.body.toString()).toBe('trailers {"x-checksum":"1234"}');
  });
});

describe('reset and duphandle', () => {
  it('duphandle copies options, lists and callbacks into an independent handle', async () => {
    const original = curl.easy();
    const chunks: string[] = [];
    original.setopt('URL', `${server.url}/dup`);
    original.setopt('HTTPHEADER', ['X-Dup: yes']);
    original.setopt('WRITEFUNCTION', (c) => void chunks.push(Buffer.from(c).toString()));
    const copy = original.duphandle();
    original.close(); // the copy must not depend on the original's memory
    await copy.perform();
    expect(chunks.join('')).toBe('body of /dup: ');
    expect(seen.at(-1)!.headers['x-dup']).toBe('yes');
    copy.close();
  });

  it('reset forgets options and callbacks but keeps the handle usable', async () => {
    const easy = curl.easy();
    easy.setopt('HTTPHEADER', ['X-Before: reset']);
    easy.setopt('WRITEFUNCTION', () => {
      throw new Error('must not be called after reset');
    });
    easy.reset();
    easy.setopt('URL', `${server.url}/after-reset`);
    await easy.perform();
    expect(seen.at(-1)!.headers['x-before']).toBeUndefined();
    expect(easy.getinfo('RESPONSE_CODE')).toBe(200);
    easy.close();
  });

  it('keeps idle HTTP/2 connections alive with upkeep()', async () => {
    const tls = await httpsServer((_req: any, res: any) => res.end('ok'));
    try {
      const easy = curl.easy();
      easy.setopt('URL', `https://localhost:${tls.port}/`);
      easy.setopt('CAINFO_BLOB', testCerts().caPem);
      easy.setopt('UPKEEP_INTERVAL_MS', 1);
      await easy.perform();
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(() => easy.upkeep()).not.toThrow();
      easy.close();
    } finally {
      await tls.close();
    }
  });
});

it('exposes CURLE codes that match the numbers curl reports', () => {
  expect(CURLE.OK).toBe(0);
  expect(CURLE.COULDNT_RESOLVE_HOST).toBe(6);
  expect(CURLE.PEER_FAILED_VERIFICATION).toBe(60);
});
