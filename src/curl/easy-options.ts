// setopt: checking a JS value against the option's C type and handing it to curl.
import { withCString } from '../ffi/heap.js';
import type { CurlModule, Ptr } from '../ffi/module.js';
import { CurlOptionError } from './errors.js';
import { CURLOPT, CURLOPT_KIND } from './generated/options.js';
import type { OptionName } from './option-types.js';

const encoder = new TextEncoder();
const NAME_OF = new Map<number, OptionName>(
  Object.entries(CURLOPT).map(([name, value]) => [value, name as OptionName]),
);

/** Options whose callbacks the glue routes (wasm/curl-glue.c, cw_easy_route). */
export const ROUTED_CALLBACKS = new Set<OptionName>([
  'READFUNCTION',
  'XFERINFOFUNCTION',
  'DEBUGFUNCTION',
  'SEEKFUNCTION',
  'TRAILERFUNCTION',
  'PREREQFUNCTION',
]);
/** Callbacks the glue always routes; the facade decides what to do with the data. */
export const FIXED_CALLBACKS = new Set<OptionName>(['WRITEFUNCTION', 'HEADERFUNCTION']);

/** Settings the facade owns: a user value would cut curl off from the JS side. */
const RESERVED = new Set<OptionName>([
  'WRITEDATA',
  'HEADERDATA',
  'READDATA',
  'XFERINFODATA',
  'DEBUGDATA',
  'SEEKDATA',
  'TRAILERDATA',
  'PREREQDATA',
  'OPENSOCKETFUNCTION',
  'OPENSOCKETDATA',
  'ERRORBUFFER',
  'NOSIGNAL',
]);

export function optionName(option: OptionName | number): OptionName {
  if (typeof option === 'number') {
    const name = NAME_OF.get(option);
    if (!name) throw new CurlOptionError(`libcurl-wasm: unknown option number ${option}`);
    return name;
  }
  if (!Object.hasOwn(CURLOPT, option)) {
    throw new CurlOptionError(`libcurl-wasm: unknown option '${String(option)}'`);
  }
  return option;
}

function fail(name: OptionName, expected: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  throw new CurlOptionError(`CURLOPT_${name} takes ${expected}, not ${got}`);
}

function toLong(name: OptionName, value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isInteger(value)) {
    // C long is 32 bits in wasm32: a larger value would silently wrap.
    if (value < -0x80000000 || value > 0x7fffffff) {
      throw new CurlOptionError(`CURLOPT_${name} takes a 32-bit integer; ${value} is out of range`);
    }
    return value;
  }
  return fail(name, 'an integer or a boolean', value);
}

function toOffT(name: OptionName, value: unknown): number {
  const n = typeof value === 'bigint' ? Number(value) : value;
  if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
  return fail(name, 'a safe integer or a bigint', value);
}

function toCString(name: OptionName, value: unknown): string {
  if (typeof value !== 'string') return fail(name, 'a string or null', value);
  if (value.includes('\0')) {
    throw new CurlOptionError(`CURLOPT_${name} cannot hold a NUL character`);
  }
  return value;
}

function toBytes(name: OptionName, value: unknown, expected: string): Uint8Array {
  if (typeof value === 'string') return encoder.encode(value);
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  return fail(name, expected, value);
}

/** Builds a curl_slist of `items`; the caller owns it (curl_slist_free_all). */
export function buildSlist(module: CurlModule, name: OptionName, items: unknown): Ptr {
  if (!Array.isArray(items)) return fail(name, 'an array of strings or null', items);
  let list = 0;
  try {
    for (const item of items) {
      const text = toCString(name, item);
      const next = withCString(module, text, (ptr) => module._curl_slist_append(list, ptr));
      if (!next) throw new RangeError('libcurl-wasm: out of wasm memory');
      list = next;
    }
  } catch (error) {
    if (list) module._curl_slist_free_all(list);
    throw error;
  }
  return list;
}

/**
 * Sets one option whose value curl copies (all but string lists, which the Easy keeps).
 * Returns curl's CURLcode.
 */
export function setCopiedOption(
  module: CurlModule,
  easy: Ptr,
  name: OptionName,
  value: unknown,
): number {
  const option = CURLOPT[name];
  const kind = CURLOPT_KIND[name];

  if (name === 'POSTFIELDS' || name === 'COPYPOSTFIELDS') return setPostFields(module, easy, value);
  if (RESERVED.has(name)) {
    throw new CurlOptionError(`CURLOPT_${name} is managed by libcurl-wasm and cannot be set`);
  }

  switch (kind) {
    case 'long':
      return module._cw_easy_setopt_long(easy, option, toLong(name, value));
    case 'off_t':
      return module._cw_easy_setopt_off(easy, option, toOffT(name, value));
    case 'string':
      if (value === null || value === undefined) return module._cw_easy_setopt_ptr(easy, option, 0);
      return withCString(module, toCString(name, value), (ptr) =>
        module._cw_easy_setopt_ptr(easy, option, ptr),
      );
    case 'blob':
      return setBlob(module, easy, name, value);
    default:
      throw new CurlOptionError(`CURLOPT_${name} (${kind}) cannot be set from JS`);
  }
}

function setBlob(module: CurlModule, easy: Ptr, name: OptionName, value: unknown): number {
  const option = CURLOPT[name];
  if (value === null || value === undefined) return module._cw_easy_setopt_blob(easy, option, 0, 0);

  const bytes = toBytes(name, value, 'bytes, a string or null');
  const ptr = module._malloc(Math.max(bytes.length, 1));
  try {
    module.HEAPU8.set(bytes, ptr);
    return module._cw_easy_setopt_blob(easy, option, ptr, bytes.length);
  } finally {
    module._free(ptr);
  }
}

// POSTFIELDS does not copy in C; here both spellings copy, so no JS value must outlive it.
function setPostFields(module: CurlModule, easy: Ptr, value: unknown): number {
  if (value === null || value === undefined) {
    return module._cw_easy_setopt_ptr(easy, CURLOPT.POSTFIELDS, 0);
  }
  const bytes = toBytes('POSTFIELDS', value, 'a string, bytes or null');
  const size = module._cw_easy_setopt_off(easy, CURLOPT.POSTFIELDSIZE_LARGE, bytes.length);
  if (size) return size;
  const ptr = module._malloc(bytes.length + 1);
  try {
    module.HEAPU8.set(bytes, ptr);
    module.HEAPU8[ptr + bytes.length] = 0;
    return module._cw_easy_setopt_ptr(easy, CURLOPT.COPYPOSTFIELDS, ptr);
  } finally {
    module._free(ptr);
  }
}
