// The bytes a socket has received and curl has not read yet: a list of chunks as the
// transport delivered them, read across chunk boundaries without copying them together.

export class ReceiveQueue {
  #chunks: Uint8Array[] = [];
  #offset = 0; // into the first chunk
  #size = 0;

  get size(): number {
    return this.#size;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#size += chunk.length;
  }

  /** Copies up to `into.length` bytes; consumes them unless `peek`. */
  read(into: Uint8Array, peek: boolean): number {
    let copied = 0;
    let index = 0;
    let offset = this.#offset;
    while (copied < into.length && index < this.#chunks.length) {
      const chunk = this.#chunks[index]!;
      const n = Math.min(chunk.length - offset, into.length - copied);
      into.set(chunk.subarray(offset, offset + n), copied);
      copied += n;
      offset += n;
      if (offset === chunk.length) {
        index++;
        offset = 0;
      }
    }
    if (!peek) this.#consume(index, offset, copied);
    return copied;
  }

  clear(): void {
    this.#chunks = [];
    this.#offset = 0;
    this.#size = 0;
  }

  #consume(fullChunks: number, offset: number, bytes: number): void {
    if (fullChunks > 0) this.#chunks.splice(0, fullChunks);
    this.#offset = offset;
    this.#size -= bytes;
  }
}
