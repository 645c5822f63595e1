// fetch() through real proxies: HTTP (and CONNECT tunnels), HTTPS, SOCKS4, SOCKS4a, SOCKS5h.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCurl, type CurlClient } from '../src/index.js';
import { testCerts } from './support/certs.js';
import {
  startDante,
  startSocks4a,
  startTinyproxy,
  startTlsFront,
  type Proxy,
} from './support/proxies.js';
import { httpServer, httpsServer, tcpServer, type Running } from './support/servers.js';

let curl: CurlClient;
let origin: Running;
let secureOrigin: Running;
let tinyproxy: Proxy;
let httpsProxy: Proxy;
let dante: Proxy;
let socks4a: Running & { hosts: string[] };

const handler = (req: any, res: any) =>
  res.end(JSON.stringify({ url: req.url, via: req.headers.via ?? null, host: req.headers.host }));

beforeAll(async () => {
  curl = await loadCurl();
  origin = await httpServer(handler);
  secureOrigin = await httpsServer(handler);
  tinyproxy = await startTinyproxy();
  httpsProxy = await startTlsFront(tinyproxy.port);
  dante = await startDante();
  socks4a = await startSocks4a();
});

afterAll(async () => {
  await Promise.all(
    [origin, secureOrigin, tinyproxy, httpsProxy, dante, socks4a].map((s) => s?.close()),
  );
});

const ca = testCerts().caPem;

describe('proxies', () => {
  it('goes through an HTTP proxy', async () => {
    const response = await curl.fetch(`http://localhost:${origin.port}/plain`, {
      curl: { proxy: `http://127.0.0.1:${tinyproxy.port}` },
    });
    const body = await response.json();
    expect(body.url).toBe('/plain');
    expect(body.via).toMatch(/tinyproxy/);
  });

  it('tunnels HTTPS through an HTTP proxy with CONNECT, TLS kept end to end', async () => {
    const response = await curl.fetch(`https://localhost:${secureOrigin.port}/tunnel`, {
      curl: { proxy: `http://127.0.0.1:${tinyproxy.port}`, ca },
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.url).toBe('/tunnel');
    expect(body.via).toBeNull(); // the proxy saw only ciphertext
  });

  it('speaks TLS to an HTTPS proxy', async () => {
    const response = await curl.fetch(`http://localhost:${origin.port}/over-tls`, {
      curl: { proxy: `https://localhost:${httpsProxy.port}`, ca },
    });
    const body = await response.json();
    expect(body.url).toBe('/over-tls');
    expect(body.via).toMatch(/tinyproxy/);
  });

  it('goes through SOCKS5 with the proxy resolving the name (socks5h)', async () => {
    const response = await curl.fetch(`http://localhost:${origin.port}/s5`, {
      curl: { proxy: `socks5h://127.0.0.1:${dante.port}` },
    });
    expect((await response.json()).url).toBe('/s5');
  });

  it('goes through SOCKS4 to an address', async () => {
    const response = await curl.fetch(`http://127.0.0.1:${origin.port}/s4`, {
      curl: { proxy: `socks4://127.0.0.1:${dante.port}` },
    });
    expect((await response.json()).url).toBe('/s4');
  });

  it('sends the host name to a SOCKS4a proxy', async () => {
    const response = await curl.fetch(`http://localhost:${origin.port}/s4a`, {
      curl: { proxy: `socks4a://127.0.0.1:${socks4a.port}` },
    });
    expect((await response.json()).url).toBe('/s4a');
    expect(socks4a.hosts).toContain('localhost');
  });

  it('fails with a typed error, not a hang, when the SOCKS proxy refuses', async () => {
    const error = await curl
      .fetch(`http://refused.example:${origin.port}/`, {
        curl: { proxy: `socks4a://127.0.0.1:${socks4a.port}` },
      })
      .catch((e) => e);
    expect(error.message).toBe('fetch failed');
    expect(error.cause.code).toBe('CURLE_PROXY');
  });

  it('fails with a typed error when the proxy closes the connection', async () => {
    const closer = await tcpServer((socket) => socket.end());
    try {
      const error = await curl
        .fetch(`http://localhost:${origin.port}/`, {
          curl: { proxy: `http://127.0.0.1:${closer.port}`, timeout: 10_000 },
        })
        .catch((e) => e);
      expect(error.message).toBe('fetch failed');
      expect(error.cause.code).toBe('CURLE_GOT_NOTHING');
    } finally {
      await closer.close();
    }
  });
});
