// Bytes that arrived while the socket table had paused a stream. A WebSocket cannot be told
// to stop sending on one stream, so what comes in meanwhile waits here, in order.

export class HeldChunks {
  #chunks: Uint8Array[] = [];
  #bytes = 0;

  get bytes(): number {
    return this.#bytes;
  }

  push(chunk: Uint8Array): void {
    this.#chunks.push(chunk);
    this.#bytes += chunk.length;
  }

  /** Hands chunks to `deliver` in order while `more()` says the reader still wants them. */
  release(deliver: (chunk: Uint8Array) => void, more: () => boolean): void {
    while (this.#chunks.length > 0 && more()) {
      const chunk = this.#chunks.shift()!;
      this.#bytes -= chunk.length;
      deliver(chunk);
    }
  }

  clear(): void {
    this.#chunks = [];
    this.#bytes = 0;
  }
}
