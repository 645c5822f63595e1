// The transport a runtime gets when the user names none: direct TCP where there is one.
// Deno and Bun both imitate Node (process.versions.node is set in each), so they are asked
// for first; each transport is imported only on its own runtime.
import type { Transport } from './transport.js';

type Runtime = 'deno' | 'bun' | 'node' | 'other';

export function detectRuntime(): Runtime {
  const g = globalThis as {
    Deno?: { connect?: unknown };
    Bun?: { connect?: unknown };
    process?: { versions?: { node?: string } };
  };
  if (typeof g.Deno?.connect === 'function') return 'deno';
  if (typeof g.Bun?.connect === 'function') return 'bun';
  if (g.process?.versions?.node) return 'node';
  return 'other';
}

/** Direct TCP on Deno, Bun or Node; elsewhere an error that says what to pass instead. */
export async function defaultTransport(): Promise<Transport> {
  switch (detectRuntime()) {
    case 'deno':
      return (await import('./deno-tcp.js')).denoTcpTransport();
    case 'bun':
      return (await import('./bun-tcp.js')).bunTcpTransport();
    case 'node':
      return (await import('./node-tcp.js')).nodeTcpTransport();
    default:
      throw new Error(
        'libcurl-wasm: this runtime has no direct TCP; pass loadCurl({ transport }) ' +
          '(a WebSocket proxy transport, or one your host provides)',
      );
  }
}
