// The events a WebSocket fires. The runtime's own MessageEvent and CloseEvent are used where it
// has them (browsers, Deno, Bun; Node has no CloseEvent before 23), so instanceof works there.
import type { CurlError } from '../curl/errors.js';

export interface CloseEventInit extends EventInit {
  code?: number;
  reason?: string;
  wasClean?: boolean;
}

/** CloseEvent for runtimes that lack it. */
class CloseEventShim extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;

  constructor(type: string, init: CloseEventInit = {}) {
    super(type, init);
    this.code = init.code ?? 0;
    this.reason = init.reason ?? '';
    this.wasClean = init.wasClean ?? false;
  }
}

/** MessageEvent for runtimes that lack it: the fields a WebSocket sets. */
class MessageEventShim<T> extends Event {
  readonly data: T;
  readonly origin: string;
  readonly lastEventId = '';
  readonly source = null;
  readonly ports: readonly MessagePort[] = [];

  constructor(type: string, init: MessageEventInit<T> = {}) {
    super(type, init);
    this.data = init.data as T;
    this.origin = init.origin ?? '';
  }
}

type CloseEventClass = new (type: string, init?: CloseEventInit) => CloseEvent;
type MessageEventClass = new <T>(type: string, init?: MessageEventInit<T>) => MessageEvent<T>;
const runtime = globalThis as { CloseEvent?: CloseEventClass; MessageEvent?: MessageEventClass };

export const CloseEventImpl: CloseEventClass =
  runtime.CloseEvent ?? (CloseEventShim as unknown as CloseEventClass);
export const MessageEventImpl: MessageEventClass =
  runtime.MessageEvent ?? (MessageEventShim as unknown as MessageEventClass);

/** The `error` event: a plain Event as browsers fire it, with curl's error to look at. */
export class WebSocketErrorEvent extends Event {
  readonly error: CurlError;
  readonly message: string;

  constructor(error: CurlError) {
    super('error');
    this.error = error;
    this.message = error.message;
  }
}
