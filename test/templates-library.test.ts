import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { openSqliteStore, type Store } from '../src/store/store.js';
import { PyFloat } from '../src/templates/values.js';
import { addDevice, addGroup } from '../src/inventory/index.js';
import {
  buildRenderContext, checkTemplates, deviceContext, deviceContexts, parseTemplateMeta, parseVarAssignments, parseVars, renderWithSecrets,
  resolveTemplateFolders, TemplateFolderError, TemplateLibrary, TemplateMetaError, TemplateNotFoundError, TemplateRenderer,
  TemplateSecrets, TemplateVarsError,
} from '../src/templates/library/index.js';

const REPO = resolve(import.meta.dirname, '..');
const CORPUS = resolve(REPO, '../shared/jinja-corpus');

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('template discovery', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'netstacks-tpl-'));
    write(root, {
      'option/a.j2': 'option {{ x }}',
      'setting/a.j2': 'setting',
      'setting/b.j2': 'setting b',
      'project/templates/a.j2': 'project',
      'project/templates/c.j2': 'project c',
      'project/templates/ios/ntp-servers.j2': 'ntp',
      'project/templates/plain': 'no suffix',
      'home/templates/a.j2': 'home',
      'home/templates/d.j2': 'home d',
    });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const open = (over: Partial<{ folders: string[]; settingFolders: string[] }> = {}) =>
    TemplateLibrary.open({
      folders: [join(root, 'option')],
      settingFolders: [join(root, 'setting')],
      cwd: join(root, 'project'),
      home: join(root, 'home'),
      ...over,
    });

  it('searches --templates, the setting, ./templates, then $NETSTACKS_HOME/templates', () => {
    const library = open();
    expect(library.folders.map((f) => f.origin)).toEqual(['option', 'setting', 'project', 'home']);
    expect(library.find('a').folder.origin).toBe('option');
    expect(open({ folders: [] }).find('a').folder.origin).toBe('setting');
    expect(open({ folders: [], settingFolders: [] }).find('a').folder.origin).toBe('project');
    expect(library.find('b').folder.origin).toBe('setting');
    expect(library.find('c').folder.origin).toBe('project');
    expect(library.find('d').folder.origin).toBe('home');
    // a name in an earlier folder hides the later ones; list shows each name once
    const names = library.list().map((e) => e.name);
    expect(names).toEqual(['a', 'b', 'c', 'd', 'ios/ntp-servers']);
    expect(library.list({ shadowed: true }).filter((e) => e.name === 'a').map((e) => e.folder.origin)).toEqual(['option', 'setting', 'project', 'home']);
  });

  it('takes names with or without .j2, and paths relative to a folder', () => {
    const library = open();
    expect(library.find('ios/ntp-servers').path).toBe(join(root, 'project/templates/ios/ntp-servers.j2'));
    expect(library.find('ios/ntp-servers.j2').path).toBe(join(root, 'project/templates/ios/ntp-servers.j2'));
    expect(library.find('./ios/ntp-servers').name).toBe('ios/ntp-servers');
    expect(library.find('plain').file).toBe('plain');
    expect(library.lookup('../project/templates/c')).toBeUndefined();
  });

  it('suggests the nearest name for an unknown one', () => {
    const library = open();
    const error = thrown(() => library.find('ios/ntp-server')) as TemplateNotFoundError;
    expect(error).toBeInstanceOf(TemplateNotFoundError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe("template 'ios/ntp-server' not found");
    expect(error.hint).toBe("did you mean 'ios/ntp-servers'?");
    // the base name alone finds it in its subfolder
    expect((thrown(() => library.find('ntp-servers')) as TemplateNotFoundError).hint).toBe("did you mean 'ios/ntp-servers'?");
  });

  it('names a configured folder that does not exist; skips absent conventional ones', () => {
    const missing = join(root, 'nope');
    const error = thrown(() => resolveTemplateFolders({ folders: [missing], cwd: root })) as TemplateFolderError;
    expect(error).toBeInstanceOf(TemplateFolderError);
    expect(error.message).toContain(missing);
    expect(error.message).toContain('--templates');
    const fromSetting = thrown(() => resolveTemplateFolders({ settingFolders: [missing], cwd: root })) as TemplateFolderError;
    expect(fromSetting.message).toBe(`template folder ${missing} (from the templates setting) does not exist`);
    expect(resolveTemplateFolders({ cwd: join(root, 'option'), home: join(root, 'nohome') })).toEqual([]);
  });
});

describe('template metadata', () => {
  it('reads a valid sidecar', () => {
    const meta = parseTemplateMeta(
      'description: NTP\ntype: deploy\nplatforms: [cisco_ios]\ndelete: ios/ntp-delete\nvalidation: ios/ntp-check\nowns: [ntp server]\nenv: trim\n',
      'ntp.meta.yaml',
      ['cisco_ios'],
    );
    expect(meta).toEqual({ description: 'NTP', type: 'deploy', platforms: ['cisco_ios'], delete: 'ios/ntp-delete', validation: 'ios/ntp-check', owns: ['ntp server'], env: 'trim' });
  });

  it('names file, line and column of what is wrong', () => {
    const cases: [string, string, string?][] = [
      ['description: x\ntype: deploy\nplatfroms: [cisco_ios]\n', "x.meta.yaml:3:1: unknown key 'platfroms'", "did you mean 'platforms'?"],
      ['description: x\ntype: remove\n', "x.meta.yaml:2:7: 'type': "],
      ['type: deploy\nenv: ansibel\n', "x.meta.yaml:2:6: 'env': "],
      ['platforms:\n  - cisco_ios\n  - cisco_iso\n', "x.meta.yaml:3:5: unknown platform 'cisco_iso'", "did you mean 'cisco_ios'?"],
      ['type: delete\ndelete: other\n', 'x.meta.yaml:2:9: \'delete\': only a deploy template links a delete template'],
      ['description: [unclosed\n', 'x.meta.yaml:2:1: invalid YAML'],
      ['owns: ntp server\n', "x.meta.yaml:1:7: 'owns': "],
    ];
    for (const [text, message, hint] of cases) {
      const error = thrown(() => parseTemplateMeta(text, 'x.meta.yaml', ['cisco_ios', 'arista_eos'])) as TemplateMetaError;
      expect(error, text).toBeInstanceOf(TemplateMetaError);
      expect(error.message.startsWith(message), `${error.message} should start with ${message}`).toBe(true);
      expect(error.exitCode).toBe(4);
      if (hint) expect(error.hint).toBe(hint);
    }
  });
});

/** Every corpus case: the entry template and the files beside it, with its vars. */
function corpusCases(): { name: string; dir: string; vars: Record<string, unknown> }[] {
  const roots = [join(CORPUS, 'cases'), join(CORPUS, 'ansible-filters', 'cases')];
  return roots.flatMap((dir) =>
    readdirSync(dir).map((name) => ({ name, dir: join(dir, name), vars: (parseYaml(readFileSync(join(dir, name, 'vars.yaml'), 'utf8')) ?? {}) as Record<string, unknown> })),
  );
}

describe('variable discovery', () => {
  const cases = corpusCases();

  it('covers all 24 corpus cases', () => expect(cases).toHaveLength(24));

  it.each(cases.map((c) => [c.name, c] as const))('%s: required ⊆ the vars file keys ⊆ required ∪ optional', (_name, c) => {
    const renderer = new TemplateRenderer({ library: TemplateLibrary.open({ folders: [c.dir], cwd: c.dir }) });
    const report = renderer.variables('template');
    const required = report.required.map((v) => v.name);
    const all = [...required, ...report.optional.map((v) => v.name)];
    const keys = Object.keys(c.vars);
    expect(required.filter((n) => !keys.includes(n)), 'required but not in vars.yaml').toEqual([]);
    expect(keys.filter((k) => !all.includes(k)), 'in vars.yaml but not discovered').toEqual([]);
  });

  const discover = (files: Record<string, string>, name = 'main') => {
    const dir = mkdtempSync(join(tmpdir(), 'netstacks-vars-'));
    try {
      write(dir, files);
      return new TemplateRenderer({ library: TemplateLibrary.open({ folders: [dir], cwd: dir }) }).variables(name);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const summary = (report: ReturnType<typeof discover>) => ({
    required: Object.fromEntries(report.required.map((v) => [v.name, v.paths.map((p) => p.path)])),
    optional: Object.fromEntries(report.optional.map((v) => [v.name, v.paths.map((p) => p.path)])),
  });

  it('gives attribute and index paths through loop variables, and leaves out loop and set names', () => {
    const report = discover({
      'main.j2': [
        'router bgp {{ bgp.asn }}',
        '{% for n in bgp.neighbors %}{% set ip = n.ip %} neighbor {{ ip }} remote-as {{ n["remote_as"] }} {{ loop.index }}{% endfor %}',
        '{% for k, v in vrfs.items() %}{{ k }} {{ v.rd }}{% endfor %}',
        '{% set hostname = inventory_hostname.split(".")[0] %}{{ hostname }}',
        '{% for intf in interfaces | selectattr("enabled") %}{{ intf.name }}{% endfor %}',
      ].join('\n'),
    });
    expect(summary(report)).toEqual({
      required: {
        bgp: ['bgp.asn', 'bgp.neighbors[].ip', 'bgp.neighbors[].remote_as'],
        interfaces: ['interfaces[].name'],
        inventory_hostname: ['inventory_hostname'],
        vrfs: ['vrfs.*.rd'],
      },
      optional: {},
    });
  });

  it('splits optional reads: is defined, default, .get(), set in one branch', () => {
    const report = discover({
      'main.j2': [
        '{% if snmp is defined %}{{ snmp.community }}{% endif %}',
        '{{ domain | default("example.net") }}',
        '{{ ntp.get("source") }}',
        '{% if role == "core" %}{% set mtu = 9000 %}{% endif %}{{ mtu }}',
        '{{ banner if banner is defined else "" }}',
        '{% if vlans is not defined %}none{% else %}{{ vlans | join(",") }}{% endif %}',
        '{% for p in prefixes | default([]) %}{{ p.net }}{% endfor %}',
      ].join('\n'),
    });
    const s = summary(report);
    expect(Object.keys(s.required).sort()).toEqual(['ntp', 'role']);
    expect(Object.keys(s.optional).sort()).toEqual(['banner', 'domain', 'mtu', 'prefixes', 'snmp', 'vlans']);
    expect(report.required.find((v) => v.name === 'ntp')?.paths).toEqual([{ path: 'ntp.source', required: false }]);
  });

  it('follows include (with the includer\'s loop variables), import and extends', () => {
    const report = discover({
      'main.j2': "{% extends 'base.j2' %}{% block body %}{% for intf in interfaces %}{% include 'parts/intf.j2' %}{% endfor %}{% endblock %}",
      'base.j2': "{% import 'macros.j2' as m %}hostname {{ hostname }}\n{% block body %}{{ never_read }}{% endblock %}{{ m.line(1) }}",
      'parts/intf.j2': 'interface {{ intf.name }}\n ip address {{ intf.ip | ipaddr("address") }}',
      'macros.j2': '{% macro line(n, sep=separator) %}{{ n }}{{ sep }}{{ domain }}{% endmacro %}',
    });
    expect(summary(report)).toEqual({
      required: { domain: ['domain'], hostname: ['hostname'], interfaces: ['interfaces[].ip', 'interfaces[].name'], separator: ['separator'] },
      optional: {},
    });
    expect(report.templates).toEqual(['main.j2', 'base.j2', 'macros.j2', 'parts/intf.j2']);
  });

  it('handles call blocks, set blocks, with, loop filters, recursive loops and guarded and/or', () => {
    const report = discover({
      'main.j2': [
        '{% macro box(title, width=default_width) %}[{{ title }}|{{ caller(1) }}]{% endmacro %}',
        '{% call(n) box(banner_title) %}{{ n }} {{ footer }}{% endcall %}',
        '{% set block_text %}{{ motd }}{% endset %}{{ block_text }}',
        '{% with x = contact %}{{ x }}{% endwith %}',
        '{% for intf in interfaces if intf.enabled %}{{ intf.name }}{% endfor %}',
        '{% for node in tree recursive %}{{ node.name }}{{ loop(node.children) }}{% endfor %}',
        '{{ vrf is defined and vrf.rd }}',
        '{{ ospf is not defined or ospf.area }}',
      ].join('\n'),
    });
    expect(summary(report)).toEqual({
      required: {
        banner_title: ['banner_title'],
        contact: ['contact'],
        default_width: ['default_width'],
        footer: ['footer'],
        interfaces: ['interfaces[].enabled', 'interfaces[].name'],
        motd: ['motd'],
        tree: ['tree[].children', 'tree[].name'],
      },
      optional: { ospf: ['ospf.area'], vrf: ['vrf.rd'] },
    });
  });

  it('reports includes that do not exist', () => {
    const report = discover({ 'main.j2': "{% include 'nope.j2' %}\n{% include 'gone.j2' ignore missing %}" });
    expect(report.missing).toEqual([{ template: 'main.j2', name: 'nope.j2', line: 1 }]);
  });
});

describe('template check', () => {
  it('reports every problem: syntax, unknown filter and test, missing include and link, bad metadata', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netstacks-check-'));
    try {
      write(dir, {
        'good.j2': '{{ x | ipaddr("address") }}',
        'syntax.j2': 'line one\n{% if x %}\nno endif\n',
        'twice.j2': '{% block a %}{% endblock %}\n{% block a %}{% endblock %}\n',
        'filters.j2': '{{ x | no_such_filter }}\n{{ y | upper | neither_this }}\n{% if z is no_such_test %}{% endif %}',
        'include.j2': "{% include 'missing.j2' %}",
        'linked.j2': 'x',
        'linked.meta.yaml': 'type: deploy\ndelete: gone\n',
        'badmeta.j2': 'x',
        'badmeta.meta.yaml': 'type: deploy\ncolour: red\n',
      });
      const renderer = new TemplateRenderer({ library: TemplateLibrary.open({ folders: [dir], cwd: dir }) });
      const report = checkTemplates(renderer);
      expect(report.checked).toHaveLength(7);
      // a syntax error's line is the engine's to choose (Jinja2 names the unclosed tag's); only that it has one is checked here
      const found = report.problems.map((p) => `${p.template}:${p.kind === 'syntax' ? (p.line === undefined ? '' : 'N') : (p.line ?? '')}:${p.kind}`).sort();
      expect(found).toEqual([
        'badmeta:2:metadata',
        'filters:1:unknown_filter',
        'filters:2:unknown_filter',
        'filters:3:unknown_test',
        'include:1:missing_template',
        'linked::missing_link',
        'syntax:N:syntax',
        'twice:N:syntax',
      ]);
      expect(report.problems.find((p) => p.template === 'twice')?.message).toContain("block 'a' defined twice");
      expect(report.problems.find((p) => p.kind === 'syntax')?.file).toBe(join(dir, 'syntax.j2'));
      expect(checkTemplates(renderer, ['good']).problems).toEqual([]);
      // a named template brings what it includes along
      write(dir, { 'main.j2': "{% include 'parts/broken.j2' %}", 'parts/broken.j2': '{{ x | nosuch }}' });
      const named = checkTemplates(new TemplateRenderer({ library: TemplateLibrary.open({ folders: [dir], cwd: dir }) }), ['main']);
      expect(named.checked).toEqual(['main', 'parts/broken']);
      expect(named.problems.map((p) => `${p.template}:${p.kind}`)).toEqual(['parts/broken:unknown_filter']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('render context', () => {
  let store: Store;
  let home: string;
  beforeEach(async () => {
    home = mkdtempSync(join(tmpdir(), 'netstacks-ctx-'));
    store = await openSqliteStore(join(home, 'netstacks.db'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('layers device variables and facts, then --vars files in order, then --var', async () => {
    await addGroup(store, { name: 'defaults', variables: { ntp: ['10.0.0.1'], domain: 'default.net', snmp: { location: 'x', contact: 'noc' } } });
    await addGroup(store, { name: 'core', variables: { domain: 'core.net', snmp: { location: 'core room' } } });
    await addDevice(store, {
      name: 'r1', host: '192.0.2.1', platform: 'cisco_ios', site: 'ams', role: 'core', vendor: 'cisco', model: 'c8000v',
      tags: ['edge'], groups: ['core'], variables: { asn: 65001, platform: 'not-a-fact' },
    });
    await addDevice(store, { name: 'r2', host: '192.0.2.2', platform: 'arista_eos', variables: { asn: 65002 } });
    writeFileSync(join(home, 'one.yml'), 'domain: file-one.net\nenabled: yes\nstp: on\nasn: 1\n');
    writeFileSync(join(home, 'two.yml'), 'asn: 2\nwhen: 2024-01-31\n');
    const { getDevice } = await import('../src/inventory/index.js');
    const device = await getDevice(store.db, 'r1');
    const context = await buildRenderContext({ db: store.db, device, hostvars: true, varsFiles: [join(home, 'one.yml'), join(home, 'two.yml')], vars: ['asn=3', 'vlan=10', 'flag=off'] });
    expect(context).toMatchObject({
      ntp: ['10.0.0.1'],
      snmp: { location: 'core room', contact: 'noc' },
      domain: 'file-one.net',
      enabled: true,
      stp: true,
      when: '2024-01-31',
      asn: 3,
      vlan: 10,
      flag: false,
      inventory_hostname: 'r1', name: 'r1', host: '192.0.2.1', platform: 'cisco_ios', site: 'ams', role: 'core', vendor: 'cisco', model: 'c8000v',
      tags: ['edge'], groups: ['core'], ansible_host: '192.0.2.1', ansible_network_os: 'cisco_ios', group_names: ['core'],
    });
    const hostvars = context.hostvars as Record<string, Record<string, unknown>>;
    expect(Object.keys(hostvars).sort()).toEqual(['r1', 'r2']);
    expect(hostvars.r2).toMatchObject({ asn: 65002, ansible_host: '192.0.2.2', ansible_network_os: 'arista_eos', domain: 'default.net' });
    // without a device only the given variables are there
    expect(await buildRenderContext({ db: store.db, vars: ['a=1'] })).toEqual({ a: 1 });
    const plain = await deviceContext(store.db, await getDevice(store.db, 'r2'));
    expect(plain.hostvars).toBeUndefined();
    // many devices share one lazily built hostvars
    const many = await deviceContexts(store.db, [device, await getDevice(store.db, 'r2')], { hostvars: true });
    expect(many.map((c) => c.inventory_hostname)).toEqual(['r1', 'r2']);
    expect(many[0]?.hostvars).toBe(many[1]?.hostvars);
    expect(many[1]).toMatchObject({ asn: 65002, domain: 'default.net', group_names: [] });
  });

  it('reads vars files as YAML 1.1 and names file, line and column of errors', () => {
    const vars = parseVars('a: yes\nb: on\nc: no\nd: off\ne: "yes"\nf: 010\ng: 1.0\nh: y\ni: 2024-01-31\n', 'v.yml');
    expect(vars).toMatchObject({ a: true, b: true, c: false, d: false, e: 'yes', f: 8, h: 'y', i: '2024-01-31' });
    // 1.0 stays a float, as PyYAML reads it, so it prints 1.0
    expect(vars.g).toBeInstanceOf(PyFloat);
    const error = thrown(() => parseVars('a: 1\nb: [1, 2\n', 'v.yml')) as TemplateVarsError;
    expect(error).toBeInstanceOf(TemplateVarsError);
    expect(error.message).toMatch(/^v\.yml:3:1: invalid YAML/);
    expect((thrown(() => parseVars('- a\n- b\n', 'list.yml')) as Error).message).toBe('list.yml:1:1: a variables file must be a mapping of names to values');
    expect(parseVarAssignments(['x=yes', 'y=[1, 2]', 'z=a: b', 'w=', 'x=later', 'bgp={asn: 65001, peers: [a]}'])).toEqual({ x: 'later', y: [1, 2], z: 'a: b', w: '', bgp: { asn: 65001, peers: ['a'] } });
    expect(() => parseVarAssignments(['novalue'])).toThrow(/invalid assignment 'novalue'/);
  });
});

describe('secret()', () => {
  it('fetches secrets the template asks for, renders again, and masks them', async () => {
    const asked: string[] = [];
    const secrets = new TemplateSecrets(async (credential, field) => {
      asked.push(`${credential}/${field}`);
      if (credential !== 'bgp-keys') throw new Error(`no credential ${credential}`);
      return 'S3cr3t!';
    });
    const dir = mkdtempSync(join(tmpdir(), 'netstacks-secret-'));
    try {
      write(dir, { 'bgp.j2': "neighbor 192.0.2.1 password {{ secret('bgp-keys', 'password') }}\nkey {{ secret(cred) }}\n" });
      const renderer = new TemplateRenderer({ library: TemplateLibrary.open({ folders: [dir], cwd: dir }), secrets });
      const result = await renderer.render('bgp', { cred: 'bgp-keys' });
      expect(result.text).toBe('neighbor 192.0.2.1 password S3cr3t!\nkey S3cr3t!\n');
      expect(result.masked).toBe('neighbor 192.0.2.1 password ********\nkey ********\n');
      expect(asked).toEqual(['bgp-keys/password']);
      // a wrong field name is an error naming the fields
      await expect(renderWithSecrets(secrets, () => secrets.global('bgp-keys', 'pasword'))).rejects.toThrow(/unknown field 'pasword'/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
