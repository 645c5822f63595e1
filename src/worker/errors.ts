// Errors across the Worker boundary keep what matters: the class (CurlError, TypeError...),
// curl's code and number, the message, and the cause, recursively. Structured cloning alone
// would keep only name and message.
import {
  CurlError,
  CurlMultiError,
  CurlOptionError,
  HandleClosedError,
  HandleInUseError,
} from '../curl/errors.js';
import { TransportError, type TransportErrorCode } from '../net/transport.js';

export interface SerializedError {
  __libcurlWasmError: true;
  name: string;
  message: string;
  stack?: string;
  code?: string;
  curlCode?: number;
  cause?: SerializedError | { value: unknown };
}

const MAX_DEPTH = 8;

export function isSerializedError(value: unknown): value is SerializedError {
  return (value as SerializedError)?.__libcurlWasmError === true;
}

export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) {
    return { __libcurlWasmError: true, name: 'Error', message: String(error) };
  }
  const out: SerializedError = {
    __libcurlWasmError: true,
    name: error.name,
    message: error.message,
    stack: error.stack,
  };
  const extra = error as { code?: unknown; curlCode?: unknown };
  if (typeof extra.code === 'string') out.code = extra.code;
  if (typeof extra.curlCode === 'number') out.curlCode = extra.curlCode;
  if (error.cause !== undefined && depth < MAX_DEPTH) {
    out.cause =
      error.cause instanceof Error
        ? serializeError(error.cause, depth + 1)
        : { value: safeClone(error.cause) };
  }
  return out;
}

function safeClone(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}

function build(data: SerializedError, cause: unknown): Error {
  const options = cause === undefined ? undefined : { cause };
  switch (data.name) {
    case 'CurlError':
      return new CurlError(data.curlCode ?? -1, data.message, options);
    case 'CurlMultiError':
      return new CurlMultiError(data.curlCode ?? -1, data.message);
    case 'CurlOptionError':
      return new CurlOptionError(data.message, options);
    case 'HandleClosedError':
      return Object.assign(new HandleClosedError('remote'), { message: data.message });
    case 'HandleInUseError':
      return new HandleInUseError(data.message);
    case 'TransportError':
      return new TransportError(data.code as TransportErrorCode, data.message, options);
    case 'TypeError':
      return new TypeError(data.message, options);
    case 'RangeError':
      return new RangeError(data.message, options);
    case 'AbortError':
    case 'TimeoutError':
      return new DOMException(data.message, data.name);
    default: {
      const error = new Error(data.message, options);
      error.name = data.name;
      if (data.code !== undefined) Object.assign(error, { code: data.code });
      return error;
    }
  }
}

export function deserializeError(data: SerializedError): Error {
  const cause =
    data.cause === undefined
      ? undefined
      : isSerializedError(data.cause)
        ? deserializeError(data.cause)
        : data.cause.value;
  const error = build(data, cause);
  if (data.stack) error.stack = data.stack;
  return error;
}
