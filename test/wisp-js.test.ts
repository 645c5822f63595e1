// The Wisp transport against the wisp-js server (@mercuryworkshop/wisp-js 0.5.0), in both
// protocol versions. That server answers every failed connect with close reason 0x03
// ("network error"), for refused ports and unknown names alike, so through it an unknown
// name can only be reported as CURLE_COULDNT_CONNECT; its cause says what the proxy said.
import { WebSocket } from 'ws';
import { expect, it } from 'vitest';
import { loadCurl, wispTransport, type WispTransport } from '../src/index.js';
import { startWispJs, type WispJsServer } from './support/wisp-js.js';
import { transportSuite } from './support/transport-suite.js';
import { httpServer } from './support/servers.js';

function target(version: 1 | 2) {
  let transport: WispTransport;
  return {
    start: async () => {
      const server: WispJsServer = await startWispJs();
      server.setVersion(version);
      transport = wispTransport({ url: server.url, WebSocket });
      return {
        transport,
        close: async () => {
          transport.close();
          await server.close();
        },
      };
    },
    unresolvable: 'CURLE_COULDNT_CONNECT' as const,
    peakHeldBytes: () => transport.stats().current?.peakHeldBytes ?? 0,
    heldLimit: 4 * 1024 * 1024,
  };
}

transportSuite('wisp-js server, Wisp v2', target(2));
transportSuite('wisp-js server, Wisp v1', target(1));

it('speaks v2 with a v2 server and v1 with a v1 server, on one WebSocket each', async () => {
  const server = await startWispJs();
  const origin = await httpServer((_req: any, res: any) => res.end('ok'));
  try {
    for (const version of [2, 1] as const) {
      server.setVersion(version);
      const transport = wispTransport({ url: server.url, WebSocket });
      const curl = await loadCurl({ transport });
      await Promise.all(
        [1, 2, 3].map(async () => expect(await (await curl.fetch(origin.url)).text()).toBe('ok')),
      );
      expect(transport.stats()).toMatchObject({
        sessions: 1,
        current: { version, state: 'ready' },
      });
      transport.close();
    }
  } finally {
    await origin.close();
    await server.close();
  }
});
