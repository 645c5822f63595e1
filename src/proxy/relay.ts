// The proxy's side of one stream once its destination answered: bytes both ways, counted,
// with the idle and byte limits, and one log entry when it ends.
import type net from 'node:net';
import { CLOSE_REASON } from '../net/wisp-reasons.js';
import type { Settings } from './options.js';
import type { StreamLogEntry } from './stream-log.js';

/** Where the relay sends what the destination says. */
export interface RelaySink {
  data(bytes: Buffer): void;
  /** The destination finished sending. */
  ended(): void;
  /** The relay stopped: idle, over its byte limit, or the destination failed. */
  failed(reason: number, why: string): void;
}

export type StreamRecord = Omit<
  StreamLogEntry,
  'kind' | 'time' | 'up' | 'down' | 'ms' | 'closed' | 'reason'
>;

export function logStream(
  settings: Settings,
  record: StreamRecord,
  counts: { up: number; down: number; started: number },
  closed: string,
  reason?: number,
): void {
  settings.log({
    kind: 'stream',
    time: new Date().toISOString(),
    ...record,
    up: counts.up,
    down: counts.down,
    ms: Math.round(performance.now() - counts.started),
    closed,
    ...(reason === undefined ? {} : { reason }),
  });
}

export class Relay {
  up = 0;
  down = 0;
  #done = false;
  #idle: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly socket: net.Socket,
    private readonly settings: Settings,
    private readonly sink: RelaySink,
    private readonly record: StreamRecord,
    private readonly started: number,
  ) {
    socket.on('data', (bytes: Buffer) => this.#fromDestination(bytes));
    socket.on('end', () => this.#destinationEnded());
    socket.on('error', (error) =>
      this.#stop(CLOSE_REASON.NETWORK_ERROR, `destination error: ${error.message}`),
    );
    socket.on('close', () => this.#destinationClosed());
    this.#touch();
  }

  /** Client bytes to the destination; `flushed` runs once the kernel took them. */
  write(bytes: Uint8Array, flushed: () => void): void {
    if (this.#done) return;
    this.up += bytes.length;
    this.#touch();
    if (this.#overLimit()) return;
    this.socket.write(bytes, () => flushed());
  }

  /** Client bytes written but not yet taken by the kernel. */
  get unflushed(): number {
    return this.socket.writableLength;
  }

  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    if (!this.#done) this.socket.resume();
  }

  /** The client ended the stream (or the proxy shut down): finish writing, then close. */
  close(why: string, reason?: number): void {
    if (this.#finish(why, reason)) this.socket.end();
  }

  #fromDestination(bytes: Buffer): void {
    if (this.#done) return;
    this.down += bytes.length;
    this.#touch();
    if (!this.#overLimit()) this.sink.data(bytes);
  }

  #destinationEnded(): void {
    if (this.#finish('closed by the destination')) this.sink.ended();
    this.socket.end();
  }

  #destinationClosed(): void {
    if (this.#finish('closed by the destination')) this.sink.ended();
  }

  #overLimit(): boolean {
    if (this.up + this.down <= this.settings.maxStreamBytes) return false;
    this.#stop(CLOSE_REASON.THROTTLED, `over the byte limit of ${this.settings.maxStreamBytes}`);
    return true;
  }

  #touch(): void {
    clearTimeout(this.#idle);
    const ms = this.settings.idleTimeout;
    this.#idle = setTimeout(
      () => this.#stop(CLOSE_REASON.TRANSFER_TIMEOUT, `idle for ${ms} ms`),
      ms,
    );
  }

  #stop(reason: number, why: string): void {
    if (!this.#finish(why, reason)) return;
    this.socket.destroy();
    this.sink.failed(reason, why);
  }

  /** Logs the end once; false when it had already ended. */
  #finish(why: string, reason?: number): boolean {
    if (this.#done) return false;
    this.#done = true;
    clearTimeout(this.#idle);
    logStream(
      this.settings,
      this.record,
      { up: this.up, down: this.down, started: this.started },
      why,
      reason,
    );
    return true;
  }
}
