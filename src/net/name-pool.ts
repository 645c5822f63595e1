// Synthetic addresses for host names. libcurl resolves names with getaddrinfo inside wasm,
// where nothing may block; instead each name gets an address from a pool that can never be
// a real destination, and connect() turns the address back into the name, so the transport
// (or the proxy behind it) does the resolving.
//
// IPv4 pool: 0.0.0.0/8 (0.0.0.0 itself excluded), about 16 million names.
// IPv6 pool: the discard prefix 100::/64, with the name's index in the low 32 bits.
import type { SocketAddress } from '../ffi/module.js';

const V4_LIMIT = 0xffffff;

export class NamePool {
  #indexOf = new Map<string, number>();
  #names: string[] = [''];

  /** The synthetic address for `name`; family 0 (either) picks IPv4. */
  addressFor(name: string, family: 0 | 4 | 6): SocketAddress | null {
    const index = this.#index(name);
    if (index === null) return null;
    if (family === 6) return { family: 6, port: 0, bytes: v6Bytes(index) };
    return { family: 4, port: 0, bytes: v4Bytes(index) };
  }

  /** The name behind a synthetic address, or null for a real one. */
  nameOf(address: SocketAddress): string | null {
    const index = address.family === 4 ? v4Index(address.bytes) : v6Index(address.bytes);
    if (index === null) return null;
    return this.#names[index] ?? null;
  }

  get size(): number {
    return this.#names.length - 1;
  }

  #index(name: string): number | null {
    const key = name.toLowerCase();
    const known = this.#indexOf.get(key);
    if (known !== undefined) return known;
    if (this.#names.length > V4_LIMIT) return null;
    const index = this.#names.length;
    this.#names.push(key);
    this.#indexOf.set(key, index);
    return index;
  }
}

function v4Bytes(index: number): Uint8Array {
  return Uint8Array.of(0, (index >> 16) & 255, (index >> 8) & 255, index & 255);
}

function v4Index(bytes: Uint8Array): number | null {
  if (bytes[0] !== 0) return null;
  const index = (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!;
  return index === 0 ? null : index;
}

function v6Bytes(index: number): Uint8Array {
  const bytes = new Uint8Array(16);
  bytes[0] = 0x01;
  new DataView(bytes.buffer).setUint32(12, index);
  return bytes;
}

function v6Index(bytes: Uint8Array): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  if (view.getUint16(0) !== 0x0100) return null;
  for (let i = 2; i < 12; i++) if (bytes[i] !== 0) return null;
  const index = view.getUint32(12);
  return index === 0 ? null : index;
}

/** The text form of a real address, as a transport wants it. */
export function formatAddress(address: SocketAddress): string {
  if (address.family === 4) return Array.from(address.bytes).join('.');
  const groups: string[] = [];
  const view = new DataView(address.bytes.buffer, address.bytes.byteOffset, 16);
  for (let i = 0; i < 16; i += 2) groups.push(view.getUint16(i).toString(16));
  return compressV6(groups);
}

// RFC 5952: the longest run of two or more zero groups becomes '::'.
function compressV6(groups: string[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < groups.length;) {
    let j = i;
    while (j < groups.length && groups[j] === '0') j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  if (bestStart < 0) return groups.join(':');
  const head = groups.slice(0, bestStart).join(':');
  const tail = groups.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}
