/**
 * Filters and tests against Ansible's own plugins: every expected value in
 * test/fixtures/templates/filters/*.json was computed by Ansible (scripts/gen-filter-cases.py).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ansibleFilters, ansibleTests, networkFilters } from '../src/templates/filters/index.js';
import { PyLong } from '../src/templates/filters/ip/ipaddr.js';
import { PyFloat } from '../src/templates/values.js';

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
    if ('$float' in o) return new PyFloat(o.$float as number);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

/** Our results to fixture JSON. */
function encode(v: unknown): unknown {
  if (v instanceof PyLong) return { $int: v.value.toString() };
  if (v instanceof PyFloat) return { $float: v.value };
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
