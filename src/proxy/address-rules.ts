// Which destinations the proxy refuses by default: every address that is not plainly on the
// public Internet. Ranges follow IANA's special-purpose registries for IPv4 and IPv6; cloud
// metadata endpoints come first, since they sit inside ranges an operator might allow.
import { parseIp, type IpAddress } from './ip-literal.js';

export const ADDRESS_CATEGORIES = [
  'loopback',
  'private',
  'link-local',
  'cgnat',
  'multicast',
  'unspecified',
  'broadcast',
  'reserved',
  'metadata',
  'ipv4-embedded',
] as const;

export type AddressCategory = (typeof ADDRESS_CATEGORIES)[number];

interface Range {
  prefix: Uint8Array;
  bits: number;
  family: 4 | 6;
  category: AddressCategory;
  what: string;
}

function range(cidr: string, category: AddressCategory, what: string): Range {
  const [text, bits] = cidr.split('/');
  const ip = parseIp(text!)!;
  return { prefix: ip.bytes, bits: Number(bits), family: ip.family, category, what };
}

// Most specific first: the first match decides.
const RANGES: Range[] = [
  range('169.254.169.254/32', 'metadata', 'cloud metadata service'),
  range('169.254.170.2/32', 'metadata', 'cloud metadata service (containers)'),
  range('169.254.170.23/32', 'metadata', 'cloud metadata service (pod identity)'),
  range('100.100.100.200/32', 'metadata', 'cloud metadata service'),
  range('168.63.129.16/32', 'metadata', 'cloud host service (Azure)'),
  range('fd00:ec2::254/128', 'metadata', 'cloud metadata service'),
  range('fd00:ec2::23/128', 'metadata', 'cloud metadata service (pod identity)'),

  range('0.0.0.0/8', 'unspecified', '"this network"'),
  range('10.0.0.0/8', 'private', 'private network (RFC 1918)'),
  range('100.64.0.0/10', 'cgnat', 'carrier-grade NAT (RFC 6598)'),
  range('127.0.0.0/8', 'loopback', 'loopback'),
  range('169.254.0.0/16', 'link-local', 'link-local'),
  range('172.16.0.0/12', 'private', 'private network (RFC 1918)'),
  range('192.0.0.0/24', 'reserved', 'IETF protocol assignments'),
  range('192.0.2.0/24', 'reserved', 'documentation (TEST-NET-1)'),
  range('192.31.196.0/24', 'reserved', 'AS112'),
  range('192.52.193.0/24', 'reserved', 'AMT'),
  range('192.88.99.0/24', 'reserved', 'deprecated 6to4 relay'),
  range('192.168.0.0/16', 'private', 'private network (RFC 1918)'),
  range('192.175.48.0/24', 'reserved', 'AS112'),
  range('198.18.0.0/15', 'reserved', 'benchmarking'),
  range('198.51.100.0/24', 'reserved', 'documentation (TEST-NET-2)'),
  range('203.0.113.0/24', 'reserved', 'documentation (TEST-NET-3)'),
  range('224.0.0.0/4', 'multicast', 'multicast'),
  range('255.255.255.255/32', 'broadcast', 'broadcast'),
  range('240.0.0.0/4', 'reserved', 'reserved (240/4)'),

  range('::/128', 'unspecified', 'unspecified'),
  range('::1/128', 'loopback', 'loopback'),
  range('::ffff:0:0/96', 'ipv4-embedded', 'IPv4-mapped'),
  range('::ffff:0:0:0/96', 'ipv4-embedded', 'IPv4-translated'),
  range('::/96', 'ipv4-embedded', 'IPv4-compatible'),
  range('64:ff9b::/96', 'ipv4-embedded', 'NAT64'),
  range('64:ff9b:1::/48', 'ipv4-embedded', 'local NAT64'),
  range('100::/64', 'reserved', 'discard'),
  range('2001::/32', 'ipv4-embedded', 'Teredo'),
  range('2001:db8::/32', 'reserved', 'documentation'),
  range('2001::/23', 'reserved', 'IETF protocol assignments'),
  range('2002::/16', 'ipv4-embedded', '6to4'),
  range('3fff::/20', 'reserved', 'documentation'),
  range('5f00::/16', 'reserved', 'segment routing'),
  range('fc00::/7', 'private', 'unique local (ULA)'),
  range('fe80::/10', 'link-local', 'link-local'),
  range('fec0::/10', 'reserved', 'deprecated site-local'),
  range('ff00::/8', 'multicast', 'multicast'),
  // Only 2000::/3 is global unicast; the rest of the space is not assigned for it.
  range('::/0', 'reserved', 'outside global unicast (2000::/3)'),
];

const GLOBAL_UNICAST = range('2000::/3', 'reserved', '');

function inRange(ip: IpAddress, r: Range): boolean {
  if (ip.family !== r.family) return false;
  let bits = r.bits;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((ip.bytes[i]! & mask) !== (r.prefix[i]! & mask)) return false;
  }
  return true;
}

export interface Classification {
  category: AddressCategory;
  what: string;
}

/** The special-purpose range an address falls in, or null for a public address. */
export function classify(ip: IpAddress): Classification | null {
  for (const r of RANGES) {
    if (r.bits === 0 && inRange(ip, GLOBAL_UNICAST)) continue;
    if (inRange(ip, r)) return { category: r.category, what: r.what };
  }
  return null;
}

/** Whether `ip` is inside `cidr` ('203.0.113.0/24', '2001:db8::/32', or one address). */
export function inCidr(ip: IpAddress, cidr: string): boolean {
  const [text, bits] = cidr.split('/');
  const base = parseIp(text!);
  if (!base) return false;
  const width = base.family === 4 ? 32 : 128;
  return inRange(ip, {
    prefix: base.bytes,
    bits: bits === undefined ? width : Number(bits),
    family: base.family,
    category: 'reserved',
    what: '',
  });
}
