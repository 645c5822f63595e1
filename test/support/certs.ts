// Test certificates, made with the openssl command once per machine and kept in the OS temp
// folder: a CA of our own, a server certificate for localhost, 127.0.0.1 and ::1, and one
// for a name no test connects to (for verification failures).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  caPem: Buffer;
  caFile: string;
  key: Buffer;
  cert: Buffer;
  keyFile: string;
  certFile: string;
  wrongKey: Buffer;
  wrongCert: Buffer;
}

const DIR = join(tmpdir(), 'libcurl-wasm-test-certs-v1');

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: DIR, stdio: ['ignore', 'ignore', 'pipe'] });
}

function issue(name: string, subject: string, altNames: string): void {
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  );
  writeFileSync(
    join(DIR, `${name}.cnf`),
    `subjectAltName=${altNames}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    `${name}.pem`,
    '-days',
    '3650',
    '-extfile',
    `${name}.cnf`,
  );
}

function make(): void {
  mkdirSync(DIR, { recursive: true });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '3650',
    '-subj',
    '/CN=libcurl-wasm test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  issue('server', '/CN=localhost', 'DNS:localhost,IP:127.0.0.1,IP:::1');
  issue('wrong', '/CN=wrong.invalid', 'DNS:wrong.invalid');
  writeFileSync(join(DIR, 'done'), '');
}

export function testCerts(): TestCerts {
  if (!existsSync(join(DIR, 'done'))) make();
  const read = (file: string) => readFileSync(join(DIR, file));
  return {
    dir: DIR,
    caPem: read('ca.pem'),
    caFile: join(DIR, 'ca.pem'),
    key: read('server.key'),
    cert: read('server.pem'),
    keyFile: join(DIR, 'server.key'),
    certFile: join(DIR, 'server.pem'),
    wrongKey: read('wrong.key'),
    wrongCert: read('wrong.pem'),
  };
}
