// `startProxy`: one port serving Wisp (v1 and v2) at the path prefix and websockify-style
// streams below it, with the safety rules of target-policy.ts, authentication, limits, one
// log entry per stream, and a graceful close.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { V2_SUBPROTOCOL } from '../net/wisp-packets.js';
import { tokenMatches } from './auth.js';
import { settingsFrom, type ProxyOptions, type Settings } from './options.js';
import { serveWebsockify } from './websockify-server.js';
import { WispServerConnection } from './wisp-server-connection.js';

export interface RunningProxy {
  /** The Wisp URL, such as 'ws://127.0.0.1:8080/'; websockify-style at url + 'host:port'. */
  url: string;
  host: string;
  port: number;
  /** Stops accepting, closes every stream cleanly, and resolves once all are gone. */
  close(): Promise<void>;
}

/** How long close() lets streams finish their goodbyes before cutting them. */
const CLOSE_GRACE_MS = 2_000;
/** No Wisp or websockify client needs bigger messages; the limit keeps memory bounded. */
const MAX_MESSAGE = 4 << 20;

export async function startProxy(options: ProxyOptions = {}): Promise<RunningProxy> {
  const settings = settingsFrom(options);
  const proxy = new ProxyServer(settings);
  const { address, port } = await proxy.listen();
  const shown = address.includes(':') ? `[${address}]` : address;
  return {
    url: `ws://${shown}:${port}${settings.path}`,
    host: address,
    port,
    close: () => proxy.close(),
  };
}

class ProxyServer {
  #http = http.createServer((_request, response) => {
    response
      .writeHead(426, { 'Content-Type': 'text/plain' })
      .end('libcurl-wasm proxy: WebSocket only\n');
  });
  #wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE,
    handleProtocols: pickProtocol,
  });
  #sockets = new Set<Socket>();
  #perClient = new Map<string, number>();
  #wisp = new Set<WispServerConnection>();
  #websockify = new Set<WebSocket>();
  /** Every WebSocket still open, so close() can wait for each to finish. */
  #all = new Set<WebSocket>();
  #closing = false;

  constructor(private readonly settings: Settings) {
    this.#http.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    this.#http.on('upgrade', (request, socket, head) => this.#upgrade(request, socket, head));
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(this.settings.port, this.settings.host, () => {
        resolve(this.#http.address() as AddressInfo);
      });
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    const listening = new Promise<void>((resolve) => this.#http.close(() => resolve()));
    const sockets = [...this.#all].map(
      (ws) =>
        new Promise<void>((resolve) =>
          ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve()),
        ),
    );
    for (const connection of this.#wisp) connection.shutdown();
    for (const ws of this.#websockify) ws.close(1001, 'proxy shutting down');
    const grace = setTimeout(() => {
      for (const socket of this.#sockets) socket.destroy();
    }, CLOSE_GRACE_MS);
    await Promise.all([listening, ...sockets]);
    clearTimeout(grace);
  }

  #upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => {});
    const url = new URL(request.url ?? '/', 'http://proxy');
    const client = request.socket.remoteAddress ?? 'unknown';
    const refused = this.#refusal(request, url, client);
    if (refused) return this.#reject(socket, refused, client, url.pathname);

    this.#count(client, socket);
    const path = this.settings.path;
    if (url.pathname === path) return this.#serveWisp(request, socket, head, client, url);
    const upgrade = {
      request,
      socket,
      head,
      wss: this.#wss,
      client,
      track: (ws: WebSocket) => this.#trackWebsockify(ws),
    };
    void serveWebsockify(upgrade, url.pathname.slice(path.length), this.settings);
  }

  /** Why this upgrade is turned away, as an HTTP status and words; null to accept it. */
  #refusal(request: http.IncomingMessage, url: URL, client: string): [number, string] | null {
    if (this.#closing) return [503, 'shutting down'];
    if (!url.pathname.startsWith(this.settings.path)) return [404, `no proxy at ${url.pathname}`];
    if ((this.#perClient.get(client) ?? 0) >= this.settings.maxConnectionsPerClient) {
      return [429, `over ${this.settings.maxConnectionsPerClient} connections from ${client}`];
    }
    if (this.#authorised(request, url) || this.#mayUsePassword(request, url)) return null;
    return [401, this.settings.token ? 'missing or wrong token' : 'a Wisp v2 password is required'];
  }

  #authorised(request: http.IncomingMessage, url: URL): boolean {
    const { token, users } = this.settings;
    if (token && tokenMatches(request, url, token)) return true;
    return !token && users.size === 0;
  }

  /** A Wisp v2 client can still authenticate with a password during the handshake. */
  #mayUsePassword(request: http.IncomingMessage, url: URL): boolean {
    return this.settings.users.size > 0 && url.pathname === this.settings.path && offersV2(request);
  }

  #serveWisp(
    request: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
    client: string,
    url: URL,
  ): void {
    const needsPassword = !this.#authorised(request, url);
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new WispServerConnection(
        ws,
        { address: client, offeredV2: offersV2(request), needsPassword },
        this.settings,
      );
      this.#wisp.add(connection);
      this.#track(ws);
      ws.on('close', () => this.#wisp.delete(connection));
      connection.start();
    });
  }

  #trackWebsockify(ws: WebSocket): void {
    this.#websockify.add(ws);
    this.#track(ws);
    ws.on('close', () => this.#websockify.delete(ws));
  }

  #track(ws: WebSocket): void {
    this.#all.add(ws);
    ws.on('close', () => this.#all.delete(ws));
  }

  #count(client: string, socket: Duplex): void {
    this.#perClient.set(client, (this.#perClient.get(client) ?? 0) + 1);
    socket.once('close', () => {
      const left = (this.#perClient.get(client) ?? 1) - 1;
      if (left > 0) this.#perClient.set(client, left);
      else this.#perClient.delete(client);
    });
  }

  #reject(socket: Duplex, [status, why]: [number, string], client: string, path: string): void {
    this.settings.log({
      kind: 'connection',
      time: new Date().toISOString(),
      client,
      path,
      refused: why,
    });
    const text = `${why}\n`;
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n` +
        `Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }
}

function offersV2(request: http.IncomingMessage): boolean {
  const offered = request.headers['sec-websocket-protocol'] ?? '';
  return offered.split(',').some((name) => name.trim() === V2_SUBPROTOCOL);
}

/** 'wisp-v2' for Wisp v2 clients, 'binary' for websockify clients, else the first offered. */
function pickProtocol(offered: Set<string>): string | false {
  if (offered.has(V2_SUBPROTOCOL)) return V2_SUBPROTOCOL;
  if (offered.has('binary')) return 'binary';
  return offered.values().next().value ?? false;
}
