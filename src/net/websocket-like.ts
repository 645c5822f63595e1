// The part of a WebSocket the proxy transports use: what browsers, Deno and Bun have as the
// global WebSocket, and what the `ws` package's class has on Node 20 (which has no global).
// Nothing here imports Node, so the transports stay browser-safe.

export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  readonly protocol: string;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  // Browsers and `ws` hand different event classes; each listener narrows what it reads.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  addEventListener(
    type: 'open' | 'message' | 'close' | 'error',
    listener: (event: any) => void,
  ): void;
  /** `ws` only: stop reading from the network (browsers cannot). */
  pause?(): void;
  resume?(): void;
}

export type WebSocketConstructor = new (
  url: string,
  protocols?: string | string[],
) => WebSocketLike;

export const OPEN = 1;

/** The constructor given, or the runtime's global one. */
export function webSocketClass(given: WebSocketConstructor | undefined): WebSocketConstructor {
  const found = given ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (found) return found;
  throw new TypeError(
    'libcurl-wasm: this runtime has no global WebSocket; pass one, for example ' +
      "{ WebSocket } from the 'ws' package on Node 20",
  );
}

/** A message's bytes, whatever form the implementation delivered them in. */
export function messageBytes(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data))
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}

/** A close event's code and reason as one readable phrase. */
export function describeClose(event: { code?: number; reason?: string }): string {
  const code = event.code ?? 1006;
  return event.reason ? `${code} ${event.reason}` : `${code}`;
}

/** What an 'error' event says, where the implementation says anything (browsers do not). */
export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : '';
}
