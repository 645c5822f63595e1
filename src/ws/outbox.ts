// What WebSocket.send() queued, in order, before the connection takes it. Bytes known at once go
// straight through; a Blob's bytes arrive later, so it holds back everything queued after it.

interface Item {
  data: Uint8Array | Blob;
  deliver: (bytes: Uint8Array) => void;
}

export class Outbox {
  #tail: Promise<void> | null = null;
  #held = 0;
  #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** Bytes held back here, not yet given to the connection. */
  get held(): number {
    return this.#held;
  }

  post(data: Uint8Array | Blob, deliver: (bytes: Uint8Array) => void): void {
    if (!this.#tail && !(data instanceof Blob)) {
      deliver(data);
      return;
    }
    this.#hold({ data, deliver });
  }

  #hold(item: Item): void {
    const size = item.data instanceof Blob ? item.data.size : item.data.length;
    this.#held += size;
    const tail = (this.#tail ?? Promise.resolve()).then(async () => {
      const { data } = item;
      const bytes = data instanceof Blob ? new Uint8Array(await data.arrayBuffer()) : data;
      this.#held -= size;
      item.deliver(bytes);
    });
    this.#tail = tail;
    tail.then(
      () => {
        if (this.#tail === tail) this.#tail = null;
      },
      (error: unknown) => {
        if (this.#tail === tail) this.#tail = null;
        this.#onError(error);
      },
    );
  }
}
