// Where a raw socket goes, in the terms curl takes: a URL whose scheme picks plain TCP (http:) or
// TLS (https:) and whose host is the name to verify and send as SNI, and CURLOPT_CONNECT_TO when
// that name is not the host to connect to.

export interface SocketTarget {
  url: string;
  connectTo: string[] | null;
}

/** IPv6 literals in brackets, as URLs and CONNECT_TO want them. */
function hostPart(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new TypeError(`${port} is not a TCP port`);
  }
}

function checkHost(host: string, what: string): void {
  if (!host || /[\s/?#@]/.test(host)) throw new TypeError(`'${host}' is not a valid ${what}`);
}

export function socketTarget(host: string, port: number, tls: boolean, servername?: string) {
  checkHost(host, 'host');
  checkPort(port);
  const name = tls && servername !== undefined ? servername : host;
  if (name !== host) checkHost(name, 'server name');

  const url = `${tls ? 'https' : 'http'}://${hostPart(name)}:${port}/`;
  const connectTo = name === host ? null : [`${hostPart(name)}:${port}:${hostPart(host)}:${port}`];
  return { url, connectTo } satisfies SocketTarget;
}
