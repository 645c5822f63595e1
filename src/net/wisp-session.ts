// One WebSocket to a Wisp proxy and the streams multiplexed over it: the handshake (v2's INFO
// exchange with extension negotiation when the server offers it, v1 otherwise), the routing of
// packets to streams, and the WebSocket's own backpressure.
import { DrainWatch } from './socket-drain.js';
import { closeReasonError } from './wisp-reasons.js';
import {
  decodeClose,
  decodeContinue,
  decodeInfo,
  decodePacket,
  encodeInfo,
  encodePassword,
  EXTENSION,
  PACKET,
  V2_SUBPROTOCOL,
  type Credentials,
  type Extension,
  type Packet,
} from './wisp-packets.js';
import { WispStream, type StreamHost } from './wisp-stream.js';
import {
  describeClose,
  errorText,
  messageBytes,
  type WebSocketConstructor,
  type WebSocketLike,
} from './websocket-like.js';
import { TransportError, type ConnectionEvents, type TransportTarget } from './transport.js';

export interface SessionSettings {
  url: string;
  WebSocket: WebSocketConstructor;
  version: 1 | 2 | 'auto';
  credentials: Credentials | undefined;
  openTimeout: number;
  connectTimeout: number;
  infoWait: number;
  highWaterMark: number;
  maxHeldBytes: number;
}

type State = 'connecting' | 'ready' | 'closed';

const MAX_STREAM_ID = 0xffffffff;

export class WispSession implements StreamHost {
  version: 1 | 2 = 1;
  confirmsStreams = false;
  readonly via: string;
  readonly connectTimeout: number;
  #state: State = 'connecting';
  #socket!: WebSocketLike;
  #drain!: DrainWatch;
  #opened = false;
  #offeredV2 = false;
  #info: ReturnType<typeof decodeInfo> = null;
  #initialCredit: number | null = null;
  #streams = new Map<number, WispStream>();
  #nextId = 1;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #infoTimer: ReturnType<typeof setTimeout> | undefined;
  #held = 0;
  #peakHeld = 0;
  #socketPaused = false;

  constructor(
    private readonly settings: SessionSettings,
    private readonly onGone: (session: WispSession) => void,
  ) {
    this.via = `wisp ${settings.url}`;
    this.connectTimeout = settings.connectTimeout;
    this.#connect(settings.version !== 1);
    const ms = settings.openTimeout;
    this.#timer = setTimeout(() => this.#handshakeTimedOut(ms), ms);
  }

  get closed(): boolean {
    return this.#state === 'closed';
  }

  get congested(): boolean {
    return this.#drain.congested;
  }

  get stats() {
    return {
      state: this.#state,
      version: this.version,
      streams: this.#streams.size,
      heldBytes: this.#held,
      peakHeldBytes: this.#peakHeld,
      socketPaused: this.#socketPaused,
    };
  }

  openStream(target: TransportTarget, events: ConnectionEvents): WispStream {
    const stream = new WispStream(this.#newId(), target, events, this);
    this.#streams.set(stream.id, stream);
    if (this.#state === 'ready') stream.start(this.#initialCredit!);
    return stream;
  }

  send(packet: Uint8Array): void {
    if (this.#state !== 'closed') this.#drain.send(packet);
  }

  forget(stream: WispStream): void {
    if (this.#streams.get(stream.id) === stream) this.#streams.delete(stream.id);
  }

  /**
   * Bytes held for paused streams. Past the limit the WebSocket stops reading, where the
   * implementation can (`ws`): that stalls every stream on it, but memory stays bounded.
   */
  noteHeld(delta: number): void {
    this.#held += delta;
    this.#peakHeld = Math.max(this.#peakHeld, this.#held);
    const limit = this.settings.maxHeldBytes;
    if (!this.#socketPaused && this.#held > limit && this.#socket.pause) {
      this.#socketPaused = true;
      this.#socket.pause();
    } else if (this.#socketPaused && this.#held <= limit / 2) {
      this.#socketPaused = false;
      this.#socket.resume?.();
    }
  }

  close(): void {
    this.#fail((stream) => stream.lostError('the Wisp transport was closed'));
  }

  // --- the WebSocket -------------------------------------------------------------------

  #connect(offerV2: boolean): void {
    this.#offeredV2 = offerV2;
    const socket = new this.settings.WebSocket(this.settings.url, offerV2 ? [V2_SUBPROTOCOL] : []);
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    this.#drain = new DrainWatch(socket, this.settings.highWaterMark, () => this.#flushAll());
    let lastError: unknown;
    socket.addEventListener('open', () => (this.#opened = true));
    socket.addEventListener('message', (event: { data: unknown }) => this.#receive(event.data));
    socket.addEventListener('error', (event: { error?: unknown; message?: string }) => {
      lastError = event.error ?? event.message;
    });
    socket.addEventListener('close', (event: { code?: number; reason?: string }) => {
      if (socket === this.#socket) this.#socketClosed(event, lastError);
    });
  }

  #socketClosed(event: { code?: number; reason?: string }, lastError: unknown): void {
    if (this.#state === 'closed') return;
    // A server that will not take the v2 subprotocol fails the upgrade: try once as v1.
    if (!this.#opened && this.#offeredV2 && this.settings.version === 'auto') {
      return this.#connect(false);
    }
    const said = errorText(lastError);
    const how = `close ${describeClose(event)}${said ? `, ${said}` : ''}`;
    const what = this.#opened
      ? `lost the WebSocket to the Wisp proxy (${how})`
      : `could not open a WebSocket to the Wisp proxy (${how})`;
    const cause = lastError;
    this.#fail((stream) => withCause(stream.lostError(what), cause));
  }

  #receive(data: unknown): void {
    const bytes = messageBytes(data);
    const packet = bytes && decodePacket(bytes);
    if (!packet || this.#state === 'closed') return;
    if (packet.stream === 0) return this.#control(packet);

    const stream = this.#streams.get(packet.stream);
    if (!stream) return;
    if (packet.type === PACKET.DATA) stream.onData(packet.payload);
    else if (packet.type === PACKET.CONTINUE)
      stream.onContinue(decodeContinue(packet.payload) ?? 0);
    else if (packet.type === PACKET.CLOSE) stream.onClose(decodeClose(packet.payload));
  }

  // --- the handshake -------------------------------------------------------------------

  #control(packet: Packet): void {
    if (packet.type === PACKET.CLOSE) return this.#closedByProxy(decodeClose(packet.payload));
    if (this.#state !== 'connecting') return;
    if (packet.type === PACKET.INFO) this.#serverInfo(packet.payload);
    if (packet.type === PACKET.CONTINUE) this.#initialContinue(decodeContinue(packet.payload));
  }

  /** v2: answer the server's INFO with ours, naming the extensions both sides use. */
  #serverInfo(payload: Uint8Array): void {
    if (this.settings.version === 1 || this.#info) return;
    const info = decodeInfo(payload);
    if (!info) return this.#protocolError('the Wisp proxy sent a malformed INFO packet');
    if (info.major < 2) return;

    const offered = new Set(info.extensions.map((ext) => ext.id));
    const ours: Extension[] = [];
    if (offered.has(EXTENSION.PASSWORD)) {
      if (!this.settings.credentials) return this.#needsPassword();
      ours.push({ id: EXTENSION.PASSWORD, data: encodePassword(this.settings.credentials) });
    }
    if (offered.has(EXTENSION.STREAM_CONFIRMATION)) {
      ours.push({ id: EXTENSION.STREAM_CONFIRMATION, data: new Uint8Array(0) });
      this.confirmsStreams = true;
    }
    this.#info = info;
    this.version = 2;
    this.#drain.send(encodeInfo({ major: 2, minor: 0, extensions: ours }));
    if (this.#initialCredit !== null) this.#ready();
  }

  /**
   * The first CONTINUE carries every stream's starting credit. A v2 server may send it before
   * or after its INFO, so without INFO yet the session waits a moment before settling on v1.
   */
  #initialContinue(credit: number | null): void {
    if (credit === null) return this.#protocolError('the Wisp proxy sent a malformed CONTINUE');
    this.#initialCredit = credit;
    if (this.#info || this.settings.version === 1) return this.#ready();
    this.#infoTimer ??= setTimeout(() => this.#ready(), this.settings.infoWait);
  }

  #ready(): void {
    if (this.#state !== 'connecting') return;
    clearTimeout(this.#timer);
    clearTimeout(this.#infoTimer);
    this.#state = 'ready';
    for (const stream of [...this.#streams.values()]) stream.start(this.#initialCredit!);
  }

  #needsPassword(): void {
    const error = new TransportError(
      'EACCES',
      `the Wisp proxy requires a password; pass wispTransport({ password }) (${this.via})`,
      { connectFailure: true },
    );
    this.#fail(() => error);
  }

  #closedByProxy(reason: number): void {
    this.#fail((stream) =>
      closeReasonError(reason, {
        target: stream.target,
        via: `${this.via} (connection closed)`,
        unconfirmed: this.#state !== 'ready',
      }),
    );
  }

  #protocolError(message: string): void {
    const error = new TransportError('EPROTO', `${message} (${this.via})`, {
      connectFailure: true,
    });
    this.#fail(() => error);
  }

  #handshakeTimedOut(ms: number): void {
    if (this.#state !== 'connecting') return;
    const what = this.#opened
      ? `the Wisp proxy did not complete its handshake within ${ms} ms`
      : `the WebSocket to the Wisp proxy did not open within ${ms} ms`;
    this.#fail((stream) => {
      const error = stream.lostError(what);
      return new TransportError('ETIMEDOUT', error.message, { connectFailure: true });
    });
  }

  // --- streams -------------------------------------------------------------------------

  #flushAll(): void {
    for (const stream of this.#streams.values()) {
      if (this.congested) return;
      stream.flush();
    }
  }

  #newId(): number {
    for (;;) {
      const id = this.#nextId;
      this.#nextId = id >= MAX_STREAM_ID ? 1 : id + 1;
      if (!this.#streams.has(id)) return id;
    }
  }

  /** Ends the session: every stream fails with the error `errorFor` makes for it. */
  #fail(errorFor: (stream: WispStream) => TransportError): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#timer);
    clearTimeout(this.#infoTimer);
    this.#drain.stop();
    this.#socket.close(1000);
    this.onGone(this);
    for (const stream of [...this.#streams.values()]) stream.fail(errorFor(stream));
  }
}

function withCause(error: TransportError, cause: unknown): TransportError {
  if (cause === undefined) return error;
  return new TransportError(error.code, error.message, {
    cause,
    connectFailure: error.connectFailure,
  });
}
