// The options every connection-level API (WebSocket, raw sockets) takes on top of its own:
// whom to trust, and a raw escape hatch to any CURLOPT.
import type { Easy } from './easy.js';
import type { OptionName, OptionValue } from './option-types.js';

/** CURLOPT names (without the prefix) and their values, set as given. */
export type CurlOptions = { [N in OptionName]?: OptionValue<N> };

export interface TrustOptions {
  /** PEM certificates to trust instead of the bundled Mozilla roots (as node:tls `ca`). */
  ca?: string | Uint8Array | ReadonlyArray<string | Uint8Array>;
  /** Skip the certificate and host name checks. For tests only. */
  insecure?: boolean;
}

export interface ConnectionOptions extends TrustOptions {
  /** Set after everything else: these win, and can break what the API relies on. */
  curl?: CurlOptions;
}

function pemOf(ca: NonNullable<TrustOptions['ca']>): string {
  const parts = typeof ca === 'string' || ca instanceof Uint8Array ? [ca] : ca;
  const decoder = new TextDecoder();
  return parts.map((part) => (typeof part === 'string' ? part : decoder.decode(part))).join('\n');
}

export function applyTrust(easy: Easy, trust: TrustOptions): void {
  if (trust.ca !== undefined) easy.setopt('CAINFO_BLOB', pemOf(trust.ca));
  if (trust.insecure) {
    easy.setopt('SSL_VERIFYPEER', 0);
    easy.setopt('SSL_VERIFYHOST', 0);
  }
}

export function applyCurlOptions(easy: Easy, options: CurlOptions | undefined): void {
  for (const [name, value] of Object.entries(options ?? {})) {
    easy.setopt(name as OptionName, value as never);
  }
}
