// Direct TCP through node:net. Node resolves names itself and races IPv6 against IPv4
// (autoSelectFamily), so a name handed over by the socket shim needs nothing more.
import * as net from 'node:net';
import type { Connection, ConnectionEvents, Transport, TransportTarget } from './transport.js';

export interface NodeTcpOptions {
  /** Milliseconds for the IPv6/IPv4 race before trying the next address family. */
  autoSelectFamilyAttemptTimeout?: number;
  /** How names are resolved (net.connect's `lookup`); the system resolver by default. */
  lookup?: net.LookupFunction;
}

export function nodeTcpTransport(options: NodeTcpOptions = {}): Transport {
  return {
    name: 'tcp',
    connect: (target, events) => connectTcp(target, events, options),
  };
}

function connectTcp(
  target: TransportTarget,
  events: ConnectionEvents,
  options: NodeTcpOptions,
): Connection {
  const socket = net.connect({
    host: target.host,
    port: target.port,
    noDelay: true,
    autoSelectFamily: true,
    autoSelectFamilyAttemptTimeout: options.autoSelectFamilyAttemptTimeout ?? 250,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  });

  socket.on('connect', () => events.open());
  socket.on('data', (chunk: Buffer) => events.data(chunk));
  socket.on('drain', () => events.drain());
  socket.on('end', () => events.end());
  socket.on('error', (error) => events.error(error));
  socket.on('close', () => events.close());

  return {
    write: (bytes) => void socket.write(bytes),
    get bufferedAmount() {
      return socket.writableLength;
    },
    pause: () => void socket.pause(),
    resume: () => void socket.resume(),
    end: () => void socket.end(),
    destroy: () => {
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
    },
    get remoteAddress() {
      return socket.remoteAddress;
    },
    get localPort() {
      return socket.localPort;
    },
  };
}
