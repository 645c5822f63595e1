// Connecting to a destination the policy let through: to the checked addresses themselves,
// one after another, never to the name (so nothing can resolve it differently now).
import net from 'node:net';
import { CLOSE_REASON } from '../net/wisp-reasons.js';

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  constructor(
    /** The Wisp close reason that says it. */
    readonly reason: number,
    message: string,
  ) {
    super(message);
  }
}

const REASON_OF_CODE: Record<string, number> = {
  ECONNREFUSED: CLOSE_REASON.REFUSED,
  ETIMEDOUT: CLOSE_REASON.CONNECT_TIMEOUT,
  EHOSTUNREACH: CLOSE_REASON.UNREACHABLE,
  ENETUNREACH: CLOSE_REASON.UNREACHABLE,
  EHOSTDOWN: CLOSE_REASON.UNREACHABLE,
};

function attempt(address: string, port: number, ms: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new UpstreamError(
          CLOSE_REASON.CONNECT_TIMEOUT,
          `connecting to ${address} port ${port} timed out`,
        ),
      );
    }, ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const reason = REASON_OF_CODE[error.code ?? ''] ?? CLOSE_REASON.NETWORK_ERROR;
      reject(new UpstreamError(reason, `${address} port ${port}: ${error.message}`));
    });
  });
}

/** The first address that accepts, within `ms` in all; the last failure otherwise. */
export async function connectUpstream(
  addresses: readonly string[],
  port: number,
  ms: number,
): Promise<{ socket: net.Socket; address: string }> {
  const deadline = Date.now() + ms;
  let failure: unknown = new UpstreamError(CLOSE_REASON.UNREACHABLE, 'no address to connect to');
  for (const address of addresses) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    try {
      return { socket: await attempt(address, port, left), address };
    } catch (error) {
      failure = error;
    }
  }
  throw failure;
}
