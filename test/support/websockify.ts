// websockify (Debian's python3-websockify), a server nobody here wrote, on 127.0.0.1. Its
// token plugin (websockify/libcurl_wasm_targets.py) takes the target from `?token=host:port`
// and resolves only test names.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess } from './processes.js';
import { closedPort } from './servers.js';

export interface Websockify {
  port: number;
  /** The WebSocket URL for one target, as websockifyTransport's `target` option wants it. */
  target(host: string, port: number): string;
  output(): string;
  close(): Promise<void>;
}

const PLUGIN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'websockify');

export async function startWebsockify(): Promise<Websockify> {
  const port = await closedPort();
  const args = ['--token-plugin', 'libcurl_wasm_targets.TargetIsToken', `127.0.0.1:${port}`];
  const env = { ...process.env, PYTHONPATH: PLUGIN_DIR };
  const child = await startProcess('/usr/bin/websockify', args, [port], env);
  return {
    port,
    target: (host, targetPort) => {
      const shown = host.includes(':') ? `[${host}]` : host;
      return `ws://127.0.0.1:${port}/?token=${encodeURIComponent(`${shown}:${targetPort}`)}`;
    },
    output: child.output,
    close: child.stop,
  };
}
