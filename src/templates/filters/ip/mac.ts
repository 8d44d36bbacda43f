/** ansible.utils' hwaddr/macaddr filters over netaddr's EUI-48 parsing and its printing dialects. */
import { AnsibleFilterError, argStr, ipaddr, pyIntValue } from './ipaddr.js';
import { first, formatAddress, parseNetwork } from './net.js';

const H2 = '[0-9A-Fa-f]{1,2}';
const H4 = '[0-9A-Fa-f]{1,4}';
const FORMATS: RegExp[] = [
  new RegExp(`^${Array(6).fill(`(${H2})`).join('-')}$`),
  new RegExp(`^${Array(6).fill(`(${H2})`).join(':')}$`),
  new RegExp(`^${Array(3).fill(`(${H4})`).join(':')}$`),
  new RegExp(`^${Array(3).fill(`(${H4})`).join('\\.')}$`),
  /^([0-9A-Fa-f]{5,6})[:-]([0-9A-Fa-f]{5,6})$/,
  /^([0-9A-Fa-f]{12})$/,
];

/** netaddr.EUI(text) for 48-bit addresses; null when it raises. */
export function parseMac(text: string): bigint | null {
  for (const re of FORMATS) {
    const m = re.exec(text.trim());
    if (!m) continue;
    const groups = m.slice(1);
    const bits = 48 / groups.length;
    let v = 0n;
    for (const g of groups) v = (v << BigInt(bits)) | BigInt(`0x${g}`);
    return v;
  }
  return null;
}

function words(v: bigint, count: number, fmt: (w: number) => string, sep: string): string {
  const bits = 48 / count;
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i -= 1) out.push(fmt(Number((v >> BigInt(i * bits)) & ((1n << BigInt(bits)) - 1n))));
  return out.join(sep);
}

const hex = (w: number, width: number, upper: boolean): string => {
  const s = w.toString(16).padStart(width, '0');
  return upper ? s.toUpperCase() : s;
};

const DIALECTS: Record<string, (v: bigint) => string> = {
  bare: (v) => hex(Number(v), 12, true),
  cisco: (v) => words(v, 3, (w) => hex(w, 4, false), '.'),
  eui48: (v) => words(v, 6, (w) => hex(w, 2, true), '-'),
  linux: (v) => words(v, 6, (w) => hex(w, 2, false), ':'),
  pgsql: (v) => words(v, 2, (w) => hex(w, 6, false), ':'),
  postgresql: (v) => words(v, 2, (w) => hex(w, 6, false), ':'),
  psql: (v) => words(v, 2, (w) => hex(w, 6, false), ':'),
  unix: (v) => words(v, 6, (w) => w.toString(16), ':'),
  win: (v) => words(v, 6, (w) => hex(w, 2, true), '-'),
};

function hwaddrAs(alias: string, value: unknown, query: unknown): unknown {
  const text = argStr(value);
  const q = argStr(query);
  const v = parseMac(text);
  if (v === null && q && q !== 'bool') throw new AnsibleFilterError(`${alias}: not a hardware address: ${text}`);
  if (q === '') return v === null ? null : value;
  if (q === 'bool') return v === null ? null : true;
  if (q === 'int') return pyIntValue(v!);
  const dialect = DIALECTS[q];
  if (!dialect) throw new AnsibleFilterError(`${alias}: unknown filter type: ${q}`);
  return dialect(v!);
}

export const hwaddr = (value: unknown, query: unknown = ''): unknown => hwaddrAs('hwaddr', value, query);
export const macaddr = (value: unknown, query: unknown = ''): unknown => hwaddrAs('macaddr', value, query);

/** `slaac`: the SLAAC (modified EUI-64) address a MAC address takes in an IPv6 network. */
export function slaac(value: unknown, query: unknown = ''): unknown {
  const text = argStr(value);
  let net;
  try {
    const vtype = ipaddr(text, 'type');
    const v = vtype === 'address' ? ipaddr(text, 'cidr') : vtype === 'network' ? ipaddr(text, 'subnet') : null;
    if (ipaddr(text, 'version') !== 6 || typeof v !== 'string') return false;
    net = parseNetwork(v);
  } catch {
    return false;
  }
  if (!net) return false;
  const q = argStr(query);
  if (!q) return false;
  const mac = parseMac(q);
  if (mac === null) return false;
  const eui64 = (((mac >> 24n) << 40n) | (0xfffen << 24n) | (mac & 0xffffffn)) ^ (0x02n << 56n);
  return formatAddress(6, first(net) | eui64);
}
