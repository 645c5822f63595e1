// Errors the facade throws: curl's own results, and misuse of the API.
import { CURLE, CURLM } from './generated/codes.js';

const CURLE_NAMES = new Map<number, string>(
  Object.entries(CURLE).map(([name, value]) => [value, `CURLE_${name}`]),
);
const CURLM_NAMES = new Map<number, string>(
  Object.entries(CURLM).map(([name, value]) => [value, `CURLM_${name}`]),
);

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

/** A handle was used after close(). */
export class HandleClosedError extends Error {
  override name = 'HandleClosedError';
  constructor(what: string) {
    super(`libcurl-wasm: this ${what} handle is closed`);
  }
}

/** An easy handle was added to a second multi, or closed while a multi drives it. */
export class HandleInUseError extends Error {
  override name = 'HandleInUseError';
}

/** setopt was given a value of the wrong type, or an option this build cannot take. */
export class CurlOptionError extends TypeError {
  override name = 'CurlOptionError';
}
