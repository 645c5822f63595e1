// IP literals in every spelling a resolver or a URL parser might accept, turned into bytes,
// so a rule about 127.0.0.1 also catches 2130706433, 0177.0.0.1, 0x7f.1 and 127.1.
//
// IPv4 follows inet_aton: one to four parts, each decimal, octal (leading 0) or hex (0x);
// the last part fills the bytes that are left. IPv6 follows RFC 4291 text forms, with an
// optional embedded dotted IPv4 tail and optional brackets; a zone (%eth0) is refused, since
// it names a link, which this proxy never reaches.
import { formatAddress } from '../net/name-pool.js';

export interface IpAddress {
  family: 4 | 6;
  bytes: Uint8Array;
}

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const DOTTED_QUAD = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

const PART = /^(0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*)$/i;

function ipv4Part(text: string): number | null {
  if (!PART.test(text)) return null;
  if (/^0x/i.test(text)) return text.length === 2 ? 0 : parseInt(text.slice(2), 16);
  if (text.length > 1 && text.startsWith('0')) return parseInt(text, 8);
  return Number(text);
}

export function parseIpv4(text: string): Uint8Array | null {
  const parts = text.replace(/\.$/, '').split('.');
  if (parts.length > 4 || parts.some((part) => part === '')) return null;
  const values = parts.map(ipv4Part);
  if (values.some((value) => value === null)) return null;

  const last = values.pop()!;
  const lead = values as number[];
  const room = 4 - lead.length;
  if (lead.some((value) => value > 255) || last >= 2 ** (8 * room)) return null;

  const bytes = new Uint8Array(4);
  lead.forEach((value, i) => (bytes[i] = value));
  for (let i = 0; i < room; i++) bytes[3 - i] = Math.floor(last / 256 ** i) % 256;
  return bytes;
}

function groups(text: string): number[] | null {
  if (text === '') return [];
  const out: number[] = [];
  for (const group of text.split(':')) {
    if (!/^[0-9a-f]{1,4}$/i.test(group)) return null;
    out.push(parseInt(group, 16));
  }
  return out;
}

export function parseIpv6(text: string): Uint8Array | null {
  let body = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (body.includes('%') || !body.includes(':')) return null;

  // A dotted IPv4 tail stands for the last two groups.
  let tail: number[] = [];
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (dotted) {
    const v4 = DOTTED_QUAD.test(dotted[2]!) ? dotted[2]!.split('.').map(Number) : null;
    if (!v4) return null;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    body = dotted[1]!.endsWith('::') ? dotted[1]! : dotted[1]!.slice(0, -1);
  }

  const halves = body.split('::');
  if (halves.length > 2) return null;
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !rest) return null;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return null;

  const all = [...head, ...new Array<number>(8 - given).fill(0), ...rest, ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => new DataView(bytes.buffer).setUint16(i * 2, group));
  return bytes;
}

/** The address `text` spells, or null when it is not an IP literal (so, a name). */
export function parseIp(text: string): IpAddress | null {
  const v4 = /^[0-9a-fx.]+$/i.test(text) && /^[0-9]|^0x/i.test(text) ? parseIpv4(text) : null;
  if (v4) return { family: 4, bytes: v4 };
  const v6 = parseIpv6(text);
  return v6 ? { family: 6, bytes: v6 } : null;
}

/** The canonical text form: dotted quad, or RFC 5952 IPv6. */
export function formatIp(ip: IpAddress): string {
  return formatAddress({ family: ip.family, port: 0, bytes: ip.bytes });
}
