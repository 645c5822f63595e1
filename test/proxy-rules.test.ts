// The proxy's safety rules, one test each. Refusals are checked on the decision functions with
// literal addresses, and through the running proxy only where the decision is "refuse", so no
// test ever sends a byte anywhere but 127.0.0.1.
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  CurlError,
  loadCurl,
  TransportError,
  wispTransport,
  type CurlClient,
  type WispTransport,
} from '../src/index.js';
import {
  checkTarget,
  judgeAddress,
  startProxy,
  systemLookup,
  type AddressCategory,
  type ProxyLogEntry,
  type RunningProxy,
  type TargetPolicy,
} from '../src/proxy/index.js';
import { tcpServer, type Running } from './support/servers.js';
import { testLookup } from './support/test-lookup.js';

const none = new Set<AddressCategory>();

const REFUSED: Record<AddressCategory, string[]> = {
  loopback: [
    '127.0.0.1',
    '127.255.255.254',
    '2130706433',
    '0177.0.0.1',
    '0x7f.1',
    '127.1',
    '0x7f000001',
    '127.0.0.1.',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
  ],
  private: [
    '10.0.0.1',
    '012.1',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '0xc0a80101',
    'fd12:3456::1',
    'fc00::1',
  ],
  'link-local': ['169.254.1.1', 'fe80::1', 'febf::1'],
  cgnat: ['100.64.0.1', '100.127.255.255'],
  multicast: ['224.0.0.1', '239.255.255.250', 'ff02::1'],
  unspecified: ['0.0.0.0', '0', '0.1.2.3', '::'],
  broadcast: ['255.255.255.255', '4294967295'],
  reserved: [
    '240.0.0.1',
    '192.0.0.8',
    '192.0.2.1',
    '198.51.100.1',
    '203.0.113.1',
    '198.18.0.1',
    '2001:db8::1',
    '100::1',
    'fec0::1',
    '3fff::1',
    '4000::1',
    '::2:3:4:5:6',
  ],
  metadata: [
    '169.254.169.254',
    '0xa9.0xfe.0xa9.0xfe',
    '2852039166',
    '169.254.170.2',
    '100.100.100.200',
    '168.63.129.16',
    'fd00:ec2::254',
  ],
  'ipv4-embedded': [
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:8.8.8.8',
    '::127.0.0.1',
    '64:ff9b::7f00:1',
    '64:ff9b::8.8.8.8',
    '64:ff9b:1::1',
    '2002:7f00:1::1',
    '2001:0:4136:e378::1',
  ],
};

const PUBLIC = [
  '93.184.216.34',
  '8.8.8.8',
  '1.1.1.1',
  '11.0.0.1',
  '172.32.0.1',
  '100.128.0.1',
  '169.255.0.1',
  '2606:4700::1111',
  '2a00:1450::1',
];

function policy(changes: Partial<TargetPolicy> = {}): TargetPolicy {
  return {
    allow: none,
    ports: [80, 443],
    allowHosts: [],
    denyHosts: [],
    lookup: testLookup,
    ...changes,
  };
}

describe('addresses, in every spelling', () => {
  for (const [category, addresses] of Object.entries(REFUSED)) {
    it(`refuses ${category} addresses by default`, () => {
      for (const address of addresses) {
        const verdict = judgeAddress(address, none);
        expect(verdict, address).toMatchObject({ allowed: false, category });
      }
    });
  }

  it('lets public addresses through (decided only: nothing connects to them)', () => {
    for (const address of PUBLIC)
      expect(judgeAddress(address, none), address).toMatchObject({ allowed: true });
  });

  it('lets a category through only when configured, and no other', () => {
    const loopback = new Set<AddressCategory>(['loopback']);
    expect(judgeAddress('127.0.0.1', loopback)).toMatchObject({
      allowed: true,
      address: '127.0.0.1',
    });
    expect(judgeAddress('0x7f.1', loopback)).toMatchObject({ allowed: true, address: '127.0.0.1' });
    expect(judgeAddress('::1', loopback)).toMatchObject({ allowed: true });
    expect(judgeAddress('10.0.0.1', loopback)).toMatchObject({
      allowed: false,
      category: 'private',
    });
    expect(judgeAddress('::ffff:127.0.0.1', loopback)).toMatchObject({
      allowed: false,
      category: 'ipv4-embedded',
    });
    expect(judgeAddress('169.254.169.254', new Set<AddressCategory>(['link-local']))).toMatchObject(
      {
        allowed: false,
        category: 'metadata',
      },
    );
  });

  it('says which address and why, canonically spelled', () => {
    expect(judgeAddress('0177.0.0.1', none)).toMatchObject({
      address: '127.0.0.1',
      why: expect.stringContaining('loopback'),
    });
    expect(judgeAddress('example.com', none)).toBeNull();
  });
});

describe('targets: names resolved first, then every address checked', () => {
  it('refuses localhost, resolved by the system (from /etc/hosts)', async () => {
    const verdict = await checkTarget('localhost', 80, policy({ lookup: systemLookup }));
    expect(verdict).toMatchObject({
      allowed: false,
      reason: 0x48,
      why: expect.stringContaining('loopback'),
    });
  });

  it('refuses a name a resolver maps to 127.0.0.1, in any spelling', async () => {
    for (const answer of ['127.0.0.1', '0x7f.1', '2130706433', '::ffff:127.0.0.1']) {
      const verdict = await checkTarget(
        'intranet.test',
        443,
        policy({ lookup: async () => [answer] }),
      );
      expect(verdict, answer).toMatchObject({ allowed: false, reason: 0x48 });
    }
  });

  it('keeps only the allowed addresses of a name, canonically spelled', async () => {
    const verdict = await checkTarget(
      'mixed.test',
      443,
      policy({ lookup: async () => ['127.0.0.1', '8.8.8.8', '10.1.1.1'] }),
    );
    expect(verdict).toEqual({ allowed: true, addresses: ['8.8.8.8'] });
  });

  it('allows ports 80 and 443 only, by default; ranges and any when configured', async () => {
    expect(await checkTarget('8.8.8.8', 22, policy())).toMatchObject({
      allowed: false,
      reason: 0x48,
      why: expect.stringContaining('port 22'),
    });
    expect(await checkTarget('8.8.8.8', 443, policy())).toMatchObject({ allowed: true });
    expect(await checkTarget('8.8.8.8', 8080, policy({ ports: [[8000, 8100]] }))).toMatchObject({
      allowed: true,
    });
    expect(await checkTarget('8.8.8.8', 22, policy({ ports: 'any' }))).toMatchObject({
      allowed: true,
    });
  });

  it('refuses invalid targets without resolving them', async () => {
    const lookup = vi.fn(testLookup);
    for (const [host, port] of [
      ['', 80],
      ['a b', 80],
      ['08.1.1.1', 80],
      ['1.2.3.4.5', 80],
      ['x.0x10', 80],
      ['fe80::1%eth0', 80],
      ['8.8.8.8', 0],
      ['8.8.8.8', 70000],
    ] as const) {
      expect(await checkTarget(host, port, policy({ lookup })), `${host}:${port}`).toMatchObject({
        allowed: false,
        reason: 0x41,
      });
    }
    expect(lookup).not.toHaveBeenCalled();
  });

  it('reports a name that does not resolve as unreachable (0x42)', async () => {
    expect(await checkTarget('nothing.test', 80, policy())).toMatchObject({
      allowed: false,
      reason: 0x42,
    });
  });

  it('honours the deny list: names, wildcards and CIDRs', async () => {
    const lookup = async () => ['8.8.8.8'];
    const deny = policy({ lookup, denyHosts: ['bad.test', '*.evil.test', '8.8.4.0/24'] });
    expect(await checkTarget('bad.test', 80, deny)).toMatchObject({ allowed: false, reason: 0x48 });
    expect(await checkTarget('a.evil.test', 80, deny)).toMatchObject({ allowed: false });
    expect(await checkTarget('evil.test', 80, deny)).toMatchObject({ allowed: true });
    expect(await checkTarget('8.8.4.4', 80, deny)).toMatchObject({
      allowed: false,
      why: expect.stringContaining('deny list'),
    });
  });

  it('honours the allow list: nothing else passes, and names off it are not even resolved', async () => {
    const lookup = vi.fn(async () => ['8.8.8.8']);
    const allow = policy({ lookup, allowHosts: ['api.test', '*.cdn.test'] });
    expect(await checkTarget('api.test', 443, allow)).toMatchObject({ allowed: true });
    expect(await checkTarget('x.cdn.test', 443, allow)).toMatchObject({ allowed: true });
    lookup.mockClear();
    expect(await checkTarget('other.test', 443, allow)).toMatchObject({
      allowed: false,
      reason: 0x48,
    });
    expect(lookup).not.toHaveBeenCalled();
    const byAddress = policy({ lookup, allowHosts: ['8.8.8.0/24'] });
    expect(await checkTarget('any.test', 443, byAddress)).toMatchObject({ allowed: true });
    expect(await checkTarget('1.1.1.1', 443, byAddress)).toMatchObject({ allowed: false });
  });

  it('never lets the allow list open a refused address category', async () => {
    const verdict = await checkTarget(
      'intranet.test',
      443,
      policy({ allowHosts: ['intranet.test'] }),
    );
    expect(verdict).toMatchObject({ allowed: false, why: expect.stringContaining('loopback') });
  });
});

describe('through the running proxy, with its defaults', () => {
  let proxy: RunningProxy;
  let curl: CurlClient;
  let transport: WispTransport;
  let listener: Running;
  let connections = 0;
  const logs: ProxyLogEntry[] = [];

  beforeAll(async () => {
    // A listener the refused requests would reach if the proxy connected: it must see nothing.
    listener = await tcpServer((socket) => {
      connections++;
      socket.destroy();
    });
    proxy = await startProxy({ lookup: testLookup, log: (entry) => logs.push(entry) });
    transport = wispTransport({ url: proxy.url, WebSocket });
    curl = await loadCurl({ transport });
  });

  afterAll(async () => {
    transport.close();
    await proxy.close();
    await listener.close();
  });

  async function refusal(url: string): Promise<TransportError> {
    const error = await curl.fetch(url).then(
      () => null,
      (e: TypeError) => e.cause as CurlError,
    );
    expect(error?.code).toBe('CURLE_COULDNT_CONNECT');
    expect(error?.cause).toBeInstanceOf(TransportError);
    return error!.cause as TransportError;
  }

  it('refuses loopback by address, by name and by other spellings, before connecting', async () => {
    for (const url of [
      'http://127.0.0.1/',
      'http://intranet.test/',
      'http://[::1]:443/',
      `http://0x7f.1:${listener.port}/`,
    ]) {
      const cause = await refusal(url);
      expect(cause.code, url).toBe('EACCES');
      expect(cause.message, url).toMatch(/blocks this destination/);
    }
    expect(connections).toBe(0);
  });

  it('refuses a port other than 80 and 443 before resolving or connecting', async () => {
    const cause = await refusal(`http://intranet.test:${listener.port}/`);
    expect(cause.code).toBe('EACCES');
    expect(connections).toBe(0);
    const entry = logs.find(
      (e) => e.kind === 'stream' && e.target === `intranet.test:${listener.port}`,
    );
    expect(entry).toMatchObject({
      closed: expect.stringContaining(`port ${listener.port} is not allowed`),
      reason: 0x48,
    });
  });
});
