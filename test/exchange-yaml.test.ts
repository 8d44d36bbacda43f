import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dump, load } from 'js-yaml';

// Inventory files are read by js-yaml for speed and re-read by the `yaml` package for positioned
// errors, so the two must agree on everything an inventory may contain.
const samples = [
  'devices:\n  - name: a\n    host: 10.0.0.1\n',
  'devices:\n- name: a\n  host: b\ngroups:\n- name: g\n',
  'a: 1\nb: 1.5\nc: -3\nd: +4\ne: 0x1F\nf: 0o17\ng: .5\nh: 1e3\n',
  'a: true\nb: False\nc: yes\nd: no\ne: on\nf: ~\ng: null\nh:\ni: NULL\n',
  'a: .inf\nb: -.Inf\nc: 10.0.0.1\nd: fe80::1\ne: a:b\nf: "x: y"\ng: \'it\'\'s\'\n',
  'tags: [a, "b c", 3, true, null]\nempty: []\nobj: {}\n',
  '# comment\nkey: value\n\n  # indented comment\nother: "quoted" # trailing\n',
  'v:\n  nested:\n    deep:\n      - 1\n      - two\n      -\n        k: v\n',
  'model: ASR-9001/X\nsite: -x\ndesc: a - b\nempty: ""\n',
  'a: |\n  text\n',
  'a: &x 1\nb: *x\n',
];

describe('YAML readers agree', () => {
  it.each(samples)('js-yaml reads %j like the yaml package', (text) => {
    expect(load(text)).toEqual(parse(text));
  });

  it('reads back everything the export writer writes, with either parser', () => {
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
    const text = dump(data, { lineWidth: -1, noRefs: true });
    expect(parse(text)).toEqual(data);
    expect(load(text)).toEqual(data);
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
    expect(doc.deviceOrigin(0)).toBe('inv.yaml:2:5');
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
