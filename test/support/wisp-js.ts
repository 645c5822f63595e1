// The Wisp server from @mercuryworkshop/wisp-js, a server nobody here wrote, run in the test
// process on 127.0.0.1. Its options are module-wide, so one test file configures it once:
// loopback destinations allowed (the test servers live there), and a resolver that knows
// only test names, so no test sends a DNS query anywhere.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { logging, server as wisp } from '@mercuryworkshop/wisp-js/server';

export interface WispJsServer {
  url: string;
  /** 2 (its default) or 1: what the server speaks to the next connections. */
  setVersion(version: 1 | 2): void;
  close(): Promise<void>;
}

async function testResolver(host: string): Promise<string> {
  if (host === 'localhost' || host === 'origin.test') return '127.0.0.1';
  throw Object.assign(new Error(`test resolver: no such host ${host}`), { code: 'ENOTFOUND' });
}

export async function startWispJs(): Promise<WispJsServer> {
  logging.set_level(logging.NONE);
  wisp.options.allow_loopback_ips = true;
  wisp.options.allow_private_ips = false;
  wisp.options.dns_method = testResolver;
  wisp.options.wisp_version = 2;

  const sockets = new Set<Duplex>();
  const server = http.createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req, socket, head) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    wisp.routeRequest(req, socket, head);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/`,
    setVersion: (version) => void (wisp.options.wisp_version = version),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
