// A byte stream over a connection curl made (CONNECT_ONLY 1), as WHATWG streams: the readable
// calls curl_easy_recv only when its reader asks, the writable resolves a write only once
// curl_easy_send took every byte. CURLE_AGAIN waits for the socket table to report the socket
// ready. The socket owns its easy handle.
import type { Easy } from '../curl/easy.js';
import { CurlError, HandleClosedError } from '../curl/errors.js';
import { CURLE } from '../curl/generated/codes.js';
import type { SocketTable } from '../net/socket-table.js';
import { SocketWaiter } from '../net/socket-waiter.js';

/** Bytes asked of curl_easy_recv, and given to curl_easy_send, per call. */
const RECV_CHUNK = 64 << 10;
const SEND_CHUNK = 256 << 10;
const SHUT_WR = 1;

export interface SocketInfo {
  /** The ALPN id the server chose, when TLS was used with an ALPN list and it chose one. */
  alpn?: string;
}

/** A connection curl made, handed to the socket. */
export interface Connected {
  easy: Easy;
  sockets: SocketTable;
  fd: number;
  info: SocketInfo;
}

/** Failures reach the streams as CurlErrors; misuse keeps its own class. */
function asCurlError(error: unknown): Error {
  if (error instanceof CurlError || error instanceof HandleClosedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CurlError(CURLE.RECV_ERROR, `socket: ${message}`, { cause: error });
}

/** A promise whose rejection nobody has to handle (the caller may only use the streams). */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

export class CurlSocket implements Disposable {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  /** Resolves once connected (and TLS set up); rejects with a CurlError if that failed. */
  readonly opened: Promise<SocketInfo>;
  /** Resolves once the socket is closed: by close(), or both streams done. */
  readonly closed: Promise<void>;
  #connection: Promise<Connected>;
  #abort: AbortController;
  #live: Connected | null = null;
  #waiter: SocketWaiter | null = null;
  #reader: ReadableStreamDefaultController<Uint8Array> | null = null;
  #writer: WritableStreamDefaultController | null = null;
  #readDone = false;
  #writeDone = false;
  #isClosed = false;
  #resolveClosed!: () => void;

  /**
   * @internal Use `curl.connect()`. `connecting` settles once curl connected; `abort` stops it
   * when the socket is closed first.
   */
  constructor(connecting: Promise<Connected>, abort: AbortController) {
    this.#abort = abort;
    this.#connection = connecting.then((live) => this.#adopt(live));
    this.opened = quiet(this.#connection.then((live) => live.info));
    this.closed = quiet(new Promise<void>((resolve) => (this.#resolveClosed = resolve)));
    this.readable = new ReadableStream<Uint8Array>(
      {
        start: (controller) => void (this.#reader = controller),
        pull: (controller) => this.#pull(controller),
        cancel: () => this.#endReading(),
      },
      { highWaterMark: 0 },
    );
    this.writable = new WritableStream<Uint8Array>({
      start: (controller) => void (this.#writer = controller),
      write: (chunk) => this.#write(chunk),
      close: () => this.#endWriting(),
      abort: () => this.close(),
    });
    this.#connection.catch((error: unknown) => this.#shut(asCurlError(error)));
  }

  /** Closes the connection at once, in both directions, and frees curl's handle. */
  close(): void {
    this.#shut(null);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #adopt(live: Connected): Connected {
    if (this.#isClosed) {
      // close() came after curl connected but before this turn.
      live.easy.close();
      throw new HandleClosedError('socket');
    }
    this.#live = live;
    this.#waiter = new SocketWaiter(live.sockets, live.fd);
    return live;
  }

  /** Ends it all: on close() (failure null) reads end and writes fail; on a failure both fail. */
  #shut(failure: Error | null): void {
    if (this.#isClosed) return;
    this.#isClosed = true;
    this.#waiter?.close();
    if (this.#live) this.#live.easy.close();
    else this.#abort.abort(failure ?? new HandleClosedError('socket'));
    this.#endStreams(failure);
    this.#resolveClosed();
  }

  /** A stream already done is left as it is. */
  #endStreams(failure: Error | null): void {
    if (!this.#readDone) {
      this.#readDone = true;
      try {
        if (failure) this.#reader?.error(failure);
        else this.#reader?.close();
      } catch {
        // The readable errored already, on a failed read.
      }
    }
    if (!this.#writeDone) this.#writer?.error(failure ?? new HandleClosedError('socket'));
  }

  async #pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    const { easy } = await this.#connection;
    try {
      for (;;) {
        if (this.#isClosed) return;
        const bytes = easy.recv(RECV_CHUNK);
        if (bytes === null) {
          await this.#waiter!.readable();
          continue;
        }
        if (bytes.length > 0) controller.enqueue(bytes);
        else this.#onPeerEnd(controller);
        return;
      }
    } catch (error) {
      throw asCurlError(error);
    }
  }

  #onPeerEnd(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#readDone = true;
    controller.close();
    if (this.#writeDone) this.close();
  }

  async #write(chunk: Uint8Array): Promise<void> {
    const { easy } = await this.#connection;
    try {
      for (let at = 0; at < chunk.length;) {
        if (this.#isClosed) throw new HandleClosedError('socket');
        const sent = easy.send(chunk.subarray(at, at + SEND_CHUNK));
        if (sent === 0) await this.#waiter!.writable();
        at += sent;
      }
    } catch (error) {
      throw asCurlError(error);
    }
  }

  /** The writable closed: the peer gets the end of our stream (a FIN). */
  async #endWriting(): Promise<void> {
    const { sockets, fd } = await this.#connection;
    if (this.#isClosed) return;
    // curl has no call for a half close; the socket table does it below curl. Over TLS no
    // close_notify goes first (docs/KNOWN_LIMITATIONS.md).
    sockets.shutdown(fd, SHUT_WR);
    this.#writeDone = true;
    if (this.#readDone) this.close();
  }

  #endReading(): void {
    this.#readDone = true;
    if (this.#writeDone) this.close();
  }
}
