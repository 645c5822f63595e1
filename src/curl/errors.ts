// Errors the facade throws: curl's own results, and misuse of the API.
import { CURLE, CURLM } from './generated/codes.js';
import { CURLHE } from './generated/header.js';
import { CURLSHE } from './generated/share.js';
import { CURLUE } from './generated/url.js';

/** Code number to its symbolic name, prefix included ('CURLE_' + 'OK'...). */
function namesOf(table: Record<string, number>, prefix: string): Map<number, string> {
  return new Map(Object.entries(table).map(([name, value]) => [value, prefix + name]));
}

const CURLE_NAMES = namesOf(CURLE, 'CURLE_');
const CURLM_NAMES = namesOf(CURLM, 'CURLM_');
const CURLSHE_NAMES = namesOf(CURLSHE, 'CURLSHE_');
const CURLUE_NAMES = namesOf(CURLUE, 'CURLUE_');
const CURLHE_NAMES = namesOf(CURLHE, 'CURLHE_');

/** A CURLcode that is not CURLE_OK, with curl's message and, where known, the JS cause. */
export class CurlError extends Error {
  override name = 'CurlError';
  /** The symbolic code, such as 'CURLE_COULDNT_CONNECT'. */
  readonly code: string;

  constructor(
    /** The numeric CURLcode. */
    readonly curlCode: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = CURLE_NAMES.get(curlCode) ?? `CURLE_${curlCode}`;
  }
}

/** A CURLMcode that is not CURLM_OK. */
export class CurlMultiError extends Error {
  override name = 'CurlMultiError';
  readonly code: string;

  constructor(
    readonly curlCode: number,
    message: string,
  ) {
    super(message);
    this.code = CURLM_NAMES.get(curlCode) ?? `CURLM_${curlCode}`;
  }
}

/** A CURLSHcode that is not CURLSHE_OK. */
export class CurlShareError extends Error {
  override name = 'CurlShareError';
  readonly code: string;

  constructor(
    readonly curlCode: number,
    message: string,
  ) {
    super(message);
    this.code = CURLSHE_NAMES.get(curlCode) ?? `CURLSHE_${curlCode}`;
  }
}

/** A CURLUcode from curl's URL API, with curl_url_strerror's text as the message. */
export class CurlUrlError extends Error {
  override name = 'CurlUrlError';
  /** The symbolic code, such as 'CURLUE_BAD_PORT_NUMBER'. */
  readonly code: string;

  constructor(
    readonly curlCode: number,
    message: string,
  ) {
    super(message);
    this.code = CURLUE_NAMES.get(curlCode) ?? `CURLUE_${curlCode}`;
  }
}

/** A CURLHcode from curl's header API that is not "no such header". */
export class CurlHeaderError extends Error {
  override name = 'CurlHeaderError';
  readonly code: string;

  constructor(
    readonly curlCode: number,
    message: string,
  ) {
    super(message);
    this.code = CURLHE_NAMES.get(curlCode) ?? `CURLHE_${curlCode}`;
  }
}

/** A handle was used after close(). */
export class HandleClosedError extends Error {
  override name = 'HandleClosedError';
  constructor(what: string) {
    super(`libcurl-wasm: this ${what} handle is closed`);
  }
}

/**
 * A handle is still needed elsewhere: an easy added to a second multi or closed while a multi
 * drives it, a share closed while an easy uses it, a mime closed during its transfer.
 */
export class HandleInUseError extends Error {
  override name = 'HandleInUseError';
}

/** setopt was given a value of the wrong type, or an option this build cannot take. */
export class CurlOptionError extends TypeError {
  override name = 'CurlOptionError';
}
