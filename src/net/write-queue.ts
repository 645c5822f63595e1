// Bytes a transport accepted but the network has not taken yet, for runtimes whose sockets
// write only part of what they are given (Bun) or one write at a time (Deno). Its size is
// the connection's bufferedAmount, which the socket table compares with its high-water mark.

export class WriteQueue {
  #chunks: Uint8Array[] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#chunks.push(bytes);
    this.#size += bytes.length;
  }

  /** The bytes to write next, or undefined when empty. */
  peek(): Uint8Array | undefined {
    return this.#chunks[0];
  }

  /** Drops the first `n` bytes of the chunk peek() gave, once the network took them. */
  consume(n: number): void {
    const first = this.#chunks[0];
    if (!first || n <= 0) return;
    if (n >= first.length) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(n);
    this.#size -= Math.min(n, first.length);
  }

  clear(): void {
    this.#chunks = [];
    this.#size = 0;
  }
}
