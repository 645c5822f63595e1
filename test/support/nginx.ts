// Debian's nginx, started on 127.0.0.1 for one test file: a server nobody here wrote.
// Plain HTTP/1.1 on one port; TLS with HTTP/2 (ALPN) on another, with the test CA's cert.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCerts } from './certs.js';
import { startProcess } from './processes.js';
import { closedPort } from './servers.js';

export interface Nginx {
  httpUrl: string;
  httpsUrl: string;
  root: string;
  close(): Promise<void>;
}

const BINARY = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((path) => existsSync(path));

/** The top of a config for an nginx that runs in the foreground from `dir`. */
export function nginxPrelude(dir: string, connections = 256): string {
  return `daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections ${connections}; }`;
}

/** Inside http {}: logs off, and every temp folder in `dir`. */
export function nginxHttpPaths(dir: string): string {
  return `  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  default_type application/octet-stream;`;
}

function config(dir: string, httpPort: number, httpsPort: number): string {
  const certs = testCerts();
  return `${nginxPrelude(dir)}
http {
${nginxHttpPaths(dir)}
  server {
    listen 127.0.0.1:${httpPort};
    root ${dir}/www;
  }
  server {
    listen 127.0.0.1:${httpsPort} ssl http2;
    ssl_certificate ${certs.certFile};
    ssl_certificate_key ${certs.keyFile};
    ssl_protocols TLSv1.2 TLSv1.3;
    root ${dir}/www;
  }
}
`;
}

/** Starts nginx serving `files` (path → content) from its root. */
export async function startNginx(files: Record<string, string | Uint8Array>): Promise<Nginx> {
  if (!BINARY) throw new Error('nginx is not installed (scripts/setup.sh installs it)');
  const dir = mkdtempSync(join(tmpdir(), 'libcurl-wasm-nginx-'));
  mkdirSync(join(dir, 'www'));
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, 'www', name), content);
  const httpPort = await closedPort();
  const httpsPort = await closedPort();
  writeFileSync(join(dir, 'nginx.conf'), config(dir, httpPort, httpsPort));

  const conf = join(dir, 'nginx.conf');
  const child = await startProcess(
    BINARY,
    ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')],
    [httpPort, httpsPort],
  );

  return {
    httpUrl: `http://127.0.0.1:${httpPort}`,
    httpsUrl: `https://localhost:${httpsPort}`,
    root: join(dir, 'www'),
    close: async () => {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
