// Wisp's CLOSE reasons, and what each means to a person and to curl. The websockify-style
// transport reads the same table: a proxy that closes the WebSocket with code 4000 + reason
// (this project's server does) says as much as a Wisp CLOSE would.
import { TransportError, type TransportErrorCode, type TransportTarget } from './transport.js';

export const CLOSE_REASON = {
  UNSPECIFIED: 0x01,
  VOLUNTARY: 0x02,
  NETWORK_ERROR: 0x03,
  INCOMPATIBLE_EXTENSIONS: 0x04,
  INVALID: 0x41,
  UNREACHABLE: 0x42,
  CONNECT_TIMEOUT: 0x43,
  REFUSED: 0x44,
  TRANSFER_TIMEOUT: 0x47,
  BLOCKED: 0x48,
  THROTTLED: 0x49,
  CLIENT_ERROR: 0x81,
  BAD_PASSWORD: 0xc0,
  BAD_SIGNATURE: 0xc1,
  MISSING_CREDENTIALS: 0xc2,
} as const;

/** WebSocket close codes 4000 + reason carry a Wisp reason on a websockify-style path. */
export const CLOSE_CODE_BASE = 4000;

interface Meaning {
  code: TransportErrorCode;
  text: string;
  /** Said only of a stream that never reached its destination. */
  connect: boolean;
}

const MEANINGS: Record<number, Meaning> = {
  [CLOSE_REASON.UNSPECIFIED]: { code: 'ECONNRESET', text: 'closed by the proxy', connect: false },
  [CLOSE_REASON.NETWORK_ERROR]: {
    code: 'ECONNRESET',
    text: 'network error at the proxy',
    connect: false,
  },
  [CLOSE_REASON.INCOMPATIBLE_EXTENSIONS]: {
    code: 'ECONNABORTED',
    text: 'the proxy found our protocol extensions incompatible',
    connect: true,
  },
  [CLOSE_REASON.INVALID]: {
    code: 'EINVAL',
    text: 'the proxy refused the destination as invalid',
    connect: true,
  },
  [CLOSE_REASON.UNREACHABLE]: { code: 'EHOSTUNREACH', text: 'host unreachable', connect: true },
  [CLOSE_REASON.CONNECT_TIMEOUT]: {
    code: 'ETIMEDOUT',
    text: 'connection timed out',
    connect: true,
  },
  [CLOSE_REASON.REFUSED]: { code: 'ECONNREFUSED', text: 'connection refused', connect: true },
  [CLOSE_REASON.TRANSFER_TIMEOUT]: {
    code: 'ETIMEDOUT',
    text: 'the proxy closed the idle stream',
    connect: false,
  },
  [CLOSE_REASON.BLOCKED]: {
    code: 'EACCES',
    text: 'the proxy blocks this destination',
    connect: true,
  },
  [CLOSE_REASON.THROTTLED]: { code: 'EBUSY', text: 'throttled by the proxy', connect: false },
  [CLOSE_REASON.BAD_PASSWORD]: {
    code: 'EACCES',
    text: 'the proxy refused the username or password',
    connect: true,
  },
  [CLOSE_REASON.BAD_SIGNATURE]: {
    code: 'EACCES',
    text: 'the proxy refused the signature',
    connect: true,
  },
  [CLOSE_REASON.MISSING_CREDENTIALS]: {
    code: 'EACCES',
    text: 'the proxy requires a password',
    connect: true,
  },
};

export function hex(reason: number): string {
  return `0x${reason.toString(16).padStart(2, '0')}`;
}

/** Whether a name rather than an IP literal: the proxy resolves it. */
function isName(host: string): boolean {
  return !host.includes(':') && !/^[\d.]+$/.test(host);
}

export interface CloseContext {
  target: TransportTarget;
  /** The proxy's URL and kind, for the message: 'wisp ws://...'. */
  via: string;
  /** Nothing came back on the stream and the proxy never confirmed it: it may never have opened. */
  unconfirmed: boolean;
}

/** The error a stream closed with `reason` reports. */
export function closeReasonError(reason: number, context: CloseContext): TransportError {
  const meaning = MEANINGS[reason] ?? {
    code: 'ECONNRESET' as const,
    text: 'closed by the proxy',
    connect: false,
  };
  const { host, port } = context.target;
  const unresolved = reason === CLOSE_REASON.UNREACHABLE && isName(host);
  const code = unresolved ? 'ENOTFOUND' : meaning.code;
  const text = unresolved ? 'the proxy could not resolve the host' : meaning.text;
  const where = `${host}:${port} via ${context.via}, close reason ${hex(reason)}`;
  return new TransportError(code, `${text} (${where})`, {
    connectFailure: meaning.connect || context.unconfirmed,
  });
}
