// A TCP server that plays a scripted HTTP reply byte for byte and records what the client
// sent: curl's own way of testing HTTP behaviour as data.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

/** A reply step: bytes to send, a pause in ms, or closing the connection. */
export type Step = string | Buffer | { wait: number } | 'close' | 'silence';

export interface RawServer {
  port: number;
  url: string;
  /** The requests received, one string (latin1) per request, in order. */
  requests: string[];
  close(): Promise<void>;
}

// A request ends after its headers and the body its Content-Length (or chunking) announces.
function requestEnd(buffer: Buffer): number {
  const head = buffer.indexOf('\r\n\r\n');
  if (head < 0) return -1;
  const headers = buffer.subarray(0, head).toString('latin1');
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(headers);
  if (length) {
    const end = head + 4 + Number(length[1]);
    return buffer.length >= end ? end : -1;
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(headers)) {
    const last = buffer.indexOf('\r\n0\r\n', head);
    if (last < 0) return -1;
    const trailerEnd = buffer.indexOf('\r\n\r\n', last + 2);
    return trailerEnd < 0 ? -1 : trailerEnd + 4;
  }
  return head + 4;
}

/**
 * `replies[i]` answers the i-th request (over whatever connection it came); the last one
 * repeats for any further requests. A function gets the server's port first, for replies
 * that name the server itself.
 */
export async function rawServer(
  script: Step[][] | ((port: number) => Step[][]),
): Promise<RawServer> {
  let replies: Step[][] = [];
  const requests: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = Buffer.alloc(0);
    let busy = false;
    socket.on('data', async (data) => {
      buffer = Buffer.concat([buffer, data]);
      if (busy) return;
      busy = true;
      for (let end = requestEnd(buffer); end >= 0; end = requestEnd(buffer)) {
        requests.push(buffer.subarray(0, end).toString('latin1'));
        buffer = buffer.subarray(end);
        const steps = replies[Math.min(requests.length - 1, replies.length - 1)] ?? [];
        if (!(await play(socket, steps))) return;
      }
      busy = false;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  replies = typeof script === 'function' ? script(port) : script;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Plays the steps; false when the connection is done with. */
async function play(socket: net.Socket, steps: Step[]): Promise<boolean> {
  for (const step of steps) {
    if (step === 'close') {
      socket.end();
      return false;
    }
    if (step === 'silence') return false;
    if (typeof step === 'object' && 'wait' in step) {
      await new Promise((resolve) => setTimeout(resolve, step.wait));
      continue;
    }
    socket.write(step);
  }
  return true;
}

/** An HTTP/1.1 response with a correct Content-Length. */
export function response(status: string, headers: string[], body = ''): string {
  const lines = [`HTTP/1.1 ${status}`, ...headers, `Content-Length: ${Buffer.byteLength(body)}`];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
