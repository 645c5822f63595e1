// Names are resolved by the transport, not inside wasm: hundreds of distinct host names each
// get a synthetic address, and the transport sees the name itself.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadCurl, nodeTcpTransport, type Curl, type Transport } from '../src/index.js';
import { httpServer, type Running } from './support/servers.js';
import { transfer } from './support/transfer.js';

let curl: Curl;
let server: Running;
const seen: string[] = [];

beforeAll(async () => {
  server = await httpServer((req: any, res: any) => res.end(req.headers.host));
  const tcp = nodeTcpTransport();
  // A transport that sends every name to the local server, as a proxy or host might.
  const transport: Transport = {
    name: 'test-names',
    connect(target, events) {
      seen.push(`${target.host}:${target.port}`);
      return tcp.connect({ host: '127.0.0.1', port: server.port }, events);
    },
  };
  curl = await loadCurl({ transport });
});

afterAll(() => server.close());

it('resolves 300 distinct host names through the transport', async () => {
  const names = Array.from({ length: 300 }, (_, i) => `host-${i}.example.test`);
  const bodies = await Promise.all(
    names.map((name) => transfer(curl, `http://${name}:8080/`).then((r) => r.body.toString())),
  );
  expect(bodies).toEqual(names.map((name) => `${name}:8080`));
  expect(new Set(seen)).toEqual(new Set(names.map((name) => `${name}:8080`)));
  expect(curl.sockets.names.size).toBeGreaterThanOrEqual(300);
});

it('gives a name an IPv6 address too, so CURLOPT_IPRESOLVE_V6 works', async () => {
  seen.length = 0;
  const r = await transfer(curl, 'http://six.example.test:81/', { IPRESOLVE: 2 /* V6 */ });
  expect(r.body.toString()).toBe('six.example.test:81');
  expect(seen).toEqual(['six.example.test:81']);
  expect(r.easy.getinfo('PRIMARY_IP')).toMatch(/^100::/);
});
