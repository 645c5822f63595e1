// The transport contract as docs/TRANSPORTS.md states it: which curl error each transport
// failure becomes, before and after the stream opened; and the small pieces the runtimes'
// transports share (targets, the write queue, Deno's error classes).
import { describe, expect, it } from 'vitest';
import {
  CurlError,
  defaultTransport,
  loadCurl,
  TransportError,
  type Connection,
  type ConnectionEvents,
  type Transport,
  type TransportErrorCode,
} from '../src/index.js';
import { denoFailure } from '../src/net/deno-errors.js';
import { formatTarget, parseTarget } from '../src/net/target.js';
import { WriteQueue } from '../src/net/write-queue.js';

type When = 'before open' | 'after open';

/** A transport whose every stream fails with `code`, before opening or once curl wrote. */
function failing(code: TransportErrorCode | null, when: When): Transport {
  return {
    name: 'failing',
    connect(_target, events: ConnectionEvents): Connection {
      const fail = () => {
        if (code) events.error(new TransportError(code, `failing: ${code}`));
        else events.end();
        events.close();
      };
      queueMicrotask(when === 'before open' ? fail : () => events.open());
      return {
        write: () => void (when === 'after open' && setTimeout(fail, 5)),
        bufferedAmount: 0,
        pause: () => {},
        resume: () => {},
        end: () => {},
        destroy: () => {},
      };
    },
  };
}

async function outcome(code: TransportErrorCode | null, when: When): Promise<CurlError> {
  const curl = await loadCurl({ transport: failing(code, when) });
  try {
    const easy = curl.easy();
    easy.setopt('URL', 'http://service.example/');
    return (await easy.perform().then(
      () => null,
      (error) => error,
    )) as CurlError;
  } finally {
    curl.close();
  }
}

// The table in docs/TRANSPORTS.md, "What each failure becomes".
const BEFORE_OPEN: Array<[TransportErrorCode, string]> = [
  ['ECONNREFUSED', 'CURLE_COULDNT_CONNECT'],
  ['ECONNRESET', 'CURLE_COULDNT_CONNECT'],
  ['ETIMEDOUT', 'CURLE_OPERATION_TIMEDOUT'],
  ['EHOSTUNREACH', 'CURLE_COULDNT_CONNECT'],
  ['ENETUNREACH', 'CURLE_COULDNT_CONNECT'],
  ['ENOTFOUND', 'CURLE_COULDNT_RESOLVE_HOST'],
  ['EACCES', 'CURLE_COULDNT_CONNECT'],
];

describe('what each transport failure becomes', () => {
  it.each(BEFORE_OPEN)('%s before open: %s, with the error as cause', async (code, curlCode) => {
    const error = await outcome(code, 'before open');
    expect(error).toBeInstanceOf(CurlError);
    expect(error.code).toBe(curlCode);
    expect((error.cause as TransportError).code).toBe(code);
  });

  it('ENOTFOUND names the host as curl would', async () => {
    const error = await outcome('ENOTFOUND', 'before open');
    expect(error.message).toBe('Could not resolve host: service.example');
  });

  it.each(BEFORE_OPEN.map(([code]) => code))('%s after open: CURLE_RECV_ERROR', async (code) => {
    const error = await outcome(code, 'after open');
    expect(error.code).toBe('CURLE_RECV_ERROR');
    expect((error.cause as TransportError).code).toBe(code);
  });

  it('a close without error counts as refused before open, as an empty reply after', async () => {
    expect((await outcome(null, 'before open')).code).toBe('CURLE_COULDNT_CONNECT');
    expect((await outcome(null, 'after open')).code).toBe('CURLE_GOT_NOTHING');
  });
});

// As docs/TRANSPORTS.md shows it, word for word (test/examples.test.ts compares them).
function onlyPort443(inner: Transport): Transport {
  return {
    name: `only-443(${inner.name})`,
    connect(target, events) {
      if (target.port === 443) return inner.connect(target, events);
      queueMicrotask(() => {
        events.error(new TransportError('EACCES', `only-443: ${target.host}:${target.port}`));
        events.close();
      });
      return { write() {}, bufferedAmount: 0, pause() {}, resume() {}, end() {}, destroy() {} };
    },
  };
}

describe('a wrapping transport', () => {
  it('refuses what it does not pass on, with its own error as the cause', async () => {
    const curl = await loadCurl({ transport: onlyPort443(await defaultTransport()) });
    try {
      const error = await curl.fetch('http://127.0.0.1:9/').catch((e) => e.cause);
      expect(error.code).toBe('CURLE_COULDNT_CONNECT');
      expect(error.cause.message).toBe('only-443: 127.0.0.1:9');
    } finally {
      curl.close();
    }
  });
});

describe('targets', () => {
  it('formats IPv6 in brackets and parses what it formats', () => {
    expect(formatTarget({ host: '::1', port: 80 })).toBe('[::1]:80');
    expect(parseTarget('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(parseTarget('API.Example:443')).toEqual({ host: 'api.example', port: 443 });
    expect(parseTarget('[0:0:0:0:0:0:0:1]:8080')).toEqual({ host: '::1', port: 8080 });
    expect(parseTarget('[2001:DB8:0:0:1::1]:1')).toEqual({ host: '2001:db8::1:0:0:1', port: 1 });
  });
});

describe('WriteQueue', () => {
  it('counts what is left after partial writes, across chunks', () => {
    const queue = new WriteQueue();
    queue.push(new Uint8Array([1, 2, 3]));
    queue.push(new Uint8Array([4, 5]));
    queue.push(new Uint8Array(0));
    expect(queue.size).toBe(5);
    queue.consume(2);
    expect([...queue.peek()!]).toEqual([3]);
    expect(queue.size).toBe(3);
    queue.consume(1);
    expect([...queue.peek()!]).toEqual([4, 5]);
    queue.consume(2);
    expect(queue.peek()).toBeUndefined();
    expect(queue.size).toBe(0);
  });
});

describe("Deno's errors", () => {
  const target = { host: 'h.example', port: 443 };
  // Shaped as Deno 2.9 throws them (see deno-errors.ts).
  const lookup = 'failed to lookup address information: Name or service not known';
  const cases: Array<[string, object, boolean, TransportErrorCode]> = [
    ['a refused connect', { code: 'ECONNREFUSED' }, false, 'ECONNREFUSED'],
    ['a missing --allow-net', { name: 'NotCapable' }, false, 'EACCES'],
    ['a failed lookup', { name: 'Error', message: lookup }, false, 'ENOTFOUND'],
    ['a timeout', { name: 'TimedOut' }, false, 'ETIMEDOUT'],
    ['a reset', { name: 'ConnectionReset' }, true, 'ECONNRESET'],
    ['something else, before open', { name: 'Busy' }, false, 'ECONNREFUSED'],
    ['something else, once open', { name: 'Busy' }, true, 'ECONNRESET'],
  ];

  it.each(cases)('%s', (_what, error, opened, code) => {
    const failure = denoFailure('deno-tcp', Object.assign(new Error(), error), target, opened);
    expect(failure).toBeInstanceOf(TransportError);
    expect(failure.code).toBe(code);
    expect(failure.message).toContain('h.example:443');
  });
});
