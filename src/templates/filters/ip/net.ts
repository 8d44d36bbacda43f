/**
 * IP networks the way python3-netaddr 0.8 (what Ansible's ipaddr filters sit on) parses and prints them.
 *
 * Values are bigints so IPv4 and IPv6 share one code path. Text conversion follows glibc's inet_pton
 * and inet_ntop (what netaddr calls): RFC 5952 compression plus the embedded-IPv4 forms. It is done
 * here rather than through `ip-address` because that library's conversions cost 60-120 µs each,
 * which the render benchmark cannot afford; the tests check both agree on random addresses, and
 * reverse-DNS names still come from `ip-address`.
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

/** glibc inet_pton(AF_INET): exactly four decimal octets, no leading zeros. */
export function parseIPv4(s: string): bigint | null {
  const n = parseIPv4Number(s);
  return n === null ? null : BigInt(n);
}

function parseIPv4Number(s: string): number | null {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= s.length; i += 1) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (digits === 0 || octet > 255) return null;
      value = value * 256 + octet;
      parts += 1;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && octet === 0) return null; // leading zero
      octet = octet * 10 + (c - 48);
      digits += 1;
      if (digits > 3) return null;
    } else return null;
  }
  return parts === 4 ? value : null;
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
  const halves = s.split('::');
  const words = (h: string): number[] => {
    if (h === '') return [];
    const out: number[] = [];
    for (const g of h.split(':')) {
      if (g.includes('.')) {
        const v4 = Number(parseIPv4(g)!);
        out.push(Math.floor(v4 / 65536), v4 % 65536);
      } else out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = words(halves[0]!);
  const tail = halves.length === 2 ? words(halves[1]!) : [];
  const all = halves.length === 2 ? [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail] : head;
  let v = 0n;
  for (const w of all) v = (v << 16n) | BigInt(w);
  return v;
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
  if (parseCache.size > 10_000) parseCache.clear();
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
  const n = Number(v);
  return `${Math.floor(n / 16777216) % 256}.${Math.floor(n / 65536) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/** glibc inet_ntop(AF_INET6). */
function formatIPv6(v: bigint): string {
  const words: number[] = [];
  for (let i = 7; i >= 0; i -= 1) words.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  // the longest run of zero words (at least two; the first on a tie) becomes "::"
  let bestBase = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j += 1;
    if (j - i > bestLen) {
      bestBase = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestLen < 2) bestBase = -1;
  // an embedded IPv4 address: ::a.b.c.d and ::ffff:a.b.c.d
  if (bestBase === 0 && (bestLen === 6 || (bestLen === 5 && words[5] === 0xffff))) {
    const prefix = bestLen === 5 ? '::ffff:' : '::';
    return prefix + formatIPv4(v & 0xffffffffn);
  }
  let out = '';
  for (let i = 0; i < 8; i += 1) {
    if (i === bestBase) {
      out += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    out += words[i]!.toString(16) + (i < 7 ? ':' : '');
  }
  return out;
}

export function formatAddress(version: IpVersion, v: bigint): string {
  // no cache: V8 hashes large bigint Map keys badly (lookups degrade to linear scans)
  return version === 4 ? formatIPv4(v) : formatIPv6(v);
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
