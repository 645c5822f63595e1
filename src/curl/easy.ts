// Easy: one transfer's handle, with curl's options, infos and callbacks.
import {
  copyBytes,
  readCString,
  readI32,
  readPtr,
  readSlist,
  withCString,
  withScratch,
} from '../ffi/heap.js';
import type { CurlModule, Ptr } from '../ffi/module.js';
import {
  findHeader,
  listHeaders,
  type HeaderEntry,
  type HeaderQuery,
  type HeadersQuery,
} from './easy-headers.js';
import { allocAlpn, negotiatedAlpn } from './easy-alpn.js';
import { connectFailureError } from './connect-failure.js';
import { infoName, readInfo } from './easy-infos.js';
import {
  buildSlist,
  FIXED_CALLBACKS,
  optionName,
  ROUTED_CALLBACKS,
  setCopiedOption,
} from './easy-options.js';
import { wsRecv, wsSend, type WsFrame } from './easy-ws.js';
import { CurlError, CurlOptionError, HandleClosedError, HandleInUseError } from './errors.js';
import { CURLE } from './generated/codes.js';
import { CURLINFO } from './generated/infos.js';
import { CURLOPT, CURLOPT_KIND } from './generated/options.js';
import {
  CURL_READFUNC_PAUSE,
  CURL_WRITEFUNC_PAUSE,
  CURLPAUSE_ALL,
  CURLPAUSE_RECV,
  CURLPAUSE_SEND,
} from './flags.js';
import type {
  CallbackOptions,
  InfoName,
  InfoValue,
  OptionName,
  OptionValue,
} from './option-types.js';
import { Mime, type MimeUser } from './mime.js';
import type { EasyTarget, Runtime } from './runtime.js';
import { Share } from './share.js';

const CURL_ERROR_SIZE = 256;
const READFUNC_ABORT = 0x10000000;
const SEEKFUNC_FAIL = 1;

type Handlers = { -readonly [K in keyof CallbackOptions]?: NonNullable<CallbackOptions[K]> };

/** Something that drives an easy to completion: the runtime gives each Easy one. */
export type Performer = (easy: Easy, signal?: AbortSignal) => Promise<void>;

/** The multi driving an easy, as the easy sees it. */
export interface EasyOwner {
  /** Makes a pending poll() return, so that an unpaused transfer moves on. */
  wakeup(): void;
  remove(easy: Easy): void;
  /** The library's own multi (behind perform()) lets go of a handle that is closed. */
  readonly releasesOnClose: boolean;
  onRelease?: ((easy: Easy) => void) | undefined;
  /** A curl call of the owner is running: its callbacks may be on the stack. */
  readonly inCallback: boolean;
}

/** What it takes to free a handle whose object was dropped without close(). */
interface Native {
  module: CurlModule;
  ptr: Ptr;
  errorBuffer: Ptr;
  lists: Map<number, Ptr>;
  /** The ALPN list of setAlpn(), which curl's TLS keeps pointing at until cleanup. */
  alpn: { ptr: Ptr };
}

function freeNative(native: Native): void {
  const { module } = native;
  module._curl_easy_cleanup(native.ptr);
  module._free(native.errorBuffer);
  for (const list of native.lists.values()) module._curl_slist_free_all(list);
  if (native.alpn.ptr) module._cw_alpn_free(native.alpn.ptr);
  native.alpn.ptr = 0;
}

const forgotten = new FinalizationRegistry<Native>(freeNative);

export class Easy implements EasyTarget, MimeUser, Disposable {
  #runtime: Runtime;
  #ptr: Ptr;
  #errorBuffer: Ptr;
  #lists = new Map<number, Ptr>();
  #mime: Mime | null = null;
  #alpn = { ptr: 0 };
  #alpnIds: readonly string[] | null = null;
  #handlers: Handlers = {};
  #callbackError: unknown = undefined;
  #perform: Performer;
  /** The multi driving this handle, if any. */
  owner: EasyOwner | null = null;
  #connectOnly = false;
  #pauseBits = 0;
  #callbackDepth = 0;

  /** @internal Use `curl.easy()`. */
  constructor(runtime: Runtime, perform: Performer, ptr?: Ptr) {
    const module = runtime.module;
    this.#runtime = runtime;
    this.#perform = perform;
    this.#ptr = ptr ?? module._curl_easy_init();
    if (!this.#ptr) throw new RangeError('libcurl-wasm: curl_easy_init failed');
    this.#errorBuffer = module._malloc(CURL_ERROR_SIZE);
    this.#applyDefaults();
    runtime.easies.set(this.#ptr, this);
    forgotten.register(this, this.#native(), this);
  }

  #native(): Native {
    return {
      module: this.#module,
      ptr: this.#ptr,
      errorBuffer: this.#errorBuffer,
      lists: this.#lists,
      alpn: this.#alpn,
    };
  }

  get #module(): CurlModule {
    return this.#runtime.module;
  }

  /** The CURL * this object owns. Throws once closed. */
  get ptr(): Ptr {
    if (!this.#ptr) throw new HandleClosedError('easy');
    return this.#ptr;
  }

  get closed(): boolean {
    return this.#ptr === 0;
  }

  /** CONNECT_ONLY is set: the connection outlives the transfer, for send() and recv(). */
  get connectOnly(): boolean {
    return this.#connectOnly;
  }

  setopt<N extends OptionName>(option: N | number, value: OptionValue<N>): this {
    const easy = this.ptr;
    const name = optionName(option);
    if (FIXED_CALLBACKS.has(name) || ROUTED_CALLBACKS.has(name))
      return this.#setCallback(name, value);
    if (name === 'SHARE') return this.#setShare(value);
    if (name === 'MIMEPOST') return this.#setMime(value);

    const code =
      CURLOPT_KIND[name] === 'slist'
        ? this.#setList(name, value)
        : setCopiedOption(this.#module, easy, name, value);
    this.#check(code, `CURLOPT_${name}`);
    if (name === 'CONNECT_ONLY') this.#connectOnly = Boolean(value);
    return this;
  }

  getinfo<N extends InfoName>(info: N | number): InfoValue<N> {
    const easy = this.ptr;
    const name = infoName(info);
    const module = this.#module;
    return withScratch(module, 8, (out) => {
      this.#check(module._cw_easy_getinfo(easy, CURLINFO[name], out), `CURLINFO_${name}`);
      return readInfo(module, name, out) as InfoValue<N>;
    });
  }

  /**
   * curl_easy_header: the header `name` of the last request (or `request`: 0 the first), or
   * null when there was none. Values are byte strings, one character per byte.
   */
  header(name: string, query: HeaderQuery = {}): HeaderEntry | null {
    return findHeader(this.#module, this.ptr, name, query);
  }

  /** curl_easy_nextheader over one request: all its headers, in the order received. */
  headers(query: HeadersQuery = {}): HeaderEntry[] {
    return listHeaders(this.#module, this.ptr, query);
  }

  /** curl_mime_init: a multipart body for CURLOPT_MIMEPOST, owned by the caller. */
  mime(): Mime {
    return new Mime(this.#runtime, this.ptr);
  }

  /**
   * curl_easy_pause: CURLPAUSE_RECV (1), CURLPAUSE_SEND (4), CURLPAUSE_CONT (0)... Works from
   * callbacks and from outside; unpausing wakes the multi, so the transfer resumes however
   * long later it comes.
   */
  pause(bitmask: number): void {
    // Set first: unpausing can deliver buffered data at once, and a callback that pauses
    // again from inside curl_easy_pause must leave its mark.
    this.#pauseBits = bitmask;
    // Unpausing replays what curl held back through the callbacks, from inside this call.
    this.#callbackDepth++;
    let code: number;
    try {
      code = this.#module._curl_easy_pause(this.ptr, bitmask);
    } finally {
      this.#callbackDepth--;
    }
    this.#check(code, 'curl_easy_pause');
    if (bitmask !== CURLPAUSE_ALL) this.#runtime.wake();
  }

  /** The directions paused now, whether by pause() or by a callback's PAUSE answer. */
  get paused(): number {
    return this.#pauseBits;
  }

  /** Unpauses `directions` (CURLPAUSE_RECV, _SEND) and leaves the other as it is. */
  resume(directions: number): void {
    if (this.#pauseBits & directions) this.pause(this.#pauseBits & ~directions);
  }

  /** curl_easy_upkeep: keeps the idle connections of this handle alive (HTTP/2 PING). */
  upkeep(): void {
    this.#check(this.#module._curl_easy_upkeep(this.ptr), 'curl_easy_upkeep');
  }

  /**
   * curl_easy_send on a CONNECT_ONLY connection: the bytes taken, 0 when the socket cannot
   * take any now (CURLE_AGAIN).
   */
  send(bytes: Uint8Array): number {
    const easy = this.ptr;
    const module = this.#module;
    const buffer = module._malloc(Math.max(bytes.length, 1));
    try {
      module.HEAPU8.set(bytes, buffer);
      module.HEAPU8[this.#errorBuffer] = 0;
      return withScratch(module, 4, (sent) => {
        const code = module._curl_easy_send(easy, buffer, bytes.length, sent);
        if (code === CURLE.AGAIN) return 0;
        this.#checkCall(code, 'curl_easy_send');
        return readI32(module, sent);
      });
    } finally {
      module._free(buffer);
    }
  }

  /**
   * curl_easy_recv on a CONNECT_ONLY connection: up to `max` bytes, an empty array once the
   * peer closed, or null when nothing has arrived yet (CURLE_AGAIN).
   */
  recv(max = 65536): Uint8Array | null {
    const easy = this.ptr;
    const module = this.#module;
    const buffer = module._malloc(max);
    module.HEAPU8[this.#errorBuffer] = 0;
    try {
      return withScratch(module, 4, (received) => {
        const code = module._curl_easy_recv(easy, buffer, max, received);
        if (code === CURLE.AGAIN) return null;
        this.#checkCall(code, 'curl_easy_recv');
        return copyBytes(module, buffer, readI32(module, received));
      });
    } finally {
      module._free(buffer);
    }
  }

  /**
   * curl_ws_send on a WebSocket that CONNECT_ONLY (2) left open: the payload bytes curl handed
   * to the socket, or null when it could take none now (CURLE_AGAIN). A frame taken in part
   * goes on with the next call, given the bytes not yet sent.
   */
  wsSend(bytes: Uint8Array, flags: number, fragsize = 0): number | null {
    const easy = this.ptr;
    this.#module.HEAPU8[this.#errorBuffer] = 0;
    const { code, sent } = wsSend(this.#module, easy, bytes, flags, fragsize);
    if (code === CURLE.AGAIN) return sent > 0 ? sent : null;
    this.#checkCall(code, 'curl_ws_send');
    return sent;
  }

  /**
   * curl_ws_recv: the next piece of a frame, at most `max` payload bytes, or null when none has
   * arrived (CURLE_AGAIN). The peer closing the connection throws CURLE_GOT_NOTHING.
   */
  wsRecv(max = 65536): WsFrame | null {
    const easy = this.ptr;
    this.#module.HEAPU8[this.#errorBuffer] = 0;
    const { code, frame } = wsRecv(this.#module, easy, max);
    if (code === CURLE.AGAIN) return null;
    this.#checkCall(code, 'curl_ws_recv');
    return frame;
  }

  /**
   * Offers `ids` as the ALPN list of the next TLS handshake instead of curl's own (null goes
   * back to curl's). curl's ALPN must stay enabled (CURLOPT_SSL_ENABLE_ALPN, the default).
   */
  setAlpn(ids: readonly string[] | null): void {
    const easy = this.ptr;
    const module = this.#module;
    const list = ids ? allocAlpn(module, ids) : 0;
    const code = module._cw_easy_set_alpn(easy, list);
    if (code !== CURLE.OK) {
      if (list) module._cw_alpn_free(list);
      this.#check(code, 'ALPN list');
    }
    // Only a handshake not yet begun can use the old list: this handle has none running.
    if (this.#alpn.ptr) module._cw_alpn_free(this.#alpn.ptr);
    this.#alpn.ptr = list;
    this.#alpnIds = ids ? [...ids] : null;
  }

  /**
   * The ALPN id the server chose on this handle's connection, or null: none chosen, no TLS, or
   * no connection attached (a CONNECT_ONLY transfer detaches it when it ends, until the first
   * send or recv; PREREQFUNCTION still sees it attached).
   */
  alpn(): string | null {
    return negotiatedAlpn(this.#module, this.ptr);
  }

  /**
   * Runs the transfer to its end on the event loop; rejects with a CurlError. Once `signal`
   * aborts, the transfer stops and the promise rejects with the signal's reason.
   */
  perform(options: { signal?: AbortSignal } = {}): Promise<void> {
    this.ptr;
    return this.#perform(this, options.signal);
  }

  /** curl_easy_reset: every option back to its default, callbacks dropped. */
  reset(): void {
    this.#module._curl_easy_reset(this.ptr);
    this.#connectOnly = false;
    this.#freeLists();
    this.#dropMime();
    this.#freeAlpn();
    this.#handlers = {};
    this.#applyDefaults();
  }

  /** curl_easy_duphandle: a new handle with the same options and callbacks. */
  duphandle(): Easy {
    if (this.#mime?.hasStreams) {
      throw new CurlOptionError(
        'libcurl-wasm: CURLOPT_MIMEPOST has streamed parts, which a duplicate would read from ' +
          'the same stream; set a new mime on the duplicate instead',
      );
    }
    const copy = this.#module._curl_easy_duphandle(this.ptr);
    if (!copy) throw new RangeError('libcurl-wasm: curl_easy_duphandle failed');
    const twin = new Easy(this.#runtime, this.#perform, copy);
    // curl copied the options, including list pointers this handle owns: give the twin its own.
    for (const [option, list] of this.#lists) {
      const items = readSlist(this.#module, list);
      const name = optionName(option);
      twin.setopt(name, items as never);
    }
    for (const [name, handler] of Object.entries(this.#handlers)) {
      twin.setopt(name as OptionName, handler as never);
    }
    // ...and its own ALPN list, which curl's copy points at as well.
    twin.setAlpn(this.#alpnIds);
    return twin;
  }

  close(): void {
    if (!this.#ptr) return;
    if (this.#callbackDepth > 0 || this.owner?.inCallback) {
      throw new HandleInUseError(
        'libcurl-wasm: an easy handle cannot be closed while curl runs its callbacks; ' +
          'return an abort code from the callback, and close it afterwards',
      );
    }
    if (this.owner?.releasesOnClose) {
      const owner = this.owner;
      owner.remove(this);
      owner.onRelease?.(this);
    }
    if (this.owner) {
      throw new HandleInUseError(
        'libcurl-wasm: remove the easy handle from its multi before closing it',
      );
    }
    forgotten.unregister(this);
    this.#runtime.easies.delete(this.#ptr);
    freeNative(this.#native());
    this.#lists.clear();
    this.#dropMime();
    this.#ptr = 0;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** @internal Called when a transfer starts, so its result speaks only of itself. */
  beginTransfer(): void {
    this.#pauseBits = 0;
    this.#module.HEAPU8[this.#errorBuffer] = 0;
    this.#callbackError = undefined;
    this.#runtime.sockets.takeFailure(this.ptr);
  }

  /** @internal The error for a finished transfer's CURLcode, or null for CURLE_OK. */
  resultError(code: number): CurlError | null {
    const failure = this.#runtime.sockets.takeFailure(this.ptr);
    const thrown = this.#callbackError;
    this.#callbackError = undefined;
    if (code === CURLE.OK) return null;

    if (thrown !== undefined) {
      return new CurlError(CURLE.ABORTED_BY_CALLBACK, 'Callback aborted: ' + describe(thrown), {
        cause: thrown,
      });
    }
    const connectError = connectFailureError(code, failure);
    if (connectError) return connectError;
    const message = readCString(this.#module, this.#errorBuffer) || this.#strerror(code);
    return new CurlError(code, message, failure ? { cause: failure.error } : undefined);
  }

  // --- MimeUser: what a streamed part of this handle's MIMEPOST asks for -----------------

  /**
   * @internal Unpauses a transfer that a stream part paused; a finished one is left alone.
   * curl's mime layer keeps a part's CURL_READFUNC_PAUSE until an unpause of a *paused*
   * transfer clears it, but it marks the transfer paused only on its next read when the
   * part's pause came after other bytes of the same read. Pausing sending first makes the
   * unpause clear the part in either case.
   */
  resumeSend(): void {
    if (!this.#ptr || !this.owner) return;
    // Pausing first marks the transfer paused even when curl had only paused the part (its
    // pause came after other bytes of the same read); the unpause then clears both.
    this.pause(this.#pauseBits | CURLPAUSE_SEND);
    this.pause(this.#pauseBits & ~CURLPAUSE_SEND);
  }

  /** @internal Keeps a stream part's error as the cause of the transfer's failure. */
  noteCallbackError(error: unknown): void {
    this.#callbackError ??= error;
  }

  // --- EasyTarget: curl's callbacks ------------------------------------------------------

  onWrite(data: Ptr, len: number): number {
    return this.#deliver(this.#handlers.WRITEFUNCTION, data, len);
  }

  onHeader(data: Ptr, len: number): number {
    return this.#deliver(this.#handlers.HEADERFUNCTION, data, len);
  }

  onRead(buffer: Ptr, len: number): number {
    const read = this.#handlers.READFUNCTION;
    if (!read) return READFUNC_ABORT;
    try {
      const chunk = new Uint8Array(len);
      const n = read(chunk);
      if (n > 0 && n <= len) this.#module.HEAPU8.set(chunk.subarray(0, n), buffer);
      if (n === CURL_READFUNC_PAUSE) this.#pauseBits |= CURLPAUSE_SEND;
      return n;
    } catch (error) {
      this.#callbackError = error;
      return READFUNC_ABORT;
    }
  }

  onXferInfo(dltotal: number, dlnow: number, ultotal: number, ulnow: number): number {
    try {
      const answer = this.#handlers.XFERINFOFUNCTION?.(dltotal, dlnow, ultotal, ulnow);
      return answer ? 1 : 0;
    } catch (error) {
      this.#callbackError = error;
      return 1;
    }
  }

  onDebug(type: number, data: Ptr, len: number): number {
    try {
      this.#handlers.DEBUGFUNCTION?.(type, copyBytes(this.#module, data, len));
    } catch (error) {
      this.#callbackError ??= error;
    }
    return 0;
  }

  onSeek(offset: number, origin: number): number {
    try {
      return this.#handlers.SEEKFUNCTION?.(offset, origin) ?? SEEKFUNC_FAIL;
    } catch (error) {
      this.#callbackError = error;
      return SEEKFUNC_FAIL;
    }
  }

  onTrailer(list: Ptr): number {
    const trailer = this.#handlers.TRAILERFUNCTION;
    try {
      const lines = trailer?.();
      if (lines === false) return 1; // CURL_TRAILERFUNC_ABORT
      let head = readPtr(this.#module, list);
      for (const line of lines ?? []) {
        head = withCString(this.#module, line, (text) =>
          this.#module._curl_slist_append(head, text),
        );
        if (!head) return 1;
        this.#module.HEAP32[list >> 2] = head;
      }
      return 0;
    } catch (error) {
      this.#callbackError = error;
      return 1;
    }
  }

  onPrereq(primaryIp: Ptr, localIp: Ptr, primaryPort: number, localPort: number): number {
    try {
      const answer = this.#handlers.PREREQFUNCTION?.({
        primaryIp: readCString(this.#module, primaryIp) ?? '',
        localIp: readCString(this.#module, localIp) ?? '',
        primaryPort,
        localPort,
      });
      return answer === false || answer === 1 ? 1 : 0;
    } catch (error) {
      this.#callbackError = error;
      return 1;
    }
  }

  // --- internals -----------------------------------------------------------------------

  #deliver(handler: ((chunk: Uint8Array) => number | void) | undefined, data: Ptr, len: number) {
    if (!handler) return len;
    try {
      const answer = handler(copyBytes(this.#module, data, len));
      if (answer === CURL_WRITEFUNC_PAUSE) this.#pauseBits |= CURLPAUSE_RECV;
      return answer === undefined ? len : answer;
    } catch (error) {
      this.#callbackError = error;
      return 0;
    }
  }

  #setCallback(name: OptionName, value: unknown): this {
    if (value !== null && value !== undefined && typeof value !== 'function') {
      throw new CurlOptionError(`CURLOPT_${name} takes a function or null`);
    }
    const key = name as keyof CallbackOptions;
    if (typeof value === 'function') (this.#handlers as Record<string, unknown>)[key] = value;
    else delete this.#handlers[key];

    if (ROUTED_CALLBACKS.has(name)) {
      const on = typeof value === 'function' ? 1 : 0;
      this.#check(this.#module._cw_easy_route(this.ptr, CURLOPT[name], on), `CURLOPT_${name}`);
      // curl calls the progress callback only when NOPROGRESS is off.
      if (name === 'XFERINFOFUNCTION') this.setopt('NOPROGRESS', !on);
    }
    return this;
  }

  // curl counts the easy handles using a share and refuses to free it while any does.
  #setShare(value: unknown): this {
    if (value !== null && value !== undefined && !(value instanceof Share)) {
      throw new CurlOptionError('CURLOPT_SHARE takes a Share or null');
    }
    const share = value ? value.ptrFor(this.#runtime) : 0;
    this.#check(this.#module._cw_easy_setopt_ptr(this.ptr, CURLOPT.SHARE, share), 'CURLOPT_SHARE');
    return this;
  }

  // curl reads the mime in place during the transfer, so the Mime knows which easy uses it.
  #setMime(value: unknown): this {
    if (value !== null && value !== undefined && !(value instanceof Mime)) {
      throw new CurlOptionError('CURLOPT_MIMEPOST takes a Mime or null');
    }
    const mime = value ? value.ptrFor(this.#runtime) : 0;
    if (value?.user && value.user !== this) {
      throw new HandleInUseError('libcurl-wasm: the mime is the MIMEPOST of another easy handle');
    }
    const code = this.#module._cw_easy_setopt_ptr(this.ptr, CURLOPT.MIMEPOST, mime);
    this.#check(code, 'CURLOPT_MIMEPOST');
    if (this.#mime !== value) this.#dropMime();
    this.#mime = value ?? null;
    this.#mime?.setUser(this);
    return this;
  }

  // curl has let go of the mime already (cleanup, reset or a new MIMEPOST): forget it too.
  #dropMime(): void {
    if (this.#mime?.user === this) this.#mime.setUser(null);
    this.#mime = null;
  }

  #setList(name: OptionName, value: unknown): number {
    const module = this.#module;
    const option = CURLOPT[name];
    const list = value === null || value === undefined ? 0 : buildSlist(module, name, value);
    const code = module._cw_easy_setopt_ptr(this.ptr, option, list);
    if (code !== CURLE.OK) {
      if (list) module._curl_slist_free_all(list);
      return code;
    }
    const old = this.#lists.get(option);
    if (old) module._curl_slist_free_all(old);
    if (list) this.#lists.set(option, list);
    else this.#lists.delete(option);
    return code;
  }

  #applyDefaults(): void {
    const module = this.#module;
    this.#check(module._cw_easy_defaults(this.#ptr), 'defaults');
    this.#check(
      module._cw_easy_setopt_ptr(this.#ptr, CURLOPT.ERRORBUFFER, this.#errorBuffer),
      'CURLOPT_ERRORBUFFER',
    );
    module.HEAPU8[this.#errorBuffer] = 0;
  }

  #freeLists(): void {
    for (const list of this.#lists.values()) this.#module._curl_slist_free_all(list);
    this.#lists.clear();
  }

  #freeAlpn(): void {
    if (this.#alpn.ptr) this.#module._cw_alpn_free(this.#alpn.ptr);
    this.#alpn.ptr = 0;
    this.#alpnIds = null;
  }

  #strerror(code: number): string {
    return readCString(this.#module, this.#module._curl_easy_strerror(code)) ?? `error ${code}`;
  }

  #check(code: number, what: string): void {
    if (code !== CURLE.OK) throw new CurlError(code, `${what}: ${this.#strerror(code)}`);
  }

  /** As #check, for a call on a live connection: curl's own words, the transport's cause. */
  #checkCall(code: number, what: string): void {
    if (code === CURLE.OK) return;
    const failure = this.#runtime.sockets.takeFailure(this.ptr);
    const detail = readCString(this.#module, this.#errorBuffer) || this.#strerror(code);
    throw new CurlError(code, `${what}: ${detail}`, failure ? { cause: failure.error } : undefined);
  }
}

function describe(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}
