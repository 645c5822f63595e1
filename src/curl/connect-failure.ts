// A transport failure that never reached its destination is reported as a failed connect,
// even when a proxy had let curl believe the stream was open (Wisp v1 and websockify open
// streams before the far end answers, so curl sees a send or receive failure instead).
import type { SocketFailure } from '../net/socket-table.js';
import { CurlError } from './errors.js';
import { CURLE } from './generated/codes.js';

/** What curl reports when a stream breaks before the first byte came back. */
const EARLY_FAILURES = new Set<number>([
  CURLE.COULDNT_CONNECT,
  CURLE.SSL_CONNECT_ERROR,
  CURLE.SEND_ERROR,
  CURLE.RECV_ERROR,
  CURLE.GOT_NOTHING,
  CURLE.HTTP2,
  CURLE.HTTP2_STREAM,
]);

/** The CurlError for a connect failure, or null when curl's own result says it best. */
export function connectFailureError(
  code: number,
  failure: SocketFailure | undefined,
): CurlError | null {
  if (!failure?.connect || !EARLY_FAILURES.has(code)) return null;

  const cause = { cause: failure.error };
  if (failure.resolve) {
    return new CurlError(
      CURLE.COULDNT_RESOLVE_HOST,
      `Could not resolve host: ${failure.host}`,
      cause,
    );
  }
  if (code === CURLE.COULDNT_CONNECT) return null;
  const where = `${failure.host} port ${failure.port}`;
  return new CurlError(
    CURLE.COULDNT_CONNECT,
    `Failed to connect to ${where}: ${failure.error.message}`,
    cause,
  );
}
