// curl.wsConnect(): WebSocket frames over curl_ws_send and curl_ws_recv, against `ws` on
// 127.0.0.1, and the handshake checks curl 8.14 leaves to us, against scripted servers.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawData, WebSocket } from 'ws';
import {
  CURLWS,
  CurlError,
  HandleClosedError,
  loadCurl,
  type Curl,
  type WsConnection,
  type WsFrame,
} from '../src/index.js';
import { rawServer } from './support/raw-server.js';
import { tcpServer } from './support/servers.js';
import { echo, wsServer, type WsServer } from './support/ws-server.js';

let curl: Curl;
let server: WsServer;
const text = new TextDecoder();

beforeAll(async () => {
  curl = await loadCurl();
  server = await wsServer({ onConnection: echo });
});

afterAll(() => server.close());

async function connect(
  options?: Parameters<Curl['wsConnect']>[1],
): Promise<{ conn: WsConnection; peer: WebSocket }> {
  const next = server.nextConnection();
  const conn = await curl.wsConnect(server.url, options);
  return { conn, peer: (await next).ws };
}

/** Every piece of the next message, PONGs and CLOSEs left out. */
async function recvMessage(conn: WsConnection): Promise<WsFrame[]> {
  const pieces: WsFrame[] = [];
  for (;;) {
    const frame = await conn.recv();
    if (!frame) throw new Error('connection ended');
    if (frame.flags & (CURLWS.PONG | CURLWS.CLOSE)) continue;
    pieces.push(frame);
    if (!(frame.flags & CURLWS.CONT) && frame.bytesLeft === 0) return pieces;
  }
}

function joined(pieces: WsFrame[]): Uint8Array {
  return new Uint8Array(Buffer.concat(pieces.map((piece) => piece.data)));
}

const digest = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function nextServerMessage(peer: WebSocket): Promise<{ data: Buffer; binary: boolean }> {
  return new Promise((resolve) =>
    peer.once('message', (data: RawData, binary) => resolve({ data: data as Buffer, binary })),
  );
}

describe('frames', () => {
  it('sends strings as TEXT and bytes as BINARY, and receives them with their flags', async () => {
    const { conn } = await connect();
    expect(conn.headers['sec-websocket-accept']).toBeTruthy();
    await conn.send('hello');
    await conn.send(new Uint8Array([0, 1, 255]));
    const [textFrame] = await recvMessage(conn);
    const [binaryFrame] = await recvMessage(conn);
    expect(textFrame).toMatchObject({ flags: CURLWS.TEXT, offset: 0, bytesLeft: 0, age: 0 });
    expect(text.decode(textFrame!.data)).toBe('hello');
    expect(binaryFrame).toMatchObject({ flags: CURLWS.BINARY, offset: 0, bytesLeft: 0 });
    expect(binaryFrame!.data).toEqual(new Uint8Array([0, 1, 255]));
    conn.close();
  });

  it('hands a large frame out in pieces with their offsets and the bytes left', async () => {
    const { conn } = await connect();
    const payload = new Uint8Array(200_000).map((_, i) => i % 251);
    await conn.send(payload);
    const pieces = await recvMessage(conn);
    expect(pieces.length).toBeGreaterThan(1);
    let offset = 0;
    for (const piece of pieces) {
      expect(piece.flags).toBe(CURLWS.BINARY);
      expect(piece.offset).toBe(offset);
      offset += piece.data.length;
      expect(piece.bytesLeft).toBe(payload.length - offset);
    }
    expect(digest(joined(pieces))).toBe(digest(payload));
    conn.close();
  });

  it('marks the fragments of a message with CONT until the last', async () => {
    const { conn, peer } = await connect();
    peer.send('one ', { fin: false });
    peer.send('two ', { fin: false });
    peer.send('three', { fin: true });
    const pieces = await recvMessage(conn);
    expect(pieces.map((piece) => piece.flags)).toEqual([
      CURLWS.TEXT | CURLWS.CONT,
      CURLWS.TEXT | CURLWS.CONT,
      CURLWS.TEXT,
    ]);
    expect(text.decode(joined(pieces))).toBe('one two three');
    conn.close();
  });

  it('sends a message in fragments, and a frame in parts (CURLWS_OFFSET)', async () => {
    const { conn, peer } = await connect();
    const fragmented = nextServerMessage(peer);
    await conn.send('frag', CURLWS.TEXT | CURLWS.CONT);
    await conn.send('mented', CURLWS.TEXT);
    expect((await fragmented).data.toString()).toBe('fragmented');

    const parts = nextServerMessage(peer);
    const whole = new Uint8Array(300_000).map((_, i) => (i * 7) & 255);
    await conn.send(whole.subarray(0, 1000), CURLWS.BINARY | CURLWS.OFFSET, whole.length);
    await conn.send(whole.subarray(1000), CURLWS.BINARY);
    const received = await parts;
    expect(received.binary).toBe(true);
    expect(digest(received.data)).toBe(digest(whole));
    conn.close();
  });

  it('resolves a 1 MiB send once curl took it all, with the exact bytes arriving', async () => {
    const { conn, peer } = await connect();
    const big = new Uint8Array(1 << 20).map((_, i) => (i * 31 + 7) & 255);
    const arrived = nextServerMessage(peer);
    const sent = conn.send(big);
    expect(conn.bufferedAmount).toBe(big.length);
    await sent;
    expect(conn.bufferedAmount).toBe(0);
    expect(digest((await arrived).data)).toBe(digest(big));
    conn.close();
  });
});

describe('control frames', () => {
  it("answers the server's pings, and keeps them from recv()", async () => {
    const { conn, peer } = await connect();
    const pong = new Promise<Buffer>((resolve) => peer.once('pong', resolve));
    peer.ping('are you there');
    peer.send('after the ping');
    const [frame] = await recvMessage(conn);
    expect(text.decode(frame!.data)).toBe('after the ping');
    expect((await pong).toString()).toBe('are you there');
    conn.close();
  });

  it('hands pings out with autoPong off, and sends our own', async () => {
    const { conn, peer } = await connect({ autoPong: false });
    const pongs: string[] = [];
    peer.on('pong', (data) => pongs.push(data.toString()));
    peer.ping('raw');
    const ping = await conn.recv();
    expect(ping).toMatchObject({ flags: CURLWS.PING });
    expect(text.decode(ping!.data)).toBe('raw');
    await conn.ping(new TextEncoder().encode('ours'));
    const answer = await conn.recv(); // ws answers pings by itself
    expect(answer).toMatchObject({ flags: CURLWS.PONG });
    expect(text.decode(answer!.data)).toBe('ours');
    expect(pongs).toEqual([]);
    conn.close();
  });

  it('sends a Close frame, gets the answer, then the end of the connection', async () => {
    const { conn, peer } = await connect();
    const serverSaw = new Promise<[number, string]>((resolve) =>
      peer.once('close', (code, reason) => resolve([code, reason.toString()])),
    );
    await conn.sendClose(4000, 'bye');
    const answer = await conn.recv();
    expect(answer).toMatchObject({ flags: CURLWS.CLOSE, bytesLeft: 0 });
    const payload = Buffer.concat([Buffer.from([0x0f, 0xa0]), Buffer.from('bye')]); // 4000
    expect(Buffer.from(answer!.data)).toEqual(payload);
    expect(await conn.recv()).toBeNull();
    expect(await serverSaw).toEqual([4000, 'bye']);
    conn.close();
  });
});

describe('lifetime', () => {
  it('ends pending and later recv() with null on close(), and refuses sends', async () => {
    const { conn } = await connect();
    const pending = conn.recv();
    conn.close();
    expect(await pending).toBeNull();
    expect(await conn.recv()).toBeNull();
    await expect(conn.send('late')).rejects.toBeInstanceOf(HandleClosedError);
    expect(conn.closed).toBe(true);
    conn.close(); // twice is fine
  });

  it('iterates frames until the server closes', async () => {
    const { conn, peer } = await connect();
    peer.send('a');
    peer.send('b');
    peer.close(1000);
    const seen: number[] = [];
    for await (const frame of conn) {
      seen.push(frame.flags);
      if (frame.flags & CURLWS.CLOSE) await conn.sendClose(1000);
    }
    expect(seen).toEqual([CURLWS.TEXT, CURLWS.TEXT, CURLWS.CLOSE]);
    conn.close();
  });

  it('gives the heap back after 50 connections', async () => {
    const connectOnce = async () => {
      const { conn } = await connect();
      await conn.send('x');
      await recvMessage(conn);
      conn.close();
    };
    await connectOnce();
    const before = curl.memory().inUseBytes;
    for (let i = 0; i < 50; i++) await connectOnce();
    expect(curl.memory().inUseBytes - before).toBeLessThan(64 << 10);
  });
});

describe('handshake checks', () => {
  const upgrade = (headers: string[]) =>
    [
      'HTTP/1.1 101 Switching Protocols',
      'Upgrade: websocket',
      'Connection: Upgrade',
      ...headers,
    ].join('\r\n') + '\r\n\r\n';

  async function refusal(
    reply: string,
    options?: Parameters<Curl['wsConnect']>[1],
  ): Promise<CurlError> {
    const raw = await rawServer([[reply, { wait: 50 }, 'close']]);
    try {
      const error = await curl.wsConnect(`ws://127.0.0.1:${raw.port}/`, options).catch((e) => e);
      expect(error).toBeInstanceOf(CurlError);
      return error as CurlError;
    } finally {
      await raw.close();
    }
  }

  it('refuses a 101 whose Sec-WebSocket-Accept does not match the key', async () => {
    const error = await refusal(upgrade(['Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=']));
    expect(error.code).toBe('CURLE_WEIRD_SERVER_REPLY');
    expect(error.message).toContain('Sec-WebSocket-Accept');
  });

  /** Answers the upgrade with the right Sec-WebSocket-Accept and `headers` as given. */
  async function upgradeServer(headers: (accept: string) => string[]) {
    return tcpServer((socket) =>
      socket.once('data', (request) => {
        const key = /sec-websocket-key: *(\S+)/i.exec(request.toString())![1]!;
        const guid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
        const accept = createHash('sha1')
          .update(key + guid)
          .digest('base64');
        const head = ['HTTP/1.1 101 Switching Protocols', ...headers(accept)];
        socket.write(head.join('\r\n') + '\r\n\r\n');
      }),
    );
  }

  it('accepts a correct 101 from a server of our own, and checks each header of it', async () => {
    const upgrade = 'Upgrade: websocket';
    const connection = 'Connection: Upgrade';
    const accepted = (a: string) => `Sec-WebSocket-Accept: ${a}`;
    const deflate = 'Sec-WebSocket-Extensions: permessage-deflate';
    const tokens = 'Connection: keep-alive, Upgrade';
    const cases: Array<[string, (accept: string) => string[], string | null]> = [
      ['correct', (a) => ['Upgrade: WebSocket', tokens, accepted(a)], null],
      ['no Upgrade', (a) => [connection, accepted(a)], 'Upgrade'],
      ['no Connection', (a) => [upgrade, accepted(a)], 'Connection'],
      ['an extension', (a) => [upgrade, connection, accepted(a), deflate], 'permessage-deflate'],
    ];
    for (const [name, headers, complaint] of cases) {
      const server = await upgradeServer(headers);
      const outcome = await curl.wsConnect(`ws://127.0.0.1:${server.port}/`).catch((e) => e);
      if (complaint === null) {
        expect(outcome, name).not.toBeInstanceOf(Error);
        (outcome as WsConnection).close();
      } else {
        expect(outcome, name).toMatchObject({ code: 'CURLE_WEIRD_SERVER_REPLY' });
        expect((outcome as Error).message, name).toContain(complaint);
      }
      await server.close();
    }
  });

  it('refuses a subprotocol that was not offered', async () => {
    const server = await wsServer({ handleProtocols: () => 'other' });
    const error = await curl.wsConnect(server.url, { protocols: ['mine'] }).catch((e) => e);
    expect(error).toMatchObject({ code: 'CURLE_WEIRD_SERVER_REPLY' });
    expect(error.message).toContain("'other'");
    await server.close();
  });

  it('rejects a refused upgrade with the HTTP status in the message', async () => {
    const error = await refusal('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    expect(error.code).toBe('CURLE_HTTP_RETURNED_ERROR');
    expect(error.message).toContain('403');
  });

  it('gives up the handshake when its signal aborts', async () => {
    const raw = await rawServer([['silence']]);
    const abort = new AbortController();
    const connecting = curl.wsConnect(`ws://127.0.0.1:${raw.port}/`, { signal: abort.signal });
    setTimeout(() => abort.abort(new Error('took too long')), 50);
    await expect(connecting).rejects.toThrow('took too long');
    await raw.close();
  });
});
