// loadCurl(): the whole library on one wasm instance: curl's own API (Easy, Multi, select)
// and, on top of it, fetch() and sessions.
import { createRuntime, Curl, type LoadOptions } from './curl/curl.js';
import { curlFetch, type CurlRequestInit, type FetchContext } from './fetch/fetch.js';
import { Session, type SessionOptions } from './fetch/session.js';

export class CurlClient extends Curl {
  #fetchContext: FetchContext | undefined;

  /** fetch() through libcurl: a standard Response, with curl's options under `init.curl`. */
  fetch = async (input: RequestInfo | URL, init?: CurlRequestInit): Promise<Response> => {
    const driver = this.driver(); // a HandleClosedError once the client is closed
    this.#fetchContext ??= { driver, newEasy: () => this.easy(), defaultCa: () => this.caBundle() };
    return curlFetch(this.#fetchContext, input, init);
  };

  /** A session: its own connections and limits, a cookie jar, a base URL, default headers. */
  session(options?: SessionOptions): Session {
    return new Session(this, options);
  }
}

export async function loadCurl(options: LoadOptions = {}): Promise<CurlClient> {
  return new CurlClient(await createRuntime(options));
}
