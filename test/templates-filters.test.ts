/**
 * Filters and tests against Ansible's own plugins: every expected value in
 * test/fixtures/templates/filters/*.json was computed by Ansible (scripts/gen-filter-cases.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ansibleFilters, ansibleTests, networkFilters } from '../src/templates/filters/index.js';
import { PyLong } from '../src/templates/filters/ip/ipaddr.js';
import { PyFloat, newDict } from '../src/templates/values.js';

interface Case {
  call: string;
  args: unknown[];
  kwargs?: Record<string, unknown>;
  result?: unknown;
  error?: string;
}

function load(suite: string): Case[] {
  return JSON.parse(readFileSync(new URL(`./fixtures/templates/filters/${suite}.json`, import.meta.url), 'utf8')) as Case[];
}

/** Fixture JSON to our value model: {"$int": "…"} is a big int, {"$float": n} an integral float. */
function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('$int' in o) return new PyLong(BigInt(o.$int as string));
    if ('$float' in o) {
      const f = o.$float;
      if (typeof f === 'string') return f === 'inf' ? Infinity : f === '-inf' ? -Infinity : NaN;
      return new PyFloat(f as number);
    }
    // newDict keeps the order of integer-like keys (a plain object would move them first)
    return newDict(Object.entries(o).map(([k, x]) => [k, decode(x)] as [unknown, unknown]));
  }
  return v;
}

/** Our results to fixture JSON. */
function encode(v: unknown): unknown {
  if (v instanceof PyLong) return { $int: v.value.toString() };
  if (v instanceof PyFloat) return { $float: v.value };
  if (typeof v === 'number' && !Number.isFinite(v)) return { $float: Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf' };
  if (Array.isArray(v)) return v.map(encode);
  if (v instanceof Map) return Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), encode(x)]));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
  return v === undefined ? null : v;
}

function call(c: Case): unknown {
  const args = c.args.map(decode);
  const kwargs = c.kwargs && Object.keys(c.kwargs).length ? [{ ...(decode(c.kwargs) as object), __keywords: true }] : [];
  if (c.call.startsWith('test:')) {
    const t = ansibleTests[c.call.slice(5)];
    if (!t) throw new Error(`no test ${c.call}`);
    return t(args[0], ...args.slice(1), ...kwargs);
  }
  const f = networkFilters[c.call] ?? ansibleFilters[c.call];
  if (!f) throw new Error(`no filter ${c.call}`);
  return f(args[0], ...args.slice(1), ...kwargs);
}

function mismatches(cases: Case[]): string[] {
  const bad: string[] = [];
  for (const c of cases) {
    const label = `${c.call}(${c.args.map((a) => JSON.stringify(a)).join(', ')}${c.kwargs ? ', ' + JSON.stringify(c.kwargs) : ''})`;
    let got: unknown;
    try {
      got = encode(call(c));
    } catch (e) {
      if (c.error === undefined) bad.push(`${label}: threw ${(e as Error).message}, expected ${JSON.stringify(c.result)}`);
      continue;
    }
    if (c.error !== undefined) bad.push(`${label}: returned ${JSON.stringify(got)}, expected error ${c.error}`);
    else if (JSON.stringify(got) !== JSON.stringify(c.result)) bad.push(`${label}: got ${JSON.stringify(got)}, expected ${JSON.stringify(c.result)}`);
  }
  return bad;
}

describe('ansible.utils ipaddr family (against Ansible + netaddr)', () => {
  const cases = load('ip');
  const groups = new Map<string, Case[]>();
  for (const c of cases) groups.set(c.call, [...(groups.get(c.call) ?? []), c]);
  for (const [name, list] of groups) {
    it(`${name}: ${list.length} cases`, () => {
      expect(mismatches(list)).toEqual([]);
    });
  }
});

describe('ansible.builtin filters and tests (against ansible-core 2.14)', () => {
  const cases = load('builtin');
  const groups = new Map<string, Case[]>();
  for (const c of cases) groups.set(c.call, [...(groups.get(c.call) ?? []), c]);
  for (const [name, list] of groups) {
    it(`${name}: ${list.length} cases`, () => {
      expect(mismatches(list)).toEqual([]);
    });
  }
});

describe('address text conversion', () => {
  it('prints and reads IPv6 as glibc does, and agrees with the ip-address library on plain forms', async () => {
    const { Address6 } = await import('ip-address');
    const { formatAddress, parseIPv6 } = await import('../src/templates/filters/ip/net.js');
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 2000; i += 1) {
      let v = 0n;
      // words biased towards zero so runs of zeros are common
      for (let w = 0; w < 8; w += 1) v = (v << 16n) | BigInt(rnd() % 3 === 0 ? rnd() % 65536 : 0);
      const text = formatAddress(6, v);
      expect(parseIPv6(text)).toBe(v);
      const embedded = v >> 32n === 0n ? v > 0xffffn : v >> 32n === 0xffffn;
      if (!embedded) expect(text).toBe(Address6.fromBigInt(v).correctForm());
      expect(new Address6(text).bigInt()).toBe(v);
    }
    expect(formatAddress(6, 0x10002n)).toBe('::0.1.0.2');
    expect(formatAddress(6, 0xffff0a000001n)).toBe('::ffff:10.0.0.1');
    expect(formatAddress(6, 1n)).toBe('::1');
    expect(parseIPv6('1:2:3:4:5:6:7::')).toBe(0x00010002000300040005000600070000n);
    expect(parseIPv6('fe80::1%eth0')).toBeNull();
    expect(parseIPv6('1::2::3')).toBeNull();
  });
});

describe('filter calls as the engine makes them', () => {
  it('takes keyword arguments from the engine (PyKwargs) and from nunjucks (__keywords)', async () => {
    const { PyKwargs } = await import('../src/templates/values.js');
    expect(ansibleFilters.ipsubnet!('192.168.0.0/16', 24, new PyKwargs({ index: 3 }))).toBe('192.168.3.0/24');
    expect(ansibleFilters.to_nice_json!({ b: 1, a: [] }, new PyKwargs({ indent: 2 }))).toBe('{\n  "a": [],\n  "b": 1\n}');
    expect(ansibleFilters.to_nice_json!({ b: 1, a: [] }, { indent: 2, __keywords: true })).toBe('{\n  "a": [],\n  "b": 1\n}');
    expect(ansibleFilters.regex_replace!('AbC', 'b', 'x', new PyKwargs({ ignorecase: true }))).toBe('AxC');
    expect(ansibleTests.version!('16.9.3', '16.9', new PyKwargs({ operator: '>=' }))).toBe(true);
    expect(() => ansibleFilters.ternary!(true, 'a', 'b', new PyKwargs({ bogus: 1 }))).toThrow(/unexpected keyword argument 'bogus'/);
  });

  it('mandatory names the undefined variable, or uses the message given', async () => {
    const { PyUndefined } = await import('../src/templates/values.js');
    expect(() => ansibleFilters.mandatory!(new PyUndefined('bgp_asn'))).toThrow("Mandatory variable 'bgp_asn' not defined.");
    expect(() => ansibleFilters.mandatory!(new PyUndefined('x'), 'set the ASN')).toThrow('set the ASN');
    expect(ansibleFilters.mandatory!(0)).toBe(0);
  });

  it('registers short, ansible.builtin, ansible.utils and ansible.netcommon names', () => {
    for (const name of ['ipaddr', 'ansible.utils.ipaddr', 'ansible.netcommon.ipaddr', 'ansible.utils.nthhost', 'ansible.netcommon.cidr_merge']) expect(networkFilters[name]).toBeTypeOf('function');
    for (const name of ['to_nice_yaml', 'ansible.builtin.to_nice_yaml', 'ansible.builtin.regex_replace', 'json_query', 'community.general.json_query', 'ipaddr']) expect(ansibleFilters[name]).toBeTypeOf('function');
    for (const name of ['version', 'ansible.builtin.version', 'match', 'ansible.utils.in_network', 'in_network']) expect(ansibleTests[name]).toBeTypeOf('function');
  });

  it('refuses Python regex constructs it cannot run instead of matching wrongly', () => {
    expect(() => ansibleFilters.regex_replace!('abc', '(?i:b)', 'x')).toThrow(/not supported/);
    expect(() => ansibleFilters.regex_search!('abc', '(?<n>b)')).toThrow(/unknown extension/);
  });

  it('password_hash without a salt makes a fresh one that verifies', async () => {
    const { md5Crypt } = await import('../src/templates/filters/misc.js');
    const h = ansibleFilters.password_hash!('secret', 'md5') as string;
    expect(h).toMatch(/^\$1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{22}$/);
    expect(md5Crypt('secret', h.split('$')[2]!)).toBe(h);
  });
});
