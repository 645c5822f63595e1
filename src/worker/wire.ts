// What crosses the Worker boundary for a fetch: structured-clonable data, with the request
// and response bodies as transferred ReadableStreams, so backpressure crosses too.
import { headerPairs, type HeaderPairs } from '../fetch/request-headers.js';
import type { CurlExtras } from '../fetch/curl-extras.js';
import type { CurlRequestInit } from '../fetch/fetch.js';
import { deserializeError, isSerializedError, serializeError } from './errors.js';

export type WireBody = string | ArrayBuffer | ArrayBufferView | Blob | ReadableStream<Uint8Array>;

export interface WireRequest {
  url: string;
  method?: string;
  headers?: HeaderPairs;
  body?: WireBody | null;
  redirect?: RequestRedirect;
  /** Receives one message when the caller's signal aborts. */
  abort?: MessagePort;
  curl?: Omit<CurlExtras, 'verbose'> & { verbose?: boolean };
}

export interface WireResponse {
  status: number;
  statusText: string;
  headers: HeaderPairs;
  url: string;
  redirected: boolean;
  body: ReadableStream<Uint8Array> | null;
}

/** Streams to transfer along with a request or a response. */
export function transferables(value: { body?: unknown; abort?: MessagePort }): Transferable[] {
  const list: Transferable[] = [];
  if (value.body instanceof ReadableStream) list.push(value.body as unknown as Transferable);
  if (value.abort) list.push(value.abort);
  return list;
}

// Bodies that cannot be cloned become bytes here, with the Content-Type they imply.
async function wireBody(body: unknown, headers: HeaderPairs): Promise<WireBody | null> {
  if (body === undefined || body === null) return null;
  if (body instanceof FormData || body instanceof URLSearchParams) {
    const encoded = new Response(body);
    const type = encoded.headers.get('content-type');
    if (type && !headers.some(([n]) => n.toLowerCase() === 'content-type')) {
      headers.push(['Content-Type', type]);
    }
    return encoded.arrayBuffer();
  }
  return body as WireBody;
}

/** The caller's side: a fetch() call as a WireRequest. */
export async function toWireRequest(input: RequestInfo | URL, init: CurlRequestInit = {}) {
  const request = input instanceof Request ? input : null;
  const headers = headerPairs(init.headers ?? request?.headers);
  const wire: WireRequest = {
    url: request ? request.url : String(input),
    method: init.method ?? request?.method,
    headers,
    body: await wireBody(init.body !== undefined ? init.body : request?.body, headers),
    redirect: init.redirect ?? request?.redirect,
  };
  if (init.curl) {
    if (typeof init.curl.verbose === 'function') {
      throw new TypeError('libcurl-wasm: in Worker mode, curl.verbose can only be true or false');
    }
    wire.curl = init.curl as WireRequest['curl'];
  }
  const signal = init.signal ?? request?.signal;
  if (signal) {
    signal.throwIfAborted();
    const channel = new MessageChannel();
    signal.addEventListener('abort', () => channel.port1.postMessage(null), { once: true });
    wire.abort = channel.port2;
  }
  return wire;
}

/** The Worker's side: the init object curl.fetch() takes. */
export function fromWireRequest(wire: WireRequest): [string, CurlRequestInit] {
  const init: CurlRequestInit = {
    method: wire.method,
    headers: wire.headers,
    body: (wire.body ?? undefined) as BodyInit | undefined,
    redirect: wire.redirect,
    curl: wire.curl,
  };
  if (wire.abort) {
    const controller = new AbortController();
    wire.abort.onmessage = () => controller.abort();
    init.signal = controller.signal;
  }
  return [wire.url, init];
}

/** Copies a stream, turning its error into something that survives structured cloning. */
export function encodeStreamErrors(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return relay(source, serializeError);
}

/** The reverse: errors that crossed the boundary become their classes again. */
export function decodeStreamErrors(source: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return relay(source, (reason) => (isSerializedError(reason) ? deserializeError(reason) : reason));
}

function relay(
  source: ReadableStream<Uint8Array>,
  mapError: (reason: unknown) => unknown,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { value, done } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (error) {
          controller.error(mapError(error));
        }
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

export async function toWireResponse(response: Response): Promise<WireResponse> {
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers.entries()],
    url: response.url,
    redirected: response.redirected,
    body: response.body ? encodeStreamErrors(response.body) : null,
  };
}

export function fromWireResponse(wire: WireResponse): Response {
  const body = wire.body ? decodeStreamErrors(wire.body) : null;
  const response = new Response(body, {
    status: wire.status,
    statusText: wire.statusText,
    headers: wire.headers,
  });
  Object.defineProperty(response, 'url', { value: wire.url });
  Object.defineProperty(response, 'redirected', { value: wire.redirected });
  return response;
}
