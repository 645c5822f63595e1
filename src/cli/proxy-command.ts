// `libcurl-wasm proxy`: the proxy server from the command line. Flags map one to one onto
// startProxy's options; logs go to stderr, one line per stream, as text or JSON.
import { parseArgs } from 'node:util';
import {
  formatJson,
  formatText,
  startProxy,
  type AddressCategory,
  type ProxyOptions,
} from '../proxy/index.js';

export const PROXY_USAGE = `usage: libcurl-wasm proxy [flags]

  Serves Wisp (v1 and v2) at the path and websockify-style streams at path + host:port.
  Refuses loopback, private, link-local, CGNAT, multicast, reserved and cloud metadata
  destinations, and every port but 80 and 443, unless told otherwise.

  --host ADDR              listen address (127.0.0.1)
  --port N                 listen port (8080; 0 for any free one)
  --path /PREFIX/          path prefix (/)
  --allow CATEGORIES       let these address categories through, comma-separated:
                           loopback, private, link-local, cgnat, multicast, unspecified,
                           broadcast, reserved, metadata, ipv4-embedded
  --ports LIST             destination ports: 80,443,8000-8100 or 'any' (80,443)
  --allow-host PATTERN     only these destinations (name, *.suffix, address or CIDR); repeatable
  --deny-host PATTERN      never these destinations; repeatable
  --token SECRET           require ?token=SECRET or Authorization: Bearer SECRET
                           (or set LIBCURL_WASM_PROXY_TOKEN)
  --user NAME:PASSWORD     Wisp v2 password authentication; repeatable
  --max-streams N          streams per Wisp connection (128)
  --max-connections N      WebSocket connections per client address (64)
  --idle-timeout MS        close a stream idle this long (300000)
  --max-stream-bytes N     close a stream after this many bytes (no limit)
  --connect-timeout MS     time to connect to a destination (10000)
  --log text|json|none     one line per stream on stderr (text)`;

const FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  path: { type: 'string' },
  allow: { type: 'string', multiple: true },
  ports: { type: 'string' },
  'allow-host': { type: 'string', multiple: true },
  'deny-host': { type: 'string', multiple: true },
  token: { type: 'string' },
  user: { type: 'string', multiple: true },
  'max-streams': { type: 'string' },
  'max-connections': { type: 'string' },
  'idle-timeout': { type: 'string' },
  'max-stream-bytes': { type: 'string' },
  'connect-timeout': { type: 'string' },
  log: { type: 'string' },
  help: { type: 'boolean' },
} as const;

export interface ProxyCommand {
  options: ProxyOptions;
  log: 'text' | 'json' | 'none';
  help: boolean;
}

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`--${flag}: "${text}" is not a number`);
  return value;
}

const list = (values: string[] | undefined) =>
  values
    ?.flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

export function parsePorts(text: string): ProxyOptions['ports'] {
  if (text === 'any') return 'any';
  return text.split(',').map((part) => {
    const [from, to] = part.split('-').map((n) => Number(n.trim()));
    const valid = (n: number | undefined) => Number.isInteger(n) && n! >= 1 && n! <= 65535;
    if (!valid(from) || (to !== undefined && !valid(to)))
      throw new RangeError(`--ports: "${part}" is not a port or range`);
    return to === undefined ? from! : [from!, to];
  });
}

function users(entries: string[] | undefined): Record<string, string> | undefined {
  if (!entries) return undefined;
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    if (colon < 0) throw new RangeError(`--user: "${entry}" is not NAME:PASSWORD`);
    out[entry.slice(0, colon)] = entry.slice(colon + 1);
  }
  return out;
}

/** The flags as startProxy options; throws a RangeError or TypeError for a bad flag. */
export function parseProxyArgs(
  args: string[],
  env: Record<string, string | undefined> = {},
): ProxyCommand {
  const { values } = parseArgs({ args, options: FLAGS, strict: true, allowPositionals: false });
  const log = values.log ?? 'text';
  if (log !== 'text' && log !== 'json' && log !== 'none')
    throw new RangeError(`--log: "${log}" is not text, json or none`);
  const options: ProxyOptions = {
    host: values.host ?? '127.0.0.1',
    port: number('port', values.port) ?? 8080,
    ...(values.path && { path: values.path }),
    ...(values.allow && { allow: list(values.allow) as AddressCategory[] }),
    ...(values.ports && { ports: parsePorts(values.ports) }),
    ...(values['allow-host'] && { allowHosts: list(values['allow-host']) }),
    ...(values['deny-host'] && { denyHosts: list(values['deny-host']) }),
    ...((values.token ?? env.LIBCURL_WASM_PROXY_TOKEN) && {
      token: values.token ?? env.LIBCURL_WASM_PROXY_TOKEN,
    }),
    ...(values.user && { users: users(values.user) }),
    maxStreamsPerConnection: number('max-streams', values['max-streams']),
    maxConnectionsPerClient: number('max-connections', values['max-connections']),
    idleTimeout: number('idle-timeout', values['idle-timeout']),
    maxStreamBytes: number('max-stream-bytes', values['max-stream-bytes']),
    connectTimeout: number('connect-timeout', values['connect-timeout']),
  };
  return { options, log, help: values.help ?? false };
}

/** Runs until SIGINT or SIGTERM, then closes gracefully. */
export async function proxyCommand(args: string[]): Promise<number> {
  const command = parseProxyArgs(args, process.env);
  if (command.help) {
    console.log(PROXY_USAGE);
    return 0;
  }
  const format = command.log === 'json' ? formatJson : formatText;
  const log =
    command.log === 'none'
      ? undefined
      : (entry: Parameters<typeof format>[0]) => {
          process.stderr.write(`${format(entry)}\n`);
        };
  const proxy = await startProxy({ ...command.options, ...(log && { log }) });
  console.log(
    `libcurl-wasm proxy: Wisp at ${proxy.url}, websockify-style at ${proxy.url}HOST:PORT`,
  );

  const signal = await new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  console.error(`libcurl-wasm proxy: ${signal}, closing`);
  await proxy.close();
  return 0;
}
