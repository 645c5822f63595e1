// fetch() over the multi interface: a standard Response as soon as the headers are in, a
// body that pauses the transfer when nobody reads it, redirects as browsers follow them, and
// failures as TypeError('fetch failed', { cause: CurlError }).
import type { Easy } from '../curl/easy.js';
import type { EventDriver } from '../curl/event-driver.js';
import { applyExtras, type CurlExtras } from './curl-extras.js';
import { attachBody, prepareBody, type PreparedBody, type UploadStream } from './request-body.js';
import {
  curlHeaderLines,
  hasHeader,
  headerPairs,
  withoutHeaders,
  type HeaderPairs,
} from './request-headers.js';
import { BodySink, HeadCollector, type ResponseHead } from './response-parts.js';

export type CurlRequestInit = RequestInit & {
  /** curl's options for this request; see CurlExtras. */
  curl?: CurlExtras;
};

/** What a fetch needs from its owner: the plain curl.fetch, or a session. */
export interface FetchContext {
  driver: EventDriver;
  newEasy(): Easy;
  defaultCa(): string;
  baseUrl?: string;
  headers?: HeaderPairs;
  /** Settings every request of the owner gets (a session's share, for instance). */
  prepare?(easy: Easy): void;
}

interface Hop {
  url: URL;
  method: string;
  headers: HeaderPairs;
  body: PreparedBody | null;
}

const MAX_REDIRECTS = 20;
const EMPTY_BODY: PreparedBody = {
  bytes: new Uint8Array(0),
  stream: null,
  length: 0,
  contentType: null,
};
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);
const NORMALIZED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'];

function fetchFailed(cause: unknown): TypeError {
  return new TypeError('fetch failed', { cause });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function normalizeMethod(method: string): string {
  // The method goes into the request line as it is: anything but a token would let a caller
  // write headers (or a second request) of its own.
  if (!TOKEN.test(method)) throw new TypeError(`fetch: '${method}' is not a valid HTTP method`);
  const upper = method.toUpperCase();
  return NORMALIZED_METHODS.includes(upper) ? upper : method;
}

/** Header values arrive as bytes (one char each); a Location is UTF-8, as browsers read it. */
function utf8Header(value: string): string {
  const bytes = Uint8Array.from(value, (c) => c.charCodeAt(0) & 0xff);
  return new TextDecoder().decode(bytes);
}

/** Closes a handle now, or once curl has left the callback that is closing it. */
function closeWhenIdle(easy: Easy): void {
  if (easy.closed) return;
  try {
    easy.close();
  } catch {
    setTimeout(() => closeWhenIdle(easy), 0);
  }
}

async function firstHop(ctx: FetchContext, input: RequestInfo | URL, init: CurlRequestInit) {
  const request = input instanceof Request ? input : null;
  const url = new URL(request ? request.url : String(input), ctx.baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fetchFailed(new Error(`unsupported URL scheme ${url.protocol}`));
  }
  const method = normalizeMethod(init.method ?? request?.method ?? 'GET');
  const own =
    init.headers !== undefined ? headerPairs(init.headers) : headerPairs(request?.headers);
  const headers = [...(ctx.headers ?? []).filter(([n]) => !hasHeader(own, n)), ...own];
  const rawBody = init.body !== undefined ? init.body : (request?.body ?? null);
  if (rawBody !== null && (method === 'GET' || method === 'HEAD')) {
    throw new TypeError(`fetch: a ${method} request cannot have a body`);
  }
  const body = rawBody === null ? null : await prepareBody(rawBody);
  const hop: Hop = { url, method, headers, body };
  return {
    hop,
    signal: init.signal ?? request?.signal ?? null,
    redirect: init.redirect ?? request?.redirect ?? 'follow',
  };
}

/** The next request after a redirect, by the fetch standard's rules. */
function redirectHop(hop: Hop, status: number, location: URL): Hop {
  let { method, body, headers } = hop;
  const toGet =
    ((status === 301 || status === 302) && method === 'POST') ||
    (status === 303 && method !== 'GET' && method !== 'HEAD');
  if (toGet) {
    method = method === 'HEAD' ? 'HEAD' : 'GET';
    body = null;
    headers = withoutHeaders(headers, [
      'content-type',
      'content-length',
      'content-encoding',
      'content-language',
      'content-location',
    ]);
  } else if (body?.stream) {
    throw fetchFailed(new Error(`cannot follow a ${status} redirect with a streamed body`));
  }
  if (location.origin !== hop.url.origin) headers = withoutHeaders(headers, ['authorization']);
  return { url: location, method, headers, body };
}

function configure(ctx: FetchContext, easy: Easy, hop: Hop, extras: CurlExtras) {
  easy.setopt('URL', hop.url.href);
  easy.setopt('SUPPRESS_CONNECT_HEADERS', 1);
  // Concurrent HTTPS requests to one origin wait for the first connection and share it over
  // HTTP/2, as browsers do, rather than each opening (and handshaking) a connection of its own.
  // Plain http:// never multiplexes here (no h2c), so waiting would only serialize requests.
  if (hop.url.protocol === 'https:') easy.setopt('PIPEWAIT', 1);
  const encoding = hop.headers.find(([n]) => n.toLowerCase() === 'accept-encoding');
  easy.setopt('ACCEPT_ENCODING', encoding ? encoding[1] : '');
  ctx.prepare?.(easy);

  const removals = ['Expect'];
  let upload: UploadStream | null = null;
  // As browsers do, POST, PUT and PATCH without a body still send Content-Length: 0.
  const body = hop.body ?? (['POST', 'PUT', 'PATCH'].includes(hop.method) ? EMPTY_BODY : null);
  if (hop.method === 'HEAD') easy.setopt('NOBODY', 1);
  else if (body) {
    upload = attachBody(easy, body);
    if (body.contentType === null) removals.push('Content-Type');
  }
  if (!['GET', 'HEAD', 'POST'].includes(hop.method)) easy.setopt('CUSTOMREQUEST', hop.method);
  const headers = [...hop.headers];
  if (hop.body?.contentType && !hasHeader(headers, 'content-type')) {
    headers.push(['Content-Type', hop.body.contentType]);
  }
  easy.setopt('HTTPHEADER', curlHeaderLines(headers, removals));
  applyExtras(easy, extras, () => ctx.defaultCa());
  return upload;
}

function buildResponse(head: ResponseHead, body: ReadableStream<Uint8Array> | null): Response {
  if (head.status < 200 || head.status > 599) {
    throw fetchFailed(new Error(`the server answered with status ${head.status}`));
  }
  const headers = new Headers();
  for (const [name, value] of head.headers) {
    try {
      headers.append(name, value);
    } catch {
      // A header no Headers object can hold (a bad name or byte) is left out.
    }
  }
  return new Response(NULL_BODY_STATUS.has(head.status) ? null : body, {
    status: head.status,
    statusText: head.statusText,
    headers,
  });
}

/** One request and its response head; the body goes on streaming afterwards. */
function send(
  ctx: FetchContext,
  hop: Hop,
  extras: CurlExtras,
  signal: AbortSignal | null,
): Promise<Response> {
  const easy = ctx.newEasy();
  let upload: UploadStream | null = null;
  let settled = false;

  return new Promise<Response>((resolve, reject) => {
    const finish = () => {
      signal?.removeEventListener('abort', onAbort);
      closeWhenIdle(easy);
    };
    const stop = (reason: unknown) => {
      ctx.driver.abandon(easy);
      upload?.cancel(reason);
      sink.error(reason);
      finish();
    };
    const onAbort = () => {
      const reason = abortReason(signal!);
      if (!settled) reject(reason);
      settled = true;
      stop(reason);
    };
    const sink = new BodySink(easy, (reason) => stop(reason));
    const collector = new HeadCollector((head) => {
      try {
        const response = buildResponse(head, hop.method === 'HEAD' ? null : sink.stream);
        settled = true;
        resolve(response);
      } catch (error) {
        settled = true;
        reject(error);
        queueMicrotask(() => stop(error));
      }
    });

    try {
      easy.setopt('HEADERFUNCTION', collector.line);
      easy.setopt('WRITEFUNCTION', sink.write);
      upload = configure(ctx, easy, hop, extras);
    } catch (error) {
      finish();
      reject(error);
      return;
    }
    signal?.addEventListener('abort', onAbort);

    easy.perform().then(
      () => {
        if (!settled) reject(fetchFailed(new Error('the transfer ended without a response')));
        settled = true;
        sink.close();
        finish();
      },
      (error) => {
        const failure = upload?.error !== undefined ? upload.error : error;
        if (!settled) reject(fetchFailed(failure));
        settled = true;
        sink.error(failure);
        finish();
      },
    );
  });
}

function markResponse(response: Response, url: URL, redirected: boolean): Response {
  Object.defineProperty(response, 'url', { value: url.href });
  Object.defineProperty(response, 'redirected', { value: redirected });
  return response;
}

export async function curlFetch(
  ctx: FetchContext,
  input: RequestInfo | URL,
  init: CurlRequestInit = {},
): Promise<Response> {
  const { hop: first, signal, redirect } = await firstHop(ctx, input, init);
  if (signal?.aborted) throw abortReason(signal);
  const extras = init.curl ?? {};

  let hop = first;
  for (let redirects = 0; ; redirects++) {
    const response = await send(ctx, hop, extras, signal);
    const location = response.headers.get('location');
    const isRedirect = [301, 302, 303, 307, 308].includes(response.status) && location !== null;
    if (!isRedirect || redirect === 'manual') return markResponse(response, hop.url, redirects > 0);

    await response.body?.cancel();
    if (redirect === 'error') throw fetchFailed(new Error(`redirect to ${location} not allowed`));
    if (redirects >= MAX_REDIRECTS) throw fetchFailed(new Error('too many redirects'));
    let target: URL;
    try {
      target = new URL(utf8Header(location!), hop.url);
    } catch (error) {
      throw fetchFailed(error);
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw fetchFailed(new Error(`redirect to unsupported scheme ${target.protocol}`));
    }
    hop = redirectHop(hop, response.status, target);
  }
}
