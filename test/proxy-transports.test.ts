// The transport suite through `libcurl-wasm proxy` itself: Wisp v2 (with stream-open
// confirmation), Wisp v1, and the websockify-style path. This proxy tells refusals apart, so
// an unknown name is CURLE_COULDNT_RESOLVE_HOST here. Loopback destinations are allowed for
// these tests (allow: ['loopback']); every rule that refuses is tested in proxy-rules.
import { WebSocket } from 'ws';
import {
  websockifyTransport,
  wispTransport,
  type Transport,
  type WispTransport,
} from '../src/index.js';
import { startProxy, type ProxyOptions } from '../src/proxy/index.js';
import { testLookup } from './support/test-lookup.js';
import { transportSuite } from './support/transport-suite.js';

const options: ProxyOptions = { allow: ['loopback'], ports: 'any', lookup: testLookup };

function through(make: (url: string) => Transport) {
  let transport: Transport;
  return {
    start: async () => {
      const proxy = await startProxy(options);
      transport = make(proxy.url);
      return {
        transport,
        close: async () => {
          (transport as Partial<WispTransport>).close?.();
          await proxy.close();
        },
      };
    },
    unresolvable: 'CURLE_COULDNT_RESOLVE_HOST' as const,
    peakHeldBytes: () => (transport as WispTransport).stats?.().current?.peakHeldBytes ?? 0,
    heldLimit: 4 * 1024 * 1024,
  };
}

transportSuite(
  'libcurl-wasm proxy, Wisp v2',
  through((url) => wispTransport({ url, WebSocket })),
);
transportSuite(
  'libcurl-wasm proxy, Wisp v1',
  through((url) => wispTransport({ url, WebSocket, version: 1 })),
);
transportSuite(
  'libcurl-wasm proxy, websockify path',
  through((url) => websockifyTransport({ url, WebSocket })),
);
