// The one small interface every way out implements: direct TCP on each runtime, WebSocket
// proxies in browsers, or whatever an embedding host hands in.

export interface TransportTarget {
  /** A host name (the transport resolves it) or an IP literal, without brackets. */
  host: string;
  port: number;
}

/** What a connection tells the socket table. Called from the transport's own events. */
export interface ConnectionEvents {
  /** The stream is open and writable. */
  open(): void;
  /** Bytes arrived. The transport may reuse nothing: the table keeps the array. */
  data(bytes: Uint8Array): void;
  /** The transport's write buffer fell back below its mark. */
  drain(): void;
  /** The peer finished sending (FIN). */
  end(): void;
  /** The stream failed, before or after opening; see {@link TransportError}. */
  error(error: Error): void;
  /** The stream is gone; no event follows. */
  close(): void;
}

export interface Connection {
  /** Queues bytes; the transport owns them afterwards. */
  write(bytes: Uint8Array): void;
  /** Bytes written but not yet handed to the network. */
  readonly bufferedAmount: number;
  /** Stop delivering data until {@link resume}: the table's receive queue is full. */
  pause(): void;
  resume(): void;
  /** Half-close: no more writes. */
  end(): void;
  /** Tear down at once; no events follow. */
  destroy(): void;
  /** Where the stream really goes, when the transport knows. */
  readonly remoteAddress?: string;
  readonly localPort?: number;
}

export interface Transport {
  /** A short name for logs and errors, such as 'tcp' or 'wisp'. */
  readonly name: string;
  connect(target: TransportTarget, events: ConnectionEvents): Connection;
}

/**
 * Why a connection failed, in POSIX terms the socket layer can hand to curl. A transport
 * should reject with this class (or an Error whose `code` is one of Node's errno strings);
 * anything else counts as ECONNREFUSED before the stream opened and ECONNRESET after.
 */
export type TransportErrorCode =
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'ETIMEDOUT'
  | 'EHOSTUNREACH'
  | 'ENETUNREACH'
  | 'ENOTFOUND'
  | 'EACCES'
  | 'ECONNABORTED'
  | 'EINVAL'
  | 'EBUSY'
  | 'EPROTO';

export interface TransportErrorOptions {
  cause?: unknown;
  /**
   * The stream never reached its destination. Proxies report a stream open before the far end
   * has answered (Wisp v1, websockify), so a refusal can arrive after `open`; this flag lets
   * curl's result still say "could not connect" rather than "receive failure".
   */
  connectFailure?: boolean;
}

export class TransportError extends Error {
  override name = 'TransportError';
  /** See {@link TransportErrorOptions.connectFailure}. */
  readonly connectFailure: boolean;

  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options: TransportErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.connectFailure = options.connectFailure ?? false;
  }
}
