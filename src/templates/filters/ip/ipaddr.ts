/**
 * ansible.utils' ipaddr filter family (collection 2.x as shipped in Ansible 7.7), query by query.
 * Returns follow the Python ones: a string, a number, `true`, `false` (the filter's "no"),
 * `null` (Python None, printed as "None"), or the input value itself.
 */
import { PyError, PyFloat, isDict, pyStr } from '../../values.js';
import {
  type IPNet,
  type IpVersion,
  WIDTH,
  broadcast,
  cidrOf,
  first,
  formatAddress,
  formatNetwork,
  hostmaskInt,
  isHostmaskAddress,
  isLinkLocal,
  isLoopbackAddress,
  isMulticast,
  isNetmaskAddress,
  isPrivate,
  last,
  maxInt,
  netmaskInt,
  parseAddressAny,
  parseNetwork,
  pyInt,
  reverseDns,
  size,
} from './net.js';

/** A Python int too large for a JS number (an IPv6 address as an integer, a /64's size). */
export class PyLong {
  constructor(readonly value: bigint) {}
  toString(): string {
    return this.value.toString();
  }
  toJSON(): string {
    return this.value.toString();
  }
}

/** Ansible's filter error, as a Python-level error the engine reports with file and line. */
export class AnsibleFilterError extends PyError {
  constructor(message: string) {
    super('AnsibleFilterError', message);
  }
}

export function pyIntValue(v: bigint): number | PyLong {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : new PyLong(v);
}

type VType = 'address' | 'network';

interface Ctx {
  v: IPNet;
  vtype: VType;
  /** The value as the query functions see it (a digit string becomes "a.b.c.d/32"). */
  value: unknown;
}

const ip = (v: IPNet): string => formatAddress(v.version, v.value);
const addr = (v: IPNet, x: bigint): string => formatAddress(v.version, x);

/** `str(netaddr.IPAddress(int))`: no version given, so netaddr prints any value below 2**32 as IPv4. */
function addrGuess(x: bigint): string {
  if (x < 0n || x > maxInt(6)) throw new AnsibleFilterError(`failed to detect a valid IP address from ${x}`);
  return formatAddress(x <= 0xffffffffn ? 4 : 6, x);
}

function firstLast(v: IPNet): [bigint, bigint] {
  const s = size(v);
  if (s === 2n) return [first(v), last(v)];
  return [first(v) + 1n, last(v) - 1n];
}

function inRange(v: IPNet, text: string): boolean {
  const r = parseNetwork(text)!;
  return r.version === v.version && v.value >= first(r) && v.value <= last(r);
}

function notNetworkAddress(vtype: VType): void {
  if (vtype === 'address') throw new AnsibleFilterError('Not a network address');
}

type Query = (c: Ctx) => unknown;

const addressPrefix: Query = ({ v }) => {
  const b = broadcast(v);
  if (size(v) > 2n && (v.value === first(v) || v.value === b)) return false;
  return `${ip(v)}/${v.prefixlen}`;
};

const ipQuery: Query = ({ v }) => {
  if (size(v) === 1n) return ip(v);
  if (v.value !== first(v) || broadcast(v) === null) return ip(v);
  if (v.version === 6) return ip(v);
  return null;
};

const hostmask: Query = ({ v }) => addr(v, hostmaskInt(v));

const ipv4Query: Query = ({ v, value }) => {
  if (v.version === 4) return value;
  let x: bigint;
  if (v.value <= 0xffffffffn) x = v.value;
  else if (v.value <= 0xffffffffffffn) x = v.value - 0xffff00000000n;
  else return false;
  if (x < 0n) return false;
  const prefixlen = v.prefixlen - 96;
  if (prefixlen < 0) return false;
  return `${formatAddress(4, x)}/${prefixlen}`;
};

const ipv6Query: Query = ({ v, value }) => {
  if (v.version === 6) return value;
  return `${formatAddress(6, 0xffff00000000n + v.value)}/${v.prefixlen + 96}`;
};

const loopback: Query = ({ v, value }) => (isLoopbackAddress(v.version, v.value) ? value : null);

const networkQuery: Query = ({ v }) => addr(v, first(v));
const subnet: Query = ({ v }) => formatNetwork(cidrOf(v));

const QUERIES: Record<string, Query> = {
  '': ({ v, vtype }) => (vtype === 'address' ? ip(v) : formatNetwork(v)),
  '6to4': ({ v, vtype, value }) => {
    if (v.version === 4) {
      let ipconv: string;
      if (size(v) === 1n || v.value !== first(v)) ipconv = ip(v);
      else return false;
      if (pyTruthy(ipaddr(ipconv, 'public')) || pyTruthy(ipaddr(ipconv, 'private'))) {
        const n = Number(v.value);
        const h = (x: number): string => x.toString(16).padStart(2, '0');
        return `2002:${h((n >>> 24) & 255)}${h((n >>> 16) & 255)}:${h((n >>> 8) & 255)}${h(n & 255)}::1/48`;
      }
      return false;
    }
    if (vtype === 'address') {
      if (inRange(v, '2002::/16')) return value;
    } else if (v.value !== first(v) && inRange(v, '2002::/16')) {
      return value;
    }
    return false;
  },
  address: ipQuery,
  'address/prefix': addressPrefix,
  bool: () => true,
  broadcast: ({ v }) => (size(v) > 2n ? addr(v, broadcast(v)!) : null),
  cidr: ({ v }) => formatNetwork(v),
  first_usable: ({ v, vtype }) => {
    notNetworkAddress(vtype);
    const s = size(v);
    if (s === 2n) return addrGuess(first(v));
    if (s > 1n) return addrGuess(first(v) + 1n);
    return null;
  },
  gateway: addressPrefix,
  gw: addressPrefix,
  host: ({ v }) => {
    if (size(v) === 1n) return formatNetwork(v);
    if (v.value !== first(v) || broadcast(v) === null) return `${ip(v)}/${v.prefixlen}`;
    return null;
  },
  'host/prefix': addressPrefix,
  hostmask,
  hostnet: addressPrefix,
  int: ({ v, vtype }) => (vtype === 'address' ? pyIntValue(v.value) : `${v.value}/${v.prefixlen}`),
  ip: ipQuery,
  'ip/prefix': ({ v }) => {
    const s = size(v);
    if (s === 2n || (s > 1n && v.value !== first(v))) return `${ip(v)}/${v.prefixlen}`;
    return null;
  },
  ip_netmask: ({ v }) => {
    const s = size(v);
    if (s === 2n || (s > 1n && v.value !== first(v))) return `${ip(v)} ${addr(v, netmaskInt(v))}`;
    return null;
  },
  ipv4: ipv4Query,
  ipv6: ipv6Query,
  last_usable: ({ v, vtype }) => {
    notNetworkAddress(vtype);
    if (size(v) > 1n) return addrGuess(firstLast(v)[1]);
    return null;
  },
  'link-local': ({ v, value }) => (isLinkLocal(v.version, v.value, v.value) ? value : null),
  lo: loopback,
  loopback,
  multicast: ({ v, value }) => (isMulticast(v.version, first(v), last(v)) ? value : null),
  net: ({ v }) => (size(v) > 1n && v.value === first(v) ? `${addr(v, first(v))}/${v.prefixlen}` : null),
  next_usable: ({ v, vtype }) => {
    notNetworkAddress(vtype);
    if (size(v) > 1n) {
      const [lo, hi] = firstLast(v);
      const next = v.value + 1n;
      addrGuess(next);
      if (next >= lo && next <= hi) return addrGuess(next);
    }
    return null;
  },
  netmask: ({ v }) => addr(v, netmaskInt(v)),
  network: networkQuery,
  network_id: networkQuery,
  'network/prefix': subnet,
  network_netmask: ({ v }) => `${addr(v, first(v))} ${addr(v, netmaskInt(v))}`,
  network_wildcard: ({ v }) => `${addr(v, first(v))} ${addr(v, hostmaskInt(v))}`,
  peer: ({ v, vtype }) => {
    notNetworkAddress(vtype);
    const s = size(v);
    if (s === 2n) return addrGuess(v.value ^ 1n);
    if (s === 4n) {
      if (v.value % 4n === 0n) throw new AnsibleFilterError('Network address of /30 has no peer');
      if (v.value % 4n === 3n) throw new AnsibleFilterError('Broadcast address of /30 has no peer');
      return addrGuess(v.value ^ 3n);
    }
    throw new AnsibleFilterError('Not a point-to-point network');
  },
  prefix: ({ v }) => v.prefixlen,
  previous_usable: ({ v, vtype }) => {
    notNetworkAddress(vtype);
    if (size(v) > 1n) {
      const [lo, hi] = firstLast(v);
      const prev = v.value - 1n;
      addrGuess(prev);
      if (prev >= lo && prev <= hi) return addrGuess(prev);
    }
    return null;
  },
  private: ({ v, value }) => (isPrivate(v.version, first(v), last(v)) ? value : null),
  public: ({ v, value }) => {
    const x = v.value;
    const ok =
      !isMulticast(v.version, x, x) &&
      !isPrivate(v.version, x, x) &&
      !isLoopbackAddress(v.version, x) &&
      !isNetmaskAddress(v.version, x) &&
      !isHostmaskAddress(x);
    return ok ? value : null;
  },
  range_usable: ({ v, vtype }) => {
    notNetworkAddress(vtype);
    if (size(v) > 1n) {
      const [lo, hi] = firstLast(v);
      return `${addrGuess(lo)}-${addrGuess(hi)}`;
    }
    return null;
  },
  revdns: ({ v }) => reverseDns(v.version, v.value),
  router: addressPrefix,
  size: ({ v }) => pyIntValue(size(v)),
  size_usable: ({ v }) => {
    const s = size(v);
    if (s === 1n) return 0;
    if (s === 2n) return 2;
    return pyIntValue(s - 2n);
  },
  subnet,
  type: ({ v }) => (size(v) === 1n || v.value !== first(v) ? 'address' : 'network'),
  unicast: ({ v, value }) => (isMulticast(v.version, first(v), last(v)) ? null : value),
  // ipaddr_utils passes no `value` to these two aliases: Python raises a TypeError
  v4: () => {
    throw new AnsibleFilterError("_ipv4_query() missing 1 required positional argument: 'value'");
  },
  v6: () => {
    throw new AnsibleFilterError("_ipv6_query() missing 1 required positional argument: 'value'");
  },
  version: ({ v }) => v.version,
  wildcard: hostmask,
  wrap: ({ v, vtype, value }) => {
    if (v.version !== 6) return value;
    return vtype === 'address' ? `[${ip(v)}]` : `[${ip(v)}]/${v.prefixlen}`;
  },
};

function pyTruthy(x: unknown): boolean {
  return !(x === false || x === null || x === undefined || x === '' || x === 0);
}

const isDigits = (s: string): boolean => /^\d+$/.test(s);

/** Python's `address, prefix = value.split("/")` succeeds: exactly one slash. */
function oneSlash(s: string): boolean {
  const i = s.indexOf('/');
  return i >= 0 && s.indexOf('/', i + 1) < 0;
}

/** Python's float() on a string. */
function pyFloatParses(s: string): boolean {
  const t = s.trim().replace(/(\d)_(?=\d)/g, '$1');
  return /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$/i.test(t);
}

/** Build a network from an integer, as the filter does by assigning `.value` on 0.0.0.0/0 or ::/0. */
function fromInteger(n: bigint, prefixlen: number, version: IpVersion | 0): IPNet | null {
  const tryAs = (ver: IpVersion): IPNet | null =>
    n >= 0n && n <= maxInt(ver) && prefixlen >= 0 && prefixlen <= WIDTH[ver] ? { version: ver, value: n, prefixlen } : null;
  if (version === 6) return tryAs(6);
  return tryAs(4) ?? tryAs(6);
}

interface Parsed {
  v: IPNet;
  vtype: VType;
  value: unknown;
}

function parseValue(value: string | number, version: IpVersion | 0): Parsed | false {
  const text = typeof value === 'number' ? String(value) : value;
  let out: Parsed | false = false;
  if (isDigits(text)) {
    const v = fromInteger(BigInt(text), version === 6 ? 128 : 32, version);
    if (v) {
      const full: IPNet = { ...v, prefixlen: WIDTH[v.version] };
      out = { v: full, vtype: 'address', value: formatNetwork(full) };
    }
  } else if (typeof value === 'string') {
    const v = parseNetwork(text);
    if (v) {
      out = { v, vtype: oneSlash(text) ? 'network' : 'address', value };
    } else {
      const parts = text.split('/');
      const a = parts.length === 2 ? pyInt(parts[0]!) : null;
      const p = parts.length === 2 ? pyInt(parts[1]!) : null;
      if (a !== null && p !== null) {
        const n = fromInteger(BigInt(a), p, 0);
        if (n) out = { v: n, vtype: 'network', value: formatNetwork(n) };
      }
    }
  }
  return out;
}

/** `cidr_lookup`: the query names a network; the value passes if its whole network lies inside. */
function lookupNetwork(query: string): IPNet | null {
  if (!query || Object.prototype.hasOwnProperty.call(QUERIES, query) || isDigits(query)) return null;
  if (!pyTruthy(ipaddr(query, 'network'))) return null;
  const n = parseNetwork(query);
  return n ? cidrOf(n) : null;
}

function warnInvalid(): false {
  return false;
}

/** The core `ipaddr(value, query, version)` of ipaddr_utils, for one value or a list. */
export function ipaddr(value: unknown, query = '', version: IpVersion | 0 = 0, alias = 'ipaddr'): unknown {
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const element of value) {
      const r = ipaddr(element, query, version);
      if (pyTruthy(r) && !(Array.isArray(r) && r.length === 0)) out.push(r);
    }
    return out;
  }
  if (value === true || !pyTruthy(value) || (value instanceof PyFloat && value.value === 0)) return warnInvalid();
  let parsed: Parsed | false = false;
  if (typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))) {
    parsed = parseValue(value, version);
  }
  if (!parsed) return false;
  const { v, vtype } = parsed;
  let q = query;
  const lookup = q === 'cidr_lookup' || !Object.prototype.hasOwnProperty.call(QUERIES, q) ? lookupNetwork(q) : null;
  if (lookup) q = 'cidr_lookup';
  if (version && v.version !== version) return false;
  if (q === 'cidr_lookup') {
    if (!lookup) throw new AnsibleFilterError(`${alias}: unknown filter type: ${query}`);
    return lookup.version === v.version && first(v) >= first(lookup) && last(v) <= last(lookup) ? parsed.value : null;
  }
  const fn = QUERIES[q];
  if (fn) return fn(parsed);
  if (pyFloatParses(q)) {
    if (size(v) === 1n) return vtype === 'address' ? ip(v) : formatNetwork(v);
    const idx = pyInt(q);
    if (idx === null) return false;
    const s = size(v);
    const i = BigInt(idx);
    let x: bigint;
    if (-s <= i && i < 0n) x = last(v) + i + 1n;
    else if (0n <= i && i <= s - 1n) x = first(v) + i;
    else return false;
    return `${addr(v, x)}/${v.prefixlen}`;
  }
  throw new AnsibleFilterError(`${alias}: unknown filter type: ${query}`);
}

// ---------------------------------------------------------------- argument handling as Ansible's argspec does

function pyTypeRepr(v: unknown): string {
  if (v === null || v === undefined) return "<class 'NoneType'>";
  if (typeof v === 'boolean') return "<class 'bool'>";
  if (typeof v === 'number') return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  if (v instanceof PyFloat) return "<class 'float'>";
  if (typeof v === 'string') return "<class 'str'>";
  if (Array.isArray(v)) return "<class 'list'>";
  if (isDict(v)) return "<class 'dict'>";
  return "<class 'object'>";
}

/** argspec `type: str`. */
export function argStr(v: unknown): string {
  return typeof v === 'string' ? v : pyStr(v);
}

/** argspec `type: int`. */
export function argInt(v: unknown, name: string): number {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'string') {
    const n = pyInt(v);
    if (n !== null) return n;
  }
  throw new AnsibleFilterError(`argument '${name}' is of type ${pyTypeRepr(v)} and we were unable to convert to int`);
}

function checkValueType(filter: string, value: unknown, allowInt: boolean, allowBool = false): void {
  const ok =
    typeof value === 'string' ||
    Array.isArray(value) ||
    (allowInt && (typeof value === 'boolean' || (typeof value === 'number' && Number.isInteger(value)))) ||
    (allowBool && typeof value === 'boolean');
  if (!ok) throw new AnsibleFilterError(`Unrecognized type <${pyTypeRepr(value)}> for ${filter} filter <value>`);
}

const resultCache = new Map<string, unknown>();

/** Cached ipaddr for scalar string inputs (the hot path in templates); results are immutable. */
function cachedIpaddr(value: unknown, query: string, version: IpVersion | 0, alias: string): unknown {
  if (typeof value !== 'string') return ipaddr(value, query, version, alias);
  const key = `${version}\u0000${query}\u0000${value}`;
  if (resultCache.has(key)) return resultCache.get(key);
  const r = ipaddr(value, query, version, alias);
  if (resultCache.size > 100_000) resultCache.clear();
  resultCache.set(key, r);
  return r;
}

export function ipaddrFilter(value: unknown, query: unknown = '', version?: unknown): unknown {
  checkValueType('ipaddr', value, true);
  const ver = version === undefined || version === null ? 0 : argInt(version, 'version');
  return cachedIpaddr(value, argStr(query), ver === 4 || ver === 6 ? ver : 0, 'ipaddr');
}

export function ipv4Filter(value: unknown, query: unknown = ''): unknown {
  checkValueType('ipv4', value, true);
  return cachedIpaddr(value, argStr(query), 4, 'ipv4');
}

export function ipv6Filter(value: unknown, query: unknown = ''): unknown {
  checkValueType('ipv6', value, true);
  return cachedIpaddr(value, argStr(query), 6, 'ipv6');
}

export function ipwrap(value: unknown, query: unknown = ''): unknown {
  checkValueType('ipwrap', value, false, true);
  const q = argStr(query);
  try {
    if (Array.isArray(value)) {
      return value.map((element) => (pyTruthy(ipaddr(element, q, 0, 'ipwrap')) ? ipaddr(element, 'wrap') : element));
    }
    const r = ipaddr(value, q, 0, 'ipwrap');
    return pyTruthy(r) ? ipaddr(r, 'wrap') : value;
  } catch {
    return value;
  }
}

/** value normalised to its network (host bits dropped), as nthhost and friends start. */
function networkOf(value: unknown): IPNet | null {
  try {
    const vtype = ipaddr(value, 'type');
    let v: unknown;
    if (vtype === 'address') v = ipaddr(value, 'cidr');
    else if (vtype === 'network') v = ipaddr(value, 'subnet');
    else return null;
    return typeof v === 'string' ? parseNetwork(v) : null;
  } catch {
    return null;
  }
}

export function nthhost(value: unknown, query: unknown = ''): unknown {
  const net = networkOf(argStr(value));
  if (!net) return false;
  if (query === null || query === undefined) return false;
  const q = argStr(query);
  if (!q) return false;
  const nth = pyInt(q);
  if (nth === null) return false;
  const s = size(net);
  const i = BigInt(nth);
  if (s > i) {
    if (i < 0n) {
      if (i < -s) throw new AnsibleFilterError('index out range for address range size!');
      return addr(net, last(net) + i + 1n);
    }
    return addr(net, first(net) + i);
  }
  return false;
}

function nthUsable(value: unknown, offset: unknown, sign: 1n | -1n): unknown {
  const v = networkOf(argStr(value));
  if (!v) return false;
  if (offset === undefined || offset === null) throw new AnsibleFilterError('Must pass in an integer');
  const off = BigInt(argInt(offset, 'offset'));
  if (size(v) > 1n) {
    const [lo, hi] = firstLast(v);
    const x = v.value + sign * off;
    addrGuess(x);
    if (x >= lo && x <= hi) return addrGuess(x);
  }
  return null;
}

export const nextNthUsable = (value: unknown, offset: unknown): unknown => nthUsable(value, offset, 1n);
export const previousNthUsable = (value: unknown, offset: unknown): unknown => nthUsable(value, offset, -1n);

export function ipmath(value: unknown, amount: unknown): unknown {
  const text = argStr(value);
  let a: { version: IpVersion; value: bigint } | null;
  if (text.includes('/')) {
    const n = parseNetwork(text);
    a = n ? { version: n.version, value: n.value } : null;
  } else {
    a = parseAddressAny(text);
  }
  if (!a) throw new AnsibleFilterError(`You must pass a valid IP address; ${text} is invalid`);
  if (!(typeof amount === 'number' && Number.isInteger(amount)) && typeof amount !== 'string') {
    throw new AnsibleFilterError(`You must pass an integer for arithmetic; ${pyStr(amount)} is not a valid integer`);
  }
  const n = BigInt(argInt(amount, 'amount'));
  const x = a.value + n;
  if (x < 0n || x > maxInt(a.version)) throw new AnsibleFilterError('result outside valid IP address boundary!');
  return formatAddress(a.version, x);
}

/** `IPNetwork.supernet(p)[index]`: the supernets from /p up to, not including, the network's own prefix. */
function supernet(net: IPNet, p: number, index: number): IPNet {
  const count = net.prefixlen - p;
  const i = index < 0 ? count + index : index;
  if (count <= 0 || i < 0 || i >= count) throw new AnsibleFilterError('list index out of range');
  return cidrOf({ ...net, prefixlen: p + i });
}

export function ipsubnet(value: unknown, query: unknown = '', index?: unknown): unknown {
  const text = argStr(value);
  const vt = ipaddr(text, 'type');
  if (!pyTruthy(vt)) return false;
  const v0 = parseNetwork(String(ipaddr(text, vt === 'address' ? 'cidr' : 'subnet')))!;
  const net = cidrOf(v0);
  const vtype = ipaddr(formatNetwork(net), 'type');
  const q = argStr(query);
  if (!q) return formatNetwork(net);
  const total = WIDTH[net.version];
  if (isDigits(q)) {
    const p = Number(q);
    if (p < 0 || p > total) return false;
    if (index === undefined || index === null) {
      if (vtype === 'address') return formatNetwork(supernet(net, p, 0));
      if (p - net.prefixlen < 0) throw new AnsibleFilterError(`Requested subnet size of ${p} is invalid`);
      return String(2n ** BigInt(p - net.prefixlen));
    }
    const idx = argInt(index, 'index');
    if (vtype === 'address') {
      if (idx > total + 1 - idx || idx < p - total) return false;
      return formatNetwork(supernet(net, p, idx));
    }
    let bi = BigInt(idx);
    if (p < net.prefixlen) {
      // 2 ** negative is a fraction in Python: only index 0 passes the bounds checks
      if (bi !== 0n) return false;
    } else {
      const subnets = 2n ** BigInt(p - net.prefixlen);
      if (bi < 0n) bi += subnets;
      if (bi < 0n || bi >= subnets) return false;
    }
    const start = net.value + (bi << BigInt(total - p));
    const n = parseNetwork(`${addrGuess(start)}/${p}`);
    if (!n) throw new AnsibleFilterError(`invalid IPNetwork ${addrGuess(start)}/${p}`);
    return formatNetwork(n);
  }
  const qt = ipaddr(q, 'type');
  if (qt !== 'address' && qt !== 'network') {
    throw new AnsibleFilterError(`You must pass a valid subnet or IP address; ${q} is invalid`);
  }
  const qn = parseNetwork(String(ipaddr(q, qt === 'address' ? 'cidr' : 'subnet')))!;
  const shift = BigInt(total - qn.prefixlen);
  if (qn.version === net.version && net.value >> shift === qn.value >> shift) {
    const hostShift = BigInt(total - net.prefixlen);
    const bits = BigInt(net.prefixlen - qn.prefixlen);
    const mask = bits >= 0n ? ((2n ** bits - 1n) << hostShift) : 0n;
    return String(((net.value & mask) >> hostShift) + 1n);
  }
  throw new AnsibleFilterError(`${formatNetwork(net)} is not in the subnet ${formatNetwork(cidrOf(qn))}`);
}

/** `_address_normalizer`: the value's subnet string, or false. */
function normalize(value: unknown): string | false {
  try {
    const t = ipaddr(value, 'type');
    if (t !== 'address' && t !== 'network') return false;
    const s = ipaddr(value, 'subnet');
    return typeof s === 'string' ? s : false;
  } catch {
    return false;
  }
}

/** [first, last] as network_in_usable/network_in_network compute them; an invalid side counts as 0 (Python's False). */
function bounds(text: string | false, usable: boolean): [bigint, bigint] {
  const n = text === false ? null : parseNetwork(text);
  if (!n) return [0n, 0n];
  const s = size(n);
  if (usable) return s > 1n ? firstLast(n) : [n.value, n.value];
  return [first(n), s > 2n ? last(n) : n.value];
}

function rangeTest(value: unknown, test: unknown, usable: boolean): boolean {
  const [vFirst, vLast] = bounds(normalize(argStr(value)), usable);
  const [wFirst, wLast] = bounds(normalize(argStr(test)), false);
  return vFirst <= wFirst && wFirst <= vLast && vFirst <= wLast && wLast <= vLast;
}

export const networkInUsable = (value: unknown, test: unknown): boolean => rangeTest(value, test, true);
export const networkInNetwork = (value: unknown, test: unknown): boolean => rangeTest(value, test, false);

/** netaddr's IPNetwork ordering: version, network address, prefix length, host bits. */
function netCompare(a: IPNet, b: IPNet): number {
  const ka = [BigInt(a.version), first(a), BigInt(a.prefixlen), a.value - first(a)];
  const kb = [BigInt(b.version), first(b), BigInt(b.prefixlen), b.value - first(b)];
  for (let i = 0; i < 4; i += 1) if (ka[i]! !== kb[i]!) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

interface MergeRange {
  version: IpVersion;
  last: bigint;
  first: bigint;
  /** The input network, kept (host bits and all) while the range merges with nothing. */
  original?: IPNet;
}

/** netaddr.cidr_merge: ranges sorted by (version, last, first), merged from the end. */
function netaddrCidrMerge(nets: IPNet[]): string[] {
  const ranges: MergeRange[] = nets.map((n) => ({ version: n.version, last: last(n), first: first(n), original: n }));
  ranges.sort((a, b) => a.version - b.version || (a.last < b.last ? -1 : a.last > b.last ? 1 : 0) || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0) || netCompare(a.original!, b.original!));
  for (let i = ranges.length - 1; i > 0; i -= 1) {
    const cur = ranges[i]!;
    const prev = ranges[i - 1]!;
    if (cur.version === prev.version && cur.first - 1n <= prev.last) {
      ranges[i - 1] = { version: cur.version, last: cur.last, first: prev.first < cur.first ? prev.first : cur.first };
      ranges.splice(i, 1);
    }
  }
  const out: string[] = [];
  for (const r of ranges) {
    if (r.original) out.push(formatNetwork(r.original));
    else for (const c of rangeToCidrs(r.version, r.first, r.last)) out.push(formatNetwork(c));
  }
  return out;
}

/** netaddr.spanning_cidr. */
function spanningCidr(nets: IPNet[]): string {
  let min = nets[0]!;
  let max = nets[0]!;
  for (const n of nets.slice(1)) {
    if (netCompare(n, min) < 0) min = n;
    if (netCompare(n, max) > 0) max = n;
  }
  let ipnum = last(max);
  let prefixlen = max.prefixlen;
  const lowest = first(min);
  const width = WIDTH[max.version];
  while (prefixlen > 0 && ipnum > lowest) {
    prefixlen -= 1;
    ipnum &= maxInt(max.version) ^ ((1n << BigInt(width - prefixlen)) - 1n);
  }
  return formatNetwork({ version: max.version, value: ipnum, prefixlen });
}

export function cidrMerge(value: unknown, action: unknown = 'merge'): unknown {
  if (!Array.isArray(value)) throw new AnsibleFilterError(`cidr_merge: expected iterable, got ${pyStr(value)}`);
  const list = value as unknown[];
  const nets = (): IPNet[] =>
    list.map((x) => {
      const n = typeof x === 'string' ? parseNetwork(x) : null;
      if (!n) throw new AnsibleFilterError(`cidr_merge: error in netaddr:\ninvalid IPNetwork ${pyStr(x)}`);
      return n;
    });
  const act = argStr(action);
  if (act === 'merge') return netaddrCidrMerge(nets());
  if (act === 'span') {
    if (list.length === 0) return null;
    const all = nets();
    if (all.length === 1) return formatNetwork(all[0]!);
    if (all.some((n) => n.version !== all[0]!.version)) {
      throw new AnsibleFilterError('cidr_merge: error in netaddr:\nIP sequence cannot contain both IPv4 and IPv6!');
    }
    return spanningCidr(all);
  }
  throw new AnsibleFilterError(`cidr_merge: invalid action '${act}'`);
}

function rangeToCidrs(version: IpVersion, lo: bigint, hi: bigint): IPNet[] {
  const out: IPNet[] = [];
  const width = WIDTH[version];
  let cur = lo;
  while (cur <= hi) {
    let prefixlen: number = width;
    // grow the block while it stays aligned and inside the range
    while (prefixlen > 0) {
      const bigger = prefixlen - 1;
      const blockSize = 1n << BigInt(width - bigger);
      if (cur % blockSize !== 0n || cur + blockSize - 1n > hi) break;
      prefixlen = bigger;
    }
    out.push({ version, value: cur, prefixlen });
    cur += 1n << BigInt(width - prefixlen);
  }
  return out;
}

export function ip4Hex(arg: unknown, delimiter: unknown = ''): string {
  const parts = argStr(arg).split('.');
  const nums = parts.map((p) => {
    const n = pyInt(p);
    if (n === null) throw new AnsibleFilterError(`invalid literal for int() with base 10: '${p}'`);
    return n;
  });
  if (nums.length < 4) throw new AnsibleFilterError('Replacement index 3 out of range for positional args tuple');
  const h = (n: number): string => (n < 0 ? '-' + (-n).toString(16).padStart(2, '0') : n.toString(16).padStart(2, '0'));
  const sep = argStr(delimiter);
  return nums.slice(0, 4).map(h).join(sep);
}

/** `reduce_on_network`: the addresses (or networks) of a list that lie inside the network. */
export function reduceOnNetwork(value: unknown, network: unknown): unknown[] {
  const [nFirst, nLast] = bounds(normalize(argStr(network)), false);
  const out: unknown[] = [];
  for (const address of Array.isArray(value) ? value : []) {
    const [aFirst, aLast] = bounds(normalize(address), false);
    if (nFirst <= aFirst && aFirst <= nLast && nFirst <= aLast && aLast <= nLast) out.push(address);
  }
  return out;
}
