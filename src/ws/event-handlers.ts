// The on* properties of an EventTarget (onopen, onmessage...): one handler per event type. As in
// browsers, the handler runs from a listener added when it was first set, so it keeps that place
// among the other listeners, and replacing it does not move it.

type Handler = (this: EventTarget, event: Event) => unknown;

export class EventHandlers {
  #target: EventTarget;
  #handlers = new Map<string, Handler | null>();

  constructor(target: EventTarget) {
    this.#target = target;
  }

  get(type: string): Handler | null {
    return this.#handlers.get(type) ?? null;
  }

  set(type: string, handler: unknown): void {
    if (!this.#handlers.has(type)) {
      const run = (event: Event) => this.#handlers.get(type)?.call(this.#target, event);
      this.#target.addEventListener(type, run);
    }
    this.#handlers.set(type, typeof handler === 'function' ? (handler as Handler) : null);
  }
}
