// A plugin lent a curl on an allow-list transport reaches its granted host:port and nothing
// else: not another port, not another name, not by way of curl's options, not by swapping
// the transport. Every refusal is a CurlError at once, never a hang. The plugin is the one
// in examples/plugin-host/.
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allowListTransport,
  CurlError,
  defaultTransport,
  loadCurl,
  nodeTcpTransport,
  TransportError,
  type CurlClient,
} from '../src/index.js';
import { ROOT } from './support/consumer.js';
import { httpServer, type Running } from './support/servers.js';

interface Outcome {
  url: string;
  status?: number;
  body?: string;
  error?: unknown;
}

type Plugin = { run(curl: CurlClient, urls: string[]): Promise<Outcome[]> };

let api: Running;
let admin: Running;
let curl: CurlClient;
let plugin: Plugin;

beforeAll(async () => {
  api = await httpServer((_req: any, res: any) => res.end('granted'));
  admin = await httpServer((_req: any, res: any) => res.end('must stay out of reach'));
  const transport = allowListTransport(await defaultTransport(), [`127.0.0.1:${api.port}`]);
  curl = await loadCurl({ transport });
  const url = pathToFileURL(join(ROOT, 'examples/plugin-host/plugin.mjs')).href;
  plugin = (await import(url)) as Plugin;
});

afterAll(async () => {
  curl?.close();
  await api?.close();
  await admin?.close();
});

/** The refusal every blocked attempt must end in, naming `target`. */
function expectRefusal(error: unknown, target: string): void {
  expect(error).toBeInstanceOf(CurlError);
  expect((error as CurlError).code).toBe('CURLE_COULDNT_CONNECT');
  const cause = (error as CurlError).cause;
  expect(cause).toBeInstanceOf(TransportError);
  expect((cause as TransportError).code).toBe('EACCES');
  expect((cause as TransportError).message).toBe(`allow-list: ${target} is not on the allow-list`);
}

async function performWith(options: Array<[string, unknown]>): Promise<unknown> {
  const easy = curl.easy();
  for (const [name, value] of options) easy.setopt(name as never, value as never);
  try {
    await easy.perform();
    return null;
  } catch (error) {
    return error;
  } finally {
    easy.close();
  }
}

describe('a plugin on an allow-list', () => {
  it('reaches the granted host:port', async () => {
    const [outcome] = await plugin.run(curl, [`${api.url}/data`]);
    expect(outcome).toMatchObject({ status: 200, body: 'granted' });
  });

  it('is refused another port on 127.0.0.1 and another name, at once', async () => {
    const started = performance.now();
    const outcomes = await plugin.run(curl, [`${admin.url}/`, 'http://intranet.example:8080/']);
    expect(performance.now() - started).toBeLessThan(1000);
    expectRefusal(outcomes[0]!.error, `127.0.0.1:${admin.port}`);
    expectRefusal(outcomes[1]!.error, 'intranet.example:8080');
  });

  it('cannot route around the grant with CONNECT_TO, RESOLVE or a proxy', async () => {
    const adminTarget = `127.0.0.1:${admin.port}`;
    const sneaky = `granted.example:${admin.port}`;
    const attempts: Array<Array<[string, unknown]>> = [
      [
        ['URL', `${api.url}/`],
        ['CONNECT_TO', [`::127.0.0.1:${admin.port}`]],
      ],
      [
        ['URL', `http://${sneaky}/`],
        ['RESOLVE', [`${sneaky}:127.0.0.1`]],
      ],
      [
        ['URL', `${api.url}/`],
        ['PROXY', `http://${adminTarget}`],
      ],
    ];
    for (const options of attempts) expectRefusal(await performWith(options), adminTarget);
  });

  it('cannot swap the transport of the curl it was lent', () => {
    const sockets = curl.sockets as { transport: unknown };
    expect(() => {
      sockets.transport = nodeTcpTransport();
    }).toThrow(TypeError);
    expect(curl.sockets.transport.name).toBe('allow-list(tcp)');
  });
});

describe('allowListTransport', () => {
  it('matches IPv6 literals in any spelling and lets localhost stand for loopback', async () => {
    const six = await httpServer((_req: any, res: any) => res.end('six'), '::1');
    const transport = allowListTransport(nodeTcpTransport(), [
      `[0:0:0:0:0:0:0:1]:${six.port}`,
      `LOCALHOST:${api.port}`,
    ]);
    const local = await loadCurl({ transport });
    try {
      expect(await (await local.fetch(`${six.url}/`)).text()).toBe('six');
      expect(await (await local.fetch(`http://localhost:${api.port}/`)).text()).toBe('granted');
      expect(await (await local.fetch(`http://127.0.0.1:${api.port}/`)).text()).toBe('granted');
    } finally {
      local.close();
      await six.close();
    }
  });

  it('rejects entries that are not host:port', () => {
    for (const entry of ['127.0.0.1', 'host:0', 'host:65536', '::1:80', 'a b:80']) {
      expect(() => allowListTransport(nodeTcpTransport(), [entry]), entry).toThrow(TypeError);
    }
  });
});
