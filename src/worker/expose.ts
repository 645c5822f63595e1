// The Worker's side of Worker mode: loads curl inside the Worker and serves its API to the
// page through comlink.
import { loadCurl, type CurlClient } from '../client.js';
import type { LoadOptions } from '../curl/curl.js';
import type { Session, SessionOptions } from '../fetch/session.js';
import { Comlink, installErrorTransfer } from './comlink-setup.js';
import { fromWireRequest, toWireResponse, transferables, type WireRequest } from './wire.js';

async function serveFetch(fetch: CurlClient['fetch'], wire: WireRequest) {
  const [url, init] = fromWireRequest(wire);
  const response = await toWireResponse(await fetch(url, init));
  return Comlink.transfer(response, transferables(response));
}

function sessionApi(session: Session) {
  return {
    fetch: (wire: WireRequest) => serveFetch(session.fetch, wire),
    exportCookies: () => session.cookies.export(),
    importCookies: (text: string) => session.cookies.import(text),
    listCookies: () => session.cookies.list(),
    clearCookies: () => session.cookies.clear(),
    close: () => session.close(),
  };
}

export type WorkerSessionApi = ReturnType<typeof sessionApi>;

function curlApi(curl: CurlClient) {
  return {
    fetch: (wire: WireRequest) => serveFetch(curl.fetch, wire),
    version: () => curl.version(),
    session: (options?: Omit<SessionOptions, 'curl'> & { curl?: WireRequest['curl'] }) =>
      Comlink.proxy(sessionApi(curl.session(options))),
  };
}

export type WorkerCurlApi = ReturnType<typeof curlApi>;

/**
 * Call inside a Worker: loads curl (with `options`, or with what `load` returns) and serves
 * it to the page, which talks to it through `connectCurlWorker()`.
 */
export function exposeCurl(
  load: LoadOptions | (() => Promise<CurlClient>) = {},
  endpoint: Comlink.Endpoint = self as unknown as Comlink.Endpoint,
): void {
  installErrorTransfer();
  const ready = typeof load === 'function' ? load() : loadCurl(load);
  const api = {
    ready: async () => void (await ready),
    fetch: async (wire: WireRequest) => curlApi(await ready).fetch(wire),
    version: async () => (await ready).version(),
    session: async (options?: Parameters<ReturnType<typeof curlApi>['session']>[0]) =>
      curlApi(await ready).session(options),
  };
  Comlink.expose(api, endpoint);
}

export type ExposedCurl = {
  ready(): Promise<void>;
  fetch: WorkerCurlApi['fetch'];
  version: WorkerCurlApi['version'];
  session: WorkerCurlApi['session'];
};
