// Deno's socket errors in the terms of TransportError. Deno sets Node's errno string on most
// OS errors, names its error classes after the rest, and reports a failed name lookup as a
// plain Error; a missing --allow-net is NotCapable (PermissionDenied before Deno 2).
import { codeOfErrno, fallbackCode, transportFailure } from './transport-failure.js';
import type { TransportError, TransportErrorCode, TransportTarget } from './transport.js';

const CODE_OF_CLASS: Record<string, TransportErrorCode> = {
  NotCapable: 'EACCES',
  PermissionDenied: 'EACCES',
  ConnectionRefused: 'ECONNREFUSED',
  ConnectionReset: 'ECONNRESET',
  ConnectionAborted: 'ECONNRESET',
  BrokenPipe: 'ECONNRESET',
  UnexpectedEof: 'ECONNRESET',
  TimedOut: 'ETIMEDOUT',
  NetworkUnreachable: 'ENETUNREACH',
  HostUnreachable: 'EHOSTUNREACH',
};

interface ErrorShape {
  code?: unknown;
  name?: string;
  message?: string;
}

function denoCode(error: unknown): TransportErrorCode | undefined {
  const { code, name, message } = (error ?? {}) as ErrorShape;
  const byErrno = codeOfErrno(code);
  if (byErrno) return byErrno;
  const byClass = name === undefined ? undefined : CODE_OF_CLASS[name];
  if (byClass) return byClass;
  return /failed to lookup address/i.test(message ?? '') ? 'ENOTFOUND' : undefined;
}

export function denoFailure(
  transport: string,
  error: unknown,
  target: TransportTarget,
  opened: boolean,
): TransportError {
  return transportFailure(transport, denoCode(error) ?? fallbackCode(opened), target, error);
}
