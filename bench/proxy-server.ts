// The local proxy the browser peers and the Wisp peer go through, in a process of its own as a
// deployed proxy would be: this project's startProxy on 127.0.0.1, with loopback destinations
// and every port allowed. Its resolver knows only localhost, so no name can send a query
// anywhere. Prints its URL once it listens; closes on SIGTERM.
import { startProxy } from '../src/proxy/index.js';

const lookup = async (host: string): Promise<string[]> => {
  if (host === 'localhost') return ['127.0.0.1'];
  throw Object.assign(new Error(`bench proxy: no such host ${host}`), { code: 'ENOTFOUND' });
};

const proxy = await startProxy({
  host: '127.0.0.1',
  allow: ['loopback'],
  ports: 'any',
  lookup,
  log: () => {},
});
console.log(proxy.url);

process.on('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
