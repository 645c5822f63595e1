// Real servers on 127.0.0.1 (and ::1) for the tests, each closed by the returned function.
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { testCerts } from './certs.js';

export interface Running {
  port: number;
  url: string;
  close(): Promise<void>;
}

// Handlers serve HTTP/1.1 and HTTP/2 alike, so tests type their arguments as they need.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Handler = (req: any, res: any) => void;

async function listen(server: net.Server, host: string, scheme: string): Promise<Running> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return {
    port,
    url: `${scheme}://${shown}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export function httpServer(handler: http.RequestListener, host = '127.0.0.1'): Promise<Running> {
  return listen(http.createServer(handler), host, 'http');
}

/** HTTPS speaking HTTP/2 (and HTTP/1.1 to clients that do not offer h2). */
export function httpsServer(
  handler: Handler,
  options: { wrongName?: boolean } = {},
): Promise<Running> {
  const certs = testCerts();
  const server = http2.createSecureServer(
    {
      key: options.wrongName ? certs.wrongKey : certs.key,
      cert: options.wrongName ? certs.wrongCert : certs.cert,
      allowHTTP1: true,
    },
    handler as (req: http2.Http2ServerRequest, res: http2.Http2ServerResponse) => void,
  );
  return listen(server, '127.0.0.1', 'https');
}

/** A TCP server that answers each connection with whatever `onConnection` does. */
export function tcpServer(onConnection: (socket: net.Socket) => void): Promise<Running> {
  return listen(net.createServer(onConnection), '127.0.0.1', 'http');
}

/** A port on 127.0.0.1 where nothing listens (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
