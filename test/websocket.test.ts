// curl.WebSocket against the `ws` package's server on 127.0.0.1: the WHATWG behaviour.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawData } from 'ws';
import { loadCurl, type Curl, type CurlWebSocket } from '../src/index.js';
import { testCerts } from './support/certs.js';
import { nextEvent, nextMessages, recordEvents } from './support/events.js';
import { echo, wsServer, type WsServer } from './support/ws-server.js';

let curl: Curl;
let echoServer: WsServer;

beforeAll(async () => {
  curl = await loadCurl();
  echoServer = await wsServer({ onConnection: echo });
});

afterAll(() => echoServer.close());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pattern(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

async function opened(url: string, ...rest: unknown[]): Promise<CurlWebSocket> {
  const ws = new curl.WebSocket(url, ...(rest as []));
  await nextEvent(ws, 'open');
  return ws;
}

async function closed(ws: CurlWebSocket): Promise<CloseEvent> {
  if (ws.readyState === ws.CLOSED) throw new Error('already closed');
  return nextEvent<CloseEvent>(ws, 'close');
}

function bytesOfRaw(data: RawData): Uint8Array {
  return Array.isArray(data) ? Buffer.concat(data) : new Uint8Array(data as Buffer);
}

describe('messages', () => {
  it('echoes text, and text stays text (UTF-8 both ways)', async () => {
    const ws = await opened(echoServer.url);
    const text = 'héllo wörld, 😀 € ✓ — 日本語';
    const replies = nextMessages<string>(ws, 2);
    ws.send(text);
    ws.send('');
    expect(await replies).toEqual([text, '']);
    ws.close();
    await closed(ws);
  });

  it('delivers binary as Blob by default, with the exact bytes (1 MiB included)', async () => {
    const ws = await opened(echoServer.url);
    expect(ws.binaryType).toBe('blob');
    const small = pattern(1000, 7);
    const big = pattern(1 << 20, 9);
    const replies = nextMessages<Blob>(ws, 2);
    ws.send(small);
    ws.send(big);
    const [a, b] = await replies;
    expect(a).toBeInstanceOf(Blob);
    expect(new Uint8Array(await a!.arrayBuffer())).toEqual(small);
    expect(b!.size).toBe(big.length);
    expect(sha256(new Uint8Array(await b!.arrayBuffer()))).toBe(sha256(big));
    ws.close();
    await closed(ws);
  });

  it("delivers binary as ArrayBuffer with binaryType 'arraybuffer', from any data", async () => {
    const ws = await opened(echoServer.url);
    ws.binaryType = 'arraybuffer';
    ws.binaryType = 'nonsense' as never; // ignored, as in browsers
    expect(ws.binaryType).toBe('arraybuffer');
    const big = pattern(1 << 20, 3);
    const backing = pattern(64, 5);
    const replies = nextMessages<ArrayBuffer>(ws, 5);
    ws.send(big);
    ws.send(big.buffer.slice(0, 10));
    ws.send(new DataView(backing.buffer, 8, 16));
    ws.send(new Uint16Array([0x0102, 0x0304]));
    ws.send(new Blob([backing.subarray(0, 4), 'xy']));
    const [a, b, c, d, e] = await replies;
    expect(a).toBeInstanceOf(ArrayBuffer);
    expect(sha256(new Uint8Array(a!))).toBe(sha256(big));
    expect(new Uint8Array(b!)).toEqual(big.subarray(0, 10));
    expect(new Uint8Array(c!)).toEqual(backing.subarray(8, 24));
    expect(new Uint8Array(d!)).toEqual(new Uint8Array(new Uint16Array([0x0102, 0x0304]).buffer));
    expect(new Uint8Array(e!)).toEqual(new Uint8Array([...backing.subarray(0, 4), 120, 121]));
    ws.close();
    await closed(ws);
  });

  it('keeps the order of sends when a Blob comes first', async () => {
    const ws = await opened(echoServer.url);
    ws.binaryType = 'arraybuffer';
    const replies = nextMessages<string | ArrayBuffer>(ws, 3);
    ws.send(new Blob([pattern(300_000, 2)]));
    ws.send('after the blob');
    ws.send(new Blob(['last']));
    const [first, second, third] = await replies;
    expect(sha256(new Uint8Array(first as ArrayBuffer))).toBe(sha256(pattern(300_000, 2)));
    expect(second).toBe('after the blob');
    expect(new TextDecoder().decode(third as ArrayBuffer)).toBe('last');
    ws.close();
    await closed(ws);
  });

  it('reassembles fragmented text and binary messages', async () => {
    const server = await wsServer({
      onConnection: (ws) => {
        // '€' is split between two fragments: only the whole message is UTF-8.
        const euro = Buffer.from('€');
        const first = Buffer.concat([Buffer.from('price: '), euro.subarray(0, 2)]);
        ws.send(first, { binary: false, fin: false });
        ws.send(euro.subarray(2), { binary: false, fin: false });
        ws.send(Buffer.from(' 42'), { binary: false, fin: true });
        ws.send(Buffer.from([1, 2]), { binary: true, fin: false });
        ws.ping('in between'); // control frames may come between fragments
        ws.send(Buffer.from(pattern(200_000)), { binary: true, fin: false });
        ws.send(Buffer.from([3]), { binary: true, fin: true });
      },
    });
    const ws = new curl.WebSocket(server.url);
    ws.binaryType = 'arraybuffer';
    const [text, binary] = await nextMessages<string | ArrayBuffer>(ws, 2);
    expect(text).toBe('price: € 42');
    const expected = new Uint8Array([1, 2, ...pattern(200_000), 3]);
    expect(sha256(new Uint8Array(binary as ArrayBuffer))).toBe(sha256(expected));
    ws.close();
    await closed(ws);
    await server.close();
  });

  it('measures an echo loop of 2,000 small messages', async () => {
    const ws = await opened(echoServer.url);
    const count = 2000;
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const reply = nextEvent<MessageEvent>(ws, 'message');
      ws.send(`message ${i}`);
      expect((await reply).data).toBe(`message ${i}`);
    }
    const ms = performance.now() - started;
    const rate = Math.round((count / ms) * 1000);
    console.log(`echo: ${count} messages in ${ms.toFixed(0)} ms, ${rate}/s`);
    ws.close();
    await closed(ws);
  });
});

describe('states and events', () => {
  it('goes CONNECTING, OPEN, CLOSING, CLOSED, with the standard constants and url', async () => {
    expect([curl.WebSocket.CONNECTING, curl.WebSocket.OPEN]).toEqual([0, 1]);
    expect([curl.WebSocket.CLOSING, curl.WebSocket.CLOSED]).toEqual([2, 3]);
    const ws = new curl.WebSocket(echoServer.url.replace('ws:', 'http:') + '/path?q=1');
    expect(ws.url).toBe(`${echoServer.url}/path?q=1`);
    expect(ws.readyState).toBe(ws.CONNECTING);
    expect(ws.protocol).toBe('');
    const invalidState = expect.objectContaining({ name: 'InvalidStateError' });
    expect(() => ws.send('too early')).toThrow(invalidState);
    await nextEvent(ws, 'open');
    expect(ws.readyState).toBe(ws.OPEN);
    expect(ws.extensions).toBe('');
    ws.close();
    expect(ws.readyState).toBe(ws.CLOSING);
    ws.send('after close'); // counted, never sent, no error
    expect(ws.bufferedAmount).toBe(11);
    await closed(ws);
    expect(ws.readyState).toBe(ws.CLOSED);
  });

  it('calls on* handlers and listeners, in the order they were registered', async () => {
    const ws = new curl.WebSocket(echoServer.url);
    const calls: string[] = [];
    ws.addEventListener('open', () => calls.push('listener before'));
    ws.onopen = () => calls.push('first handler');
    ws.addEventListener('open', () => calls.push('listener after'));
    ws.onopen = function (this: CurlWebSocket) {
      calls.push(this === ws ? 'handler, this = socket' : 'wrong this');
    };
    ws.onmessage = (event) => {
      calls.push(`message ${event.data}`);
      ws.close(1000);
    };
    ws.onclose = (event) => calls.push(`close ${event.code}`);
    expect(ws.onmessage).toBeTypeOf('function');
    ws.addEventListener('open', () => ws.send('ping'));
    await closed(ws);
    expect(calls).toEqual([
      'listener before',
      'handler, this = socket',
      'listener after',
      'message ping',
      'close 1000',
    ]);
  });

  it('refuses bad URLs, protocols and headers with a SyntaxError', () => {
    const syntax = expect.objectContaining({ name: 'SyntaxError' });
    expect(() => new curl.WebSocket('ftp://127.0.0.1/')).toThrow(syntax);
    expect(() => new curl.WebSocket(`${echoServer.url}/#fragment`)).toThrow(syntax);
    expect(() => new curl.WebSocket('not a url')).toThrow(syntax);
    expect(() => new curl.WebSocket(echoServer.url, ['chat', 'chat'])).toThrow(syntax);
    expect(() => new curl.WebSocket(echoServer.url, 'two words')).toThrow(syntax);
    const badHeader = { headers: { 'X-Bad': 'line\r\nbreak' } };
    expect(() => new curl.WebSocket(echoServer.url, [], badHeader)).toThrow(syntax);
    const ownHeader = { headers: { 'Sec-WebSocket-Key': 'mine' } };
    expect(() => new curl.WebSocket(echoServer.url, [], ownHeader)).toThrow(syntax);
  });
});

describe('closing', () => {
  it('sends our code and reason, and reports the server answer as a clean close', async () => {
    const connection = echoServer.nextConnection();
    const ws = await opened(echoServer.url);
    const { ws: peer } = await connection;
    const serverSaw = new Promise<[number, string]>((resolve) =>
      peer.once('close', (code, reason) => resolve([code, reason.toString()])),
    );
    ws.close(4001, 'done here ✓');
    const event = await closed(ws);
    expect(await serverSaw).toEqual([4001, 'done here ✓']);
    expect([event.code, event.reason, event.wasClean]).toEqual([4001, 'done here ✓', true]);
  });

  it("gives the server's code and reason to onclose when the server closes", async () => {
    const connection = echoServer.nextConnection();
    const ws = await opened(echoServer.url);
    const { ws: peer } = await connection;
    const serverSaw = new Promise<number>((resolve) => peer.once('close', (code) => resolve(code)));
    const states: number[] = [];
    ws.addEventListener('close', () => states.push(ws.readyState));
    peer.close(4002, 'server is leaving');
    const event = await closed(ws);
    expect([event.code, event.reason, event.wasClean]).toEqual([4002, 'server is leaving', true]);
    expect(states).toEqual([ws.CLOSED]);
    expect(await serverSaw).toBe(4002); // our echo of its code
  });

  it('reports 1005 for a Close frame without a code', async () => {
    const connection = echoServer.nextConnection();
    const ws = await opened(echoServer.url);
    (await connection).ws.close();
    const event = await closed(ws);
    expect([event.code, event.reason, event.wasClean]).toEqual([1005, '', true]);
  });

  it('starts the closing handshake when disposed', async () => {
    const ws = await opened(echoServer.url);
    ws[Symbol.dispose]();
    expect(ws.readyState).toBe(ws.CLOSING);
    const event = await closed(ws);
    expect([event.code, event.wasClean]).toEqual([1005, true]);
  });

  it('validates close() as browsers do', async () => {
    const ws = await opened(echoServer.url);
    const invalidAccess = expect.objectContaining({ name: 'InvalidAccessError' });
    for (const code of [999, 1001, 1005, 1006, 2999, 5000]) {
      expect(() => ws.close(code)).toThrow(invalidAccess);
    }
    const syntax = expect.objectContaining({ name: 'SyntaxError' });
    expect(() => ws.close(1000, 'x'.repeat(124))).toThrow(syntax);
    expect(() => ws.close(3000, '€'.repeat(42))).toThrow(syntax); // 126 bytes
    expect(ws.readyState).toBe(ws.OPEN);
    ws.close(4999, '€'.repeat(41));
    const event = await closed(ws);
    expect([event.code, event.reason]).toEqual([4999, '€'.repeat(41)]);
  });

  it('fails a socket closed while connecting: error, then close 1006', async () => {
    const ws = new curl.WebSocket(echoServer.url);
    const events = recordEvents(ws, ['open', 'error', 'close']);
    ws.close();
    expect(ws.readyState).toBe(ws.CLOSING);
    const event = await closed(ws);
    expect(events).toEqual(['error', 'close']);
    expect([event.code, event.wasClean]).toEqual([1006, false]);
  });
});

describe('bufferedAmount', () => {
  it('counts bytes not handed to the socket yet, and falls to 0 once they are', async () => {
    const connection = echoServer.nextConnection();
    const ws = await opened(echoServer.url);
    const { ws: peer, request } = await connection;
    // The server stops reading: kernel buffers fill, then the transport's, then ours.
    request.socket.pause();
    const big = pattern(32 << 20, 11);
    ws.send(big);
    expect(ws.bufferedAmount).toBe(big.length);
    await sleep(300);
    const stuck = ws.bufferedAmount;
    expect(stuck).toBeGreaterThan(0);
    expect(stuck).toBeLessThan(big.length);

    const received = new Promise<Uint8Array>((resolve) =>
      peer.once('message', (data) => resolve(bytesOfRaw(data))),
    );
    request.socket.resume();
    const data = await received;
    expect(ws.bufferedAmount).toBe(0);
    expect(sha256(data)).toBe(sha256(big));
    ws.close();
    await closed(ws);
  });
});

describe('handshake', () => {
  it('sets protocol to the subprotocol the server chose', async () => {
    const server = await wsServer({ handleProtocols: () => 'chat.v2', onConnection: echo });
    const ws = await opened(server.url, ['chat.v1', 'chat.v2']);
    expect(ws.protocol).toBe('chat.v2');
    expect(server.requests[0]!.headers['sec-websocket-protocol']).toBe('chat.v1, chat.v2');
    ws.close();
    await closed(ws);
    await server.close();
  });

  it('sends the extra headers of the options to the server', async () => {
    const ws = await opened(echoServer.url, [], {
      headers: { 'X-Token': 'abc123', Origin: 'https://app.example', Cookie: 'session=1' },
    });
    const request = echoServer.requests.at(-1)!;
    expect(request.headers['x-token']).toBe('abc123');
    expect(request.headers.origin).toBe('https://app.example');
    expect(request.headers.cookie).toBe('session=1');
    ws.close();
    await closed(ws);
  });

  it('fails a refused upgrade (403): error with the CurlError, then close 1006', async () => {
    const server = await wsServer({ verifyClient: (_info, done) => done(false, 403, 'Forbidden') });
    const ws = new curl.WebSocket(server.url);
    const events = recordEvents(ws, ['open', 'error', 'close']);
    const error = nextEvent<Event & { error: { code: string; message: string } }>(ws, 'error');
    const event = await closed(ws);
    expect(events).toEqual(['error', 'close']);
    expect((await error).error.code).toBe('CURLE_HTTP_RETURNED_ERROR');
    expect((await error).error.message).toContain('403');
    expect([event.code, event.wasClean, ws.readyState]).toEqual([1006, false, ws.CLOSED]);
    await server.close();
  });

  it('speaks wss:// with the test CA, refuses the server without it unless insecure', async () => {
    const server = await wsServer({ tls: true, onConnection: echo });
    const ws = await opened(server.url, [], { ca: testCerts().caPem });
    const reply = nextEvent<MessageEvent>(ws, 'message');
    ws.send('over TLS');
    expect((await reply).data).toBe('over TLS');
    ws.close();
    await closed(ws);

    const unchecked = await opened(server.url, [], { insecure: true });
    unchecked.close();
    await closed(unchecked);

    const untrusted = new curl.WebSocket(server.url);
    const error = nextEvent<Event & { error: { code: string } }>(untrusted, 'error');
    expect((await closed(untrusted)).code).toBe(1006);
    expect((await error).error.code).toBe('CURLE_PEER_FAILED_VERIFICATION');
    await server.close();
  });
});

describe('broken connections', () => {
  async function failsWith(breakIt: (socket: import('node:net').Socket) => void) {
    const connection = echoServer.nextConnection();
    const ws = await opened(echoServer.url);
    const events = recordEvents(ws, ['error', 'close', 'message']);
    const error = nextEvent<Event & { error: { code: string } }>(ws, 'error');
    breakIt((await connection).request.socket);
    const event = await closed(ws);
    expect(events).toEqual(['error', 'close']);
    expect([event.code, event.reason, event.wasClean]).toEqual([1006, '', false]);
    return (await error).error;
  }

  it('fails when the server resets the connection', async () => {
    const error = await failsWith((socket) => socket.resetAndDestroy());
    expect(error.code).toBe('CURLE_RECV_ERROR');
  });

  it('fails when the server ends the connection without a Close frame', async () => {
    const error = await failsWith((socket) => socket.end());
    expect(error.code).toBe('CURLE_GOT_NOTHING');
  });

  it('fails on a malformed frame (a reserved opcode)', async () => {
    const error = await failsWith((socket) => socket.write(Buffer.from([0x83, 0x00])));
    expect(error.code).toBe('CURLE_RECV_ERROR');
  });

  it('fails on a text message that is not UTF-8', async () => {
    const error = await failsWith((socket) => socket.write(Buffer.from([0x81, 0x02, 0xc3, 0x28])));
    expect(error.code).toBe('CURLE_RECV_ERROR');
  });

  it('fails on a Close frame with a code that may not be sent', async () => {
    const error = await failsWith((socket) => socket.write(Buffer.from([0x88, 0x02, 0x03, 0xee])));
    expect(error.code).toBe('CURLE_RECV_ERROR');
  });
});
