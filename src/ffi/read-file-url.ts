// Reading a file: URL with whatever the runtime offers, for the wasm that lies next to the
// module. Deno's and Bun's own calls come first: Deno checks them against --allow-read like
// any other, and neither needs a Node built-in to be loaded.

interface DenoFiles {
  readFile(url: URL): Promise<Uint8Array>;
}

interface BunFiles {
  file(url: URL): { arrayBuffer(): Promise<ArrayBuffer> };
}

export async function readFileUrl(url: URL): Promise<Uint8Array> {
  const g = globalThis as { Deno?: Partial<DenoFiles>; Bun?: Partial<BunFiles> };
  if (typeof g.Deno?.readFile === 'function') return g.Deno.readFile(url);
  if (typeof g.Bun?.file === 'function') return new Uint8Array(await g.Bun.file(url).arrayBuffer());

  // A computed specifier keeps browser bundlers from trying to resolve a Node built-in.
  const fsName = 'node:fs/promises';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
  return fs.readFile(url);
}
