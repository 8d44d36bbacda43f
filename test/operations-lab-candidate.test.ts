import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import type { Store } from '../src/store/store.js';
import { pushConfig, type OperationEnv } from '../src/operations/index.js';
import { tempHome } from './helpers/cli.js';
import { openLabEnv } from './helpers/lab.js';

/** config push on a candidate-config platform (Junos: set lines, commit) against the lab. */
let lab: LabHandle;
let store: Store;
let env: OperationEnv;
const temp = tempHome('netstacks-ops-junos-');

beforeAll(async () => {
  lab = await startLab({ devices: 1, platforms: ['juniper_junos'], port: 0, firstAddress: '127.0.74.1', controlSocket: false });
  ({ store, env } = await openLabEnv(lab, temp.home, { logDir: join(temp.home, 'logs') }));
});

afterAll(async () => {
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

describe('config push on Junos', () => {
  it('dry run lists only set lines not in the config; the push commits them', async () => {
    const lines = ['set system host-name junos-1', 'set interfaces ge-0/0/7 description "pushed by test"'];
    const before = lab.runningConfig('junos-1');
    const dry = await pushConfig(env, { names: ['junos-1'] }, { lines, dryRun: true });
    expect(dry.results[0]!.status, dry.results[0]!.message).toBe('ok');
    expect(dry.results[0]!.data).toMatchObject({ style: 'candidate', missing: [lines[1]] });
    expect(lab.runningConfig('junos-1')).toBe(before);

    const real = await pushConfig(env, { names: ['junos-1'] }, { lines });
    expect(real.results[0]!.status, real.results[0]!.message).toBe('ok');
    expect(real.results[0]!.data).toMatchObject({ committed: true, added: ['set interfaces ge-0/0/7 description "pushed by test"'] });
    // the description replaced whatever the default config had there, and nothing else went
    expect(real.results[0]!.data!.removed!.every((l) => l.startsWith('set interfaces ge-0/0/7 description '))).toBe(true);
    expect(lab.runningConfig('junos-1')).toContain('pushed by test');
  });
});
