// The websockify-style transport against websockify itself (Debian's python3-websockify).
// websockify closes with 1011 "Failed to connect to downstream server" for any failed
// connect, refused port or unknown name alike, so an unknown name can only be reported as
// CURLE_COULDNT_CONNECT; its cause carries websockify's words.
import { WebSocket } from 'ws';
import { websockifyTransport } from '../src/index.js';
import { startWebsockify } from './support/websockify.js';
import { transportSuite } from './support/transport-suite.js';

transportSuite('websockify (python3-websockify)', {
  start: async () => {
    const server = await startWebsockify();
    return {
      transport: websockifyTransport({
        url: `ws://127.0.0.1:${server.port}/`,
        target: server.target,
        WebSocket,
      }),
      close: server.close,
    };
  },
  unresolvable: 'CURLE_COULDNT_CONNECT',
});
