// Real proxy servers on 127.0.0.1: tinyproxy (HTTP, with CONNECT), nginx's stream module
// putting TLS in front of it (an HTTPS proxy), and Dante (SOCKS4 and SOCKS5). Dante does
// not take SOCKS4a host names, so that one variant is a small server of our own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCerts } from './certs.js';
import { startProcess } from './processes.js';
import { closedPort, tcpServer, type Running } from './servers.js';

export interface Proxy {
  port: number;
  close(): Promise<void>;
}

async function inTempDir(
  name: string,
  files: (dir: string, port: number) => Record<string, string>,
  command: (dir: string) => [string, string[]],
): Promise<Proxy> {
  const dir = mkdtempSync(join(tmpdir(), `libcurl-wasm-${name}-`));
  const port = await closedPort();
  for (const [file, text] of Object.entries(files(dir, port))) writeFileSync(join(dir, file), text);
  const [binary, args] = command(dir);
  const child = await startProcess(binary, args, [port]);
  return {
    port,
    close: async () => {
      await child.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function startTinyproxy(): Promise<Proxy> {
  return inTempDir(
    'tinyproxy',
    (_dir, port) => ({
      'tinyproxy.conf': `Port ${port}\nListen 127.0.0.1\nTimeout 30\nMaxClients 100\nAllow 127.0.0.1\n`,
    }),
    (dir) => ['/usr/bin/tinyproxy', ['-d', '-c', join(dir, 'tinyproxy.conf')]],
  );
}

/** TLS in front of `targetPort` (nginx's stream module), with the test CA's certificate. */
export function startTlsFront(targetPort: number): Promise<Proxy> {
  const certs = testCerts();
  return inTempDir(
    'tls-front',
    (dir, port) => ({
      'nginx.conf': `load_module /usr/lib/nginx/modules/ngx_stream_module.so;
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
stream {
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${certs.certFile};
    ssl_certificate_key ${certs.keyFile};
    proxy_pass 127.0.0.1:${targetPort};
  }
}
`,
    }),
    (dir) => [
      '/usr/sbin/nginx',
      ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
    ],
  );
}

export function startDante(): Promise<Proxy> {
  return inTempDir(
    'dante',
    (_dir, port) => ({
      'danted.conf': `logoutput: stderr
internal: 127.0.0.1 port = ${port}
external: 127.0.0.1
socksmethod: none
clientmethod: none
user.privileged: root
user.unprivileged: nobody
client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 protocol: tcp }
`,
    }),
    (dir) => ['/usr/sbin/danted', ['-f', join(dir, 'danted.conf'), '-N', '1']],
  );
}

/**
 * A SOCKS4a server: VN 4, CD 1 (connect), port, 0.0.0.x, a user id and then the host name,
 * each NUL-terminated; answers 0x00 0x5A (granted) or 0x5B (refused). Only 127.0.0.1 and
 * localhost are reached.
 */
export async function startSocks4a(): Promise<Running & { hosts: string[] }> {
  const hosts: string[] = [];
  const server = await tcpServer((client) => {
    let buffer = Buffer.alloc(0);
    const onData = (data: Buffer) => {
      buffer = Buffer.concat([buffer, data]);
      const userEnd = buffer.indexOf(0, 8);
      const hostEnd = userEnd < 0 ? -1 : buffer.indexOf(0, userEnd + 1);
      if (hostEnd < 0) return;
      client.off('data', onData);
      const port = buffer.readUInt16BE(2);
      const host = buffer.subarray(userEnd + 1, hostEnd).toString();
      hosts.push(host);
      const reply = (code: number) => Buffer.from([0, code, 0, 0, 0, 0, 0, 0]);
      if (buffer[0] !== 4 || buffer[1] !== 1 || !['localhost', '127.0.0.1'].includes(host)) {
        client.end(reply(0x5b));
        return;
      }
      const upstream = net.connect(port, '127.0.0.1', () => {
        client.write(reply(0x5a));
        const rest = buffer.subarray(hostEnd + 1);
        if (rest.length) upstream.write(rest);
        client.pipe(upstream).pipe(client);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    };
    client.on('data', onData);
  });
  return Object.assign(server, { hosts });
}
