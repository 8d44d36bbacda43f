import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configModelFor } from '../src/config/index.js';
import { postCheck, prepareDevice, type ServiceInput } from '../src/stacks/device-plan.js';
import {
  deployedLines,
  finishDeployment,
  markInterruptedDeployments,
  previousLines,
  recordDeviceState,
  recordResults,
  stackContentHash,
  stackStatus,
  startDeployment,
} from '../src/stacks/state.js';
import { openSqliteStore, type Store } from '../src/store/store.js';
import { maskSecretLines } from '../src/session/masking.js';
import { tempHome } from './helpers/cli.js';

/** The per-device plan (pure) and the stack repository, without devices. */
const ios = configModelFor('cisco_ios');
const mask = (text: string) => maskSecretLines(text);
const service = (name: string, text: string, owned: string[][] = []): ServiceInput => ({ service: name, template: `t/${name}`, text, masked: mask(text), owned });
const RUNNING = ['hostname r1', 'interface GigabitEthernet0/1', ' description uplink', ' ip address 10.0.0.1 255.255.255.0', 'snmp-server location old-room', 'ntp server 10.9.9.9', 'end', ''].join('\n');

describe('prepareDevice', () => {
  it('plans per service in order, records overwritten values, and the lines it deploys', () => {
    const p = prepareDevice(ios, {
      running: RUNNING,
      services: [service('a', 'interface Gi0/1\n description core uplink\n'), service('b', 'snmp-server location lab\nntp server 192.0.2.1\n', [['ntp server']])],
      deployed: [],
      mask,
    });
    expect(p.steps.map((step) => step.service)).toEqual(['a', 'b']);
    expect(p.steps[0]!.push).toContain(' description core uplink');
    expect(p.steps[1]!.push).toEqual(expect.arrayContaining(['snmp-server location lab', 'no ntp server 10.9.9.9', 'ntp server 192.0.2.1']));
    expect(p.state.previous).toEqual(
      expect.arrayContaining([
        { path: ['interface GigabitEthernet0/1', 'description uplink'], replacedBy: ['interface GigabitEthernet0/1', 'description core uplink'], service: 'a' },
        { path: ['snmp-server location old-room'], replacedBy: ['snmp-server location lab'], service: 'b' },
        { path: ['ntp server 10.9.9.9'], replacedBy: null, service: 'b' },
      ]),
    );
    expect(p.state.lines.filter((l) => !l.section).map((l) => l.path.join(' > '))).toEqual(['interface Gi0/1 > description core uplink', 'snmp-server location lab', 'ntp server 192.0.2.1']);
    // the interface existed: not a section the stack created
    expect(p.state.lines.some((l) => l.section)).toBe(false);
    // the rollback takes the target back to the running config
    const after = ios.apply(RUNNING, p.push.join('\n'));
    expect(ios.compare(ios.apply(ios.render(after).join('\n'), p.rollbackPush.join('\n')), ios.parse(RUNNING))).toEqual([]);
    expect(postCheck(ios, ios.render(after).join('\n'), p.check, mask)).toEqual({ missing: [], unexpected: [] });
    expect(postCheck(ios, RUNNING, p.check, mask).missing).toEqual(['interface Gi0/1 > description core uplink', 'snmp-server location lab', 'ntp server 192.0.2.1']);
  });

  it('removes only what it deployed before and no longer renders; a created section goes with its last line', () => {
    const running = `${RUNNING.replace('end\n', '')}interface Loopback5\n description mine\n ip address 10.5.5.5 255.255.255.255\nlogging host 10.1.1.1\nlogging host 10.1.1.2\nend\n`;
    const deployed = [
      { device: 'r1', path: ['interface Loopback5'], service: 'a', section: true, deploymentId: 1 },
      { device: 'r1', path: ['interface Loopback5', 'description mine'], service: 'a', section: false, deploymentId: 1 },
      { device: 'r1', path: ['interface Loopback5', 'ip address 10.5.5.5 255.255.255.255'], service: 'a', section: false, deploymentId: 1 },
      { device: 'r1', path: ['logging host 10.1.1.1'], service: 'b', section: false, deploymentId: 1 },
    ];
    const keep = prepareDevice(ios, { running, services: [service('a', 'interface Loopback5\n description mine\n'), service('b', '')], deployed, mask });
    expect(keep.commands).toEqual(['interface Loopback5', ' no ip address 10.5.5.5 255.255.255.255', 'no logging host 10.1.1.1']);
    expect(keep.removed).toEqual(['interface Loopback5 > ip address 10.5.5.5 255.255.255.255', 'logging host 10.1.1.1']);
    // logging host 10.1.1.2 was never the stack's: left alone
    expect(keep.commands.join('\n')).not.toMatch(/10\.1\.1\.2/);
    expect(keep.state.lines).toEqual(expect.arrayContaining([{ path: ['interface Loopback5'], service: 'a', section: true }]));

    const gone = prepareDevice(ios, { running, services: [], deployed, mask });
    expect(gone.commands).toEqual(['no interface Loopback5', 'no logging host 10.1.1.1']);
    expect(gone.removed).toEqual(['interface Loopback5', 'logging host 10.1.1.1']);
  });

  it('finds a deployed secret line by its masked path', () => {
    const running = `${RUNNING.replace('end\n', '')}snmp-server community Sup3rS3cret RO\nend\n`;
    const deployed = [{ device: 'r1', path: [mask('snmp-server community Sup3rS3cret RO')], service: 'a', section: false, deploymentId: 1 }];
    expect(deployed[0]!.path[0]).not.toMatch(/Sup3rS3cret/);
    const p = prepareDevice(ios, { running, services: [], deployed, mask });
    expect(p.push).toEqual(['no snmp-server community Sup3rS3cret RO']);
    expect(p.commands.join('\n') + p.removed.join('\n')).not.toMatch(/Sup3rS3cret/);
  });
});

describe('stack repository', () => {
  let store: Store | undefined;
  let cleanup: (() => void) | undefined;
  afterEach(async () => {
    await store?.close();
    cleanup?.();
  });
  const open = async () => {
    const temp = tempHome('netstacks-deploy-state-');
    cleanup = temp.cleanup;
    store = await openSqliteStore(join(temp.home, 'netstacks.db'));
    return store;
  };

  it('states: pending, deployed, pending changes on an edited file, interrupted runs of dead processes', async () => {
    const s = await open();
    expect(await stackStatus(s.db, 'x', 'h1')).toMatchObject({ state: 'pending', pendingChanges: true });
    const id = await startDeployment(s, { stack: 'x', stackPath: '/x.yaml', action: 'deploy', contentHash: 'h1', variables: {}, onError: 'stop' });
    expect(await stackStatus(s.db, 'x', 'h1')).toMatchObject({ state: 'deploying' });
    await recordResults(s, id, [{ device: 'r1', service: 'a', result: 'pending' }]);
    await recordResults(s, id, [{ device: 'r1', service: 'a', result: 'applied', remediation: ['x'] }]);
    await finishDeployment(s, id, 'deployed', {});
    expect(await stackStatus(s.db, 'x', 'h1')).toMatchObject({ state: 'deployed', pendingChanges: false });
    expect(await stackStatus(s.db, 'x', stackContentHash('edited'))).toMatchObject({ state: 'deployed', pendingChanges: true });

    // a deployment whose process is gone is marked interrupted, with its pending results
    const dead = Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
    const id2 = await startDeployment(s, { stack: 'x', stackPath: '/x.yaml', action: 'deploy', contentHash: 'h2', variables: {}, onError: 'stop' });
    await recordResults(s, id2, [{ device: 'r1', service: 'a', result: 'pending' }]);
    await s.write((tx) => tx.updateTable('deployments').set({ pid: dead, process_start: '1' }).where('id', '=', id2).execute());
    expect(await markInterruptedDeployments(s)).toEqual([id2]);
    expect(await stackStatus(s.db, 'x')).toMatchObject({ state: 'failed' });
    const results = await s.db.selectFrom('deployment_results').select('result').where('deployment_id', '=', id2).execute();
    expect(results).toEqual([{ result: 'interrupted' }]);
  });

  it('device state: lines replaced per deploy, previous values kept from the first deploy', async () => {
    const s = await open();
    await recordDeviceState(s, 'x', 'r1', 1, { lines: [{ path: ['a'], service: 's', section: false }], previous: [{ path: ['old'], replacedBy: ['a'], service: 's' }] });
    await recordDeviceState(s, 'x', 'r1', 2, { lines: [{ path: ['b'], service: 's', section: false }], previous: [{ path: ['old'], replacedBy: ['b'], service: 's' }] });
    expect((await deployedLines(s.db, 'x')).map((l) => l.path)).toEqual([['b']]);
    expect(await previousLines(s.db, 'x')).toEqual([{ device: 'r1', path: ['old'], replacedBy: ['a'], service: 's' }]);
  });
});
