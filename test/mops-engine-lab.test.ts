import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { addCredential } from '../src/credentials/index.js';
import { homeFiles } from '../src/core/paths.js';
import { addDevice } from '../src/inventory/index.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { getExecution, loadMop, registerStepType, runMop } from '../src/mops/engine/index.js';
import { defineStep } from '../src/mops/steps/types.js';
import { loadOperationEnv, type OperationEnv } from '../src/operations/index.js';
import { createMemorySecretStore } from '../src/secrets/index.js';
import { openSqliteStore, type Store } from '../src/store/store.js';
import { tempHome } from './helpers/cli.js';

/**
 * The engine against lab devices over real SSH: one session per device across its steps, reopened
 * when the connection dropped under it; the device lock held while a change runs.
 */
let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const temp = tempHome('netstacks-mop-engine-lab-');
const unregister: Array<() => void> = [];

const show = defineStep({
  name: 'lab_show',
  description: 'send a command on the device session',
  scope: 'device',
  readOnly: true,
  params: z.object({ command: z.string() }).strict(),
  async run(params, ctx) {
    const session = await ctx.session();
    const result = await session.send(params.command);
    return { status: 'passed', output: result.output, captures: { connections: lab.connections(ctx.device!.name) } };
  },
});

const drop = defineStep({
  name: 'lab_drop',
  description: 'the device reloads: the connection drops under the session',
  scope: 'device',
  readOnly: true,
  params: z.object({}).strict(),
  async run(_params, ctx) {
    const session = await ctx.session();
    const result = await session.sendInteractive!('reload', { interactions: [{ pattern: 'confirm', respond: '' }], expectClose: true, timeoutMs: 5000 });
    // wait out the reload: the engine has not been told, the session is simply dead now
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { status: result.closed ? 'passed' : 'failed', message: result.closed ? 'reloaded' : 'the device did not hang up' };
  },
});

const lockProbe = defineStep({
  name: 'lab_change',
  description: 'a change step that reads the lock table',
  scope: 'device',
  readOnly: false,
  params: z.object({}).strict(),
  async run(_params, ctx) {
    const { lockHolder } = await import('../src/locks/index.js');
    const holder = await lockHolder(store, `device:${ctx.device!.name}`);
    return { status: holder ? 'passed' : 'failed', message: holder ? `locked by pid ${holder.pid}` : 'no device lock held' };
  },
});

beforeAll(async () => {
  lab = await startLab({ devices: 2, platforms: ['cisco_ios'], quirks: false, port: 0, firstAddress: '127.0.79.1', controlSocket: false, reloadMs: 200 });
  store = await openSqliteStore(homeFiles.database(temp.home));
  const secrets = createMemorySecretStore();
  await addCredential(store, secrets, { name: 'lab', username: LAB_USERNAME, password: LAB_PASSWORD, enable: LAB_ENABLE_SECRET });
  for (const device of lab.devices) await addDevice(store, { name: device.name, host: device.host, port: lab.port, platform: device.platform, credential: 'lab' });
  env = await loadOperationEnv(store, secrets, temp.home, { logDir: join(temp.home, 'transcripts'), sshConfigFile: false });
  const { trustHostKey } = await import('../src/ssh/index.js');
  for (const device of lab.devices) {
    const key = lab.hostKey(device.name).normal.publicKey.split(' ');
    trustHostKey(homeFiles.knownHosts(temp.home), device.host, lab.port, key[0]!, key[1]!);
  }
  mkdirSync(join(temp.home, 'mops'), { recursive: true });
  unregister.push(registerStepType(show), registerStepType(drop), registerStepType(lockProbe));
});

afterAll(async () => {
  for (const off of unregister) off();
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

describe('MOP engine on lab devices', () => {
  it('keeps one session per device across steps, and reopens it when it dropped', async () => {
    const file = join(temp.home, 'mops', 'session.yaml');
    writeFileSync(
      file,
      `
name: session
targets: [${lab.devices.map((d) => d.name).join(', ')}]
steps:
  - { id: one, type: lab_show, command: show clock }
  - { id: two, type: lab_show, command: show version }
  - { id: three, type: lab_show, command: "show running-config | include hostname", when: "steps.two.output is search('IOS')" }
  - { id: drop, type: lab_drop, when: "inventory_hostname == '${lab.devices[0]!.name}'" }
  - { id: after, type: lab_show, command: show clock }
  - { id: change, type: lab_change }
`,
    );
    const before = Object.fromEntries(lab.devices.map((d) => [d.name, lab.connections(d.name)]));
    const summary = await runMop(env, await loadMop(file, { cwd: temp.home, home: temp.home }), { store });
    const first = summary.devices.find((d) => d.device === lab.devices[0]!.name)!;
    const second = summary.devices.find((d) => d.device === lab.devices[1]!.name)!;
    expect(summary.exitCode, JSON.stringify(summary.devices.map((d) => d.steps.map((s) => s.message)))).toBe(0);
    const count = (result: typeof first, step: string) => (result.steps.find((s) => s.stepId === step)?.captures?.connections as number) - before[result.device]!;
    // one connection for one, two and three
    expect([count(first, 'one'), count(first, 'two'), count(first, 'three')]).toEqual([1, 1, 1]);
    expect(first.steps.find((s) => s.stepId === 'three')?.status).toBe('passed');
    expect(first.steps.find((s) => s.stepId === 'three')?.output).toMatch(/hostname/);
    // the dropped session was reopened for `after`
    // the show command found the session dead and was sent again on a new one, transparently
    expect(first.steps.find((s) => s.stepId === 'drop')).toMatchObject({ status: 'passed', message: 'reloaded' });
    expect(count(first, 'after')).toBe(2);
    expect(first.steps.find((s) => s.stepId === 'after')?.output).toMatch(/\d{2}:\d{2}/);
    // the other device: one connection for the whole pipeline
    expect(count(second, 'after')).toBe(1);
    // change steps run under the device lock, released at the end
    expect(first.steps.find((s) => s.stepId === 'change')?.message).toBe(`locked by pid ${process.pid}`);
    const { listLocks } = await import('../src/locks/index.js');
    expect(await listLocks(store)).toEqual([]);
    const record = await getExecution(store.db, summary.executionId);
    expect(record?.deviceResults.map((d) => d.status)).toEqual(['passed', 'passed']);
    expect(JSON.stringify(record)).not.toContain(LAB_PASSWORD);
  });
});
