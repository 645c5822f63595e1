// curl's header API (curl_easy_header, curl_easy_nextheader): the response headers curl kept
// for each request of a transfer, redirects included, read after (or during) the transfer.
import { readByteString, readI32, readPtr, withCString, withScratch } from '../ffi/heap.js';
import type { CurlModule, Ptr } from '../ffi/module.js';
import { CurlHeaderError, CurlOptionError } from './errors.js';
import { CURLH, CURLHE } from './generated/header.js';

export type HeaderOriginName = keyof typeof CURLH;
/** CURLH_* bits as a number, one origin by name, or several names. */
export type HeaderOrigin = number | HeaderOriginName | readonly HeaderOriginName[];

export interface HeadersQuery {
  /** Which kinds of header; CURLH_HEADER (plain response headers) by default. */
  origin?: HeaderOrigin;
  /** Which request of the transfer: 0 the first, -1 (the default) the last. */
  request?: number;
}

export interface HeaderQuery extends HeadersQuery {
  /** Which of several headers of that name, from 0 (the default). */
  index?: number;
}

/** One header as curl reports it. Names keep the server's case; values are byte strings. */
export interface HeaderEntry {
  name: string;
  value: string;
  /** How many headers of this name the request had (within the origins asked for). */
  amount: number;
  /** Which of them this is, from 0. */
  index: number;
  /** The CURLH_* bit saying where it came from (curl's reserved bits masked off). */
  origin: number;
}

/** The answers that mean "no such header", which the facade gives as null. */
const ABSENT = new Set<number>([
  CURLHE.MISSING,
  CURLHE.BADINDEX,
  CURLHE.NOHEADERS,
  CURLHE.NOREQUEST,
]);
const ALL_ORIGINS = Object.values(CURLH).reduce((bits, bit) => bits | bit, 0);

// struct curl_header on wasm32 (include/curl/header.h), 24 bytes, pointers and size_t of 4:
//   0 char *name   4 char *value   8 size_t amount   12 size_t index
//   16 unsigned int origin   20 void *anchor (curl's own, not read)
function readHeader(module: CurlModule, header: Ptr): HeaderEntry {
  return {
    name: readByteString(module, readPtr(module, header)),
    value: readByteString(module, readPtr(module, header + 4)),
    amount: readPtr(module, header + 8),
    index: readPtr(module, header + 12),
    // curl sets reserved bits too (1 << 27 today); only the CURLH_* ones mean anything.
    origin: readI32(module, header + 16) & ALL_ORIGINS,
  };
}

/** curl_easy_header: one header by name, or null when the request had none such. */
export function findHeader(
  module: CurlModule,
  easy: Ptr,
  name: string,
  query: HeaderQuery,
): HeaderEntry | null {
  const origin = originBits(query.origin);
  const request = requestNumber(query.request);
  const index = query.index ?? 0;
  if (!Number.isInteger(index) || index < 0) {
    throw new CurlOptionError(`libcurl-wasm: a header index is an integer from 0, not ${index}`);
  }
  if (name.includes('\0')) throw new CurlOptionError('libcurl-wasm: a header name cannot hold NUL');

  return withScratch(module, 4, (out) =>
    withCString(module, name, (text) => {
      const code = module._curl_easy_header(easy, text, index, origin, request, out);
      if (ABSENT.has(code)) return null;
      if (code !== CURLHE.OK) {
        throw new CurlHeaderError(code, `libcurl-wasm: curl_easy_header('${name}') failed`);
      }
      return readHeader(module, readPtr(module, out));
    }),
  );
}

/** curl_easy_nextheader, walked to the end: every header of one request, in order. */
export function listHeaders(module: CurlModule, easy: Ptr, query: HeadersQuery): HeaderEntry[] {
  const origin = originBits(query.origin);
  const request = requestNumber(query.request);
  const headers: HeaderEntry[] = [];
  // curl finds the next one from the previous struct's anchor, so it is passed back as is.
  let previous = 0;
  for (;;) {
    previous = module._curl_easy_nextheader(easy, origin, request, previous);
    if (!previous) return headers;
    headers.push(readHeader(module, previous));
  }
}

function originBits(origin: HeaderOrigin = 'HEADER'): number {
  if (typeof origin === 'number') {
    if (Number.isInteger(origin) && origin > 0 && (origin & ~ALL_ORIGINS) === 0) return origin;
    throw new CurlOptionError(`libcurl-wasm: ${origin} is not a set of CURLH_* origin bits`);
  }
  const names: readonly string[] = typeof origin === 'string' ? [origin] : origin;
  let bits = 0;
  for (const name of names) {
    if (!(name in CURLH)) {
      throw new CurlOptionError(`libcurl-wasm: unknown header origin '${name}'`);
    }
    bits |= CURLH[name as HeaderOriginName];
  }
  if (!bits) throw new CurlOptionError('libcurl-wasm: name at least one header origin');
  return bits;
}

function requestNumber(request = -1): number {
  if (Number.isInteger(request) && request >= -1) return request;
  throw new CurlOptionError(`libcurl-wasm: a request number is -1 or from 0, not ${request}`);
}
