// Moving values across the wasm boundary. Every helper reads the module's heap views at the
// moment of use, since memory growth replaces them; none keeps a view across a call that
// may allocate.
import type { CurlModule, Ptr } from './module.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A NUL-terminated copy of `text` on the wasm heap; the caller frees it. */
export function allocCString(module: CurlModule, text: string): Ptr {
  const bytes = encoder.encode(text);
  const ptr = module._malloc(bytes.length + 1);
  if (!ptr) throw new RangeError('libcurl-wasm: out of wasm memory');
  module.HEAPU8.set(bytes, ptr);
  module.HEAPU8[ptr + bytes.length] = 0;
  return ptr;
}

/** A copy of `bytes` on the wasm heap; the caller frees it. */
export function allocBytes(module: CurlModule, bytes: Uint8Array): Ptr {
  const ptr = module._malloc(Math.max(bytes.length, 1));
  if (!ptr) throw new RangeError('libcurl-wasm: out of wasm memory');
  module.HEAPU8.set(bytes, ptr);
  return ptr;
}

/** Runs `use` with a temporary C string, freed afterwards whatever happens. */
export function withCString<T>(module: CurlModule, text: string, use: (ptr: Ptr) => T): T {
  const ptr = allocCString(module, text);
  try {
    return use(ptr);
  } finally {
    module._free(ptr);
  }
}

/** Runs `use` with `size` bytes of zeroed scratch memory, freed afterwards. */
export function withScratch<T>(module: CurlModule, size: number, use: (ptr: Ptr) => T): T {
  const ptr = module._malloc(size);
  if (!ptr) throw new RangeError('libcurl-wasm: out of wasm memory');
  module.HEAPU8.fill(0, ptr, ptr + size);
  try {
    return use(ptr);
  } finally {
    module._free(ptr);
  }
}

export function readCString(module: CurlModule, ptr: Ptr): string | null {
  if (!ptr) return null;
  const heap = module.HEAPU8;
  const end = heap.indexOf(0, ptr);
  return decoder.decode(heap.subarray(ptr, end < 0 ? heap.length : end));
}

/**
 * A NUL-terminated string read one character per byte (ISO-8859-1), as HTTP header fields
 * are bytes, not UTF-8: nothing is lost or replaced.
 */
export function readByteString(module: CurlModule, ptr: Ptr): string {
  const heap = module.HEAPU8;
  const end = heap.indexOf(0, ptr);
  let text = '';
  // In slices, since spreading a long field into one call would overflow the stack.
  for (let at = ptr; at < end; at += 8192) {
    text += String.fromCharCode(...heap.subarray(at, Math.min(end, at + 8192)));
  }
  return text;
}

/** A copy of `len` bytes at `ptr`, safe to keep. */
export function copyBytes(module: CurlModule, ptr: Ptr, len: number): Uint8Array {
  return module.HEAPU8.slice(ptr, ptr + len);
}

export function readI32(module: CurlModule, ptr: Ptr): number {
  return module.HEAP32[ptr >> 2]!;
}

export function readPtr(module: CurlModule, ptr: Ptr): Ptr {
  return module.HEAP32[ptr >> 2]! >>> 0;
}

/** A 64-bit signed integer as a number (exact below 2^53). */
export function readI64(module: CurlModule, ptr: Ptr): number {
  const low = module.HEAP32[ptr >> 2]! >>> 0;
  const high = module.HEAP32[(ptr >> 2) + 1]!;
  return high * 0x100000000 + low;
}

export function readF64(module: CurlModule, ptr: Ptr): number {
  return module.HEAPF64[ptr >> 3]!;
}

/** The strings of a struct curl_slist chain ({ char *data; struct curl_slist *next; }). */
export function readSlist(module: CurlModule, list: Ptr): string[] {
  const out: string[] = [];
  for (let node = list; node; node = readPtr(module, node + 4)) {
    out.push(readCString(module, readPtr(module, node)) ?? '');
  }
  return out;
}
