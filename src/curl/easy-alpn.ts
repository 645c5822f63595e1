// A caller's own ALPN list for the TLS handshake of an easy handle, and the id the server
// chose. curl 8.14 offers only the ids of the HTTP versions it speaks; wasm/tls-alpn.c swaps
// the list in through CURLOPT_SSL_CTX_FUNCTION.
import { readCString, withScratch } from '../ffi/heap.js';
import type { CurlModule, Ptr } from '../ffi/module.js';
import { CurlOptionError } from './errors.js';

const encoder = new TextEncoder();
/** As many as wasm/tls-alpn.c has room for (CW_ALPN_MAX). */
const MAX_IDS = 16;

/** The ids in the TLS extension's wire format: a length byte before each. */
export function encodeAlpn(ids: readonly string[]): Uint8Array {
  if (ids.length === 0 || ids.length > MAX_IDS) {
    throw new CurlOptionError(`libcurl-wasm: an ALPN list holds 1 to ${MAX_IDS} ids`);
  }
  const encoded = ids.map((id) => encoder.encode(id));
  for (const [i, bytes] of encoded.entries()) {
    if (bytes.length === 0 || bytes.length > 255 || bytes.includes(0)) {
      throw new CurlOptionError(`libcurl-wasm: '${ids[i]}' is not a valid ALPN id`);
    }
  }
  const wire = new Uint8Array(encoded.reduce((sum, bytes) => sum + 1 + bytes.length, 0));
  let at = 0;
  for (const bytes of encoded) {
    wire[at++] = bytes.length;
    wire.set(bytes, at);
    at += bytes.length;
  }
  return wire;
}

/** A list for cw_easy_set_alpn, on the wasm heap; the caller frees it with _cw_alpn_free. */
export function allocAlpn(module: CurlModule, ids: readonly string[]): Ptr {
  const wire = encodeAlpn(ids);
  return withScratch(module, wire.length, (ptr) => {
    module.HEAPU8.set(wire, ptr);
    const list = module._cw_alpn_new(ptr, wire.length);
    if (!list) throw new RangeError('libcurl-wasm: out of wasm memory');
    return list;
  });
}

/** The id the server chose on the connection `easy` is attached to, or null. */
export function negotiatedAlpn(module: CurlModule, easy: Ptr): string | null {
  return readCString(module, module._cw_tls_alpn(easy));
}
