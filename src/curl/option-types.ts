// The TypeScript types of option values and callbacks, derived from the generated tables.
import type { CURLINFO_KIND } from './generated/infos.js';
import type { CURLOPT, CURLOPT_KIND, CURLMOPT, CURLMOPT_KIND } from './generated/options.js';
import type { Mime } from './mime.js';
import type { Share } from './share.js';

export type OptionName = keyof typeof CURLOPT;
export type InfoName = keyof typeof CURLINFO_KIND;
export type MultiOptionName = keyof typeof CURLMOPT;

/** Return the bytes taken, CURL_WRITEFUNC_PAUSE, or nothing for "all of them". */
export type WriteCallback = (chunk: Uint8Array) => number | void;
/** Fill `buffer` and return the count, 0 at the end, or CURL_READFUNC_PAUSE / _ABORT. */
export type ReadCallback = (buffer: Uint8Array) => number;
/** Return non-zero (or true) to abort the transfer. */
export type XferInfoCallback = (
  dltotal: number,
  dlnow: number,
  ultotal: number,
  ulnow: number,
) => number | boolean | void;
/** curl_infotype, and the bytes: text for the info types, data for the others. */
export type DebugCallback = (type: number, data: Uint8Array) => void;
/** Return CURL_SEEKFUNC_OK, _FAIL or _CANTSEEK. */
export type SeekCallback = (offset: number, origin: number) => number;
/** Return the trailer lines to send ("Name: value"), or false to abort the transfer. */
export type TrailerCallback = () => string[] | false;
/** Called once connected, before the request is sent; return false (or 1) to abort. */
export type PrereqCallback = (conn: {
  primaryIp: string;
  localIp: string;
  primaryPort: number;
  localPort: number;
}) => boolean | number | void;

export interface CallbackOptions {
  WRITEFUNCTION: WriteCallback | null;
  HEADERFUNCTION: WriteCallback | null;
  READFUNCTION: ReadCallback | null;
  XFERINFOFUNCTION: XferInfoCallback | null;
  DEBUGFUNCTION: DebugCallback | null;
  SEEKFUNCTION: SeekCallback | null;
  TRAILERFUNCTION: TrailerCallback | null;
  PREREQFUNCTION: PrereqCallback | null;
}

interface ValueOfKind {
  long: number | boolean;
  string: string | null;
  slist: readonly string[] | null;
  off_t: number | bigint;
  blob: Uint8Array | string | null;
  function: never;
  pointer: never;
}

/**
 * Options whose C type is a plain pointer but which the facade takes in a JS form: bytes, or
 * a handle object of the same `loadCurl()` instance.
 */
interface PointerOptions {
  POSTFIELDS: string | Uint8Array | null;
  COPYPOSTFIELDS: string | Uint8Array | null;
  SHARE: Share | null;
  MIMEPOST: Mime | null;
}

export type OptionValue<N extends OptionName> = N extends keyof CallbackOptions
  ? CallbackOptions[N]
  : N extends keyof PointerOptions
    ? PointerOptions[N]
    : ValueOfKind[(typeof CURLOPT_KIND)[N]];

interface InfoOfKind {
  string: string | null;
  long: number;
  double: number;
  off_t: number;
  socket: number;
  slist: string[];
  pointer: number;
}

export interface CertInfo {
  /** One list of "Name:value" strings per certificate in the chain. */
  certs: string[][];
}

export type InfoValue<N extends InfoName> = N extends 'CERTINFO'
  ? CertInfo
  : InfoOfKind[(typeof CURLINFO_KIND)[N]];

export type MultiOptionValue<N extends MultiOptionName> = (typeof CURLMOPT_KIND)[N] extends 'long'
  ? number | boolean
  : never;
