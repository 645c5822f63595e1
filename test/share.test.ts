// Share handles: cookies, connections, DNS, TLS sessions and HSTS shared between easy handles,
// against Node servers on 127.0.0.1.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CURL_HTTP_VERSION,
  CURL_LOCK_DATA,
  CURLSHOPT,
  CurlOptionError,
  CurlShareError,
  HandleClosedError,
  HandleInUseError,
  loadCurl,
  type Curl,
  type Easy,
  type Share,
} from '../src/index.js';
import { testCerts } from './support/certs.js';
import { drive } from './support/drive.js';
import { httpServer, httpsServer, type Running } from './support/servers.js';
import { prepare, transfer } from './support/transfer.js';

let curl: Curl;
let server: Running;
let tlsServer: Running;
/** Every connection a server has served a request on, in order. */
const sockets: object[] = [];
const resumed: boolean[] = [];

function handler(req: IncomingMessage, res: ServerResponse) {
  if (!sockets.includes(req.socket)) sockets.push(req.socket);
  if (req.url === '/set') res.setHeader('Set-Cookie', 'session=abc123; Path=/');
  res.end(req.url === '/echo' ? (req.headers.cookie ?? '(none)') : 'ok');
}

beforeAll(async () => {
  curl = await loadCurl();
  server = await httpServer(handler);
  tlsServer = await httpsServer((req: any, res: any) => {
    resumed.push((req.socket as TLSSocket).isSessionReused());
    res.end('tls');
  });
});

afterAll(async () => {
  await server.close();
  await tlsServer.close();
});

function sharing(...what: ('COOKIE' | 'DNS' | 'SSL_SESSION' | 'CONNECT' | 'HSTS')[]): Share {
  const share = curl.share();
  for (const data of what) share.setopt('SHARE', data);
  return share;
}

/** Runs one transfer on a multi of its own and closes the multi. */
async function alone(easy: Easy): Promise<void> {
  using multi = curl.multi();
  multi.add(easy);
  const [done] = await drive(curl, multi);
  multi.remove(easy);
  if (done?.error) throw done.error;
}

describe('sharing', () => {
  it('sends a cookie set by one easy from another easy sharing COOKIE', async () => {
    using share = sharing('COOKIE');
    const setter = prepare(curl, `${server.url}/set`, { COOKIEFILE: '', SHARE: share });
    await setter.easy.perform();
    const reader = prepare(curl, `${server.url}/echo`, { COOKIEFILE: '', SHARE: share });
    await reader.easy.perform();
    const stranger = await transfer(curl, `${server.url}/echo`, { COOKIEFILE: '' });

    expect(reader.result().body.toString()).toBe('session=abc123');
    expect(stranger.body.toString()).toBe('(none)');
    for (const easy of [setter.easy, reader.easy, stranger.easy]) easy.close();
  });

  it('reuses a connection across easies in different multis when sharing CONNECT', async () => {
    using share = sharing('CONNECT');
    const first = prepare(curl, `${server.url}/one`, { SHARE: share });
    const second = prepare(curl, `${server.url}/two`, { SHARE: share });
    const before = sockets.length;

    await alone(first.easy);
    await alone(second.easy);

    expect(first.easy.getinfo('NUM_CONNECTS')).toBe(1);
    expect(second.easy.getinfo('NUM_CONNECTS')).toBe(0);
    expect(sockets.length - before).toBe(1);
    first.easy.close();
    second.easy.close();
  });

  it('opens a connection per multi without a share', async () => {
    const first = prepare(curl, `${server.url}/one`);
    const second = prepare(curl, `${server.url}/two`);
    const before = sockets.length;

    await alone(first.easy);
    await alone(second.easy);

    expect(second.easy.getinfo('NUM_CONNECTS')).toBe(1);
    expect(sockets.length - before).toBe(2);
    first.easy.close();
    second.easy.close();
  });

  it('resumes a TLS session across multis when sharing SSL_SESSION (and DNS)', async () => {
    const run = async (share: Share | null) => {
      const options = {
        CAINFO_BLOB: testCerts().caPem,
        HTTP_VERSION: CURL_HTTP_VERSION['1_1'],
        SHARE: share,
      };
      for (const path of ['/a', '/b']) {
        const { easy } = prepare(curl, `https://localhost:${tlsServer.port}${path}`, options);
        await alone(easy);
        easy.close();
      }
      return resumed.splice(0);
    };

    using share = sharing('SSL_SESSION', 'DNS');
    expect(await run(share)).toEqual([false, true]);
    expect(await run(null)).toEqual([false, false]);
  });

  it('accepts HSTS, refuses PSL (not built) and stops sharing with UNSHARE', async () => {
    using share = sharing('HSTS');
    const error = (() => {
      try {
        share.setopt('SHARE', 'PSL');
      } catch (caught) {
        return caught as CurlShareError;
      }
    })();
    expect(error).toBeInstanceOf(CurlShareError);
    expect(error?.code).toBe('CURLSHE_NOT_BUILT_IN');

    share.setopt(CURLSHOPT.SHARE, CURL_LOCK_DATA.COOKIE).setopt('UNSHARE', 'COOKIE');
    const r = await transfer(curl, `${server.url}/echo`, { SHARE: share, COOKIEFILE: '' });
    expect(r.body.toString()).toBe('(none)');
    r.easy.close();
  });
});

describe('ownership', () => {
  it('refuses to close a share an easy still uses, and closes once the easy lets go', () => {
    const share = sharing('COOKIE');
    const easy = curl.easy();
    easy.setopt('SHARE', share);

    expect(() => share.close()).toThrow(HandleInUseError);
    expect(share.closed).toBe(false);
    easy.setopt('SHARE', null);
    share.close();
    expect(share.closed).toBe(true);

    const again = sharing('DNS');
    easy.setopt('SHARE', again);
    easy.close();
    again.close();
  });

  it('refuses changes while in use, as curl does (CURLSHE_IN_USE)', () => {
    using share = sharing('COOKIE');
    using easy = curl.easy();
    easy.setopt('SHARE', share);
    expect(() => share.setopt('SHARE', 'DNS')).toThrow(
      expect.objectContaining({ code: 'CURLSHE_IN_USE' }),
    );
    easy.setopt('SHARE', null);
  });

  it('throws HandleClosedError on use after close', () => {
    const share = sharing('DNS');
    share.close();
    share.close();
    using easy = curl.easy();
    expect(() => share.setopt('SHARE', 'COOKIE')).toThrow(HandleClosedError);
    expect(() => easy.setopt('SHARE', share)).toThrow(HandleClosedError);
  });

  it('refuses lock options, unknown data and shares of another instance', async () => {
    using share = curl.share();
    expect(() => share.setopt(CURLSHOPT.LOCKFUNC, 0)).toThrow(CurlOptionError);
    expect(() => share.setopt('SHARE', 'NONE' as never)).toThrow(CurlOptionError);
    expect(() => share.setopt('SHARE', 42)).toThrow(
      expect.objectContaining({ code: 'CURLSHE_BAD_OPTION' }),
    );
    using easy = curl.easy();
    expect(() => easy.setopt('SHARE', {} as never)).toThrow(CurlOptionError);

    const other = await loadCurl();
    using foreign = other.share();
    expect(() => easy.setopt('SHARE', foreign)).toThrow(CurlOptionError);
  });

  it('leaves the heap as it found it', async () => {
    const before = curl.memory().inUseBytes;
    for (let i = 0; i < 3; i++) {
      using share = sharing('COOKIE', 'DNS', 'SSL_SESSION', 'CONNECT', 'HSTS');
      const { easy } = prepare(curl, `${server.url}/set`, { COOKIEFILE: '', SHARE: share });
      await alone(easy);
      easy.close();
    }
    expect(curl.memory().inUseBytes).toBe(before);
  });
});
