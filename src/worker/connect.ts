// The page's side of Worker mode: the same fetch() and sessions, with the work done in a
// Worker. Bodies stream across with backpressure; errors keep their class, code and cause.
import type { VersionInfo } from '../curl/curl.js';
import type { CurlRequestInit } from '../fetch/fetch.js';
import type { SessionOptions } from '../fetch/session.js';
import { Comlink, installErrorTransfer } from './comlink-setup.js';
import type { ExposedCurl, WorkerSessionApi } from './expose.js';
import { fromWireResponse, toWireRequest, transferables, type WireRequest } from './wire.js';

export interface RemoteSession {
  fetch(input: RequestInfo | URL, init?: CurlRequestInit): Promise<Response>;
  cookies: {
    export(): Promise<string>;
    import(text: string): Promise<void>;
    list(): Promise<string[]>;
    clear(): Promise<void>;
  };
  close(): Promise<void>;
}

export interface RemoteCurl {
  /** Resolves once curl is loaded in the Worker. */
  ready(): Promise<void>;
  fetch(input: RequestInfo | URL, init?: CurlRequestInit): Promise<Response>;
  version(): Promise<VersionInfo>;
  session(
    options?: Omit<SessionOptions, 'curl'> & { curl?: WireRequest['curl'] },
  ): Promise<RemoteSession>;
  /** Lets go of the Worker's API (the Worker itself is the caller's to terminate). */
  release(): void;
}

async function remoteFetch(
  send: (wire: WireRequest) => Promise<Awaited<ReturnType<ExposedCurl['fetch']>>>,
  input: RequestInfo | URL,
  init?: CurlRequestInit,
): Promise<Response> {
  const wire = await toWireRequest(input, init);
  return fromWireResponse(await send(Comlink.transfer(wire, transferables(wire))));
}

function remoteSession(api: Comlink.Remote<WorkerSessionApi>): RemoteSession {
  return {
    fetch: (input, init) => remoteFetch((wire) => api.fetch(wire), input, init),
    cookies: {
      export: () => api.exportCookies(),
      import: (text) => api.importCookies(text),
      list: () => api.listCookies(),
      clear: () => api.clearCookies(),
    },
    close: () => api.close(),
  };
}

/** Talks to a Worker that called exposeCurl(). */
export function connectCurlWorker(endpoint: Worker | Comlink.Endpoint): RemoteCurl {
  installErrorTransfer();
  const api = Comlink.wrap<ExposedCurl>(endpoint as Comlink.Endpoint);
  return {
    ready: () => api.ready(),
    fetch: (input, init) => remoteFetch((wire) => api.fetch(wire), input, init),
    version: () => api.version(),
    session: async (options) =>
      remoteSession((await api.session(options)) as unknown as Comlink.Remote<WorkerSessionApi>),
    release: () => api[Comlink.releaseProxy](),
  };
}
