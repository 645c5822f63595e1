// Locating, compiling and instantiating the wasm on each runtime. The compiled
// WebAssembly.Module is kept, so further instances cost only instantiation.
import { createCurlModule, wasmUrl } from '#wasm';
import type { CallbackHooks, CurlModule, SocketHost } from './module.js';
import { readFileUrl } from './read-file-url.js';

/** Where the wasm comes from: compiled already, its bytes, or its URL. */
export type WasmSource = WebAssembly.Module | ArrayBuffer | Uint8Array | URL | string;

let defaultModule: Promise<WebAssembly.Module> | undefined;

// The single-file build inlines the wasm as a data: URL. Decoding it here, rather than with
// fetch(), keeps it working under a Content Security Policy whose connect-src omits data:.
function decodeDataUrl(url: URL): Uint8Array {
  const text = url.href;
  const comma = text.indexOf(',');
  const payload = decodeURIComponent(text.slice(comma + 1));
  if (!/;base64$/.test(text.slice(0, comma))) return new TextEncoder().encode(payload);
  const binary = atob(payload);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function compileFrom(source: WasmSource): Promise<WebAssembly.Module> {
  if (source instanceof WebAssembly.Module) return source;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.compile(source as BufferSource);
  }
  const url = new URL(source, wasmUrl);
  if (url.protocol === 'data:') return WebAssembly.compile(decodeDataUrl(url) as BufferSource);
  if (url.protocol === 'file:')
    return WebAssembly.compile((await readFileUrl(url)) as BufferSource);

  const response = await fetch(url);
  if (!response.ok) throw new Error(`libcurl-wasm: fetching ${url} gave HTTP ${response.status}`);
  const streaming = response.headers.get('content-type')?.startsWith('application/wasm');
  if (streaming) return WebAssembly.compileStreaming(response);
  return WebAssembly.compile(await response.arrayBuffer());
}

export function compileWasm(source?: WasmSource): Promise<WebAssembly.Module> {
  if (source !== undefined) return compileFrom(source);
  defaultModule ??= compileFrom(wasmUrl);
  return defaultModule;
}

/** A fresh module instance whose socket calls go to `sockets` and callbacks to `hooks`. */
export async function instantiate(
  sockets: SocketHost,
  hooks: CallbackHooks,
  source?: WasmSource,
): Promise<CurlModule> {
  const compiled = await compileWasm(source);
  const moduleArg = {
    sockets,
    hooks,
    instantiateWasm(
      imports: WebAssembly.Imports,
      done: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
    ) {
      WebAssembly.instantiate(compiled, imports).then((instance) => done(instance, compiled));
      return {};
    },
    print: () => {},
    printErr: () => {},
  };
  return (await createCurlModule(moduleArg)) as CurlModule;
}
