/**
 * IP networks the way python3-netaddr 0.8 (what Ansible's ipaddr filters sit on) parses and prints them.
 *
 * Values are bigints so IPv4 and IPv6 share one code path. IPv6 text goes through the `ip-address`
 * library; the parsing rules in front of it are glibc's inet_pton (what netaddr calls), and printing
 * follows glibc's inet_ntop (RFC 5952 compression plus the embedded-IPv4 forms `::ffff:a.b.c.d`).
 */
import { Address4, Address6 } from 'ip-address';

export type IpVersion = 4 | 6;

/** netaddr's IPNetwork: an address (`value`, host bits kept) and a prefix length. */
export interface IPNet {
  readonly version: IpVersion;
  readonly value: bigint;
  readonly prefixlen: number;
}

export const WIDTH = { 4: 32, 6: 128 } as const;
const MAX = { 4: (1n << 32n) - 1n, 6: (1n << 128n) - 1n } as const;

export function maxInt(version: IpVersion): bigint {
  return MAX[version];
}

// ---------------------------------------------------------------- parsing (inet_pton)

const V4_OCTET = /^(?:0|[1-9]\d{0,2})$/;

/** glibc inet_pton(AF_INET): exactly four decimal octets, no leading zeros. */
export function parseIPv4(s: string): bigint | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const p of parts) {
    if (!V4_OCTET.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return BigInt(value);
}

const V6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** glibc inet_pton(AF_INET6) syntax check; the value itself comes from ip-address. */
function validIPv6Syntax(s: string): boolean {
  if (s.length < 2 || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (h: string): string[] | null => (h === '' ? [] : h.split(':'));
  const head = groupsOf(halves[0]!);
  const tail = halves.length === 2 ? groupsOf(halves[1]!) : [];
  if (!head || !tail) return false;
  const all = [...head, ...tail];
  let count = 0;
  for (let i = 0; i < all.length; i += 1) {
    const g = all[i]!;
    if (g.includes('.')) {
      // a dotted quad only as the very last group
      if (i !== all.length - 1 || parseIPv4(g) === null) return false;
      count += 2;
    } else {
      if (!V6_GROUP.test(g)) return false;
      count += 1;
    }
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

export function parseIPv6(s: string): bigint | null {
  if (!validIPv6Syntax(s)) return null;
  try {
    return new Address6(s).bigInt();
  } catch {
    return null;
  }
}

/** netaddr's expand_partial_address: `10.1` is `10.1.0.0`, each part read by Python's int(). */
function expandPartialIPv4(s: string): string | null {
  if (s.includes(':')) return null;
  const tokens = s.split('.');
  if (tokens.length < 1 || tokens.length > 4) return null;
  const out: string[] = [];
  for (const t of tokens) {
    const n = pyInt(t);
    if (n === null) return null;
    out.push(String(n));
  }
  while (out.length < 4) out.push('0');
  return out.join('.');
}

/** Python's int() on a string (whitespace, sign, underscores between digits); null when it raises. */
export function pyInt(s: string): number | null {
  const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(s);
  if (!m) return null;
  const n = Number(m[2]!.replace(/_/g, ''));
  return m[1] === '-' ? -n : n;
}

function isNetmask(v: bigint, version: IpVersion): boolean {
  const x = (v ^ MAX[version]) + 1n;
  return (x & (x - 1n)) === 0n;
}

function isHostmask(v: bigint): boolean {
  const x = v + 1n;
  return (x & (x - 1n)) === 0n;
}

function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

function parseAddress(version: IpVersion, s: string): bigint | null {
  return version === 4 ? parseIPv4(s) : parseIPv6(s);
}

/** netaddr.parse_ip_network for one family, or null (AddrFormatError). */
function parseNetworkAs(version: IpVersion, addr: string): IPNet | null {
  const slash = addr.indexOf('/');
  const val1 = slash < 0 ? addr : addr.slice(0, slash);
  const val2 = slash < 0 ? null : addr.slice(slash + 1);
  let value = parseAddress(version, val1);
  if (value === null && version === 4) {
    const expanded = expandPartialIPv4(val1);
    value = expanded === null ? null : parseIPv4(expanded);
  }
  if (value === null) return null;
  let prefixlen: number;
  if (val2 === null) {
    prefixlen = WIDTH[version];
  } else {
    const n = pyInt(val2);
    if (n !== null) {
      prefixlen = n;
    } else {
      const mask = parseAddress(version, val2);
      if (mask === null) return null;
      if (isNetmask(mask, version)) prefixlen = WIDTH[version] - bitLength(mask ^ MAX[version]);
      else if (isHostmask(mask)) prefixlen = WIDTH[version] - bitLength(mask);
      else return null;
    }
  }
  if (prefixlen < 0 || prefixlen > WIDTH[version]) return null;
  return { version, value, prefixlen };
}

const parseCache = new Map<string, IPNet | null>();

/** `netaddr.IPNetwork(text)`: IPv4 first, then IPv6; null when netaddr raises. Cached. */
export function parseNetwork(text: string): IPNet | null {
  let net = parseCache.get(text);
  if (net !== undefined) return net;
  net = parseNetworkAs(4, text) ?? parseNetworkAs(6, text);
  if (parseCache.size > 50_000) parseCache.clear();
  parseCache.set(text, net);
  return net;
}

/** `netaddr.IPAddress(text)` (no prefix allowed); IPv4 as inet_pton reads it. */
export function parseAddressAny(text: string): { version: IpVersion; value: bigint } | null {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseIPv6(text);
  return v6 === null ? null : { version: 6, value: v6 };
}

// ---------------------------------------------------------------- printing (inet_ntop)

function formatIPv4(v: bigint): string {
  return Address4.fromBigInt(v).correctForm();
}

function formatIPv6(v: bigint): string {
  // glibc prints an embedded IPv4 when the zero run starts the address and covers 6 words,
  // or 5 words followed by ffff. That happens exactly for these value ranges:
  const hi = v >> 32n;
  const low32 = v & 0xffffffffn;
  if (hi === 0n && v > 0xffffn) return `::${formatIPv4(low32)}`;
  if (hi === 0xffffn) return `::ffff:${formatIPv4(low32)}`;
  return Address6.fromBigInt(v).correctForm();
}

const formatCache = [new Map<bigint, string>(), new Map<bigint, string>()];

export function formatAddress(version: IpVersion, v: bigint): string {
  const cache = formatCache[version === 4 ? 0 : 1]!;
  let s = cache.get(v);
  if (s === undefined) {
    s = version === 4 ? formatIPv4(v) : formatIPv6(v);
    if (cache.size > 50_000) cache.clear();
    cache.set(v, s);
  }
  return s;
}

// ---------------------------------------------------------------- network properties

export function hostmaskInt(n: IPNet): bigint {
  return (1n << BigInt(WIDTH[n.version] - n.prefixlen)) - 1n;
}

export function netmaskInt(n: IPNet): bigint {
  return MAX[n.version] ^ hostmaskInt(n);
}

export function size(n: IPNet): bigint {
  return 1n << BigInt(WIDTH[n.version] - n.prefixlen);
}

export function first(n: IPNet): bigint {
  return n.value & netmaskInt(n);
}

export function last(n: IPNet): bigint {
  return n.value | hostmaskInt(n);
}

/** netaddr 0.8: IPv4 /31 and /32 have no broadcast; IPv6 always has one (the last address). */
export function broadcast(n: IPNet): bigint | null {
  if (n.version === 4 && WIDTH[4] - n.prefixlen <= 1) return null;
  return last(n);
}

/** `str(IPNetwork)`: address with host bits, slash, prefix. */
export function formatNetwork(n: IPNet): string {
  return `${formatAddress(n.version, n.value)}/${n.prefixlen}`;
}

export function cidrOf(n: IPNet): IPNet {
  return { version: n.version, value: first(n), prefixlen: n.prefixlen };
}

export function reverseDns(version: IpVersion, v: bigint): string {
  return version === 4 ? Address4.fromBigInt(v).reverseForm() : Address6.fromBigInt(v).reverseForm();
}

// ---------------------------------------------------------------- netaddr's special ranges

interface Range {
  readonly first: bigint;
  readonly last: bigint;
}

function cidrRange(text: string): Range {
  const n = parseNetwork(text);
  if (!n) throw new Error(`bad built-in range ${text}`);
  return { first: first(n), last: last(n) };
}

function addrRange(a: string, b: string): Range {
  return { first: parseIPv4(a)!, last: parseIPv4(b)! };
}

const V4_PRIVATE: Range[] = [
  cidrRange('10.0.0.0/8'),
  cidrRange('100.64.0.0/10'),
  cidrRange('172.16.0.0/12'),
  cidrRange('192.0.0.0/24'),
  cidrRange('192.168.0.0/16'),
  cidrRange('198.18.0.0/15'),
  addrRange('239.0.0.0', '239.255.255.255'),
];
const V6_PRIVATE: Range[] = [cidrRange('fc00::/7'), cidrRange('fec0::/10')];
const V4_LINK_LOCAL = cidrRange('169.254.0.0/16');
const V6_LINK_LOCAL = cidrRange('fe80::/10');
const V4_MULTICAST = cidrRange('224.0.0.0/4');
const V6_MULTICAST = cidrRange('ff00::/8');
const V4_LOOPBACK = cidrRange('127.0.0.0/8');

/** `other in range` for a network (whole network inside) — netaddr's containment. */
function within(lo: bigint, hi: bigint, r: Range): boolean {
  return lo >= r.first && hi <= r.last;
}

/** BaseIP.is_private for an address (lo == hi) or a network. */
export function isPrivate(version: IpVersion, lo: bigint, hi: bigint): boolean {
  for (const r of version === 4 ? V4_PRIVATE : V6_PRIVATE) if (within(lo, hi, r)) return true;
  return isLinkLocal(version, lo, hi);
}

export function isLinkLocal(version: IpVersion, lo: bigint, hi: bigint): boolean {
  return within(lo, hi, version === 4 ? V4_LINK_LOCAL : V6_LINK_LOCAL);
}

export function isMulticast(version: IpVersion, lo: bigint, hi: bigint): boolean {
  return within(lo, hi, version === 4 ? V4_MULTICAST : V6_MULTICAST);
}

export function isLoopbackAddress(version: IpVersion, v: bigint): boolean {
  return version === 4 ? within(v, v, V4_LOOPBACK) : v === 1n;
}

export function isNetmaskAddress(version: IpVersion, v: bigint): boolean {
  return isNetmask(v, version);
}

export function isHostmaskAddress(v: bigint): boolean {
  return isHostmask(v);
}
