// The websockify-style path: one WebSocket per stream, the destination in the path
// (`host:port`, `[v6]:port`). The upgrade completes only once the destination answered, so a
// client's `open` means connected; a refusal completes it and closes at once with code
// 4000 + the Wisp close reason, and the reason in words.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocket, WebSocketServer } from 'ws';
import { CLOSE_CODE_BASE, CLOSE_REASON } from '../net/wisp-reasons.js';
import type { Settings } from './options.js';
import { logStream, Relay, type StreamRecord } from './relay.js';
import { checkTarget } from './target-policy.js';
import { connectUpstream, UpstreamError } from './upstream.js';

const HIGH = 1 << 20;
const LOW = 256 << 10;

export interface Upgrade {
  request: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  wss: WebSocketServer;
  client: string;
  /** Called with the WebSocket once it exists, so shutdown can reach it. */
  track(ws: WebSocket): void;
}

/** `host:port` or `[v6]:port`, percent-decoded; null when it is neither. */
export function parseTargetPath(text: string): { host: string; port: number } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(text);
  } catch {
    return null;
  }
  const match = /^(?:\[([^\]]+)\]|([^:/[\]]+)):(\d{1,5})$/.exec(decoded);
  if (!match) return null;
  return { host: match[1] ?? match[2]!, port: Number(match[3]) };
}

export async function serveWebsockify(upgrade: Upgrade, targetText: string, settings: Settings) {
  const target = parseTargetPath(targetText);
  const started = performance.now();
  const record: StreamRecord = {
    client: upgrade.client,
    protocol: 'websockify',
    target: targetText,
  };
  const refuse = (reason: number, why: string) => {
    logStream(settings, record, { up: 0, down: 0, started }, why, reason);
    accept(upgrade, (ws) => ws.close(CLOSE_CODE_BASE + reason, shorten(why)));
  };
  if (!target) return refuse(CLOSE_REASON.INVALID, 'refused: the path names no host:port');

  const verdict = await checkTarget(target.host, target.port, settings.policy);
  if (!verdict.allowed) return refuse(verdict.reason, `refused: ${verdict.why}`);
  try {
    const { socket, address } = await connectUpstream(
      verdict.addresses,
      target.port,
      settings.connectTimeout,
    );
    record.address = address;
    accept(upgrade, (ws) => relay(ws, socket, settings, record, started));
  } catch (error) {
    const reason = error instanceof UpstreamError ? error.reason : CLOSE_REASON.NETWORK_ERROR;
    refuse(reason, `connect failed: ${(error as Error).message}`);
  }
}

function accept(upgrade: Upgrade, use: (ws: WebSocket) => void): void {
  if (upgrade.socket.destroyed) return;
  upgrade.wss.handleUpgrade(upgrade.request, upgrade.socket, upgrade.head, (ws) => {
    upgrade.track(ws);
    use(ws);
  });
}

function relay(
  ws: WebSocket,
  socket: import('node:net').Socket,
  settings: Settings,
  record: StreamRecord,
  started: number,
): void {
  const link = new Relay(
    socket,
    settings,
    {
      data: (bytes) => {
        ws.send(bytes, () => ws.bufferedAmount < LOW && link.resume());
        if (ws.bufferedAmount > HIGH) link.pause();
      },
      ended: () => ws.close(1000, 'closed by the destination'),
      failed: (reason, why) => ws.close(CLOSE_CODE_BASE + reason, shorten(why)),
    },
    record,
    started,
  );

  ws.on('message', (data: Buffer) => {
    link.write(data, () => link.unflushed < LOW && ws.resume());
    if (link.unflushed > HIGH) ws.pause();
  });
  ws.on('close', (code: number) =>
    link.close(code === 1001 ? 'proxy shutting down' : 'closed by the client'),
  );
  ws.on('error', () => {});
}

/** Close reasons are limited to 123 bytes. */
function shorten(text: string): string {
  return Buffer.byteLength(text) <= 123
    ? text
    : `${Buffer.from(text).subarray(0, 120).toString()}...`;
}
