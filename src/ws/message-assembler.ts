// Whole messages from the pieces curl_ws_recv hands out: a frame may come in several pieces,
// and a message in several frames (the first TEXT or BINARY with CONT, the last without).
import { CurlError } from '../curl/errors.js';
import { CURLE } from '../curl/generated/codes.js';
import { CURLWS } from '../curl/flags.js';
import type { WsFrame } from '../curl/easy-ws.js';

export type Message = { type: 'text'; data: string } | { type: 'binary'; data: Uint8Array };

const strictDecoder = new TextDecoder('utf-8', { fatal: true });

function join(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const whole = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    whole.set(part, at);
    at += part.length;
  }
  return whole;
}

export class MessageAssembler {
  #parts: Uint8Array[] = [];
  #size = 0;

  /** Adds a TEXT or BINARY piece; returns the message it completes, if it does. */
  push(frame: WsFrame): Message | null {
    if (frame.data.length > 0) {
      this.#parts.push(frame.data);
      this.#size += frame.data.length;
    }
    const last = !(frame.flags & CURLWS.CONT) && frame.bytesLeft === 0;
    if (!last) return null;

    const data = join(this.#parts, this.#size);
    this.#parts = [];
    this.#size = 0;
    if (!(frame.flags & CURLWS.TEXT)) return { type: 'binary', data };
    try {
      return { type: 'text', data: strictDecoder.decode(data) };
    } catch {
      const why = 'WebSocket protocol error: a text message is not UTF-8';
      throw new CurlError(CURLE.RECV_ERROR, why);
    }
  }
}
