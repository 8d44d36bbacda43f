import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getExecution } from '../src/mops/engine/index.js';
import { insertExecution } from '../src/mops/records.js';
import { currentProcess, processStartTime } from '../src/locks/process.js';
import { openSqliteStore } from '../src/store/store.js';
import { tempHome } from './helpers/cli.js';

/**
 * A run killed with kill -9 is marked interrupted by the next opening of the store; a live run is
 * never touched: pid, host and process start time must all say the process is gone.
 */
const temp = tempHome('netstacks-mop-interrupted-');
afterAll(() => temp.cleanup());

const base = { parentId: null, mopPath: null, hash: 'h', dryRun: false, user: 'u', ciJob: null, inputs: {}, devices: ['d1'], startedAt: new Date().toISOString() };

describe('interrupted MOP runs', () => {
  it('marks a killed run interrupted on the next store opening, and leaves live runs alone', async () => {
    const file = join(temp.home, 'netstacks.db');
    const victim = spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise((resolve) => victim.once('spawn', resolve));
    const victimStart = processStartTime(victim.pid!);
    expect(victimStart).not.toBeNull();
    const me = currentProcess();

    const first = await openSqliteStore(file);
    await insertExecution(first, { ...base, id: 'killed01', mop: 'm', pid: victim.pid!, hostname: hostname(), processStart: victimStart });
    await first.write((tx) => tx.insertInto('mop_execution_devices').values({ execution_id: 'killed01', device: 'd1', status: 'running', message: null, started_at: base.startedAt, ended_at: null }).execute());
    await insertExecution(first, { ...base, id: 'live0001', mop: 'm', pid: me.pid, hostname: me.hostname, processStart: me.processStart });
    // this process's pid with another start time: the pid was reused, the run is gone
    await insertExecution(first, { ...base, id: 'reused01', mop: 'm', pid: me.pid, hostname: me.hostname, processStart: '1' });
    await insertExecution(first, { ...base, id: 'remote01', mop: 'm', pid: 999_999, hostname: 'another-host.example', processStart: '5' });
    await first.close();

    // the victim still lives: reopening marks nothing of it
    const again = await openSqliteStore(file);
    expect((await getExecution(again.db, 'killed01'))?.status).toBe('running');
    await again.close();

    victim.kill('SIGKILL');
    await new Promise((resolve) => victim.once('exit', resolve));

    const next = await openSqliteStore(file);
    const killed = await getExecution(next.db, 'killed01');
    expect(killed).toMatchObject({ status: 'interrupted', exitCode: 130 });
    expect(killed?.endedAt).not.toBeNull();
    expect(killed?.deviceResults).toEqual([expect.objectContaining({ device: 'd1', status: 'interrupted' })]);
    expect((await getExecution(next.db, 'live0001'))?.status).toBe('running');
    expect((await getExecution(next.db, 'reused01'))?.status).toBe('interrupted');
    expect((await getExecution(next.db, 'remote01'))?.status).toBe('running');
    await next.close();
  });
});
