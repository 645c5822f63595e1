// The proxy's decision about one destination. The name is resolved first and every address
// it resolves to is checked (not the name); the caller connects to a checked address itself,
// so a second lookup can never hand it a different one (no DNS rebinding).
import { lookup as dnsLookup } from 'node:dns/promises';
import { CLOSE_REASON } from '../net/wisp-reasons.js';
import { classify, inCidr, type AddressCategory } from './address-rules.js';
import { formatIp, parseIp, type IpAddress } from './ip-literal.js';

/** Resolves a name to addresses (any spelling); throws when it does not resolve. */
export type Lookup = (host: string) => Promise<string[]>;

export interface TargetPolicy {
  /** Address categories let through (none by default). */
  allow: ReadonlySet<AddressCategory>;
  /** Port numbers and ranges let through; 'any' for all. */
  ports: ReadonlyArray<number | readonly [number, number]> | 'any';
  /** When not empty, only these hosts: names, '*.suffix' wildcards, addresses or CIDRs. */
  allowHosts: readonly string[];
  /** Never these hosts (same forms). */
  denyHosts: readonly string[];
  lookup: Lookup;
}

export type AddressVerdict =
  | { allowed: true; address: string }
  | { allowed: false; address: string; category: AddressCategory; why: string };

export type TargetVerdict =
  { allowed: true; addresses: string[] } | { allowed: false; reason: number; why: string };

export const systemLookup: Lookup = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((entry) => entry.address);

/** The decision for one address, in whatever spelling. Null when `text` is not an address. */
export function judgeAddress(
  text: string,
  allow: ReadonlySet<AddressCategory>,
): AddressVerdict | null {
  const ip = parseIp(text);
  if (!ip) return null;
  const address = formatIp(ip);
  const found = classify(ip);
  if (!found || allow.has(found.category)) return { allowed: true, address };
  const why = `${address} is a ${found.what} address (${found.category})`;
  return { allowed: false, address, category: found.category, why };
}

const refuse = (reason: number, why: string): TargetVerdict => ({ allowed: false, reason, why });

export async function checkTarget(
  host: string,
  port: number,
  policy: TargetPolicy,
): Promise<TargetVerdict> {
  const name = host.toLowerCase().replace(/\.$/, '');
  const invalid = invalidTarget(name, port);
  if (invalid) return refuse(CLOSE_REASON.INVALID, invalid);
  if (!portAllowed(port, policy.ports)) {
    return refuse(
      CLOSE_REASON.BLOCKED,
      `port ${port} is not allowed (${describePorts(policy.ports)})`,
    );
  }
  const { denied, named } = checkNameLists(name, policy);
  if (denied) return refuse(CLOSE_REASON.BLOCKED, denied);
  if (policy.allowHosts.length > 0 && !named && !policy.allowHosts.some(isAddressPattern)) {
    return refuse(CLOSE_REASON.BLOCKED, `${name} is not on the allow list`);
  }

  let addresses: string[];
  try {
    addresses = parseIp(name) ? [name] : await policy.lookup(name);
  } catch (error) {
    return refuse(
      CLOSE_REASON.UNREACHABLE,
      `${name} does not resolve (${(error as Error).message})`,
    );
  }
  return checkAddresses(name, addresses, policy, named);
}

function checkAddresses(
  name: string,
  addresses: string[],
  policy: TargetPolicy,
  named: boolean,
): TargetVerdict {
  const allowed: string[] = [];
  const refusals: string[] = [];
  for (const text of addresses) {
    const verdict = judgeAddress(text, policy.allow);
    if (!verdict) continue;
    const listed = verdict.allowed
      ? checkAddressLists(parseIp(verdict.address)!, policy, named)
      : null;
    if (!verdict.allowed) refusals.push(verdict.why);
    else if (listed) refusals.push(listed);
    else allowed.push(verdict.address);
  }
  if (allowed.length > 0) return { allowed: true, addresses: allowed };
  if (refusals.length === 0)
    return refuse(CLOSE_REASON.UNREACHABLE, `${name} resolves to no address`);
  const shown = parseIp(name) ? refusals[0]! : `${name} resolves to ${refusals[0]}`;
  return refuse(CLOSE_REASON.BLOCKED, shown);
}

/** Why a target is malformed, or null. */
function invalidTarget(name: string, port: number): string | null {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `port ${port} is invalid`;
  if (name === '' || name.length > 253) return 'the host name is empty or too long';
  if (parseIp(name)) return null;
  if (!/^[a-z0-9_-]+(\.[a-z0-9_-]+)*$/.test(name)) return `"${name}" is not a valid host name`;
  // A name whose last label is a number would be read as an IPv4 address by some resolvers.
  if (/(^|\.)(\d+|0x[0-9a-f]*)$/.test(name)) return `"${name}" is neither a name nor an address`;
  return null;
}

function portAllowed(port: number, ports: TargetPolicy['ports']): boolean {
  if (ports === 'any') return true;
  return ports.some((rule) =>
    typeof rule === 'number' ? rule === port : rule[0] <= port && port <= rule[1],
  );
}

function describePorts(ports: TargetPolicy['ports']): string {
  if (ports === 'any') return 'any';
  const shown = ports.map((rule) =>
    typeof rule === 'number' ? `${rule}` : `${rule[0]}-${rule[1]}`,
  );
  return `allowed: ${shown.join(', ')}`;
}

function isAddressPattern(pattern: string): boolean {
  return pattern.includes('/') || parseIp(pattern) !== null;
}

function nameMatches(name: string, pattern: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) return name.endsWith(p.slice(1));
  return name === p;
}

/** The deny list's verdict on the name, and whether the allow list names it. */
function checkNameLists(
  name: string,
  policy: TargetPolicy,
): { denied: string | null; named: boolean } {
  const names = (list: readonly string[]) => list.filter((p) => !isAddressPattern(p));
  const denied = names(policy.denyHosts).find((p) => nameMatches(name, p));
  const named = names(policy.allowHosts).some((p) => nameMatches(name, p));
  return { denied: denied ? `${name} is on the deny list (${denied})` : null, named };
}

/**
 * The address and CIDR entries of the lists, checked against one resolved address. With an
 * allow list, a target passes when its name is on it or this address is.
 */
function checkAddressLists(ip: IpAddress, policy: TargetPolicy, named: boolean): string | null {
  const address = formatIp(ip);
  const cidrs = (list: readonly string[]) => list.filter(isAddressPattern);
  const denied = cidrs(policy.denyHosts).find((cidr) => inCidr(ip, cidr));
  if (denied) return `${address} is on the deny list (${denied})`;
  if (policy.allowHosts.length === 0 || named) return null;
  return cidrs(policy.allowHosts).some((cidr) => inCidr(ip, cidr))
    ? null
    : `${address} is not on the allow list`;
}
