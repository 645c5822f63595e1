// Sessions: a multi of their own (connection reuse and limits, concurrent requests), a
// share for cookies, DNS and TLS sessions, a base URL and default headers. The cookie jar is
// curl's own cookie engine, so it behaves as curl's does: across redirects, for concurrent
// and back-to-back requests, with deletion by Max-Age=0 and by expiry.
import type { Curl } from '../curl/curl.js';
import type { Easy } from '../curl/easy.js';
import type { EventDriver } from '../curl/event-driver.js';
import { HandleClosedError } from '../curl/errors.js';
import type { Share } from '../curl/share.js';
import type { CurlExtras } from './curl-extras.js';
import { curlFetch, type CurlRequestInit, type FetchContext } from './fetch.js';
import { headerPairs } from './request-headers.js';

export interface SessionOptions {
  /** Relative request URLs resolve against this. */
  baseUrl?: string | URL;
  /** Headers sent with every request unless the request sets the same name. */
  headers?: HeadersInit;
  /** Keep a cookie jar (default true). */
  cookies?: boolean;
  /** CURLMOPT_MAX_TOTAL_CONNECTIONS: open connections at most, 0 for no limit. */
  maxConnections?: number;
  /** CURLMOPT_MAX_HOST_CONNECTIONS: open connections to one host at most. */
  maxHostConnections?: number;
  /** curl options for every request; a request's own `curl` key adds to them. */
  curl?: CurlExtras;
}

const NETSCAPE_HEADER = '# Netscape HTTP Cookie File\n';

// A session dropped without close() would keep its multi alive through the socket table's
// listeners, with its connections and heap: once the session is collected, they are freed.
const forgotten = new FinalizationRegistry<{ driver: EventDriver; share: Share }>(
  ({ driver, share }) => {
    try {
      driver.closeAll(new HandleClosedError('session'));
      driver.multi.close();
      share.close();
    } catch {
      // Something still uses it: it goes when the instance goes.
    }
  },
);

/** The cookie jar of a session, in the Netscape cookie file format curl reads and writes. */
export class CookieJar {
  constructor(private readonly withEasy: <T>(use: (easy: Easy) => T) => T) {}

  /** Every cookie, one Netscape-format line each. */
  list(): string[] {
    return this.withEasy((easy) => easy.getinfo('COOKIELIST'));
  }

  /** The jar as a Netscape cookie file. */
  export(): string {
    return (
      NETSCAPE_HEADER +
      this.list()
        .map((line) => `${line}\n`)
        .join('')
    );
  }

  /** Adds cookies from a Netscape cookie file, or from "Set-Cookie:" header lines. */
  import(text: string): void {
    const lines = text
      .split(/\r?\n/)
      .filter((line) => line.trim() && !/^#(?!HttpOnly_)/.test(line));
    this.withEasy((easy) => {
      for (const line of lines) easy.setopt('COOKIELIST', line);
    });
  }

  /** Forgets every cookie. */
  clear(): void {
    this.withEasy((easy) => easy.setopt('COOKIELIST', 'ALL'));
  }
}

export class Session implements Disposable {
  #curl: Curl;
  #driver: EventDriver;
  #share: Share;
  #context: FetchContext;
  #options: SessionOptions;
  #closed = false;
  readonly cookies: CookieJar;

  /** @internal Use `curl.session()`. */
  constructor(curl: Curl, options: SessionOptions = {}) {
    this.#curl = curl;
    this.#options = options;
    this.#driver = curl.createDriver();
    const multi = this.#driver.multi;
    if (options.maxConnections !== undefined)
      multi.setopt('MAX_TOTAL_CONNECTIONS', options.maxConnections);
    if (options.maxHostConnections !== undefined) {
      multi.setopt('MAX_HOST_CONNECTIONS', options.maxHostConnections);
    }
    this.#share = curl
      .share()
      .setopt('SHARE', 'COOKIE')
      .setopt('SHARE', 'DNS')
      .setopt('SHARE', 'SSL_SESSION');
    this.#context = {
      driver: this.#driver,
      newEasy: () => curl.easyOn(this.#driver),
      defaultCa: () => curl.caBundle(),
      baseUrl: options.baseUrl === undefined ? undefined : String(options.baseUrl),
      headers: headerPairs(options.headers),
      prepare: (easy) => this.#prepare(easy),
    };
    this.cookies = new CookieJar((use) => this.#withJarEasy(use));
    forgotten.register(this, { driver: this.#driver, share: this.#share }, this);
  }

  /** fetch() within the session: its connections, its cookies, its base URL. */
  fetch = (input: RequestInfo | URL, init: CurlRequestInit = {}): Promise<Response> => {
    if (this.#closed) return Promise.reject(new HandleClosedError('session'));
    const curl =
      this.#options.curl || init.curl ? { ...this.#options.curl, ...init.curl } : undefined;
    return curlFetch(this.#context, input, curl ? { ...init, curl } : init);
  };

  /** Ends every request in flight and frees the multi, the share and the cookie jar. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    forgotten.unregister(this);
    this.#driver.closeAll(new HandleClosedError('session'));
    this.#driver.multi.close();
    this.#share.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #prepare(easy: Easy): void {
    easy.setopt('SHARE', this.#share);
    if (this.#options.cookies !== false) easy.setopt('COOKIEFILE', '');
  }

  #withJarEasy<T>(use: (easy: Easy) => T): T {
    if (this.#closed) throw new HandleClosedError('session');
    const easy = this.#curl.easy();
    try {
      this.#prepare(easy);
      easy.setopt('COOKIEFILE', '');
      return use(easy);
    } finally {
      easy.close();
    }
  }
}
