// The demo's own HTTPS server: HTTP/2 (and HTTP/1.1) on 127.0.0.1, with a certificate for
// localhost signed by a throwaway CA that the openssl command makes in a temp folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface DemoServer {
  url: string;
  caPem: Buffer;
  close(): Promise<void>;
}

function makeCertificates(dir: string) {
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '1',
    '-subj',
    '/CN=libcurl-wasm demo CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost');
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    '-days',
    '1',
    '-extfile',
    'ext.cnf',
  );
  const read = (name: string) => readFileSync(join(dir, name));
  return { ca: read('ca.pem'), key: read('server.key'), cert: read('server.pem') };
}

export async function startDemoServer(): Promise<DemoServer> {
  const dir = mkdtempSync(join(tmpdir(), 'libcurl-wasm-demo-'));
  let certs;
  try {
    certs = makeCertificates(dir);
  } catch (error) {
    throw new Error('the demo server needs the openssl command to make its certificates', {
      cause: error,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const server = http2.createSecureServer({ key: certs.key, cert: certs.cert, allowHTTP1: true });
  server.on('request', (req, res) => {
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.end(`Hello from a local HTTP/${req.httpVersion} server.\nYou asked for ${req.url}.\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://localhost:${port}/hello`,
    caPem: certs.ca,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
