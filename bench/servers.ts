// The servers every peer measures against, all Debian's nginx on 127.0.0.1: plain HTTP, TLS
// 1.3 limited to AES-GCM, TLS 1.3 limited to ChaCha20, each with HTTP/2 where TLS is on;
// and a Node upload sink. Bodies are files in /dev/shm, sent with sendfile.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCerts } from '../test/support/certs.js';
import { nginxHttpPaths, nginxPrelude } from '../test/support/nginx.js';
import { startProcess } from '../test/support/processes.js';
import { closedPort, httpServer } from '../test/support/servers.js';
import { MB, type Targets } from './scenarios.js';

export interface BenchServers {
  targets: Targets;
  close(): Promise<void>;
}

function makeFiles(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const block = Buffer.alloc(MB, 0x5a);
  for (const [name, megabytes] of [['100M', 100], ['300M', 300]] as const) {
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

export async function startBenchServers(): Promise<BenchServers> {
  const dir = mkdtempSync(join(tmpdir(), 'libcurl-wasm-bench-'));
  const root = '/dev/shm/libcurl-wasm-bench';
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
      ca: testCerts().caFile,
    },
    close: async () => {
      await child.stop();
      await sink.close();
      rmSync(dir, { recursive: true, force: true });
      rmSync(root, { recursive: true, force: true });
    },
  };
}
