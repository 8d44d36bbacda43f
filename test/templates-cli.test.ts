import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runCli, runJson, tempHome } from './helpers/cli.js';

const REPO_TEMPLATES = resolve(import.meta.dirname, '../templates');

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

describe('template commands', () => {
  let home: string;
  let cleanup: () => void;
  let work: string;
  let folder: string;
  const run = (args: string[], input?: string) => runCli(args, { home, cwd: work, input });

  beforeAll(async () => {
    ({ home, cleanup } = tempHome('netstacks-template-cli-'));
    work = mkdtempSync(join(tmpdir(), 'netstacks-template-work-'));
    folder = join(work, 'extra');
    write(work, {
      // ./templates of the current project
      'templates/site/banner.j2': 'banner motd ^{{ motd | default("authorised use only") }}^\n',
      'extra/ios/ntp.j2': "{% for s in ntp_servers %}\nntp server {{ s }}{{ ' prefer' if loop.first else '' }}\n{% endfor %}\n",
      'extra/ios/ntp.meta.yaml': 'description: NTP servers\ntype: deploy\nplatforms: [cisco_ios]\ndelete: ios/ntp-delete\nowns: [ntp server]\n',
      'extra/ios/ntp-delete.j2': '{% for s in ntp_servers %}\nno ntp server {{ s }}\n{% endfor %}\n',
      'extra/ios/ntp-delete.meta.yaml': 'type: delete\nplatforms: [cisco_ios]\n',
      'extra/device.j2': [
        'hostname {{ inventory_hostname }}',
        '! {{ ansible_network_os }} at {{ ansible_host }} site {{ site }} groups {{ group_names | join(",") }}',
        'ip domain-name {{ domain }}',
        'snmp-server location {{ snmp.location }}',
        'peer {{ hostvars["r2"].ansible_host }} asn {{ hostvars["r2"].asn }}',
        '',
      ].join('\n'),
      'extra/bgp.j2': "router bgp {{ asn }}\n neighbor {{ peer }} password {{ secret('bgp-keys', 'password') }}\n",
      'extra/flags.j2': '{{ enabled }} {{ vlan + 1 }} {{ name }}\n',
      'extra/strict.j2': 'line one\ninterface {{ intf.name }}\n',
      'vars.yml': 'enabled: yes\nvlan: 10\nname: from-file\n',
    });
    const add = await run(['device', 'add', 'r1', '--host', '192.0.2.1', '--platform', 'cisco_ios', '--site', 'ams', '--var', 'asn=65001', '--var', 'domain=r1.example.net']);
    expect(add.code, add.stderr).toBe(0);
    expect((await run(['device', 'add', 'r2', '--host', '192.0.2.2', '--platform', 'arista_eos', '--var', 'asn=65002'])).code).toBe(0);
    expect((await run(['group', 'add', 'core', '--var', 'snmp={location: ams-dc1}', '--var', 'domain=core.example.net'])).code).toBe(0);
    expect((await run(['group', 'add-device', 'core', 'r1'])).code).toBe(0);
    const cred = await run(['credential', 'add', 'bgp-keys', '--username', 'bgp', '--password-stdin'], 'Md5-S3cret!\n');
    expect(cred.code, cred.stderr).toBe(0);
  }, 60_000);

  afterAll(() => {
    cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it('lists templates of every folder with type, platforms, folder and links', async () => {
    const table = await run(['template', 'list', '--templates', folder]);
    expect(table.code, table.stderr).toBe(0);
    const line = table.stdout.split('\n').find((l) => l.startsWith('ios/ntp '));
    expect(line).toMatch(/^ios\/ntp\s+deploy\s+cisco_ios\s+\S+extra\s+delete: ios\/ntp-delete$/);
    expect(table.stdout).toContain('site/banner');
    const deletes = await runJson<{ name: string }[]>(['template', 'list', '--templates', folder, '--type', 'delete'], { home, cwd: work });
    expect(deletes.data.map((t) => t.name)).toEqual(['ios/ntp-delete']);

    const { code, data } = await runJson<{ name: string; type: string | null; folder: string; origin: string; delete: string | null; owns: string[] }[]>(
      ['template', 'list', '--templates', folder],
      { home, cwd: work },
    );
    expect(code).toBe(0);
    expect(data.map((t) => t.name)).toEqual(['bgp', 'device', 'flags', 'ios/ntp', 'ios/ntp-delete', 'site/banner', 'strict']);
    expect(data.find((t) => t.name === 'ios/ntp')).toMatchObject({ type: 'deploy', folder, origin: '--templates', delete: 'ios/ntp-delete', owns: ['ntp server'] });
    expect(data.find((t) => t.name === 'site/banner')).toMatchObject({ folder: join(work, 'templates'), origin: 'the current project' });
  });

  it('shows source and metadata', async () => {
    const shown = await run(['template', 'show', 'ios/ntp', '--templates', folder]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('# description: NTP servers\n');
    expect(shown.stdout).toContain('# delete: ios/ntp-delete\n');
    expect(shown.stdout.endsWith("# ---\n{% for s in ntp_servers %}\nntp server {{ s }}{{ ' prefer' if loop.first else '' }}\n{% endfor %}\n")).toBe(true);
    const { data } = await runJson<{ meta: { type: string }; source: string; env: string }>(['template', 'show', 'ios/ntp.j2', '--templates', folder], { home, cwd: work });
    expect(data).toMatchObject({ meta: { type: 'deploy' }, env: 'ansible' });
  });

  it('lists the variables a template reads', async () => {
    const { code, data } = await runJson<{ required: { name: string; paths: { path: string }[] }[]; optional: { name: string }[] }>(
      ['template', 'vars', 'device', '--templates', folder],
      { home, cwd: work },
    );
    expect(code).toBe(0);
    expect(data.required.map((v) => v.name)).toEqual(['ansible_host', 'ansible_network_os', 'domain', 'group_names', 'hostvars', 'inventory_hostname', 'site', 'snmp']);
    expect(data.required.find((v) => v.name === 'hostvars')?.paths.map((p) => p.path)).toEqual(['hostvars.r2.ansible_host', 'hostvars.r2.asn']);
    expect((data as unknown as { deviceFacts: string[] }).deviceFacts).toEqual(['ansible_host', 'ansible_network_os', 'group_names', 'hostvars', 'inventory_hostname', 'site']);
    const table = await run(['template', 'vars', 'site/banner']);
    expect(table.stdout).toMatch(/^motd\s+no\s+motd\s+site\/banner\.j2:1$/m);
    const facts = await run(['template', 'vars', 'device', '--templates', folder]);
    expect(facts.stdout).toMatch(/^inventory_hostname\s+yes\s+device fact\s+inventory_hostname\s+device\.j2:1$/m);
    expect(facts.stdout).toMatch(/^domain\s+yes\s+domain\s+device\.j2:3$/m);
  });

  it('renders for a device: inventory variables and facts, hostvars, then --vars, then --var', async () => {
    const result = await run(['template', 'render', 'device', '--device', 'r1', '--templates', folder]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      'hostname r1\n! cisco_ios at 192.0.2.1 site ams groups core\nip domain-name r1.example.net\nsnmp-server location ams-dc1\npeer 192.0.2.2 asn 65002\n',
    );
    const overridden = await run(['template', 'render', 'device', '--device', 'r1', '--templates', folder, '--var', 'domain=cli.example.net']);
    expect(overridden.stdout).toContain('ip domain-name cli.example.net\n');

    const flags = await run(['template', 'render', 'flags', '--templates', folder, '--vars', join(work, 'vars.yml'), '--var', 'name=from-cli']);
    expect(flags.code, flags.stderr).toBe(0);
    expect(flags.stdout).toBe('True 11 from-cli\n');
    const banner = await run(['template', 'render', './site/banner.j2', '--env', 'jinja2']);
    expect(banner.stdout).toBe('banner motd ^authorised use only^');
    const json = await runJson<{ text: string; env: string; device: string | null }>(['template', 'render', 'site/banner', '--var', 'motd=hi'], { home, cwd: work });
    expect(json.data).toEqual({ template: 'site/banner', path: join(work, 'templates/site/banner.j2'), env: 'ansible', device: null, text: 'banner motd ^hi^\n', undefinedVariables: [] });
  });

  it('fails on an undefined variable naming file and line, unless --allow-undefined', async () => {
    const failed = await run(['template', 'render', 'strict', '--templates', folder]);
    expect(failed.code).toBe(4);
    expect(failed.stderr).toContain(`${join(folder, 'strict.j2')}:2`);
    expect(failed.stderr).toContain("'intf' is undefined");
    const allowed = await run(['template', 'render', 'strict', '--templates', folder, '--allow-undefined']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toBe('line one\ninterface \n');
    expect(allowed.stderr).toContain('undefined variables rendered empty: intf');
  });

  it('resolves secret() from the vault and masks it in every output', async () => {
    const text = await run(['template', 'render', 'bgp', '--templates', folder, '--var', 'asn=65001', '--var', 'peer=192.0.2.9']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toBe('router bgp 65001\n neighbor 192.0.2.9 password ********\n');
    const json = await run(['template', 'render', 'bgp', '--templates', folder, '--var', 'asn=1', '--var', 'peer=x', '--json']);
    expect(json.stdout).toContain('password ********');
    for (const output of [text.stdout, text.stderr, json.stdout, json.stderr]) expect(output).not.toContain('Md5-S3cret!');
    write(work, { 'extra2/leak.j2': "{{ secret('bgp-keys') | int }}\n", 'extra2/nocred.j2': "{{ secret('bgp-kyes') }}\n" });
    const leak = await run(['template', 'render', 'leak', '--templates', join(work, 'extra2')]);
    expect(leak.stdout + leak.stderr).not.toContain('Md5-S3cret!');
    const missing = await run(['template', 'render', 'nocred', '--templates', join(work, 'extra2')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("'bgp-kyes'");
  });

  it('errors: unknown template (nearest suggested), unknown device, missing folder, bad vars file', async () => {
    const unknown = await run(['template', 'render', 'ios/ntpp', '--templates', folder]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain("template 'ios/ntpp' not found");
    expect(unknown.stderr).toContain("did you mean 'ios/ntp'?");
    const json = await run(['template', 'show', 'bannr', '--json']);
    expect(JSON.parse(json.stderr)).toEqual({ error: 'template_not_found', message: "template 'bannr' not found", hint: "did you mean 'site/banner'?" });
    const device = await run(['template', 'render', 'site/banner', '--device', 'r3']);
    expect(device.code).toBe(3);
    expect(device.stderr).toContain("'r3'");
    const folderMissing = await run(['template', 'list', '--templates', join(work, 'nope')]);
    expect(folderMissing.code).toBe(3);
    expect(folderMissing.stderr).toContain(`template folder ${join(work, 'nope')} (from --templates) does not exist`);
    write(work, { 'bad.yml': 'a: 1\nb: [1,\n' });
    const badVars = await run(['template', 'render', 'site/banner', '--vars', join(work, 'bad.yml')]);
    expect(badVars.code).toBe(4);
    expect(badVars.stderr).toContain(`${join(work, 'bad.yml')}:3:1: invalid YAML`);
    const badEnv = await run(['template', 'render', 'site/banner', '--env', 'django']);
    expect(badEnv.code).toBe(2);
  });

  it('honours the templates and templates.env settings', async () => {
    const settingHome = tempHome('netstacks-template-settings-');
    try {
      const opts = { home: settingHome.home, cwd: work };
      expect((await runCli(['settings', 'set', 'templates', folder], opts)).code).toBe(0);
      expect((await runCli(['settings', 'set', 'templates.env', 'jinja2'], opts)).code).toBe(0);
      const banner = await runCli(['template', 'render', 'site/banner'], opts);
      expect(banner.stdout).toBe('banner motd ^authorised use only^');
      const ntp = await runCli(['template', 'render', 'ios/ntp', '--var', 'ntp_servers=[a]'], opts);
      expect(ntp.code, ntp.stderr).toBe(0);
      expect((await runCli(['settings', 'set', 'templates', join(work, 'gone')], opts)).code).toBe(0);
      const gone = await runCli(['template', 'list'], opts);
      expect(gone.code).toBe(3);
      expect(gone.stderr).toContain(`template folder ${join(work, 'gone')} (from the templates setting) does not exist`);
    } finally {
      settingHome.cleanup();
    }
  });

  it('check reports every problem and exits 4; a clean set exits 0', async () => {
    const broken = join(work, 'broken');
    write(broken, {
      'a.j2': '{% if x %}\nunclosed\n',
      'b.j2': '{{ x | nosuchfilter }}\n{{ y | alsonot }}\n',
      'c.j2': "{% include 'missing.j2' %}\n",
      'd.j2': 'ok\n',
      'd.meta.yaml': 'type: deploy\nvalidation: d-check\n',
    });
    const result = await run(['template', 'check', '--templates', broken]);
    expect(result.code).toBe(4);
    const lines = result.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith(broken))).toHaveLength(5);
    expect(result.stdout).toContain(`${join(broken, 'b.j2')}:1:`);
    expect(result.stdout).toContain("[unknown_filter] unknown filter 'nosuchfilter'");
    expect(result.stdout).toContain("[unknown_filter] unknown filter 'alsonot'");
    expect(result.stdout).toContain("[missing_template] include of 'missing.j2', which does not exist");
    expect(result.stdout).toContain("[missing_link] validation template 'd-check' does not exist");
    expect(result.stdout).toContain(`${join(broken, 'a.j2')}:`);
    const json = await runJson<{ checked: string[]; problems: { kind: string }[] }>(['template', 'check', 'b', 'd', '--templates', broken], { home, cwd: work });
    expect(json.code).toBe(4);
    expect(json.data.checked).toEqual(['b', 'd']);
    expect(json.data.problems.map((p) => p.kind)).toEqual(['unknown_filter', 'unknown_filter', 'missing_link']);
    const empty = mkdtempSync(join(tmpdir(), 'netstacks-template-empty-'));
    const clean = await runCli(['template', 'check', '--templates', REPO_TEMPLATES], { home, cwd: empty });
    rmSync(empty, { recursive: true, force: true });
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(clean.stderr).toMatch(/\d+ templates checked, 0 problems/);
  });
});
