// The transport a runtime gets when the user names none: direct TCP where there is one.
import type { Transport } from './transport.js';

export async function defaultTransport(): Promise<Transport> {
  const node = (globalThis as { process?: { versions?: { node?: string } } }).process?.versions
    ?.node;
  if (node) {
    const { nodeTcpTransport } = await import('./node-tcp.js');
    return nodeTcpTransport();
  }
  throw new Error(
    'libcurl-wasm: this runtime has no direct TCP; pass loadCurl({ transport }) ' +
      '(a WebSocket proxy transport, or one your host provides)',
  );
}
