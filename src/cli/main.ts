#!/usr/bin/env node
// The libcurl-wasm command.
import { demo } from './demo.js';
import { proxyCommand } from './proxy-command.js';

const USAGE = `usage: libcurl-wasm demo [URL]
       libcurl-wasm proxy [flags]      (--help for the flags)

  demo        fetch URL through the wasm libcurl and show what curl saw; without a URL,
              start a local HTTPS (HTTP/2) server with a CA of its own and fetch from it
  proxy       a Wisp and websockify-style WebSocket proxy for the browser transports,
              safe by default (public destinations on ports 80 and 443 only)`;

async function main(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'demo') {
    await demo(rest[0] || undefined);
    return 0;
  }
  if (command === 'proxy') return proxyCommand(rest);
  console.error(USAGE);
  return command === undefined || command === '--help' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error) => {
    const code = (error as { code?: string }).code;
    console.error(`libcurl-wasm: ${code ? `${code}: ` : ''}${(error as Error).message}`);
    process.exitCode = 1;
  },
);
