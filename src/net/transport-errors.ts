// Turning a transport's failure into the errno curl will see. The JS error itself is kept
// by the socket table and reaches the user as the `cause` of the CurlError.
import type { ErrnoName } from '../ffi/module.js';

const ERRNO_OF_CODE: Record<string, ErrnoName> = {
  ECONNREFUSED: 'ECONNREFUSED',
  ECONNRESET: 'ECONNRESET',
  ECONNABORTED: 'ECONNABORTED',
  EPIPE: 'ECONNRESET',
  ETIMEDOUT: 'ETIMEDOUT',
  EHOSTUNREACH: 'EHOSTUNREACH',
  EHOSTDOWN: 'EHOSTUNREACH',
  ENETUNREACH: 'ENETUNREACH',
  ENETDOWN: 'ENETUNREACH',
  EADDRNOTAVAIL: 'EADDRNOTAVAIL',
  // A name the transport could not resolve: curl only learns that the connect failed; the
  // facade turns the result into CURLE_COULDNT_RESOLVE_HOST (see isResolveFailure).
  ENOTFOUND: 'EHOSTUNREACH',
  EAI_AGAIN: 'EHOSTUNREACH',
  EAI_NONAME: 'EHOSTUNREACH',
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

export function errnoFor(error: Error, opened: boolean): ErrnoName {
  const code = codeOf(error);
  const known = code === undefined ? undefined : ERRNO_OF_CODE[code];
  if (known) return known;
  return opened ? 'ECONNRESET' : 'ECONNREFUSED';
}

export function isResolveFailure(error: Error): boolean {
  const code = codeOf(error);
  return code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME';
}

/** The transport says the stream never reached its destination, whatever it reported before. */
export function isConnectFailure(error: Error): boolean {
  return (error as { connectFailure?: unknown }).connectFailure === true;
}
