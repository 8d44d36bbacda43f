import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadMop, runMop } from '../src/mops/engine/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { reloadStep } from '../src/mops/steps/reload.js';
import type { OperationEnv } from '../src/operations/index.js';
import type { Store } from '../src/store/store.js';
import { tempHome } from './helpers/cli.js';
import { openLabEnv } from './helpers/lab.js';
import { deviceStepContext, runStep } from './helpers/mop-step-context.js';

/**
 * `reload` against the lab, which learnt to reboot: the confirmation prompts are answered, the
 * connection drops, the device drops new connections for `reloadMs`, the step reconnects.
 */
const temp = tempHome('netstacks-mop-reload-');
const RELOAD_MS = 600;
let lab: LabHandle;
let store: Store;
let env: OperationEnv;

beforeAll(async () => {
  lab = await startLab({ devices: 6, platforms: ['cisco_ios', 'arista_eos', 'juniper_junos', 'cisco_nxos', 'fortinet', 'paloalto_panos'], quirks: false, port: 0, firstAddress: '127.0.95.1', controlSocket: false, reloadMs: RELOAD_MS });
  ({ store, env } = await openLabEnv(lab, temp.home));
}, 60_000);

afterAll(async () => {
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

describe('reload', () => {
  it.each(['ios-1', 'eos-2', 'junos-3', 'nxos-4', 'fgt-5', 'panos-6'])('%s reboots, comes back after the lab reload time, and the next step has a fresh session', async (name) => {
    const ctx = await deviceStepContext(env, name);
    try {
      await ctx.session();
      const connections = lab.connections(name);
      const started = Date.now();
      const outcome = await runStep(reloadStep, { poll: 0.1, wait_timeout: 20 }, ctx);
      expect(outcome).toMatchObject({ status: 'passed', changed: true, message: expect.stringMatching(/^reloaded; back after [\d.]+s \(\d+ connection attempt\(s\)\)$/) });
      // it was really away: no session before the lab's reload time was over
      expect(Date.now() - started).toBeGreaterThanOrEqual(RELOAD_MS);
      expect(outcome.data!.attempts as number).toBeGreaterThan(1);
      expect(ctx.opened).toBe(2);
      expect(lab.connections(name)).toBe(connections + 1);
      const version = await (await ctx.session()).send(name.startsWith('fgt') ? 'get system status' : name.startsWith('panos') ? 'show system info' : 'show version');
      expect(version.output.length).toBeGreaterThan(50);
    } finally {
      await ctx.close();
    }
  });

  it('through the engine: the steps after a reload run on the new session', async () => {
    mkdirSync(join(temp.home, 'mops'), { recursive: true });
    const file = join(temp.home, 'mops', 'upgrade.yaml');
    writeFileSync(
      file,
      `name: upgrade
targets: [ios-1, junos-3]
steps:
  - { id: before, type: command, command: show version }
  - { id: boot, type: reload, poll: 0.1, wait_timeout: 20 }
  - { id: after, type: command, command: show version, contains: "{{ 'JUNOS' if platform == 'juniper_junos' else 'Cisco IOS Software' }}" }
`,
    );
    const before = Object.fromEntries(['ios-1', 'junos-3'].map((n) => [n, lab.connections(n)]));
    const summary = await runMop(env, await loadMop(file, { cwd: temp.home, home: temp.home }), { store, location: { cwd: temp.home, home: temp.home } });
    const failed = summary.devices.flatMap((d) => d.steps.filter((s) => s.status !== 'passed').map((s) => `${d.device}/${s.stepId}: ${s.message}`));
    expect(failed).toEqual([]);
    for (const d of summary.devices) expect(d.steps.find((s) => s.stepId === 'boot')!.message).toMatch(/^reloaded; back after/);
    // one connection before the reload, one after it
    for (const n of ['ios-1', 'junos-3']) expect(lab.connections(n)).toBe(before[n]! + 2);
  });

  it('dry-run says what it would do and keeps the session', async () => {
    const ctx = await deviceStepContext(env, 'ios-1', { dryRun: true });
    try {
      const outcome = await runStep(reloadStep, {}, ctx);
      expect(outcome).toMatchObject({ status: 'passed', message: "dry-run: would send 'reload' and wait up to 900s for the device to come back" });
      expect(ctx.opened).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('fails with the last connection error when the device does not come back in time', async () => {
    const ctx = await deviceStepContext(env, 'junos-3');
    try {
      await ctx.session();
      // the device comes back refusing our credentials: it never answers a usable SSH session
      await lab.setFaults('junos-3', ['auth-failure']);
      const outcome = await runStep(reloadStep, { poll: 0.2, wait_timeout: 1.5 }, ctx);
      expect(outcome.status).toBe('failed');
      expect(outcome.message).toMatch(/^the device did not answer SSH within 1\.5s after 'request system reboot' \(\d+ attempt\(s\); last: .*auth/i);
    } finally {
      await lab.setFaults('junos-3', []);
      await ctx.close();
    }
  });
});
