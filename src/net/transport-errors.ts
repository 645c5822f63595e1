// Turning a transport's failure into the errno curl will see. The JS error itself is kept
// by the socket table and reaches the user as the `cause` of the CurlError.
import type { ErrnoName } from '../ffi/module.js';
import { codeOfErrno } from './transport-failure.js';
import type { TransportErrorCode } from './transport.js';

// Node's errno strings (Deno and Bun use them too) are first folded into a transport code by
// transport-failure.ts; each transport code then stands for one errno.
const ERRNO_OF_TRANSPORT_CODE: Record<TransportErrorCode, ErrnoName> = {
  ECONNREFUSED: 'ECONNREFUSED',
  ECONNRESET: 'ECONNRESET',
  ECONNABORTED: 'ECONNABORTED',
  ETIMEDOUT: 'ETIMEDOUT',
  EHOSTUNREACH: 'EHOSTUNREACH',
  ENETUNREACH: 'ENETUNREACH',
  // A name the transport could not resolve: curl only learns that the connect failed; the
  // facade turns the result into CURLE_COULDNT_RESOLVE_HOST (see isResolveFailure).
  ENOTFOUND: 'EHOSTUNREACH',
  EACCES: 'ECONNREFUSED',
  // What proxies add: a request the proxy found invalid, a stream it throttled, a protocol
  // error on the way.
  EINVAL: 'ECONNREFUSED',
  EBUSY: 'ECONNREFUSED',
  EPROTO: 'ECONNRESET',
};

function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function transportCodeOf(error: Error): TransportErrorCode | undefined {
  const code = codeOf(error);
  if (code && Object.hasOwn(ERRNO_OF_TRANSPORT_CODE, code)) return code as TransportErrorCode;
  if (code === 'EADDRNOTAVAIL') return undefined;
  return codeOfErrno(code);
}

export function errnoFor(error: Error, opened: boolean): ErrnoName {
  if (codeOf(error) === 'EADDRNOTAVAIL') return 'EADDRNOTAVAIL';
  const code = transportCodeOf(error);
  if (code) return ERRNO_OF_TRANSPORT_CODE[code];
  return opened ? 'ECONNRESET' : 'ECONNREFUSED';
}

export function isResolveFailure(error: Error): boolean {
  return transportCodeOf(error) === 'ENOTFOUND';
}

/** The transport says the stream never reached its destination, whatever it reported before. */
export function isConnectFailure(error: Error): boolean {
  return (error as { connectFailure?: unknown }).connectFailure === true;
}
