// WebSocket servers of the `ws` package on 127.0.0.1 (plain, or TLS with the test CA's
// certificate), each handing its connections and upgrade requests to the test.
import type { IncomingMessage } from 'node:http';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type net from 'node:net';
import { WebSocketServer, type ServerOptions, type WebSocket } from 'ws';
import { testCerts } from './certs.js';

export interface WsServer {
  port: number;
  url: string;
  wss: WebSocketServer;
  /** Upgrade requests, in order. */
  requests: IncomingMessage[];
  /** Resolves with the next connection. */
  nextConnection(): Promise<{ ws: WebSocket; request: IncomingMessage }>;
  close(): Promise<void>;
}

export interface WsServerOptions extends Omit<ServerOptions, 'server' | 'port' | 'host'> {
  tls?: boolean;
  onConnection?: (ws: WebSocket, request: IncomingMessage) => void;
}

/** Echoes every message back as it came: text as text, binary as binary. */
export function echo(ws: WebSocket): void {
  ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary }));
}

export async function wsServer(options: WsServerOptions = {}): Promise<WsServer> {
  const { tls, onConnection, ...serverOptions } = options;
  const certs = testCerts();
  const server = tls
    ? https.createServer({ key: certs.key, cert: certs.cert })
    : http.createServer((_, res) => res.writeHead(426).end());
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const wss = new WebSocketServer({ ...serverOptions, server });
  const requests: IncomingMessage[] = [];
  const waiting: Array<(c: { ws: WebSocket; request: IncomingMessage }) => void> = [];
  wss.on('connection', (ws, request) => {
    requests.push(request);
    ws.on('error', () => undefined);
    onConnection?.(ws, request);
    waiting.shift()?.({ ws, request });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `${tls ? 'wss' : 'ws'}://${tls ? 'localhost' : '127.0.0.1'}:${port}`,
    wss,
    requests,
    nextConnection: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        for (const socket of sockets) socket.destroy();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
