import { describe, expect, it } from 'vitest';
import { compileSelection, parseSelection, selectDevices } from '../src/inventory/selection/index.js';
import { ValidationError } from '../src/core/errors.js';
import type { Device } from '../src/inventory/types.js';

function device(name: string, fields: Partial<Device> = {}): Device {
  return {
    id: 0, name, host: `${name}.example.net`, port: 22, platform: 'cisco_ios', site: null, role: null, vendor: null,
    model: null, description: null, tags: [], variables: {}, ssh: {}, credential: null, enabled: true, source: 'manual',
    netboxId: null, missingSince: null, lastSyncedAt: null, groups: [], createdAt: '', updatedAt: '', ...fields,
  };
}

const fleet: Device[] = [
  device('core-1', { site: 'lon', role: 'core', platform: 'cisco_xr', tags: ['prod', 'bgp'], groups: ['backbone'], vendor: 'Cisco', model: 'ASR-9001/X' }),
  device('core-2', { site: 'par', role: 'core', platform: 'juniper_junos', tags: ['prod'], groups: ['backbone'], vendor: 'Juniper', host: '10.0.0.2' }),
  device('edge-1', { site: 'lon', role: 'edge', platform: 'arista_eos', tags: ['prod', 'edge router'], vendor: 'Arista' }),
  device('lab-sw', { site: 'LAB', role: 'access', platform: 'cisco_ios', tags: ['lab'], source: 'netbox', host: '192.168.1.9' }),
];

const names = (expr: string): string[] => selectDevices(fleet, expr).map((d) => d.name);

function syntaxError(expr: string): ValidationError {
  try {
    compileSelection(expr);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error(`expected '${expr}' to be rejected`);
}

describe('selection terms', () => {
  it('matches bare words as case-insensitive name globs', () => {
    expect(names('core-*')).toEqual(['core-1', 'core-2']);
    expect(names('CORE-1')).toEqual(['core-1']);
    expect(names('*-1')).toEqual(['core-1', 'edge-1']);
    expect(names('core-{1,2}')).toEqual(['core-1', 'core-2']);
    expect(names('core-[!1]')).toEqual(['core-2']);
    expect(names('core')).toEqual([]);
  });

  it('matches every field, with globs and ignoring case', () => {
    expect(names('site:lon')).toEqual(['core-1', 'edge-1']);
    expect(names('site:lab')).toEqual(['lab-sw']);
    expect(names('role:core')).toEqual(['core-1', 'core-2']);
    expect(names('platform:cisco_*')).toEqual(['core-1', 'lab-sw']);
    expect(names('vendor:juniper')).toEqual(['core-2']);
    expect(names('model:asr-*')).toEqual(['core-1']);
    expect(names('model:*/x')).toEqual(['core-1']);
    expect(names('host:10.0.*')).toEqual(['core-2']);
    expect(names('host:192.168.1.9')).toEqual(['lab-sw']);
    expect(names('source:netbox')).toEqual(['lab-sw']);
    expect(names('name:edge-?')).toEqual(['edge-1']);
  });

  it('matches any of a device tags and groups', () => {
    expect(names('tag:prod')).toEqual(['core-1', 'core-2', 'edge-1']);
    expect(names('tag:bg*')).toEqual(['core-1']);
    expect(names('group:backbone')).toEqual(['core-1', 'core-2']);
    expect(names('groups:back*')).toEqual(['core-1', 'core-2']);
  });

  it('takes quoted values with spaces, operators and escaped quotes', () => {
    expect(names('tag:"edge router"')).toEqual(['edge-1']);
    expect(names('tag:"EDGE *"')).toEqual(['edge-1']);
    expect(names('"lab-sw"')).toEqual(['lab-sw']);
    expect(parseSelection('tag:"a \\"b\\" (c)"')).toMatchObject({ kind: 'term', field: 'tag', pattern: 'a "b" (c)' });
  });

  it('never matches a null field', () => {
    expect(names('model:*')).toEqual(['core-1']);
    expect(names('not model:*')).toEqual(['core-2', 'edge-1', 'lab-sw']);
  });
});

describe('selection operators', () => {
  it('combines with and, or, not and their symbols', () => {
    expect(names('site:lon and role:core')).toEqual(['core-1']);
    expect(names('site:lon & role:core')).toEqual(['core-1']);
    expect(names('site:lon && role:core')).toEqual(['core-1']);
    expect(names('site:lon role:core')).toEqual(['core-1']);
    expect(names('site:par or site:lab')).toEqual(['core-2', 'lab-sw']);
    expect(names('site:par | site:lab')).toEqual(['core-2', 'lab-sw']);
    expect(names('site:par || site:lab')).toEqual(['core-2', 'lab-sw']);
    expect(names('core-1,edge-1')).toEqual(['core-1', 'edge-1']);
    expect(names('core-1, lab-sw')).toEqual(['core-1', 'lab-sw']);
    expect(names('not tag:prod')).toEqual(['lab-sw']);
    expect(names('!tag:prod')).toEqual(['lab-sw']);
    expect(names('NOT tag:prod')).toEqual(['lab-sw']);
    expect(names('not not lab-sw')).toEqual(['lab-sw']);
  });

  it('binds not tighter than and, and and tighter than or', () => {
    // or < and: site:par or (site:lon and role:edge)
    expect(names('site:par or site:lon and role:edge')).toEqual(['core-2', 'edge-1']);
    expect(names('site:lon and role:edge or site:par')).toEqual(['core-2', 'edge-1']);
    // juxtaposition is and, so it binds tighter than or too
    expect(names('site:par or site:lon role:edge')).toEqual(['core-2', 'edge-1']);
    // not applies to the next term only
    expect(names('not site:lon and role:core')).toEqual(['core-2']);
    expect(names('not (site:lon and role:core)')).toEqual(['core-2', 'edge-1', 'lab-sw']);
  });

  it('groups with parentheses', () => {
    expect(names('(site:par or site:lon) and role:edge')).toEqual(['edge-1']);
    expect(names('((core-*))')).toEqual(['core-1', 'core-2']);
    expect(names('(core-1 | edge-1) !site:par')).toEqual(['core-1', 'edge-1']);
  });

  it('treats a field value that spells a keyword as a value', () => {
    const withKeywordTag = [...fleet, device('odd', { tags: ['and'] })];
    expect(selectDevices(withKeywordTag, 'tag:and').map((d) => d.name)).toEqual(['odd']);
  });

  it('selects everything for no or blank expression', () => {
    expect(selectDevices(fleet, undefined)).toHaveLength(4);
    expect(selectDevices(fleet, '  ')).toHaveLength(4);
  });
});

describe('selection errors point at the column', () => {
  const cases: Array<[string, number, string]> = [
    ['core-* and (tag:x', 18, "expected ')' to close the '(' at column 12, found end of expression"],
    ['core-* and', 11, "expected a term after 'and', found end of expression"],
    ['core-* or )', 11, "expected a term after 'or', found ')'"],
    ['core-*)', 7, "unexpected ')' with no matching '('"],
    ['not', 4, "expected a term after 'not', found end of expression"],
    ['tag:"prod', 5, 'unterminated quoted string'],
    ['site: lon', 6, "expected a value after 'site:'"],
    ['tga:prod', 1, "unknown field 'tga'; did you mean 'tag'?"],
    ['role:core and sitee:lon', 15, "unknown field 'sitee'; did you mean 'site'?"],
    ['xyzzy:1', 1, "unknown field 'xyzzy'"],
    ['', 1, 'expected a term'],
    ['()', 2, "expected a term (a name glob, field:value, \"not\" or \"(\"), found ')'"],
    ['a and or b', 7, "expected a term after 'and', found 'or'"],
  ];
  it.each(cases)('%j → column %i', (expr, column, problem) => {
    const error = syntaxError(expr);
    expect(error.exitCode).toBe(4);
    const [first, shown, caret] = error.message.split('\n');
    expect(first!.startsWith(`selection syntax error at column ${column}: ${problem}`), first).toBe(true);
    expect(shown).toBe(`  ${expr}`);
    expect(caret).toBe(`  ${' '.repeat(column - 1)}^`);
  });

  it('names the known fields in the hint of an unknown field', () => {
    expect(syntaxError('colour:red').hint).toContain('tag, site, role, platform, group');
  });
});

describe('selection speed', () => {
  it('compiles once and filters 10,000 devices in a few milliseconds', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      device(`dev-${i}`, { site: i % 2 ? 'lon' : 'par', role: i % 3 ? 'access' : 'core', tags: [`t${i % 7}`], groups: [`g${i % 5}`] }),
    );
    const expr = '(site:lon or site:par) and not role:core and (tag:t1 | tag:t2) and dev-*1 and group:g*';
    const predicate = compileSelection(expr);
    many.filter(predicate); // warm up the JIT
    const started = performance.now();
    const selected = many.filter(predicate);
    const elapsed = performance.now() - started;
    expect(selected.length).toBeGreaterThan(0);
    expect(selected.every((d) => d.name.endsWith('1') && d.role === 'access')).toBe(true);
    expect(elapsed).toBeLessThan(50);
  });
});
