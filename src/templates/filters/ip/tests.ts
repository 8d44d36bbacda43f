/**
 * ansible.utils' IP tests. Unlike the filters these sit on Python's `ipaddress` module (strict:
 * a network with host bits set is not a network), with Debian Python 3.11's special-purpose ranges.
 */

import { type IpVersion, WIDTH, parseIPv4, parseIPv6, pyInt } from './net.js';

interface PyNet {
  version: IpVersion;
  lo: bigint;
  hi: bigint;
}

function pyAddress(text: unknown): { version: IpVersion; value: bigint } | null {
  // the tests' argspec makes the value a str: an integer is not an address here
  if (typeof text !== 'string') return null;
  const v4 = parseIPv4(text);
  if (v4 !== null) return { version: 4, value: v4 };
  const bare = text.includes('%') ? text.slice(0, text.indexOf('%')) : text;
  if (text.includes('%') && text.endsWith('%')) return null;
  const v6 = parseIPv6(bare) ?? parseIPv6Loose(bare);
  return v6 === null ? null : { version: 6, value: v6 };
}

/** Python also reads `1:2:3:4:5:6:7::`-style text that glibc reads the same; this covers `::` ending 8 groups. */
function parseIPv6Loose(text: string): bigint | null {
  if (text.endsWith('::') && text.split(':').length === 10) return parseIPv6(text.slice(0, -2) + ':0');
  return null;
}

/** ipaddress.ip_network(text) with strict=True. */
function pyNetwork(text: unknown): PyNet | null {
  if (typeof text !== 'string') {
    const a = pyAddress(text);
    return a ? { version: a.version, lo: a.value, hi: a.value } : null;
  }
  const parts = text.split('/');
  if (parts.length > 2) return null;
  const a = pyAddress(parts[0]);
  if (!a) return null;
  const width = WIDTH[a.version];
  let prefixlen: number = width;
  if (parts.length === 2) {
    const p = parts[1]!;
    if (/^\d{1,3}$/.test(p)) prefixlen = Number(p);
    else if (a.version === 4) {
      const m = parseIPv4(p);
      if (m === null) return null;
      prefixlen = maskPrefix(m) ?? -1;
    } else return null;
    if (prefixlen < 0 || prefixlen > width || pyInt(p) === null && a.version === 6) return null;
  }
  const host = (1n << BigInt(width - prefixlen)) - 1n;
  if ((a.value & host) !== 0n) return null;
  return { version: a.version, lo: a.value, hi: a.value | host };
}

/** A netmask (255.255.0.0) or hostmask (0.0.255.255) as a prefix length. */
function maskPrefix(m: bigint): number | null {
  for (let p = 0; p <= 32; p += 1) {
    const host = (1n << BigInt(32 - p)) - 1n;
    if (m === (0xffffffffn ^ host)) return p;
  }
  for (let p = 0; p <= 32; p += 1) if (m === (1n << BigInt(32 - p)) - 1n) return 32 - p;
  return null;
}

function cidr(text: string): PyNet {
  const n = pyNetwork(text);
  if (!n) throw new Error(`bad range ${text}`);
  return n;
}

const V4_PRIVATE = ['0.0.0.0/8', '10.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.0.0.170/31', '192.0.2.0/24', '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4', '255.255.255.255/32'].map(cidr);
const V4_PRIVATE_EXCEPT = ['192.0.0.9/32', '192.0.0.10/32'].map(cidr);
const V6_PRIVATE = ['::1/128', '::/128', '::ffff:0:0/96', '64:ff9b:1::/48', '100::/64', '2001::/23', '2001:db8::/32', '2002::/16', 'fc00::/7', 'fe80::/10'].map(cidr);
const V6_PRIVATE_EXCEPT = ['2001:1::1/128', '2001:1::2/128', '2001:3::/32', '2001:4:112::/48', '2001:20::/28', '2001:30::/28'].map(cidr);
const CGNAT = cidr('100.64.0.0/10');

const inNet = (version: IpVersion, v: bigint, n: PyNet): boolean => n.version === version && v >= n.lo && v <= n.hi;

function isPrivate(version: IpVersion, v: bigint): boolean {
  if (version === 6 && v >> 32n === 0xffffn) return isPrivate(4, v & 0xffffffffn);
  const [nets, except] = version === 4 ? [V4_PRIVATE, V4_PRIVATE_EXCEPT] : [V6_PRIVATE, V6_PRIVATE_EXCEPT];
  return nets.some((n) => inNet(version, v, n)) && !except.some((n) => inNet(version, v, n));
}

function isGlobal(version: IpVersion, v: bigint): boolean {
  if (version === 6 && v >> 32n === 0xffffn) return isGlobal(4, v & 0xffffffffn);
  if (version === 4 && inNet(4, v, CGNAT)) return false;
  return !isPrivate(version, v);
}

function subnetOf(a: unknown, b: unknown): boolean {
  const x = pyNetwork(a);
  const y = pyNetwork(b);
  if (!x || !y || x.version !== y.version) return false;
  return y.lo <= x.lo && y.hi >= x.hi;
}

const addressTest =
  (pred: (version: IpVersion, v: bigint) => boolean) =>
  (value: unknown): boolean => {
    const a = pyAddress(value);
    return a ? pred(a.version, a.value) : false;
  };

function networks(list: unknown): unknown[] {
  return Array.isArray(list) ? list : typeof list === 'string' ? Array.from(list) : [];
}

export const ipTests: Record<string, (value: unknown, ...args: unknown[]) => boolean> = {
  ip: (v) => pyNetwork(v) !== null,
  ip_address: (v) => pyAddress(v) !== null,
  ipv4: (v) => pyNetwork(v)?.version === 4,
  ipv4_address: (v) => pyAddress(v)?.version === 4,
  ipv6: (v) => pyNetwork(v)?.version === 6,
  ipv6_address: (v) => pyAddress(v)?.version === 6,
  private: addressTest(isPrivate),
  public: addressTest(isGlobal),
  loopback: addressTest((ver, v) => (ver === 4 ? v >> 24n === 127n : v === 1n)),
  multicast: addressTest((ver, v) => (ver === 4 ? v >> 28n === 0xen : v >> 120n === 0xffn)),
  in_network: (v, net) => subnetOf(v, net),
  in_any_network: (v, nets) => networks(nets).some((n) => subnetOf(v, n)),
  in_one_network: (v, nets) => networks(nets).filter((n) => subnetOf(v, n)).length === 1,
  subnet_of: (a, b) => subnetOf(a, b),
  supernet_of: (a, b) => subnetOf(b, a),
};

