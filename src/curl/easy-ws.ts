// curl_ws_send and curl_ws_recv across the wasm boundary, for Easy. The glue copies curl's
// struct curl_ws_frame into plain doubles (wasm/curl-glue.c), so nothing here knows its layout.
import { copyBytes, readF64, readI32 } from '../ffi/heap.js';
import type { CurlModule, Ptr } from '../ffi/module.js';
import { CURLE } from './generated/codes.js';

/** One piece of a WebSocket frame, as curl_ws_recv hands it out. */
export interface WsFrame {
  /** The payload bytes of this piece. */
  data: Uint8Array;
  /** CURLWS_* bits: TEXT or BINARY (with CONT while the message goes on), CLOSE, PING, PONG. */
  flags: number;
  /** Where `data` starts in the frame's payload. */
  offset: number;
  /** Payload bytes of this frame still to come after `data`. */
  bytesLeft: number;
  /** curl's frame age (always 0 in 8.14). */
  age: number;
}

const META_DOUBLES = 5;

/** curl_ws_send; `sent` counts payload bytes curl handed to the socket. */
export function wsSend(
  module: CurlModule,
  easy: Ptr,
  bytes: Uint8Array,
  flags: number,
  fragsize: number,
): { code: number; sent: number } {
  // One block: the 4-byte count, then the payload.
  const block = module._malloc(4 + Math.max(bytes.length, 1));
  if (!block) throw new RangeError('libcurl-wasm: out of wasm memory');
  try {
    module.HEAP32[block >> 2] = 0;
    module.HEAPU8.set(bytes, block + 4);
    const code = module._cw_ws_send(easy, block + 4, bytes.length, block, fragsize, flags);
    return { code, sent: readI32(module, block) };
  } finally {
    module._free(block);
  }
}

/** curl_ws_recv into a buffer of `max` bytes; `frame` is set when the code is CURLE_OK. */
export function wsRecv(
  module: CurlModule,
  easy: Ptr,
  max: number,
): { code: number; frame: WsFrame | null } {
  // One block: the metadata (8-aligned), the 4-byte count, then the payload.
  const metaBytes = META_DOUBLES * 8;
  const block = module._malloc(metaBytes + 8 + max);
  if (!block) throw new RangeError('libcurl-wasm: out of wasm memory');
  try {
    const received = block + metaBytes;
    const buffer = received + 8;
    module.HEAP32[received >> 2] = 0;
    const code = module._cw_ws_recv(easy, buffer, max, received, block);
    if (code !== CURLE.OK) return { code, frame: null };
    const len = readI32(module, received);
    const frame: WsFrame = {
      data: copyBytes(module, buffer, len),
      age: readF64(module, block),
      flags: readF64(module, block + 8),
      offset: readF64(module, block + 16),
      bytesLeft: readF64(module, block + 24),
    };
    return { code, frame };
  } finally {
    module._free(block);
  }
}
