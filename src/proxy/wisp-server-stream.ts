// One Wisp stream on the proxy: the policy check, the connect, then a relay. Client DATA is
// held to the credit this side granted; CONTINUE grants more as the destination takes it.
import type { Socket } from 'node:net';
import { CLOSE_REASON } from '../net/wisp-reasons.js';
import { encodeClose, encodeContinue, encodeData } from '../net/wisp-packets.js';
import type { Settings } from './options.js';
import { logStream, Relay, type StreamRecord } from './relay.js';
import { checkTarget } from './target-policy.js';
import { connectUpstream, UpstreamError } from './upstream.js';

/** What a stream needs from its connection. */
export interface StreamOwner {
  readonly confirmsStreams: boolean;
  send(packet: Uint8Array): void;
  forget(id: number): void;
}

export class WispServerStream {
  #relay: Relay | null = null;
  #early: Uint8Array[] = [];
  #closed = false;
  readonly #started = performance.now();
  /** Packets received and not yet taken by the destination. */
  #pending = 0;
  /** The most packets the client may still send under the credit it was given. */
  #outstanding: number;
  #flushedSinceGrant = 0;

  constructor(
    readonly id: number,
    private readonly host: string,
    private readonly port: number,
    private readonly record: StreamRecord,
    private readonly owner: StreamOwner,
    private readonly settings: Settings,
  ) {
    this.#outstanding = settings.wispBuffer;
  }

  async open(): Promise<void> {
    const verdict = await checkTarget(this.host, this.port, this.settings.policy);
    if (this.#closed) return;
    if (!verdict.allowed) return this.#refuse(verdict.reason, `refused: ${verdict.why}`);
    try {
      const { socket, address } = await connectUpstream(
        verdict.addresses,
        this.port,
        this.settings.connectTimeout,
      );
      if (this.#closed) return void socket.destroy();
      this.#connected(socket, address);
    } catch (error) {
      const reason = error instanceof UpstreamError ? error.reason : CLOSE_REASON.NETWORK_ERROR;
      this.#refuse(reason, `connect failed: ${(error as Error).message}`);
    }
  }

  /** Client DATA: to the destination, or held until it is connected. */
  data(bytes: Uint8Array): void {
    if (this.#closed) return;
    if (--this.#outstanding < 0) {
      return this.fail(CLOSE_REASON.THROTTLED, 'the client sent more than its CONTINUE credit');
    }
    this.#pending++;
    if (this.#relay) this.#relay.write(bytes, this.#flushed);
    else this.#early.push(bytes);
  }

  pause(): void {
    this.#relay?.pause();
  }

  resume(): void {
    this.#relay?.resume();
  }

  /** The client closed the stream. */
  closedByClient(reason: number): void {
    this.#end(`closed by the client (reason 0x${reason.toString(16)})`);
  }

  /** The WebSocket went away under the stream. */
  lost(why: string): void {
    this.#end(why);
  }

  /** The proxy ends the stream and tells the client why. */
  fail(reason: number, why: string): void {
    if (this.#closed) return;
    if (this.#relay) this.#relay.close(why, reason);
    else this.#log(why, reason);
    this.#close(reason);
  }

  /** A clean end from this side (shutdown): CLOSE 0x02 to the client, FIN to the destination. */
  shutdown(why: string): void {
    if (this.#closed) return;
    this.#relay?.close(why, CLOSE_REASON.VOLUNTARY);
    if (!this.#relay) this.#log(why, CLOSE_REASON.VOLUNTARY);
    this.#close(CLOSE_REASON.VOLUNTARY);
  }

  #connected(socket: Socket, address: string): void {
    this.record.address = address;
    this.#relay = new Relay(
      socket,
      this.settings,
      {
        data: (bytes) => this.owner.send(encodeData(this.id, bytes)),
        ended: () => this.#close(CLOSE_REASON.VOLUNTARY),
        failed: (reason) => this.#close(reason),
      },
      this.record,
      this.#started,
    );
    if (this.owner.confirmsStreams) this.#grant();
    for (const bytes of this.#early) this.#relay.write(bytes, this.#flushed);
    this.#early = [];
  }

  #flushed = (): void => {
    this.#pending--;
    this.#flushedSinceGrant++;
    if (this.#flushedSinceGrant >= Math.max(1, this.settings.wispBuffer / 2)) this.#grant();
  };

  /** CONTINUE with the room left: the client replaces its credit with it. */
  #grant(): void {
    if (this.#closed) return;
    const credit = Math.max(0, this.settings.wispBuffer - this.#pending);
    this.#outstanding += credit;
    this.#flushedSinceGrant = 0;
    this.owner.send(encodeContinue(this.id, credit));
  }

  #refuse(reason: number, why: string): void {
    this.#log(why, reason);
    this.#close(reason);
  }

  #end(why: string): void {
    if (this.#closed) return;
    if (this.#relay) this.#relay.close(why);
    else this.#log(why);
    this.#closed = true;
    this.owner.forget(this.id);
  }

  #close(reason: number): void {
    if (this.#closed) return;
    this.#closed = true;
    this.owner.send(encodeClose(this.id, reason));
    this.owner.forget(this.id);
  }

  #log(why: string, reason?: number): void {
    logStream(this.settings, this.record, { up: 0, down: 0, started: this.#started }, why, reason);
  }
}
