// HTTP behaviour as data, in curl's habit: each case is the server's reply as raw bytes, the
// request curl must send, and the outcome (CURLcode, infos, body, callback order).
import { afterEach, describe, expect, it } from 'vitest';
import {
  CURL_READFUNC_PAUSE,
  CURL_WRITEFUNC_PAUSE,
  CURLPAUSE_CONT,
  loadCurl,
  type Curl,
  type Easy,
  type InfoName,
} from '../src/index.js';
import { rawServer, response, type RawServer, type Step } from './support/raw-server.js';
import type { Options } from './support/transfer.js';

interface Case {
  name: string;
  replies: Step[][] | ((port: number) => Step[][]);
  path?: string;
  options?: (server: RawServer) => Options;
  /** Wires callbacks that need the easy (pausing and resuming). */
  setup?: (easy: Easy, events: string[]) => void;
  /** Each expected request, as a regular expression over its bytes. */
  requests?: RegExp[];
  code: string;
  status?: number;
  body?: string;
  infos?: Partial<Record<InfoName, unknown>>;
  /** The order of callback events: 'header:<line>', 'body:<text>'. */
  events?: string[];
}

const ok = (body: string, headers: string[] = []) => response('200 OK', headers, body);

const cases: Case[] = [
  {
    name: 'a chunked body with trailers',
    replies: [
      [
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n',
        '5\r\nhello\r\n',
        { wait: 20 },
        '6\r\n world\r\n',
        '0\r\nX-Sum: 11\r\n\r\n',
      ],
    ],
    requests: [/^GET \/ HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\nAccept: \*\/\*\r\n\r\n$/],
    code: 'CURLE_OK',
    status: 200,
    body: 'hello world',
    events: [
      'header:HTTP/1.1 200 OK',
      'header:Transfer-Encoding: chunked',
      'header:Trailer: X-Sum',
      'header:',
      'body:hello',
      'body: world',
      'header:X-Sum: 11',
    ],
  },
  {
    name: 'a write callback that pauses, resumed later from outside',
    replies: [[ok('first|second')]],
    setup: (easy, events) => {
      let paused = false;
      easy.setopt('WRITEFUNCTION', (chunk) => {
        if (!paused) {
          paused = true;
          events.push('pause');
          setTimeout(() => {
            events.push('resume');
            easy.pause(CURLPAUSE_CONT);
          }, 100);
          return CURL_WRITEFUNC_PAUSE;
        }
        events.push(`body:${Buffer.from(chunk).toString()}`);
      });
    },
    code: 'CURLE_OK',
    events: [
      'header:HTTP/1.1 200 OK',
      'header:Content-Length: 12',
      'header:',
      'pause',
      'resume',
      'body:first|second',
    ],
  },
  {
    name: 'an upload paused twice and resumed each time',
    replies: [[response('201 Created', [], 'stored')]],
    options: () => ({ UPLOAD: 1, INFILESIZE_LARGE: 9 }),
    setup: (easy, events) => {
      const parts = ['abc', 'def', 'ghi'];
      let turn = 0;
      easy.setopt('READFUNCTION', (buffer) => {
        turn++;
        if (turn === 1 || turn === 3) {
          events.push('pause');
          setTimeout(() => easy.pause(CURLPAUSE_CONT), 50);
          return CURL_READFUNC_PAUSE;
        }
        const part = parts.shift();
        if (!part) return 0;
        events.push(`read:${part}`);
        buffer.set(Buffer.from(part));
        return part.length;
      });
    },
    requests: [/^PUT \/ HTTP\/1\.1\r\n[\s\S]*Content-Length: 9\r\n\r\nabcdefghi$/],
    code: 'CURLE_OK',
    status: 201,
    events: [
      'pause',
      'read:abc',
      'pause',
      'read:def',
      'read:ghi',
      'header:HTTP/1.1 201 Created',
      'header:Content-Length: 6',
      'header:',
      'body:stored',
    ],
  },
  {
    name: 'TIMEOUT_MS against a server that never answers',
    replies: [['silence']],
    options: () => ({ TIMEOUT_MS: 300 }),
    code: 'CURLE_OPERATION_TIMEDOUT',
  },
  {
    name: 'HEAD with Content-Encoding sends no body and waits for none',
    replies: [['HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 1234\r\n\r\n']],
    options: () => ({ NOBODY: 1, ACCEPT_ENCODING: '' }),
    requests: [/^HEAD \/ HTTP\/1\.1\r\n/],
    code: 'CURLE_OK',
    status: 200,
    body: '',
    infos: { CONTENT_LENGTH_DOWNLOAD_T: 1234 },
  },
  {
    name: 'a relative Location with dot segments',
    path: '/a/b/c',
    replies: [[response('302 Found', ['Location: ../d/e?x=1'])], [ok('arrived')]],
    options: () => ({ FOLLOWLOCATION: 1 }),
    requests: [/^GET \/a\/b\/c /, /^GET \/a\/d\/e\?x=1 HTTP\/1\.1\r\n/],
    code: 'CURLE_OK',
    body: 'arrived',
    infos: { REDIRECT_COUNT: 1 },
  },
  {
    name: 'a protocol-relative Location with a space to encode',
    replies: (port) => [
      [response('301 Moved', [`Location: //127.0.0.1:${port}/with space`])],
      [ok('spaced')],
    ],
    options: () => ({ FOLLOWLOCATION: 1 }),
    requests: [/^GET \/ /, /^GET \/with%20space HTTP\/1\.1\r\n/],
    code: 'CURLE_OK',
    body: 'spaced',
  },
  {
    name: 'a POST turned into GET by 303, keeping no body',
    replies: [[response('303 See Other', ['Location: /done'])], [ok('got it')]],
    options: () => ({ POSTFIELDS: 'a=1', FOLLOWLOCATION: 1 }),
    requests: [
      /^POST \/ [\s\S]*\r\n\r\na=1$/,
      /^GET \/done HTTP\/1\.1\r\n(?![\s\S]*Content-Length)/,
    ],
    code: 'CURLE_OK',
    body: 'got it',
  },
  {
    name: 'cookies across redirects, and deletion by Max-Age=0',
    replies: [
      [
        response('302 Found', [
          'Set-Cookie: a=1; Path=/',
          'Set-Cookie: b=2; Path=/',
          'Location: /next',
        ]),
      ],
      [response('302 Found', ['Set-Cookie: a=; Max-Age=0; Path=/', 'Location: /last'])],
      [ok('done')],
    ],
    options: () => ({ FOLLOWLOCATION: 1, COOKIEFILE: '' }),
    requests: [
      /^GET \/ HTTP\/1\.1\r\n(?![\s\S]*Cookie)/,
      /^GET \/next HTTP\/1\.1\r\n[\s\S]*Cookie: b=2; a=1\r\n/,
      /^GET \/last HTTP\/1\.1\r\n[\s\S]*Cookie: b=2\r\n/,
    ],
    code: 'CURLE_OK',
    body: 'done',
  },
  {
    name: 'a body cut short by the server',
    replies: [['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this', 'close']],
    code: 'CURLE_PARTIAL_FILE',
    body: 'only this',
  },
  {
    name: 'a malformed status line',
    replies: [['HTTP/1.1 abc nonsense\r\n\r\n', 'close']],
    code: 'CURLE_UNSUPPORTED_PROTOCOL',
  },
  {
    name: 'a connection closed before any reply',
    replies: [['close']],
    code: 'CURLE_GOT_NOTHING',
  },
];

let curl: Curl;
let server: RawServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('HTTP cases', () => {
  for (const c of cases) {
    it(c.name, async () => {
      curl ??= await loadCurl();
      const live = await rawServer(c.replies);
      server = live;

      const easy = curl.easy();
      const events: string[] = [];
      const body: Buffer[] = [];
      easy.setopt('URL', `${live.url}${c.path ?? '/'}`);
      easy.setopt('HEADERFUNCTION', (line) => {
        events.push(`header:${Buffer.from(line).toString('latin1').trimEnd()}`);
      });
      easy.setopt('WRITEFUNCTION', (chunk) => {
        body.push(Buffer.from(chunk));
        events.push(`body:${Buffer.from(chunk).toString()}`);
      });
      for (const [name, value] of Object.entries(c.options?.(live) ?? {})) {
        easy.setopt(name as never, value as never);
      }
      c.setup?.(easy, events);

      const error = await easy.perform().then(
        () => null,
        (e) => e,
      );
      expect(error?.code ?? 'CURLE_OK').toBe(c.code);
      if (c.status !== undefined) expect(easy.getinfo('RESPONSE_CODE')).toBe(c.status);
      if (c.body !== undefined) expect(Buffer.concat(body).toString()).toBe(c.body);
      for (const [name, value] of Object.entries(c.infos ?? {})) {
        expect(easy.getinfo(name as InfoName)).toEqual(value);
      }
      if (c.requests) {
        expect(live.requests).toHaveLength(c.requests.length);
        c.requests.forEach((pattern, i) => expect(live.requests[i]).toMatch(pattern));
      }
      if (c.events) expect(events).toEqual(c.events);
      easy.close();
    });
  }
});
