import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readSimpleYaml } from '../src/inventory/exchange/yaml-read.js';
import { emitYaml } from '../src/inventory/exchange/yaml-emit.js';

/** The fast reader must either agree with the full parser or decline (undefined). */
function agrees(text: string): 'fast' | 'declined' {
  const fast = readSimpleYaml(text);
  if (fast === undefined) return 'declined';
  expect(fast.value, text).toEqual(parse(text));
  return 'fast';
}

const handled = [
  'devices:\n  - name: a\n    host: 10.0.0.1\n',
  'devices:\n- name: a\n  host: b\ngroups:\n- name: g\n',
  'a: 1\nb: 1.5\nc: -3\nd: +4\ne: 0x1F\nf: 0o17\ng: .5\nh: 1e3\ni: 007\nj: 1_000\n',
  'a: true\nb: False\nc: yes\nd: no\ne: on\nf: ~\ng: null\nh:\ni: NULL\n',
  'a: .inf\nb: -.Inf\nc: 10.0.0.1\nd: fe80::1\ne: a:b\nf: "x: y"\ng: \'it\'\'s\'\n',
  'tags: [a, "b c", 3, true, null]\nempty: []\nobj: {}\n',
  'x: [a, b,]\n',
  '# comment\nkey: value\n\n  # indented comment\nother: "quoted" # trailing\n',
  'v:\n  nested:\n    deep:\n      - 1\n      - two\n      -\n        k: v\n',
  '- a\n- b\n',
  '- name: x\n  list:\n  - 1\n  - 2\n  after: y\n',
  '"quoted key": 1\n"with \\"escape\\"": "tab\\there"\n',
  'model: ASR-9001/X\nsite: -x\ndesc: a - b\nempty: ""\n',
  'scalar\n',
  '',
  'k: v\r\nk2: v2\r\n',
];

const declined = [
  'a: &x 1\nb: *x\n',
  'a: !!str 5\n',
  'a: |\n  text\n',
  'a: >\n  text\n',
  'a: {b: 1}\n',
  'a: [b, [c]]\n',
  'a: 1\na: 2\n',
  '---\na: 1\n',
  'a: plain\n  continued\n',
  'a: "multi\n  line"\n',
  'a: value # comment\n',
  '- - x\n',
  "'single': 1\n",
  'a: "\\x41"\n',
  '\ta: 1\n',
  '1: one\n',
  'true: x\n',
  'a: -\n',
  'a: b: c\n',
];

describe('fast YAML reader', () => {
  it.each(handled)('reads %j like the yaml package', (text) => {
    expect(agrees(text)).toBe('fast');
  });

  it.each(declined)('declines %j (or agrees)', (text) => {
    expect(agrees(text)).toBe('declined');
  });

  it('reads back everything the writer writes', () => {
    const data = {
      devices: [
        {
          name: 'core-1', host: '10.0.0.1', port: 2222, platform: 'cisco_xr', site: 'lon', description: 'has: colon # and hash',
          tags: ['prod', 'bgp'], groups: [], enabled: false,
          variables: { asn: 65001, 'odd key': 'x', '1': 'numeric key', yes: 'yes', list: [1, 'two', null, true, { deep: [] }], nested: { a: [{ b: 1, c: [] }] }, empty: {} },
          ssh: { jumpHosts: ['bastion', 'u@h:22'], legacyAlgorithms: true },
        },
        { name: 'x', host: 'fe80::1', platform: 'cisco_ios', description: "multi\nline 'quoted' \"text\"\ttab", model: 'ASR-9001/X', vendor: '', role: ' padded ' },
      ],
      groups: [{ name: 'g', priority: -3, variables: { ntp: '10.0.0.100', version: '1.2.3', float: 1.5, e: 1e21 } }],
    };
    const text = emitYaml(data);
    expect(parse(text)).toEqual(data);
    expect(agrees(text)).toBe('fast');
  });

  it("records where each sequence item starts", () => {
    const read = readSimpleYaml('devices:\n  - name: a\n  - name: b\n    host: c\n')!;
    const devices = (read.value as { devices: object[] }).devices;
    expect(read.itemPositions.get(devices)?.[1]).toEqual({ line: 3, col: 5 });
  });
});

describe('parseInventoryFile', () => {
  it('gives YAML entries every field, defaults for the ones left out', async () => {
    const { parseInventoryFile } = await import('../src/inventory/exchange/parse.js');
    const doc = parseInventoryFile('inv.yaml', 'devices:\n  - name: a\n    host: h\n');
    expect(doc.devices).toEqual([
      {
        name: 'a', host: 'h', port: 22, platform: 'cisco_ios', site: null, role: null, vendor: null, model: null, description: null,
        tags: [], groups: [], credential: null, enabled: true, variables: {}, ssh: {},
      },
    ]);
    expect(doc.deviceOrigins).toEqual(['inv.yaml:2:5']);
  });

  it('reads JSON as YAML, with the same result', async () => {
    const { parseInventoryFile } = await import('../src/inventory/exchange/parse.js');
    const fromJson = parseInventoryFile('inv.json', JSON.stringify({ devices: [{ name: 'a', host: 'h', tags: ['x'] }], groups: [{ name: 'g' }] }));
    const fromYaml = parseInventoryFile('inv.yaml', 'devices:\n  - {name: a, host: h, tags: [x]}\ngroups:\n  - name: g\n');
    expect(fromJson.devices).toEqual(fromYaml.devices);
    expect(fromJson.groups).toEqual(fromYaml.groups);
  });

  it('declares only the CSV header columns', async () => {
    const { parseInventoryFile } = await import('../src/inventory/exchange/parse.js');
    const doc = parseInventoryFile('inv.csv', 'name,site,tags\nr1,,a;b\n');
    expect(doc.devices).toEqual([{ name: 'r1', site: null, tags: ['a', 'b'] }]);
  });

  it('rejects unknown extensions', async () => {
    const { parseInventoryFile } = await import('../src/inventory/exchange/parse.js');
    expect(() => parseInventoryFile('inv.txt', '')).toThrow("cannot tell the format of 'inv.txt'");
  });
});
