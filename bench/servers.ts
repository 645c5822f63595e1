// The servers every peer measures against, all on 127.0.0.1. Debian's nginx: plain HTTP, TLS
// 1.3 limited to AES-GCM, TLS 1.3 limited to ChaCha20, each with HTTP/2 where TLS is on; a
// Node upload sink; a `ws` server that echoes (or pushes 100 MB when asked); and this
// project's proxy (bench/proxy-server.ts) in a process of its own, for the peers that have no
// TCP. Bodies are files in a /dev/shm folder of the run's own, sent with sendfile.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testCerts } from '../test/support/certs.js';
import { nginxHttpPaths, nginxPrelude } from '../test/support/nginx.js';
import { startProcess } from '../test/support/processes.js';
import { closedPort, httpServer } from '../test/support/servers.js';
import type { WebSocket } from 'ws';
import { wsServer } from '../test/support/ws-server.js';
import { MB, type Targets } from './scenarios.js';

export interface BenchServers {
  targets: Targets;
  close(): Promise<void>;
}

function makeFiles(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const block = Buffer.alloc(MB, 0x5a);
  for (const [name, megabytes] of [
    ['100M', 100],
    ['300M', 300],
  ] as const) {
    const chunks = Array.from({ length: megabytes }, () => block);
    writeFileSync(join(dir, name), Buffer.concat(chunks));
  }
  writeFileSync(join(dir, 'small'), 'x'.repeat(100));
}

function tlsServer(port: number, suites: string, root: string): string {
  const certs = testCerts();
  return `  server {
    listen 127.0.0.1:${port} ssl http2;
    ssl_certificate ${certs.certFile};
    ssl_certificate_key ${certs.keyFile};
    ssl_protocols TLSv1.3;
    ssl_conf_command Ciphersuites ${suites};
    keepalive_requests 100000;
    root ${root};
  }
`;
}

/**
 * Echoes every message as it came; a text message `push N` is answered instead with N bytes
 * in 64 KiB binary messages, sent as fast as the connection takes them.
 */
function echoOrPush(ws: WebSocket): void {
  ws.on('message', (data, isBinary) => {
    const text = isBinary ? '' : data.toString();
    if (!text.startsWith('push ')) return ws.send(data, { binary: isBinary });
    const block = Buffer.alloc(64 * 1024, 0x5a);
    let left = Number(text.slice(5));
    const pump = () => {
      while (left > 0 && ws.bufferedAmount < 4 * MB) {
        ws.send(left < block.length ? block.subarray(0, left) : block);
        left -= block.length;
      }
      if (left > 0) setTimeout(pump, 1);
    };
    pump();
  });
}

/** Runs bench/proxy-server.ts and resolves with its URL and a way to stop it. */
async function startBenchProxy(): Promise<{ url: string; stop(): Promise<void> }> {
  const script = fileURLToPath(new URL('proxy-server.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (data) => {
      text += data;
      const line = text.split('\n').find((l) => l.startsWith('ws://'));
      if (line) resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`bench proxy exited with ${code}: ${text}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function startBenchServers(): Promise<BenchServers> {
  const dir = mkdtempSync(join(tmpdir(), 'libcurl-wasm-bench-'));
  // A folder of its own, so that two runs on one machine never share (or delete) the files.
  const root = mkdtempSync('/dev/shm/libcurl-wasm-bench-');
  makeFiles(root);
  const [plain, aes, chacha] = [await closedPort(), await closedPort(), await closedPort()];
  const conf = `${nginxPrelude(dir, 1024)}
http {
${nginxHttpPaths(dir)}
  sendfile on;
  tcp_nopush on;
  server {
    listen 127.0.0.1:${plain};
    keepalive_requests 100000;
    root ${root};
  }
${tlsServer(aes, 'TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384', root)}
${tlsServer(chacha, 'TLS_CHACHA20_POLY1305_SHA256', root)}
}
`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  // Uploads go to a Node server that reads every byte before it answers.
  const sink = await httpServer((req: any, res: any) => {
    req.on('data', () => {});
    req.on('end', () => res.writeHead(204).end());
  });
  const echoServer = await wsServer({ onConnection: echoOrPush });
  const proxy = await startBenchProxy();
  const child = await startProcess(
    '/usr/sbin/nginx',
    ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    [plain, aes, chacha],
  );
  return {
    targets: {
      plain: `http://127.0.0.1:${plain}`,
      tlsAes: `https://localhost:${aes}`,
      tlsChacha: `https://localhost:${chacha}`,
      upload: `${sink.url}/upload`,
      wsEcho: `${echoServer.url}/`,
      proxy: proxy.url,
      files: root,
      ca: testCerts().caFile,
      caPem: testCerts().caPem.toString(),
    },
    close: async () => {
      await child.stop();
      await proxy.stop();
      await echoServer.close();
      await sink.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
