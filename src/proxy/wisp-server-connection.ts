// One Wisp client on the proxy: the handshake (v2 with INFO, password authentication and
// stream-open confirmation when the client offered the v2 subprotocol; v1 otherwise), the
// streams, and the WebSocket's backpressure toward the client.
import type { WebSocket } from 'ws';
import { CLOSE_REASON } from '../net/wisp-reasons.js';
import {
  decodeClose,
  decodeConnect,
  decodeInfo,
  decodePacket,
  decodePassword,
  encodeClose,
  encodeContinue,
  encodeInfo,
  EXTENSION,
  PACKET,
  STREAM_TYPE,
  type Extension,
  type Packet,
} from '../net/wisp-packets.js';
import { passwordMatches } from './auth.js';
import type { Settings } from './options.js';
import { WispServerStream, type StreamOwner } from './wisp-server-stream.js';

/** A v2 client has this long to send its INFO; after it, it is taken for v1. */
const HANDSHAKE_MS = 5_000;
/** Above this much unsent to the client, destinations stop being read... */
const SEND_HIGH = 1 << 20;
/** ...until it is below this. */
const SEND_LOW = 256 << 10;

export interface WispClient {
  address: string;
  /** The client offered the 'wisp-v2' subprotocol. */
  offeredV2: boolean;
  /** It still has to authenticate with a Wisp v2 password. */
  needsPassword: boolean;
}

export class WispServerConnection implements StreamOwner {
  confirmsStreams = false;
  #version: 1 | 2 = 1;
  #user: string | undefined;
  #state: 'handshake' | 'ready' | 'closed' = 'handshake';
  #streams = new Map<number, WispServerStream>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #paused = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly client: WispClient,
    private readonly settings: Settings,
  ) {
    ws.on(
      'message',
      (data: Buffer, binary: boolean) => binary && this.#receive(new Uint8Array(data)),
    );
    ws.on('close', () => this.#closed());
    ws.on('error', () => {});
  }

  start(): void {
    if (!this.client.offeredV2) return this.#ready();
    const extensions: Extension[] = [
      { id: EXTENSION.STREAM_CONFIRMATION, data: new Uint8Array(0) },
    ];
    if (this.client.needsPassword)
      extensions.push({ id: EXTENSION.PASSWORD, data: Uint8Array.of(1) });
    this.ws.send(encodeInfo({ major: 2, minor: 0, extensions }));
    this.#timer = setTimeout(() => this.#handshakeTimedOut(), HANDSHAKE_MS);
  }

  send(packet: Uint8Array): void {
    if (this.#state === 'closed') return;
    this.ws.send(packet, () => this.#sent());
    if (!this.#paused && this.ws.bufferedAmount > SEND_HIGH) {
      this.#paused = true;
      for (const stream of this.#streams.values()) stream.pause();
    }
  }

  forget(id: number): void {
    this.#streams.delete(id);
  }

  /** Graceful end: every stream closed cleanly, then the WebSocket. */
  shutdown(): void {
    for (const stream of [...this.#streams.values()]) stream.shutdown('proxy shutting down');
    this.#state = 'closed';
    this.ws.close(1001, 'proxy shutting down');
  }

  #sent(): void {
    if (!this.#paused || this.ws.bufferedAmount > SEND_LOW) return;
    this.#paused = false;
    for (const stream of this.#streams.values()) stream.resume();
  }

  #receive(bytes: Uint8Array): void {
    const packet = decodePacket(bytes);
    if (!packet || this.#state === 'closed') return;
    if (this.#state === 'handshake') return this.#handshake(packet);
    this.#route(packet);
  }

  #handshake(packet: Packet): void {
    const info = packet.type === PACKET.INFO ? decodeInfo(packet.payload) : null;
    if (this.client.needsPassword && !this.#authenticate(info)) return;
    if (info) {
      this.#version = 2;
      this.confirmsStreams = info.extensions.some(
        (ext) => ext.id === EXTENSION.STREAM_CONFIRMATION,
      );
    }
    this.#ready();
    if (!info) this.#route(packet);
  }

  #authenticate(info: ReturnType<typeof decodeInfo>): boolean {
    const ext = info?.extensions.find((e) => e.id === EXTENSION.PASSWORD);
    const credentials = ext ? decodePassword(ext.data) : null;
    if (credentials && passwordMatches(this.settings.users, credentials)) {
      this.#user = credentials.username;
      return true;
    }
    const reason = credentials ? CLOSE_REASON.BAD_PASSWORD : CLOSE_REASON.MISSING_CREDENTIALS;
    this.#refuse(reason, credentials ? 'wrong username or password' : 'no password given');
    return false;
  }

  #ready(): void {
    clearTimeout(this.#timer);
    this.#state = 'ready';
    this.ws.send(encodeContinue(0, this.settings.wispBuffer));
  }

  #handshakeTimedOut(): void {
    if (this.#state !== 'handshake') return;
    if (this.client.needsPassword)
      this.#refuse(CLOSE_REASON.MISSING_CREDENTIALS, 'no INFO within 5 s');
    else this.#ready();
  }

  #route(packet: Packet): void {
    if (packet.stream === 0) return;
    const stream = this.#streams.get(packet.stream);
    if (packet.type === PACKET.CONNECT && !stream) return this.#connect(packet);
    if (!stream) return;
    if (packet.type === PACKET.DATA) stream.data(packet.payload);
    if (packet.type === PACKET.CLOSE) stream.closedByClient(decodeClose(packet.payload));
  }

  #connect(packet: Packet): void {
    const request = decodeConnect(packet.payload);
    const target = request ? `${request.host}:${request.port}` : '(malformed CONNECT)';
    const stream = new WispServerStream(
      packet.stream,
      request?.host ?? '',
      request?.port ?? 0,
      {
        client: this.client.address,
        ...(this.#user === undefined ? {} : { user: this.#user }),
        protocol: this.#version === 2 ? 'wisp-v2' : 'wisp-v1',
        stream: packet.stream,
        target,
      },
      this,
      this.settings,
    );
    this.#streams.set(packet.stream, stream);

    if (!request) return stream.fail(CLOSE_REASON.INVALID, 'refused: malformed CONNECT');
    if (request.streamType !== STREAM_TYPE.TCP)
      return stream.fail(CLOSE_REASON.INVALID, 'refused: only TCP streams');
    if (this.#streams.size > this.settings.maxStreamsPerConnection) {
      const limit = this.settings.maxStreamsPerConnection;
      return stream.fail(
        CLOSE_REASON.THROTTLED,
        `refused: over ${limit} streams on one connection`,
      );
    }
    void stream.open();
  }

  #refuse(reason: number, why: string): void {
    this.settings.log({
      kind: 'connection',
      time: new Date().toISOString(),
      client: this.client.address,
      path: 'wisp',
      refused: why,
    });
    this.ws.send(encodeClose(0, reason));
    this.#state = 'closed';
    this.ws.close(1008, why);
  }

  #closed(): void {
    clearTimeout(this.#timer);
    this.#state = 'closed';
    for (const stream of [...this.#streams.values()]) stream.lost("the client's WebSocket closed");
  }
}
