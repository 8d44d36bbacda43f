import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { configModelFor } from '../src/config/index.js';
import { runCli, tempHome } from './helpers/cli.js';
import { registerLabInHome } from './helpers/lab.js';

/**
 * `mop run`, `mop show-execution` and `mop rollback` from the built binary against lab devices:
 * --dry-run changes nothing, a run records the undo of its change, and `mop rollback EXECUTION`
 * pushes that undo later and brings the config back.
 */

const ROOT = resolve(import.meta.dirname, '..');
const temp = tempHome('netstacks-mops-cli-lab-');
let lab: LabHandle;
const ios = configModelFor('cisco_ios');
const run = (args: string[]) => runCli(args, { home: temp.home, cwd: ROOT, env: { CI: 'true' }, timeoutMs: 60_000 });

beforeAll(async () => {
  lab = await startLab({ devices: 2, platforms: ['cisco_ios'], quirks: false, port: 0, firstAddress: '127.0.98.1', controlSocket: false });
  mkdirSync(temp.home, { recursive: true });
  await registerLabInHome(lab, temp.home);
}, 30_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

describe('mop run and mop rollback against the lab', () => {
  it('--dry-run needs no --yes, shows what it would push and changes nothing', async () => {
    const before = lab.runningConfig('ios-1');
    const r = await run(['mop', 'run', 'interface-change', '--var', 'interface=GigabitEthernet0/2', '--var', 'description=dry run only', '--on', 'name:ios-1', '--dry-run']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^mop interface-change \(dry run\)/);
    expect(r.stdout).toMatch(/passed\s+ios-1\s+change \(config\)\s+\S+ ms\s+dry-run: would push/);
    expect(r.stdout).toMatch(/dry run: mop interface-change/);
    expect(ios.compare(ios.parse(lab.runningConfig('ios-1')), ios.parse(before))).toEqual([]);
  });

  it('a run records the undo of its change; mop rollback pushes it later and the config is as before', async () => {
    const before = lab.runningConfig('ios-2');
    const r = await run(['mop', 'run', 'interface-change', '--var', 'interface=GigabitEthernet0/3', '--var', 'description=temporary', '--on', 'name:ios-2', '--yes', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { executionId: string };
    expect(lab.runningConfig('ios-2')).toContain('interface GigabitEthernet0/3\n description temporary\n');

    const shown = await run(['mop', 'show-execution', summary.executionId]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/ios-2\s+change\s+config\s+passed/);
    expect(shown.stdout).toContain('pushed:');

    const refused = await run(['mop', 'rollback', summary.executionId]);
    expect(refused.code).toBe(2);
    const dry = await run(['mop', 'rollback', summary.executionId, '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/ok ios-2\n {2}\+ interface GigabitEthernet0\/3\n {2}\+ {2}description /);
    expect(lab.runningConfig('ios-2')).toContain('description temporary');

    const done = await run(['mop', 'rollback', summary.executionId.slice(0, 8), '--yes']);
    expect(done.code, done.stderr + done.stdout).toBe(0);
    expect(done.stdout).toMatch(/rollback of execution \S+: 1 device\(s\) ok, 0 failed/);
    expect(ios.compare(ios.parse(lab.runningConfig('ios-2')), ios.parse(before))).toEqual([]);
  });

  it('an execution that changed nothing has nothing to roll back', async () => {
    const r = await run(['mop', 'run', 'interface-change', '--var', 'interface=GigabitEthernet0/2', '--var', 'description=x', '--on', 'name:ios-1', '--dry-run', '--json']);
    const { executionId } = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { executionId: string };
    const rollback = await run(['mop', 'rollback', executionId, '--yes']);
    expect(rollback.code).toBe(0);
    expect(rollback.stderr).toContain('recorded no change to undo');
  });
});
