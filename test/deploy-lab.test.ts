import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { homeFiles } from '../src/core/paths.js';
import { openSqliteStore } from '../src/store/store.js';
import { acquireLock } from '../src/locks/index.js';
import { runCli, tempHome } from './helpers/cli.js';
import { addLabWithCli } from './helpers/lab.js';

/** `netstacks deploy` end to end: the built CLI, lab devices over SSH, the store's records. */
const REPO = resolve(import.meta.dirname, '..');
const temp = tempHome('netstacks-deploy-');
const home = temp.home;
let lab: LabHandle;
const cli = (args: string[], input?: string) => runCli(args, { home, timeoutMs: 60_000, ...(input !== undefined ? { input } : {}), env: { NETSTACKS_SSH_CONFIG: '/nonexistent' } });
type Line = Record<string, unknown> & { type: string; device?: string; status?: string; message?: string; data?: Record<string, unknown> };
const jsonLines = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);
const EXAMPLE = join(REPO, 'stacks/lab-baseline.yaml');
const TPL = join(home, 'tpl');
const TEMPLATES = ['--templates', join(REPO, 'templates'), '--templates', TPL];
// the running config without the lines that change on every commit (timestamps, sizes)
const VOLATILE = /^(?:Current configuration : .*|! Last configuration change .*|! NVRAM config last updated .*|## Last commit: .*)$/gm;
const running = (name: string) => lab.runningConfig(name).replace(VOLATILE, '');
const configs = () => Object.fromEntries(lab.devices.map((d) => [d.name, running(d.name)]));
const stackFile = (name: string, text: string) => {
  const file = join(home, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
};
const query = <T>(sql: string, ...params: unknown[]): T[] => {
  const out = spawnSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(process.argv[1],{readonly:true});console.log(JSON.stringify(d.prepare(process.argv[2]).all(...JSON.parse(process.argv[3]))))`, homeFiles.database(home), sql, JSON.stringify(params)], {
    cwd: REPO,
    encoding: 'utf8',
  });
  return JSON.parse(out.stdout) as T[];
};

beforeAll(async () => {
  lab = await startLab({ devices: 3, platforms: ['cisco_ios', 'juniper_junos'], quirks: false, port: 0, firstAddress: '127.0.83.1', controlSocket: false });
  await addLabWithCli(lab, home, cli);
  mkdirSync(join(TPL, 'cisco_ios'), { recursive: true });
  // loopbacks: a section per entry, an optional address line inside it
  writeFileSync(
    join(TPL, 'cisco_ios/loopbacks.j2'),
    '{% for l in loopbacks %}\ninterface Loopback{{ l.id }}\n description {{ l.description }}\n{% if l.ip is defined %}\n ip address {{ l.ip }} 255.255.255.255\n{% endif %}\n{% endfor %}\n',
  );
  writeFileSync(join(TPL, 'cisco_ios/lines.j2'), '{% for line in lines %}\n{{ line }}\n{% endfor %}\n');
}, 60_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

describe('deploy', () => {
  it('deploys the example stack, post-checks it, records it; a second deploy pushes nothing', async () => {
    const r = await cli(['deploy', EXAMPLE, ...TEMPLATES, '--var', 'ntp_servers=[192.0.2.10, 192.0.2.11]', '--yes']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const ios = lab.runningConfig('ios-1');
    expect(ios).toMatch(/^ntp server 192\.0\.2\.10 prefer$/m);
    expect(ios).toMatch(/^ntp server 192\.0\.2\.11$/m);
    // nested: the neighbour activated inside the address family
    expect(ios).toMatch(/^router bgp 65000\n(?: .*\n)*? neighbor 10\.255\.0\.2 remote-as 65200\n(?: .*\n)*? address-family ipv4 unicast\n(?: {2}.*\n)*? {2}neighbor 10\.255\.0\.2 activate$/m);
    expect(lab.runningConfig('junos-2')).toMatch(/^ {8}server 192\.0\.2\.10 \{\n {12}prefer;\n {8}\}\n {8}server 192\.0\.2\.11;$/m);
    expect(r.stderr).toMatch(/deployment #\d+ of lab-baseline: deployed/);

    const before = configs();
    const again = await cli(['deploy', EXAMPLE, ...TEMPLATES, '--var', 'ntp_servers=[192.0.2.10, 192.0.2.11]', '--yes']);
    expect(again.code, again.stderr).toBe(0);
    for (const d of lab.devices) expect(again.stdout).toMatch(new RegExp(`^${d.name}: no changes$`, 'm'));
    expect(again.stderr).toMatch(/: unchanged/);
    expect(configs()).toEqual(before);

    const list = await cli(['stack', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ name: 'lab-baseline', state: 'deployed' })]);
    const show = await cli(['stack', 'show', 'lab-baseline', '--json']);
    const shown = JSON.parse(show.stdout) as { results: { device: string; service: string; result: string }[] };
    expect(shown.results).toEqual(expect.arrayContaining([expect.objectContaining({ device: 'ios-1', service: 'bgp-peer', result: 'unchanged' })]));
    const history = await cli(['stack', 'history', 'lab-baseline', '--json']);
    expect((JSON.parse(history.stdout) as { status: string }[]).map((h) => h.status)).toEqual(['unchanged', 'deployed']);
  });

  it('removes exactly the line an edited stack no longer renders (nested too), and lines it never deployed stay', async () => {
    const loops = (withIp: boolean, extra: boolean) =>
      stackFile(
        'loops',
        `name: loops\nservices:\n  - name: loopbacks\n    template: cisco_ios/loopbacks\n    targets: [ios-1]\n    variables:\n      loopbacks:\n        - { id: 7, description: mgmt${withIp ? ', ip: 10.7.7.7' : ''} }\n${extra ? '        - { id: 8, description: spare }\n' : ''}`,
      );
    const first = await cli(['deploy', loops(true, true), ...TEMPLATES, '--yes']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(lab.runningConfig('ios-1')).toMatch(/^interface Loopback7\n description mgmt\n ip address 10\.7\.7\.7 255\.255\.255\.255$/m);
    expect(lab.runningConfig('ios-1')).toMatch(/^interface Loopback8\n description spare$/m);

    const before = running('ios-1').split('\n').filter((l) => l !== '!');
    const plan = await cli(['deploy', loops(false, false), ...TEMPLATES, '--dry-run', '--json']);
    const data = jsonLines(plan.stdout).find((l) => l.device === 'ios-1')!.data!;
    expect(data.commands).toEqual(['no interface Loopback8', 'interface Loopback7', ' no ip address 10.7.7.7 255.255.255.255']);
    expect(data.removed).toEqual(['interface Loopback8', 'interface Loopback7 > ip address 10.7.7.7 255.255.255.255']);

    const second = await cli(['deploy', loops(false, false), ...TEMPLATES, '--yes']);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const after = running('ios-1').split('\n').filter((l) => l !== '!');
    // exactly Loopback8's section and Loopback7's address went (other interfaces also say ' description spare')
    expect(before.length - after.length).toBe(3);
    expect(before.filter((l) => !after.includes(l))).toEqual([' ip address 10.7.7.7 255.255.255.255', 'interface Loopback8']);
    expect(running('ios-1')).toMatch(/^interface Loopback7\n description mgmt\n!?$/m);
    expect(after.filter((l) => !before.includes(l))).toEqual([]);
  });

  it('a refused line leaves that device as before, and rollback-all restores the others', async () => {
    const file = stackFile(
      'bad',
      'name: bad\nservices:\n  - name: lines\n    template: cisco_ios/lines\n    targets: [ios-1, ios-3]\n    variables: { lines: [logging host 10.66.1.1] }\n    per_device:\n      ios-3: { lines: [logging host 10.66.3.1, bogus-command 1] }\n',
    );
    const before = configs();
    const r = await cli(['deploy', file, ...TEMPLATES, '--yes', '--json', '--concurrency', '1', '--on-error', 'rollback-all']);
    expect(r.code, r.stdout + r.stderr).toBe(10);
    const lines = jsonLines(r.stdout);
    const ios3 = lines.find((l) => l.type === 'device' && l.device === 'ios-3')!;
    expect(ios3.status).toBe('failed');
    expect(ios3.message).toMatch(/bogus-command 1/);
    expect(ios3.message).toMatch(/rolled back/);
    expect(lines.find((l) => l.type === 'deployment')).toMatchObject({ status: 'failed', devices: { 'ios-1': 'rolled-back', 'ios-3': 'rolled-back' } });
    expect(configs()).toEqual(before);
    const records = query<{ device: string; result: string }>("select device, result from deployment_results r join deployments d on d.id = r.deployment_id where d.stack = 'bad' and service = '*' order by device");
    expect(records).toEqual([
      { device: 'ios-1', result: 'rolled-back' },
      { device: 'ios-3', result: 'rolled-back' },
    ]);
  });

  it('a connection dropped mid-push: the device is rolled back over a new session and ends as before', async () => {
    const file = stackFile('drop', 'name: drop\nservices:\n  - name: lines\n    template: cisco_ios/lines\n    targets: [ios-3]\n    variables: { lines: [logging host 10.66.4.1, logging host 10.66.4.2, logging host 10.66.4.3] }\n');
    const before = running('ios-3');
    lab.dropOnce('ios-3', { afterConfigLines: 2 });
    const r = await cli(['deploy', file, ...TEMPLATES, '--yes']);
    expect(r.code, r.stdout + r.stderr).toBe(10);
    expect(r.stdout).toMatch(/rolled back/);
    expect(running('ios-3')).toBe(before);
  });

  it('nothing is pushed anywhere when one device fails to render, unless --on-error continue', async () => {
    const file = stackFile('partial', 'name: partial\nservices:\n  - name: ntp\n    template: cisco_ios/ntp\n    targets: [ios-1, ios-3]\n    per_device:\n      ios-1: { ntp_servers: [192.0.2.99] }\n');
    const before = configs();
    const r = await cli(['deploy', file, ...TEMPLATES, '--yes']);
    expect(r.code).toBe(10);
    expect(r.stderr).toMatch(/nothing pushed: 1 device\(s\) could not be planned \(ios-3\)/);
    expect(r.stdout + r.stderr).toMatch(/ntp_servers/);
    expect(configs()).toEqual(before);
    const go = await cli(['deploy', file, ...TEMPLATES, '--yes', '--on-error', 'continue']);
    expect(go.code).toBe(10);
    expect(lab.runningConfig('ios-1')).toMatch(/^ntp server 192\.0\.2\.99 prefer$/m);
    expect(running('ios-3')).toBe(before['ios-3']);
  });

  it('two stacks rendering one line on a device fail the plan naming both', async () => {
    const file = stackFile('other', 'name: other\nservices:\n  - name: mine\n    template: cisco_ios/loopbacks\n    targets: [ios-1]\n    variables: { loopbacks: [{ id: 7, description: mgmt }] }\n');
    const before = configs();
    const r = await cli(['deploy', file, ...TEMPLATES, '--yes']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/stacks 'other' \(service mine\) and 'loops' \(service loopbacks\) both render 'interface Loopback7 > description mgmt' on ios-1/);
    expect(configs()).toEqual(before);
  });

  it('a device that leaves the targets gets what the stack deployed there removed', async () => {
    const file = (targets: string) => stackFile('leave', `name: leave\nservices:\n  - name: lines\n    template: cisco_ios/lines\n    targets: [${targets}]\n    variables: { lines: [logging host 10.66.5.1] }\n`);
    expect((await cli(['deploy', file('ios-1, ios-3'), ...TEMPLATES, '--yes'])).code).toBe(0);
    expect(lab.runningConfig('ios-3')).toMatch(/^logging host 10\.66\.5\.1$/m);
    const plan = await cli(['stack', 'plan', file('ios-1'), ...TEMPLATES, '--json']);
    const ios3 = jsonLines(plan.stdout).find((l) => l.device === 'ios-3')!.data!;
    expect(ios3).toMatchObject({ leaving: true, commands: ['no logging host 10.66.5.1'] });
    expect((await cli(['deploy', file('ios-1'), ...TEMPLATES, '--yes'])).code).toBe(0);
    expect(lab.runningConfig('ios-3')).not.toMatch(/10\.66\.5\.1/);
    expect(lab.runningConfig('ios-1')).toMatch(/^logging host 10\.66\.5\.1$/m);
  });
});

describe('deploy secrets', () => {
  it('pushes the real secret but records and prints it masked', async () => {
    const file = stackFile('secret', 'name: secret\nservices:\n  - name: snmp\n    template: cisco_ios/lines\n    targets: [ios-1]\n    variables: { lines: [snmp-server community Sup3rS3cret-Lab RO] }\n');
    const r = await cli(['deploy', file, ...TEMPLATES, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(lab.runningConfig('ios-1')).toMatch(/^snmp-server community Sup3rS3cret-Lab RO$/m);
    expect(r.stdout + r.stderr).not.toMatch(/Sup3rS3cret/);
    expect(r.stdout).toMatch(/snmp-server community \*{8} RO/);
    const stored = query<{ text: string }>(
      "select coalesce(rendered, '') || coalesce(remediation, '') || coalesce(rollback, '') || coalesce(diff, '') || coalesce(error, '') as text from deployment_results union all select path from stack_lines union all select variables from deployments",
    );
    expect(stored.map((s) => s.text).join('\n')).toMatch(/snmp-server community \*{8} RO/);
    expect(stored.map((s) => s.text).join('\n')).not.toMatch(/Sup3rS3cret/);
  });
});

describe('deploy refusals', () => {
  it('refuses without a terminal and without --yes (exit 2), touching nothing', async () => {
    const before = configs();
    const r = await cli(['deploy', EXAMPLE, ...TEMPLATES, '--var', 'ntp_servers=[192.0.2.50]']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not deploying without confirmation.*\n.*--yes/);
    expect(configs()).toEqual(before);
  });

  it('a second deploy of a locked stack is refused naming the holder; a stale lock is taken over', async () => {
    const store = await openSqliteStore(homeFiles.database(home));
    const lock = await acquireLock(store, 'stack:lab-baseline', { purpose: 'deploy lab-baseline' });
    try {
      const r = await cli(['deploy', EXAMPLE, ...TEMPLATES, '--var', 'ntp_servers=[192.0.2.10, 192.0.2.11]', '--yes']);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(new RegExp(`another deploy of stack 'lab-baseline' is running: held by pid ${process.pid} \\(user \\S+ on \\S+, since \\d{4}-`));
    } finally {
      await lock.release();
    }
    // a holder that is gone: a finished child's pid
    const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const deadPid = Number(child.stdout.trim());
    await store.write((tx) =>
      tx.insertInto('locks').values({ key: 'stack:lab-baseline', token: 't', pid: deadPid, hostname: lock.holder.hostname, user: 'someone', process_start: '1', purpose: 'deploy lab-baseline', acquired_at: new Date().toISOString() }).execute(),
    );
    await store.close();
    const r = await cli(['deploy', EXAMPLE, ...TEMPLATES, '--var', 'ntp_servers=[192.0.2.10, 192.0.2.11]', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`note: took over stale lock stack:lab-baseline from pid ${deadPid}`));
    expect(query('select * from locks')).toEqual([]);
  });

  it('bad input: a clear error and no device touched', async () => {
    const before = configs();
    const cases: [string, number, RegExp][] = [
      ['name: b\nservices:\n  - { name: a, template: cisco_ios/nope, targets: [ios-1] }\n', 3, /cisco_ios\/nope/],
      ['name: b\nservices:\n  - { name: a, template: cisco_ios/ntp, targets: [ios-1], depends_on: [ntp] }\n', 4, /b\.yaml:3:\d+: service 'a' depends on unknown service 'ntp'/],
      ['name: b\nservices:\n  - { name: a, template: cisco_ios/ntp, targets: [ios-1], depends_on: [c] }\n  - { name: c, template: cisco_ios/ntp, targets: [ios-1], depends_on: [a] }\n', 4, /dependency cycle: a → c → a/],
      ["name: b\nservices:\n  - { name: a, template: cisco_ios/ntp, targets: { on: 'site:mars' } }\n", 3, /no device matches --on 'site:mars'/],
      ['name: b\nservices:\n  - { name: a, template: cisco_ios/ntp, targets: [ios-1] }\n', 10, /ntp_servers/],
    ];
    for (const [text, code, message] of cases) {
      const r = await cli(['deploy', stackFile('b', text), ...TEMPLATES, '--yes']);
      expect(r.code, `${text}\n${r.stdout}${r.stderr}`).toBe(code);
      expect(r.stdout + r.stderr).toMatch(message);
    }
    expect(configs()).toEqual(before);
    const unknown = await cli(['deploy', 'lab-baselin', '--dry-run']);
    expect(unknown.code).toBe(3);
  });

  it('stack add registers a name that deploy and show accept; an edited file shows pending changes', async () => {
    const file = stackFile('reg', 'name: reg\nservices:\n  - name: lines\n    template: cisco_ios/lines\n    targets: [ios-1]\n    variables: { lines: [snmp-server chassis-id reg-1] }\n');
    expect((await cli(['stack', 'add', file])).code).toBe(0);
    const r = await cli(['deploy', 'reg', ...TEMPLATES, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    const listed = () => cli(['stack', 'list', '--json']).then((l) => (JSON.parse(l.stdout) as { name: string; state: string; pendingChanges: boolean }[]).find((s) => s.name === 'reg'));
    expect(await listed()).toMatchObject({ state: 'deployed', pendingChanges: false });
    writeFileSync(file, 'name: reg\nservices:\n  - name: lines\n    template: cisco_ios/lines\n    targets: [ios-1]\n    variables: { lines: [snmp-server chassis-id reg-2] }\n');
    expect(await listed()).toMatchObject({ state: 'deployed', pendingChanges: true });
    const unknown = await cli(['deploy', 'rge', '--dry-run']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toMatch(/did you mean 'reg'/);
  });
});
