// The payload of a Close frame: a status code and a UTF-8 reason (RFC 6455, 5.5.1 and 7.4).
import { CurlError } from '../curl/errors.js';
import { CURLE } from '../curl/generated/codes.js';

export const CLOSE_CODE = {
  NORMAL: 1000,
  /** No code in the Close frame; never sent. */
  NO_STATUS: 1005,
  /** The connection ended without a Close frame; never sent. */
  ABNORMAL: 1006,
} as const;

/** A control frame carries at most 125 bytes, 2 of them the code. */
export const MAX_REASON_BYTES = 123;

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

/** Codes that may appear in a Close frame on the wire (RFC 6455 7.4.1, 7.4.2). */
export function isWireCode(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  if (code >= 3000 && code <= 4999) return true;
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
}

export function encodeClose(code?: number, reason = ''): Uint8Array {
  if (code === undefined) {
    if (reason) throw new TypeError('a Close frame can only carry a reason after a code');
    return new Uint8Array(0);
  }
  if (!isWireCode(code)) throw new TypeError(`${code} cannot be sent as a close code`);
  const text = new TextEncoder().encode(reason);
  if (text.length > MAX_REASON_BYTES) {
    throw new TypeError(`a close reason holds at most ${MAX_REASON_BYTES} bytes of UTF-8`);
  }
  const payload = new Uint8Array(2 + text.length);
  payload[0] = code >> 8;
  payload[1] = code & 255;
  payload.set(text, 2);
  return payload;
}

function malformed(why: string): CurlError {
  return new CurlError(CURLE.RECV_ERROR, `WebSocket protocol error: ${why}`);
}

/** The code and reason a peer sent; throws a CurlError for a payload RFC 6455 forbids. */
export function decodeClose(payload: Uint8Array): { code: number; reason: string } {
  if (payload.length === 0) return { code: CLOSE_CODE.NO_STATUS, reason: '' };
  if (payload.length === 1) throw malformed('a Close frame with a 1-byte payload');
  const code = (payload[0]! << 8) | payload[1]!;
  if (!isWireCode(code)) throw malformed(`close code ${code} is not allowed on the wire`);
  try {
    return { code, reason: strictDecoder.decode(payload.subarray(2)) };
  } catch {
    throw malformed('the close reason is not UTF-8');
  }
}
