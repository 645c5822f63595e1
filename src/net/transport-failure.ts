// The TransportError a transport reports when a runtime's socket fails: one of the codes the
// socket table turns into an errno for curl, a message that names the target, and the
// runtime's own error as the cause.
import { formatTarget } from './target.js';
import { TransportError, type TransportErrorCode, type TransportTarget } from './transport.js';

// Node's errno strings (which Bun and Deno also use) that mean one of our codes.
const CODE_OF_ERRNO: Record<string, TransportErrorCode> = {
  ECONNREFUSED: 'ECONNREFUSED',
  ECONNRESET: 'ECONNRESET',
  ECONNABORTED: 'ECONNRESET',
  EPIPE: 'ECONNRESET',
  ETIMEDOUT: 'ETIMEDOUT',
  EHOSTUNREACH: 'EHOSTUNREACH',
  EHOSTDOWN: 'EHOSTUNREACH',
  ENETUNREACH: 'ENETUNREACH',
  ENETDOWN: 'ENETUNREACH',
  ENOTFOUND: 'ENOTFOUND',
  EAI_AGAIN: 'ENOTFOUND',
  EAI_NONAME: 'ENOTFOUND',
  EACCES: 'EACCES',
  EPERM: 'EACCES',
};

const WHAT: Record<TransportErrorCode, string> = {
  ECONNREFUSED: 'connection refused by',
  ECONNRESET: 'connection reset by',
  ETIMEDOUT: 'connection timed out to',
  EHOSTUNREACH: 'no route to',
  ENETUNREACH: 'network unreachable for',
  ENOTFOUND: 'could not resolve',
  EACCES: 'not permitted to connect to',
  ECONNABORTED: 'connection aborted to',
  EINVAL: 'invalid target',
  EBUSY: 'too busy to connect to',
  EPROTO: 'protocol error with',
};

/** Our code for a Node-style errno string, if it is one we know. */
export function codeOfErrno(errno: unknown): TransportErrorCode | undefined {
  return typeof errno === 'string' ? CODE_OF_ERRNO[errno] : undefined;
}

/** What an unclassified failure counts as: the stream never opened, or broke once open. */
export function fallbackCode(opened: boolean): TransportErrorCode {
  return opened ? 'ECONNRESET' : 'ECONNREFUSED';
}

/** `transport: connection refused by 127.0.0.1:9 (the runtime's message)`. */
export function transportFailure(
  transport: string,
  code: TransportErrorCode,
  target: TransportTarget,
  cause?: unknown,
): TransportError {
  const detail = cause instanceof Error && cause.message ? ` (${cause.message})` : '';
  const message = `${transport}: ${WHAT[code]} ${formatTarget(target)}${detail}`;
  return new TransportError(code, message, cause === undefined ? undefined : { cause });
}
