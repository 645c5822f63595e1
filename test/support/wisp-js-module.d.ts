// The parts of @mercuryworkshop/wisp-js (which ships no types) that the interop tests use.
declare module '@mercuryworkshop/wisp-js/server' {
  import type { IncomingMessage } from 'node:http';
  import type { Duplex } from 'node:stream';

  export const server: {
    options: {
      allow_loopback_ips: boolean;
      allow_private_ips: boolean;
      wisp_version: number;
      dns_method: string | ((host: string) => Promise<string>);
      dns_ttl: number;
      port_whitelist: Array<number | [number, number]> | null;
    };
    routeRequest(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  };
  export const logging: { NONE: number; set_level(level: number): void };
}
