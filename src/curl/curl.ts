// Curl: one wasm instance with its socket table, and the handles made in it. The public
// loadCurl() (src/client.ts) adds the higher layers on top.
import { readCString } from '../ffi/heap.js';
import { instantiate, type WasmSource } from '../ffi/load.js';
import { defaultTransport } from '../net/default-transport.js';
import { SocketTable } from '../net/socket-table.js';
import type { Transport } from '../net/transport.js';
import { EventDriver } from './event-driver.js';
import { Easy } from './easy.js';
import { HandleClosedError } from './errors.js';
import { Multi, type FdSet } from './multi.js';
import { Runtime } from './runtime.js';
import { select } from './select.js';
import { Share } from './share.js';
import { CurlUrl } from './url.js';

export interface LoadOptions {
  /** Where connections go. Defaults to direct TCP where the runtime has it. */
  transport?: Transport;
  /** The wasm, if not the file next to the module (compiled, bytes or a URL). */
  wasm?: WasmSource;
}

/** curl_version_info, as the build reports it. */
export interface VersionInfo {
  version: string;
  versionNum: number;
  host: string;
  ssl: string;
  libz: string;
  brotli: string;
  zstd: string;
  nghttp2: string;
  /** The CURL_VERSION_* bitmask. */
  features: number;
  protocols: string[];
  /** Feature names as curl spells them: 'HTTP2', 'SSL', 'libz', 'brotli', 'zstd', 'IPv6'... */
  featureNames: string[];
}

export class Curl {
  #runtime: Runtime;
  #driver: EventDriver | undefined;
  #version: VersionInfo | undefined;
  #closed = false;

  /** @internal Use loadCurl(). */
  constructor(runtime: Runtime) {
    this.#runtime = runtime;
  }

  /** The socket table. Its transport is the one given to loadCurl, for as long as it lives. */
  get sockets(): SocketTable {
    return this.#runtime.sockets;
  }

  version(): VersionInfo {
    if (this.#version) return this.#version;
    const module = this.#runtime.module;
    const ptr = module._cw_version_json();
    try {
      this.#version = JSON.parse(readCString(module, ptr) ?? '{}') as VersionInfo;
    } finally {
      module._free(ptr);
    }
    return this.#version;
  }

  easy(): Easy {
    // async, so that perform() after close() rejects rather than throws.
    return new Easy(this.#runtime, async (easy, signal) => this.driver().perform(easy, signal));
  }

  /** @internal A driver on a multi of its own: each session has one. */
  createDriver(): EventDriver {
    return new EventDriver(new Multi(this.#runtime), this.#runtime.sockets);
  }

  /** @internal An easy whose perform() runs on `driver`. */
  easyOn(driver: EventDriver): Easy {
    return new Easy(this.#runtime, (easy) => driver.perform(easy));
  }

  multi(): Multi {
    return new Multi(this.#runtime);
  }

  /** curl_share_init: a share handle for easy handles' CURLOPT_SHARE. */
  share(): Share {
    return new Share(this.#runtime);
  }

  /** curl_url: a URL handle, holding `text` when given (a CurlUrlError when curl refuses it). */
  url(text?: string): CurlUrl {
    const url = new CurlUrl(this.#runtime);
    if (text === undefined) return url;
    try {
      return url.set('URL', text);
    } catch (error) {
      url.close();
      throw error;
    }
  }

  /**
   * Resolves when a socket of `fdset` is ready, or with 0 once `timeoutMs` has passed or a
   * paused transfer was resumed from outside curl (`easy.pause()`, or a streamed mime part
   * that got data).
   */
  select(fdset: FdSet, timeoutMs: number): Promise<number> {
    return select(this.#runtime.sockets, fdset, timeoutMs, this.#runtime.wakeSignal);
  }

  /** The wasm memory's size, and how much of it malloc has handed out. */
  memory(): { heapBytes: number; inUseBytes: number } {
    const module = this.#runtime.module;
    return { heapBytes: module.HEAPU8.length, inUseBytes: module._cw_heap_in_use() >>> 0 };
  }

  /** The CA certificates every handle trusts by default (Mozilla's, from Debian), as PEM. */
  caBundle(): string {
    const module = this.#runtime.module;
    const ptr = module._cw_ca_bundle_data();
    const size = module._cw_ca_bundle_size();
    return new TextDecoder().decode(module.HEAPU8.subarray(ptr, ptr + size));
  }

  /** @internal The event-driven driver behind easy.perform(), on one shared multi. */
  driver(): EventDriver {
    if (this.#closed) throw new HandleClosedError('curl');
    this.#driver ??= this.createDriver();
    return this.#driver;
  }

  /**
   * Closes the connections that easy.perform() and fetch() keep for reuse, failing any
   * transfer still running on them. An open connection keeps a script's event loop alive,
   * so a script calls this when it is done. Later performs and fetches fail; handles made
   * by multi(), share() and url() are their owner's to close.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#driver?.closeAll(new HandleClosedError('curl'));
    this.#driver?.multi.close();
    this.#driver = undefined;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** A fresh wasm instance with its socket table: what a Curl (or a subclass) is made of. */
export async function createRuntime(options: LoadOptions = {}): Promise<Runtime> {
  const transport = options.transport ?? (await defaultTransport());
  const runtime = new Runtime(new SocketTable(transport));
  runtime.module = await instantiate(runtime.sockets, runtime.hooks(), options.wasm);
  return runtime;
}
