// curl's URL API through CurlUrl. Nothing here connects anywhere: these are parses only.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CURLU,
  CURLUE,
  CURLUPART,
  CurlUrl,
  CurlUrlError,
  HandleClosedError,
  loadCurl,
  type Curl,
} from '../src/index.js';

let curl: Curl;

beforeAll(async () => {
  curl = await loadCurl();
});

function urlError(run: () => unknown): CurlUrlError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CurlUrlError);
    return error as CurlUrlError;
  }
  throw new Error('expected a CurlUrlError');
}

describe('parsing and parts', () => {
  it('gives every part of a full URL, and null for parts it lacks', () => {
    using url = curl.url('https://ann:secret@example.com:8443/a/b/c.txt?x=1&y=2#top');
    expect(url).toBeInstanceOf(CurlUrl);
    expect(url.get('SCHEME')).toBe('https');
    expect(url.get('USER')).toBe('ann');
    expect(url.get('PASSWORD')).toBe('secret');
    expect(url.get('HOST')).toBe('example.com');
    expect(url.get('PORT')).toBe('8443');
    expect(url.get('PATH')).toBe('/a/b/c.txt');
    expect(url.get('QUERY')).toBe('x=1&y=2');
    expect(url.get('FRAGMENT')).toBe('top');
    expect(url.get(CURLUPART.HOST)).toBe('example.com');
    expect(url.get('OPTIONS')).toBeNull();
    expect(url.get('ZONEID')).toBeNull();
    expect(url.toString()).toBe('https://ann:secret@example.com:8443/a/b/c.txt?x=1&y=2#top');
  });

  it('builds a URL part by part, and clears a part with null', () => {
    using url = curl.url();
    expect(url.get('URL')).toBeNull();
    url.set('SCHEME', 'http').set('HOST', '127.0.0.1').set('PORT', 8080).set('PATH', '/x');
    // URLENCODE alone encodes '=' too; with APPENDQUERY the first '=' is kept.
    url.set('QUERY', 'name=a b', ['URLENCODE']);
    expect(url.toString()).toBe('http://127.0.0.1:8080/x?name%3da+b');
    url.set('QUERY', 'more=yes please', ['APPENDQUERY', 'URLENCODE']);
    expect(url.get('QUERY')).toBe('name%3da+b&more=yes+please');
    url.set('PORT', null).set('QUERY', null);
    expect(url.toString()).toBe('http://127.0.0.1/x');
    expect(url.get('PORT')).toBeNull();
  });

  it('honours get flags: default port, URL decoding', () => {
    using url = curl.url('https://example.com/caf%C3%A9');
    expect(url.get('PORT')).toBeNull();
    expect(url.get('PORT', ['DEFAULT_PORT'])).toBe('443');
    expect(url.get('PORT', CURLU.DEFAULT_PORT)).toBe('443');
    expect(url.get('PATH')).toBe('/caf%C3%A9');
    expect(url.get('PATH', ['URLDECODE'])).toBe('/café');
  });

  it('normalises as curl does: scheme in lower case, host as given, dot segments removed', () => {
    using url = curl.url('HTTP://EXAMPLE.com/a/./b/../c');
    expect(url.toString()).toBe('http://EXAMPLE.com/a/c');
    using asIs = curl.url();
    asIs.set('URL', 'http://example.com/a/./b/../c', ['PATH_AS_IS']);
    expect(asIs.get('PATH')).toBe('/a/./b/../c');
  });

  it('dup() gives an independent copy', () => {
    using url = curl.url('http://example.com/one');
    using copy = url.dup();
    copy.set('PATH', '/two');
    expect(url.get('PATH')).toBe('/one');
    expect(copy.get('PATH')).toBe('/two');
  });
});

describe('resolving relative references', () => {
  const base = 'http://example.com/dir/sub/page.html?old=1#old';
  const cases: [string, string][] = [
    ['other.html', 'http://example.com/dir/sub/other.html'],
    ['../up.html', 'http://example.com/dir/up.html'],
    ['../../top', 'http://example.com/top'],
    ['./same', 'http://example.com/dir/sub/same'],
    ['/rooted?a=b', 'http://example.com/rooted?a=b'],
    ['?q', 'http://example.com/dir/sub/page.html?q'],
    ['#f', 'http://example.com/dir/sub/page.html?old=1#f'],
    ['//other.host/p', 'http://other.host/p'],
    ['https://absolute.example/x', 'https://absolute.example/x'],
  ];

  for (const [reference, expected] of cases) {
    it(`resolves '${reference}'`, () => {
      using url = curl.url(base);
      using resolved = url.resolve(reference);
      expect(resolved.toString()).toBe(expected);
      expect(url.toString()).toBe(base);
    });
  }

  it('throws for a reference curl refuses, and leaves nothing open', () => {
    using url = curl.url(base);
    const before = curl.memory().inUseBytes;
    const error = urlError(() => url.resolve('http://[::1'));
    expect(error.code).toBe('CURLUE_BAD_IPV6');
    expect(curl.memory().inUseBytes).toBe(before);
  });
});

describe('errors', () => {
  it('carries the symbolic code, the number and curl_url_strerror text', () => {
    using url = curl.url('http://example.com/');
    const error = urlError(() => url.set('PORT', '99999'));
    expect(error.code).toBe('CURLUE_BAD_PORT_NUMBER');
    expect(error.curlCode).toBe(CURLUE.BAD_PORT_NUMBER);
    expect(error.message).toBe('Port number was not a decimal number between 0 and 65535');
  });

  it('refuses malformed input', () => {
    expect(urlError(() => curl.url('http://exa^mple.com/')).code).toBe('CURLUE_BAD_HOSTNAME');
    expect(urlError(() => curl.url('http://a b/')).code).toBe('CURLUE_MALFORMED_INPUT');
    expect(urlError(() => curl.url('http://user@:80/')).code).toBe('CURLUE_NO_HOST');
    expect(urlError(() => curl.url('example.com/no-scheme')).code).toBe('CURLUE_BAD_SCHEME');
    expect(urlError(() => curl.url('http://example.com:80x/')).code).toBe('CURLUE_BAD_PORT_NUMBER');
    expect(urlError(() => curl.url('http://[::1/')).code).toBe('CURLUE_BAD_IPV6');
  });

  it('refuses schemes this build lacks unless NON_SUPPORT_SCHEME is given', () => {
    expect(urlError(() => curl.url('ftp://example.com/f')).code).toBe('CURLUE_UNSUPPORTED_SCHEME');
    using url = curl.url();
    url.set('URL', 'ftp://example.com/f', ['NON_SUPPORT_SCHEME']);
    expect(url.get('SCHEME')).toBe('ftp');
  });

  it('toString() throws on a handle that holds no URL', () => {
    using url = curl.url();
    expect(urlError(() => url.toString()).code).toBe('CURLUE_NO_HOST');
  });

  it('is unusable after close(), and close() frees its memory', () => {
    const before = curl.memory().inUseBytes;
    const url = curl.url('http://example.com/');
    url.dup().close();
    url.close();
    url.close();
    expect(url.closed).toBe(true);
    expect(() => url.get('HOST')).toThrow(HandleClosedError);
    expect(() => url.set('HOST', 'x')).toThrow(HandleClosedError);
    expect(curl.memory().inUseBytes).toBe(before);
  });
});
