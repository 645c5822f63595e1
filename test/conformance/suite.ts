// The conformance suite: one list of cases, written once against the public API and web
// standards only, run on Node (test/conformance.test.ts), Deno and Bun (runner.mjs) over
// each runtime's transports. The package under test is passed in, so the same cases check
// src/ under vitest and the packed dist/ where users' runtimes load it.
import type * as Library from '../../src/index.ts';
import type { Transport } from '../../src/index.ts';
import { check, concat, equal, failure, sha256 } from './check.ts';
import type { Fixture, Run } from './fixture.ts';

type Lib = typeof Library;
type Client = Library.CurlClient;

export interface Context {
  lib: Lib;
  curl: Client;
  fixture: Fixture;
  /** A further client on the same transport, for cases that close theirs. */
  load(): Promise<Client>;
  /** URLs this transport must refuse by policy. */
  blocked: string[];
}

export interface Case {
  name: string;
  run(ctx: Context): Promise<void>;
}

interface Result {
  status: number;
  body: Uint8Array;
  headers: string[];
  easy: Library.Easy;
}

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const MB = 1 << 20;

async function transfer(ctx: Context, url: string, options: Record<string, unknown> = {}) {
  const easy = ctx.curl.easy();
  const chunks: Uint8Array[] = [];
  const headers: string[] = [];
  easy.setopt('URL', url);
  easy.setopt('WRITEFUNCTION', (chunk: Uint8Array) => void chunks.push(chunk));
  easy.setopt('HEADERFUNCTION', (line: Uint8Array) => void headers.push(text(line).trimEnd()));
  for (const [name, value] of Object.entries(options)) {
    easy.setopt(name as Library.OptionName, value as never);
  }
  await easy.perform();
  const status = easy.getinfo('RESPONSE_CODE');
  return { status, body: concat(chunks), headers, easy } satisfies Result;
}

async function curlError(ctx: Context, url: string, options: Record<string, unknown> = {}) {
  const error = await failure(() => transfer(ctx, url, options), url);
  check(error instanceof ctx.lib.CurlError, `${url}: expected a CurlError, got ${error}`);
  return error;
}

/** host:port as the transport sees it, for matching messages. */
function targetOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? 443 : 80)}`;
}

function patterned(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed + (i >> 11)) & 255;
  return bytes;
}

/** A request body that arrives in 64 KiB pieces, as a stream that is read on demand. */
function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 64 * 1024));
      offset += 64 * 1024;
    },
  });
}

export const cases: Case[] = [
  {
    name: 'HTTP/1.1 GET gives status, headers and body',
    async run(ctx) {
      const r = await transfer(ctx, `${ctx.fixture.http}/hello`);
      equal(r.status, 200, 'status');
      equal(text(r.body), 'hello GET /hello', 'body');
      equal(r.headers[0], 'HTTP/1.1 200 OK', 'status line');
      equal(r.easy.getinfo('HTTP_VERSION'), ctx.lib.CURL_HTTP_VERSION['1_1'], 'HTTP version');
    },
  },
  {
    name: 'an IPv6 literal connects',
    async run(ctx) {
      const r = await transfer(ctx, `${ctx.fixture.http6}/hello`);
      equal(text(r.body), 'hello GET /hello', 'body');
      equal(r.easy.getinfo('PRIMARY_IP'), '::1', 'primary IP');
    },
  },
  {
    name: 'HTTPS verifies the test CA and negotiates HTTP/2',
    async run(ctx) {
      const r = await transfer(ctx, `${ctx.fixture.https}/hello`, {
        CAINFO_BLOB: ctx.fixture.caPem,
      });
      equal(r.status, 200, 'status');
      equal(text(r.body), 'hello GET /hello', 'body');
      equal(r.easy.getinfo('HTTP_VERSION'), ctx.lib.CURL_HTTP_VERSION['2_0'], 'HTTP version');
    },
  },
  {
    name: 'HTTPS without the test CA fails verification',
    async run(ctx) {
      const error = await curlError(ctx, `${ctx.fixture.https}/hello`);
      equal(error.code, 'CURLE_PEER_FAILED_VERIFICATION', 'code');
    },
  },
  {
    name: 'a refused port fails at once with CURLE_COULDNT_CONNECT and the cause',
    async run(ctx) {
      const started = performance.now();
      const error = await curlError(ctx, ctx.fixture.refused);
      equal(error.code, 'CURLE_COULDNT_CONNECT', 'code');
      equal((error.cause as { code?: string }).code, 'ECONNREFUSED', 'cause code');
      check(performance.now() - started < 2000, 'took more than 2 s');
    },
  },
  {
    name: 'an unresolvable name gives CURLE_COULDNT_RESOLVE_HOST with the name',
    async run(ctx) {
      const error = await curlError(ctx, ctx.fixture.unresolvable);
      equal(error.code, 'CURLE_COULDNT_RESOLVE_HOST', 'code');
      const host = new URL(ctx.fixture.unresolvable).hostname;
      equal(error.message, `Could not resolve host: ${host}`, 'message');
    },
  },
  {
    name: 'a 5 MB download arrives whole (sha256)',
    async run(ctx) {
      const r = await transfer(ctx, `${ctx.fixture.http}/big`);
      equal(r.body.length, ctx.fixture.bigSize, 'size');
      equal(await sha256(r.body), ctx.fixture.bigSha256, 'sha256');
    },
  },
  {
    name: 'gzip content encoding is decoded',
    async run(ctx) {
      const r = await transfer(ctx, `${ctx.fixture.http}/gzip`, { ACCEPT_ENCODING: '' });
      check(r.headers.includes('Content-Encoding: gzip'), 'no Content-Encoding: gzip header');
      equal(text(r.body), ctx.fixture.gzipText, 'decoded body');
    },
  },
  {
    name: 'a second request on the same handle reuses the connection',
    async run(ctx) {
      const first = await transfer(ctx, `${ctx.fixture.http}/hello`);
      first.easy.setopt('URL', `${ctx.fixture.http}/hello?again`);
      await first.easy.perform();
      equal(first.easy.getinfo('NUM_CONNECTS'), 0, 'new connections for the second request');
    },
  },
  {
    name: '24 concurrent fetches over HTTP/1.1 and HTTP/2 each get their own answer',
    async run(ctx) {
      const tls = { curl: { ca: ctx.fixture.caPem } };
      const urls = Array.from({ length: 24 }, (_, i) =>
        i % 2 ? `${ctx.fixture.https}/hello?i=${i}` : `${ctx.fixture.http}/hello?i=${i}`,
      );
      const bodies = await Promise.all(
        urls.map(async (url) => (await ctx.curl.fetch(url, tls)).text()),
      );
      bodies.forEach((body, i) => equal(body, `hello GET /hello?i=${i}`, `body ${i}`));
    },
  },
  {
    name: 'fetch() streams a 5 MB request body',
    async run(ctx) {
      const sent = patterned(5 * MB, 7);
      const response = await ctx.curl.fetch(`${ctx.fixture.http}/sha256`, {
        method: 'POST',
        body: streamOf(sent),
        duplex: 'half',
      } as RequestInit);
      const echo = (await response.json()) as { bytes: number; sha256: string };
      equal(echo.bytes, sent.length, 'bytes the server received');
      equal(echo.sha256, await sha256(sent), 'sha256 the server computed');
    },
  },
  {
    name: 'fetch() streams a 5 MB response body over HTTP/2',
    async run(ctx) {
      const response = await ctx.curl.fetch(`${ctx.fixture.https}/big`, {
        curl: { ca: ctx.fixture.caPem },
      });
      equal(response.status, 200, 'status');
      const reader = response.body!.getReader();
      const chunks: Uint8Array[] = [];
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        chunks.push(next.value);
      }
      check(chunks.length > 1, 'the body came in one piece, not as a stream');
      equal(await sha256(concat(chunks)), ctx.fixture.bigSha256, 'sha256');
    },
  },
  {
    name: 'an unread response body pauses the transport, so the server cannot run ahead',
    async run(ctx) {
      const id = Math.random().toString(36).slice(2);
      const response = await ctx.curl.fetch(`${ctx.fixture.http}/stream?id=${id}&mb=48`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const progress = await ctx.curl.fetch(`${ctx.fixture.http}/written?id=${id}`);
      const written = Number(await progress.text());
      // Kernel buffers on both ends take some megabytes; a transport that kept reading
      // while paused would have let the server write all 48.
      check(written < 32 * MB, `the server wrote ${written} bytes while nobody read`);
      let received = 0;
      const reader = response.body!.getReader();
      for (let next = await reader.read(); !next.done; next = await reader.read()) {
        received += next.value.length;
      }
      equal(received, 48 * MB, 'bytes received once read');
    },
  },
  {
    name: 'a 16 MB upload to a server that reads late arrives whole',
    async run(ctx) {
      const sent = patterned(16 * MB, 3);
      const response = await ctx.curl.fetch(`${ctx.fixture.http}/late-sha256`, {
        method: 'POST',
        body: sent,
      });
      const echo = (await response.json()) as { bytes: number; sha256: string };
      equal(echo.bytes, sent.length, 'bytes the server received');
      equal(echo.sha256, await sha256(sent), 'sha256 the server computed');
    },
  },
  {
    name: 'a connection closed mid-body gives CURLE_PARTIAL_FILE',
    async run(ctx) {
      const error = await curlError(ctx, `${ctx.fixture.http}/cut`);
      equal(error.code, 'CURLE_PARTIAL_FILE', 'code');
    },
  },
  {
    name: 'close() ends the pooled connections; later fetches reject',
    async run(ctx) {
      const curl = await ctx.load();
      const response = await curl.fetch(`${ctx.fixture.http}/hello`);
      equal(await response.text(), 'hello GET /hello', 'body');
      curl.close();
      const error = await failure(() => curl.fetch(`${ctx.fixture.http}/hello`), 'after close');
      check(error instanceof ctx.lib.HandleClosedError, `expected HandleClosedError, got ${error}`);
    },
  },
];

/** For transports that refuse some targets: an allow-list, or Deno without the permission. */
export const policyCase: Case = {
  name: 'a target the transport refuses fails at once with EACCES, naming it',
  async run(ctx) {
    check(ctx.blocked.length > 0, 'no blocked URLs given');
    for (const url of ctx.blocked) {
      const started = performance.now();
      const error = await curlError(ctx, url);
      equal(error.code, 'CURLE_COULDNT_CONNECT', `${url}: code`);
      const cause = error.cause;
      check(cause instanceof ctx.lib.TransportError, `${url}: cause is ${cause}`);
      equal(cause.code, 'EACCES', `${url}: cause code`);
      check(cause.message.includes(targetOf(url)), `${url}: '${cause.message}' names no target`);
      check(performance.now() - started < 1000, `${url}: took more than 1 s`);
    }
    const rejected = await failure(() => ctx.curl.fetch(ctx.blocked[0]!), 'fetch');
    check(rejected instanceof TypeError, `fetch rejected with ${rejected}`);
    check(rejected.cause instanceof ctx.lib.CurlError, 'fetch failure without CurlError cause');
  },
};

/** The cases of one run: every case, and the policy case when something must be refused. */
export function casesFor(run: Run): Case[] {
  return run.blocked.length > 0 ? [...cases, policyCase] : cases;
}

/** One run's client: the runtime's default transport, behind an allow-list if the run says. */
/**
 * The runtime's transport, except that the fixture's unresolvable name fails at once with
 * ENOTFOUND, as a resolver would say: the tests send no DNS query off the machine.
 */
function withoutDns(lib: Lib, inner: Transport, fixture: Fixture): Transport {
  const unresolvable = new URL(fixture.unresolvable).hostname;
  return {
    name: inner.name,
    connect(target, events) {
      if (target.host !== unresolvable) return inner.connect(target, events);
      throw new lib.TransportError('ENOTFOUND', `could not resolve ${target.host}`);
    },
  };
}

export async function prepareRun(lib: Lib, fixture: Fixture, run: Run) {
  const inner = withoutDns(lib, await lib.defaultTransport(), fixture);
  const transport = run.allowList ? lib.allowListTransport(inner, run.allowList) : inner;
  const load = () => lib.loadCurl({ transport });
  const ctx: Context = { lib, curl: await load(), fixture, load, blocked: run.blocked };
  return { transport: transport.name, ctx, cases: casesFor(run) };
}
