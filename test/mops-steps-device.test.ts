import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';
import type { LabHandle, LabOperState } from '../src/lab/types.js';
import { addCredential } from '../src/credentials/index.js';
import { addDevice } from '../src/inventory/index.js';
import { loadMop, registerStepType, runMop, type ExecutionSummary, type StepResult } from '../src/mops/engine/index.js';
import { defineStep } from '../src/mops/steps/types.js';
import { loadOperationEnv, type OperationEnv } from '../src/operations/index.js';
import { createMemorySecretStore } from '../src/secrets/index.js';
import { openSqliteStore, type Store } from '../src/store/store.js';
import { listBackups } from '../src/backups/index.js';
import { getPlatform } from '../src/platforms/index.js';
import { applyCleanup } from '../src/session/output.js';
import { tempHome } from './helpers/cli.js';

/**
 * The device step types through the engine against the lab: IOS (TextFSM), EOS (native JSON),
 * Junos and NX-OS (TextFSM). Lab state hooks make a neighbour go down, errors rise, a prefix vanish
 * and pings fail; each check must then fail with its per-item reason.
 */
const REPO = resolve(import.meta.dirname, '..');
const temp = tempHome('netstacks-mop-device-');
let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const unregister: Array<() => void> = [];

const UPLINK: Record<string, string> = { 'ios-1': 'GigabitEthernet0/0', 'eos-2': 'Ethernet1', 'junos-3': 'ge-0/0/0', 'nxos-4': 'Ethernet1/1' };
const NTP: Record<string, string> = { 'ios-1': 'ntp server 192.0.2.99', 'eos-2': 'ntp server 192.0.2.99', 'junos-3': 'set system ntp server 192.0.2.99', 'nxos-4': 'ntp server 192.0.2.99' };
const ALL = ['ios-1', 'eos-2', 'junos-3', 'nxos-4'];
const index = (name: string) => ALL.indexOf(name);
const peer = (name: string) => `10.0.${index(name)}.2`;
const custPeer = (name: string) => `10.250.${index(name)}.2`;
const custPrefix = (name: string) => `172.31.${2 * index(name)}.0/24`;

/** a test-only step: bends the lab's operational state mid-MOP */
const labState = defineStep({
  name: 'lab_state',
  description: 'test: lab state hooks',
  scope: 'device',
  readOnly: true,
  params: z.object({ state: z.record(z.string(), z.unknown()), uplink_errors: z.number().optional() }).strict(),
  async run(p, ctx) {
    // YAML keys are not templated: the uplink's error count comes as its own parameter
    const errors = p.uplink_errors === undefined ? {} : { interfaceErrors: { [String(ctx.scope.uplink)]: p.uplink_errors } };
    lab.setState(ctx.device!.name, { ...(p.state as LabOperState), ...errors });
    return { status: 'passed' };
  },
});

let counter = 0;
async function run(yaml: string, options: Parameters<typeof runMop>[2] = {}): Promise<ExecutionSummary> {
  const file = join(temp.home, 'mops', `m${++counter}.yaml`);
  writeFileSync(file, yaml);
  const loaded = await loadMop(file, { cwd: temp.home, home: temp.home });
  return runMop(env, loaded, { store, location: { cwd: temp.home, home: temp.home }, ...options });
}
const stepOf = (summary: ExecutionSummary, device: string, id: string): StepResult => {
  const found = summary.devices.find((d) => d.device === device)?.steps.find((s) => s.stepId === id && s.phase === 'main');
  if (!found) throw new Error(`no step ${id} on ${device}: ${JSON.stringify(summary.devices.map((d) => [d.device, d.status, d.message]))}`);
  return found;
};
/** the config without the lines that change on every commit (timestamps, sizes), as backups clean it */
const cleaned = (device: string, text: string) => applyCleanup(text, getPlatform(lab.devices.find((d) => d.name === device)!.platform).runningConfig.cleanup);
const failures = (summary: ExecutionSummary) => summary.devices.flatMap((d) => d.steps.filter((s) => s.status !== 'passed').map((s) => `${d.device}/${s.stepId}: ${s.message}`));

beforeAll(async () => {
  lab = await startLab({ devices: 4, platforms: ['cisco_ios', 'arista_eos', 'juniper_junos', 'cisco_nxos'], quirks: false, port: 0, firstAddress: '127.0.93.1', controlSocket: false });
  store = await openSqliteStore(join(temp.home, 'netstacks.db'));
  const secrets = createMemorySecretStore();
  await addCredential(store, secrets, { name: 'lab', username: LAB_USERNAME, password: LAB_PASSWORD, enable: LAB_ENABLE_SECRET });
  for (const d of lab.devices) {
    const variables = { peer: peer(d.name), uplink: UPLINK[d.name], cust_peer: custPeer(d.name), cust_prefix: custPrefix(d.name), ntp_line: NTP[d.name] };
    await addDevice(store, { name: d.name, host: d.host, port: lab.port, platform: d.platform, credential: 'lab', tags: ['lab'], variables });
  }
  env = await loadOperationEnv(store, secrets, temp.home, { sshConfigFile: false });
  mkdirSync(join(temp.home, 'mops'), { recursive: true });
  unregister.push(registerStepType(labState));
}, 60_000);

afterEach(() => lab.reset());

afterAll(async () => {
  for (const u of unregister) u();
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

const CHECKS = `
name: checks
targets: [ios-1, eos-2, junos-3, nxos-4]
steps:
  - id: bgp
    type: check_bgp
    neighbors: ["{{ peer }}"]
    min_prefixes: 1
    continue_on_error: true
  - id: bgp_vrf
    type: check_bgp
    vrf: CUST-A
    min_prefixes: 2
    max_prefixes: 2
    continue_on_error: true
  - id: ifaces
    type: check_interfaces
    interfaces: ["{{ uplink }}"]
    continue_on_error: true
  - id: routes
    type: check_routing
    vrf: CUST-A
    present:
      - { prefix: "{{ cust_prefix }}", next_hop: "{{ cust_peer }}", protocol: bgp }
    absent: [192.0.2.128/25]
    continue_on_error: true
  - id: ping
    type: check_ping
    targets: ["{{ peer }}"]
    continue_on_error: true
`;

describe('checks on IOS, EOS, Junos and NX-OS', () => {
  it('pass on the healthy lab, each item with its reason', async () => {
    const summary = await run(CHECKS);
    expect(failures(summary)).toEqual([]);
    expect(summary.exitCode).toBe(0);
    for (const name of ALL) {
      expect(stepOf(summary, name, 'bgp').items).toEqual([{ item: peer(name), ok: true, reason: expect.stringMatching(/^established, \d+ prefixes$/) }]);
      expect(stepOf(summary, name, 'bgp_vrf').items).toEqual([{ item: `${custPeer(name)} (vrf CUST-A)`, ok: true, reason: 'established, 2 prefixes' }]);
      expect(stepOf(summary, name, 'ifaces').items).toEqual([{ item: UPLINK[name], ok: true }]);
      expect(stepOf(summary, name, 'routes').items!.map((i) => i.ok)).toEqual([true, true]);
      expect(stepOf(summary, name, 'ping').items).toEqual([{ item: peer(name), ok: true, reason: '100% (5/5)' }]);
    }
    // BGP from native JSON on EOS and Junos, from TextFSM on IOS and NX-OS
    expect(['ios-1', 'eos-2', 'junos-3', 'nxos-4'].map((n) => stepOf(summary, n, 'bgp').output!.trimStart().startsWith('{'))).toEqual([false, true, true, false]);
  });

  it('fail for real once a neighbour is down, errors rise, a prefix vanishes and pings fail', async () => {
    for (const name of ALL) {
      lab.setState(name, { bgpDown: [peer(name), custPeer(name)], interfaceErrors: { [UPLINK[name]!]: 1234 }, removedPrefixes: [custPrefix(name)], pingFail: [peer(name)] });
    }
    const summary = await run(CHECKS);
    expect(summary.exitCode).toBe(10);
    for (const name of ALL) {
      expect(stepOf(summary, name, 'bgp').items).toEqual([{ item: peer(name), ok: false, reason: expect.stringMatching(/^state (idle|active), wanted established$/) }]);
      expect(stepOf(summary, name, 'bgp_vrf').status).toBe('failed');
      expect(stepOf(summary, name, 'ifaces').items).toEqual([{ item: UPLINK[name], ok: false, reason: expect.stringContaining('rx_errors 1234 > 0') }]);
      const routes = stepOf(summary, name, 'routes');
      expect(routes.items![0]).toEqual({ item: `${custPrefix(name)} present`, ok: false, reason: 'not in vrf CUST-A' });
      expect(routes.message).toMatch(/^1 of 2 failed: /);
      expect(stepOf(summary, name, 'ping').items).toEqual([{ item: peer(name), ok: false, reason: 'success 0% (0/5), below 100%' }]);
    }
  });

  it('check_ping takes a VRF and a source; expect: fail passes only when nothing answers', async () => {
    lab.setState('ios-1', { pingFail: [custPeer('ios-1')] });
    const summary = await run(`
name: ping
targets: [ios-1, junos-3]
steps:
  - id: blocked
    type: check_ping
    targets: ["{{ cust_peer }}"]
    vrf: CUST-A
    source: "{{ uplink }}"
    expect: fail
`);
    expect(stepOf(summary, 'ios-1', 'blocked')).toMatchObject({ status: 'passed', items: [{ item: custPeer('ios-1'), ok: true, reason: 'no answer, as expected' }] });
    expect(stepOf(summary, 'ios-1', 'blocked').output).toContain(`ping vrf CUST-A ${custPeer('ios-1')} source GigabitEthernet0/0\n`);
    expect(stepOf(summary, 'ios-1', 'blocked').output).toContain(`Sending 5, 100-byte ICMP Echos to ${custPeer('ios-1')}, timeout is 2 seconds:`);
    expect(stepOf(summary, 'junos-3', 'blocked').items).toEqual([{ item: custPeer('junos-3'), ok: false, reason: 'answered 100% (5/5), expected no answer' }]);
    expect(stepOf(summary, 'junos-3', 'blocked').output).toContain(`ping ${custPeer('junos-3')} count 5 routing-instance CUST-A source ge-0/0/0 rapid`);
  });
});

describe('command and parse', () => {
  it('asserts on text and records; captures flow into later steps', async () => {
    const summary = await run(`
name: command
targets: [ios-1]
steps:
  - id: text
    type: command
    command: show ip bgp summary
    contains: "{{ peer }}"
    not_contains: Idle
    regex: '^10\\.0\\.0\\.2\\s+4\\s+65100\\s'
    count: { pattern: '^10\\.\\d+\\.\\d+\\.\\d+\\s+4\\s', equals: 3 }
    capture: 'local AS number (?P<local_as>\\d+)'
  - id: parsed
    type: run_command
    command: show ip bgp summary
    parse: true
    records: { count: { min: 3 }, all: { neighbor_as: '/651\\d\\d/' }, none: { state_or_prefixes_received: Idle } }
    capture_records:
      first_peer: bgp_neighbor
      peers: { field: bgp_neighbor, all: true }
  - id: later
    type: command
    command: show ip bgp summary
    contains: ["local AS number {{ steps.text.captures.local_as }}", "{{ captures.first_peer }}", "{{ steps.parsed.captures.peers[2] }}"]
`);
    expect(failures(summary)).toEqual([]);
    expect(stepOf(summary, 'ios-1', 'text').captures).toEqual({ local_as: '65000' });
    expect(stepOf(summary, 'ios-1', 'parsed').captures).toEqual({ first_peer: '10.0.0.2', peers: ['10.0.0.2', '10.1.0.2', '10.2.0.2'] });
    expect(stepOf(summary, 'ios-1', 'later').items!.map((i) => i.item)).toEqual(["contains 'local AS number 65000'", "contains '10.0.0.2'", "contains '10.2.0.2'"]);
  });

  it('fails each assertion with its reason', async () => {
    lab.setState('ios-1', { bgpDown: ['10.1.0.2'] });
    const summary = await run(`
name: command-fails
targets: [ios-1]
steps:
  - id: text
    type: command
    command: show ip bgp summary
    contains: 10.9.9.9
    not_contains: "10.1.0.2"
    regex: 'local AS number 7\\d+'
    count: { pattern: '^10\\.\\d+\\.\\d+\\.\\d+\\s+4\\s', min: 5 }
    capture: 'router identifier (?P<rid>10\\.\\S+)'
    continue_on_error: true
  - id: parsed
    type: command
    command: show ip bgp summary
    parse: true
    records: { where: { bgp_neighbor: 10.1.0.2 }, all: { state_or_prefixes_received: '/\\d+/' } }
`);
    expect(summary.exitCode).toBe(10);
    expect(stepOf(summary, 'ios-1', 'text').items).toEqual([
      { item: "contains '10.9.9.9'", ok: false, reason: 'not in the output' },
      { item: "not_contains '10.1.0.2'", ok: false, reason: expect.stringMatching(/^found: 10\.1\.0\.2\s+4\s+65101 .*(Idle|Active)$/) },
      { item: 'regex /local AS number 7\\d+/', ok: false, reason: 'no match in the output' },
      { item: 'count /^10\\.\\d+\\.\\d+\\.\\d+\\s+4\\s/', ok: false, reason: 'match count is 3, below the minimum 5' },
      { item: 'capture rid', ok: false, reason: '/router identifier (?P<rid>10\\.\\S+)/ did not match' },
    ]);
    expect(stepOf(summary, 'ios-1', 'parsed').items).toEqual([{ item: 'record 1', ok: false, reason: expect.stringMatching(/^state_or_prefixes_received is '(Idle|Active)', wanted '\/\\d\+\/'$/) }]);
  });

  it('parse keeps records for later steps; a command no template covers fails with no-parser', async () => {
    const summary = await run(`
name: parse
targets: [junos-3, eos-2]
steps:
  - id: rt
    type: get_config
    command: show version
    require_records: true
  - id: uses
    type: command
    command: show version
    contains: "{{ steps.rt.records[0].hostname if platform == 'juniper_junos' else steps.rt.records[0].model }}"
  - id: none
    type: parse
    command: show platform widgets
`);
    expect(stepOf(summary, 'junos-3', 'rt').message).toMatch(/^1 record\(s\) from 'show version'$/);
    expect(stepOf(summary, 'junos-3', 'uses').status).toBe('passed');
    expect(stepOf(summary, 'eos-2', 'uses').status).toBe('passed');
    expect(stepOf(summary, 'eos-2', 'none')).toMatchObject({ status: 'failed', message: expect.stringMatching(/no parser for 'show platform widgets' on platform 'arista_eos'/) });
  });
});

describe('compare', () => {
  it('keys records against a baseline; counters are judged by their increase, with tolerances', async () => {
    for (const name of ['ios-1', 'junos-3', 'eos-2']) lab.setState(name, { interfaceErrors: { [UPLINK[name]!]: 1000 } });
    const summary = await run(`
name: compare
targets: [ios-1, junos-3, eos-2]
steps:
  - { id: bgp_before, type: check_bgp, state: established }
  - { id: if_before, type: check_interfaces, interfaces: ["{{ uplink }}"], max_errors: null }
  - { id: rt_before, type: check_routing, vrf: CUST-A, present: ["{{ cust_prefix }}"] }
  - { id: same, type: compare, baseline: bgp_before }
  - id: worse
    type: lab_state
    state: { bgpDown: ["{{ peer }}"], removedPrefixes: ["{{ cust_prefix }}"] }
    uplink_errors: 1003
  - { id: bgp_after, type: compare, baseline: bgp_before, continue_on_error: true }
  - { id: if_strict, type: compare, baseline: if_before, continue_on_error: true }
  - { id: if_tolerant, type: compare, baseline: if_before, tolerances: { rx_errors: 5, rx_crc_errors: '1%' } }
  - { id: rt_after, type: check_routing, vrf: CUST-A, absent: ["{{ cust_prefix }}"] }
  - { id: rt_cmp, type: compare, baseline: rt_before, current: rt_after, continue_on_error: true }
`);
    for (const name of ['ios-1', 'junos-3', 'eos-2']) {
      expect(stepOf(summary, name, 'same').status).toBe('passed');
      const bgp = stepOf(summary, name, 'bgp_after');
      expect(bgp.status).toBe('failed');
      expect(bgp.items!.find((i) => i.item === `default ${peer(name)}`)).toEqual({ item: `default ${peer(name)}`, ok: false, reason: expect.stringMatching(/^state established → (idle|active), is_up true → false, received_prefixes \d+ → none$/) });
      expect(bgp.items!.length).toBeGreaterThan(1);
      const strict = stepOf(summary, name, 'if_strict');
      expect(strict.items!.filter((i) => !i.ok)).toEqual([{ item: UPLINK[name], ok: false, reason: expect.stringContaining('rx_errors rose by 3 (1000 → 1003), allowed 0') }]);
      expect(strict.items!.length).toBeGreaterThan(3);
      expect(stepOf(summary, name, 'if_tolerant')).toMatchObject({ status: 'passed' });
      expect(stepOf(summary, name, 'rt_cmp').items!.filter((i) => !i.ok)).toEqual([{ item: `CUST-A ${custPrefix(name)} ${custPeer(name)}`, ok: false, reason: 'gone since the baseline' }]);
    }
  });
});

describe('compare on parsed records', () => {
  it('keys TextFSM records by the field given; without a key it says so', async () => {
    const summary = await run(`
name: compare-records
targets: [ios-1]
steps:
  - { id: before, type: parse, command: show ip bgp summary }
  - { id: down, type: lab_state, state: { bgpDown: ["{{ peer }}"] } }
  - { id: after, type: command, command: show ip bgp summary, parse: true }
  - { id: cmp, type: compare, baseline: before, current: after, key: bgp_neighbor, fields: [neighbor_as, state_or_prefixes_received], continue_on_error: true }
  - { id: refetched, type: compare, baseline: before, key: bgp_neighbor, fields: [neighbor_as], continue_on_error: true }
  - { id: nokey, type: compare, baseline: before, continue_on_error: true }
`);
    const cmp = stepOf(summary, 'ios-1', 'cmp');
    // (the lab's other peers lose the prefixes learnt through the one that went down)
    expect(cmp.items!.find((i) => i.item === '10.0.0.2')).toEqual({ item: '10.0.0.2', ok: false, reason: expect.stringMatching(/^state_or_prefixes_received 5 → (Idle|Active)$/) });
    expect(cmp.items!.length).toBe(3);
    expect(stepOf(summary, 'ios-1', 'refetched')).toMatchObject({ status: 'passed', message: '3 item(s) ok' });
    expect(stepOf(summary, 'ios-1', 'nokey')).toMatchObject({ status: 'failed', message: "the records of 'before' are not of a known kind: give `key` (and `fields`)" });
  });
});

describe('config and validate_config', () => {
  it('dry-run pushes nothing; a run pushes only the difference and returns the undo; the undo restores', async () => {
    const before = Object.fromEntries(['ios-1', 'junos-3'].map((n) => [n, lab.runningConfig(n)]));
    const MOP = `
name: ntp
targets: [ios-1, junos-3]
steps:
  - id: ntp
    type: set_config
    lines: ["{{ ntp_line }}"]
`;
    const dry = await run(MOP, { dryRun: true });
    expect(failures(dry)).toEqual([]);
    expect(stepOf(dry, 'ios-1', 'ntp')).toMatchObject({ changed: true, pushed: ['ntp server 192.0.2.99'], undo: ['no ntp server 192.0.2.99'] });
    expect(stepOf(dry, 'junos-3', 'ntp')).toMatchObject({ changed: true, pushed: ['set system ntp server 192.0.2.99'], undo: ['delete system ntp server 192.0.2.99'] });
    for (const n of ['ios-1', 'junos-3']) expect(lab.runningConfig(n)).toBe(before[n]);

    const real = await run(MOP);
    expect(failures(real)).toEqual([]);
    expect(lab.runningConfig('ios-1')).toMatch(/^ntp server 192\.0\.2\.99$/m);
    expect(lab.runningConfig('junos-3')).toMatch(/server 192\.0\.2\.99;/);
    const undo = Object.fromEntries(['ios-1', 'junos-3'].map((n) => [n, stepOf(real, n, 'ntp').undo]));

    const again = await run(MOP);
    expect(stepOf(again, 'ios-1', 'ntp')).toMatchObject({ status: 'passed', message: 'already in place: nothing to push' });
    expect(stepOf(again, 'ios-1', 'ntp').changed ?? false).toBe(false);

    for (const n of ['ios-1', 'junos-3']) {
      const back = await run(`name: undo\ntargets: [${n}]\nsteps:\n  - { id: undo, type: config, lines: ${JSON.stringify(undo[n])} }\n`);
      expect(failures(back)).toEqual([]);
      expect(cleaned(n, lab.runningConfig(n))).toBe(cleaned(n, before[n]!));
    }
  });

  it('renders a library template; commit confirmed only where the platform has it, then confirmed; save', async () => {
    const summary = await run(`
name: tpl
targets: [ios-1]
steps:
  - id: tpl
    type: config
    template: cisco_ios/ntp
    templates: [${JSON.stringify(join(REPO, 'templates'))}]
    vars: { ntp_servers: [192.0.2.77] }
    save: true
  - { id: cc, type: config, lines: [ntp server 192.0.2.78], commit_confirmed: 5, continue_on_error: true }
`);
    expect(stepOf(summary, 'ios-1', 'tpl')).toMatchObject({ status: 'passed', pushed: ['ntp server 192.0.2.77 prefer'], message: 'pushed 1 line(s), saved' });
    expect(stepOf(summary, 'ios-1', 'cc')).toMatchObject({ status: 'failed', message: expect.stringMatching(/cisco_ios has no commit confirmed/) });
    const junos = await run(`
name: cc
targets: [junos-3]
steps:
  - { id: cc, type: config, lines: [set system ntp server 192.0.2.78], commit_confirmed: 5 }
  - { id: ok, type: config, confirm: true }
`);
    expect(failures(junos)).toEqual([]);
    expect(stepOf(junos, 'junos-3', 'cc').message).toBe('pushed 1 line(s), committed (confirmed within 5 min or reverted)');
    expect(lab.runningConfig('junos-3')).toMatch(/server 192\.0\.2\.78;/);
  });

  it('validate_config: patterns that must and must not match', async () => {
    const summary = await run(`
name: validate
targets: [ios-1, eos-2]
steps:
  - id: ok
    type: validate_config
    patterns:
      - '^hostname {{ name }}$'
      - { pattern: '^ntp server 192\\.0\\.2\\.99', must_match: false, description: no test NTP server }
  - id: bad
    type: validate_config
    patterns:
      - { pattern: '^hostname ', must_match: false }
      - '^banner motd NEVER'
`);
    for (const n of ['ios-1', 'eos-2']) {
      expect(stepOf(summary, n, 'ok').items).toEqual([{ item: `must match /^hostname ${n}$/`, ok: true }, { item: 'no test NTP server', ok: true }]);
      expect(stepOf(summary, n, 'bad').items).toEqual([
        { item: 'must not match /^hostname /', ok: false, reason: `found: hostname ${n}` },
        { item: 'must match /^banner motd NEVER/', ok: false, reason: 'no line of the running config matches' },
      ]);
    }
  });
});

describe('backup', () => {
  it('takes a backup after a change (the run holds the device lock) and records its id', async () => {
    const summary = await run(`
name: backup
targets: [ios-1]
steps:
  - { id: change, type: config, lines: [ntp server 192.0.2.55] }
  - { id: bk, type: backup }
  - { id: bk2, type: backup }
`);
    expect(failures(summary)).toEqual([]);
    const id = stepOf(summary, 'ios-1', 'bk').captures!.backup_id as number;
    const stored = await listBackups(store.db, { on: 'name:ios-1' });
    expect(stored.map((b) => b.id)).toContain(id);
    expect(stepOf(summary, 'ios-1', 'bk2').message).toMatch(/\(unchanged\)$/);
    const locks = await store.db.selectFrom('locks').selectAll().execute();
    expect(locks).toEqual([]);
  });

  it('stores nothing under --dry-run', async () => {
    const count = (await listBackups(store.db, { on: 'name:eos-2' })).length;
    const summary = await run('name: b\ntargets: [eos-2]\nsteps:\n  - { id: bk, type: backup }\n', { dryRun: true });
    expect(stepOf(summary, 'eos-2', 'bk')).toMatchObject({ status: 'passed', message: 'dry-run: would take a backup of eos-2 (nothing stored)' });
    expect((await listBackups(store.db, { on: 'name:eos-2' })).length).toBe(count);
  });

  it('fails when the device cannot be reached', async () => {
    await lab.setFaults('nxos-4', ['auth-failure']);
    try {
      const summary = await run('name: b\ntargets: [nxos-4]\nsteps:\n  - { id: bk, type: backup }\n');
      expect(stepOf(summary, 'nxos-4', 'bk')).toMatchObject({ status: 'failed', message: expect.stringMatching(/^backup of nxos-4 failed: .*auth/i) });
    } finally {
      await lab.setFaults('nxos-4', []);
    }
  });
});
