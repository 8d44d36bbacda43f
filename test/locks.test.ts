import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { acquireLock, listLocks, withLock } from '../src/locks/index.js';
import { processStartTime } from '../src/locks/process.js';
import { ConflictError } from '../src/core/errors.js';
import { storesPerTest } from './helpers/store.js';

const DIST_LOCKS = new URL('../dist/locks/index.js', import.meta.url).pathname;
const DIST_STORE = new URL('../dist/store/store.js', import.meta.url).pathname;

function runNode(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('locks', () => {
  const { newStore } = storesPerTest();

  it('refuses a held lock naming pid, user, host and start time, and frees it on release', async () => {
    const { store } = await newStore();
    const lock = await acquireLock(store, 'device:r1', { purpose: 'backup run' });
    expect(lock.tookOver).toBeUndefined();
    const err = await acquireLock(store, 'device:r1', { purpose: 'config push' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    const message = (err as Error).message;
    expect(message).toContain(`pid ${process.pid}`);
    expect(message).toContain(hostname());
    expect(message).toContain(lock.holder.user);
    expect(message).toContain(lock.holder.acquiredAt);
    expect(message).toContain('backup run');
    expect((await listLocks(store)).map((l) => [l.key, l.liveness])).toEqual([['device:r1', 'alive']]);
    await lock.release();
    await lock.release();
    expect(await listLocks(store)).toEqual([]);
    const again = await acquireLock(store, 'device:r1', { purpose: 'config push' });
    await again.release();
  });

  it('takes over a lock left by a dead child process, with a note', async () => {
    const { store, file } = await newStore();
    const child = await runNode(`import { openSqliteStore } from ${JSON.stringify(DIST_STORE)};
      import { acquireLock } from ${JSON.stringify(DIST_LOCKS)};
      const s = await openSqliteStore(${JSON.stringify(file)});
      await acquireLock(s, 'backup-run', { purpose: 'child run' });
      console.log(process.pid);
      process.exit(0); // without releasing`);
    expect(child.stderr).toBe('');
    const childPid = Number(child.stdout.trim());
    const [held] = await listLocks(store);
    expect(held).toMatchObject({ key: 'backup-run', pid: childPid, purpose: 'child run', liveness: 'dead' });
    const notes: string[] = [];
    const lock = await acquireLock(store, 'backup-run', { purpose: 'mine', onTakeover: (note) => notes.push(note) });
    expect(lock.tookOver?.previous.pid).toBe(childPid);
    expect(lock.tookOver?.note).toMatch(new RegExp(`took over stale lock backup-run from pid ${childPid} .*child run.*gone`));
    expect(notes).toEqual([lock.tookOver?.note]);
    expect((await listLocks(store))[0]).toMatchObject({ pid: process.pid, purpose: 'mine', liveness: 'alive' });
    await lock.release();
  });

  it('treats a live pid with another start time as a recycled pid, and another host as alive', async () => {
    const { store } = await newStore();
    const base = { token: 't', user: 'someone', purpose: 'old', acquired_at: '2026-01-01T00:00:00.000Z' };
    const realStart = processStartTime(process.pid);
    await store.write((tx) =>
      tx.insertInto('locks').values([
        // our own pid, but started at another time: the original holder is long gone
        { ...base, key: 'stack:a', pid: process.pid, hostname: hostname(), process_start: realStart === null ? null : String(Number(realStart) + 1) },
        { ...base, key: 'stack:b', pid: 1, hostname: 'elsewhere.example', process_start: '5' },
      ]).execute(),
    );
    if (realStart !== null) {
      const lock = await acquireLock(store, 'stack:a', { purpose: 'deploy' });
      expect(lock.tookOver?.previous.user).toBe('someone');
      await lock.release();
    }
    const err = await acquireLock(store, 'stack:b', { purpose: 'deploy' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toContain('elsewhere.example');
    expect((err as ConflictError).hint).toMatch(/another host/);
  });

  it('lets exactly one of many concurrent acquirers win, and waiters take turns', async () => {
    // one store per process (better-sqlite3 is synchronous: a second connection in the same thread
    // would block it on the busy timeout); other processes are covered by the next test
    const { store } = await newStore();
    const others = [store, store, store, store];
    const results = await Promise.allSettled([store, ...others].map((s, i) => acquireLock(s, 'daemon', { purpose: `p${i}` })));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError)).toHaveLength(4);
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireLock>>>).value.release();

    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all(
      [store, ...others].map((s, i) =>
        withLock(s, 'backup-run', { purpose: `w${i}`, wait: true, pollMs: 10, timeoutMs: 10_000 }, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setTimeout(r, 20));
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(maxInside).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(await listLocks(store)).toEqual([]);
  });

  it('across processes: concurrent child processes never hold the same lock at once', async () => {
    const { store, file } = await newStore();
    const script = `import { openSqliteStore } from ${JSON.stringify(DIST_STORE)};
      import { withLock } from ${JSON.stringify(DIST_LOCKS)};
      const s = await openSqliteStore(${JSON.stringify(file)});
      await withLock(s, 'device:core1', { purpose: 'child', wait: true, pollMs: 20, timeoutMs: 20000 }, async () => {
        await s.write((tx) => tx.insertInto('settings').values({ key: 'in' + process.pid, value: String(Date.now()), updated_at: 'x' }).execute());
        await new Promise((r) => setTimeout(r, 100));
        await s.write((tx) => tx.insertInto('settings').values({ key: 'out' + process.pid, value: String(Date.now()), updated_at: 'x' }).execute());
      });
      await s.close();`;
    const children = await Promise.all(Array.from({ length: 3 }, () => runNode(script)));
    expect(children.map((c) => [c.code, c.stderr])).toEqual(Array.from({ length: 3 }, () => [0, '']));
    const rows = await store.db.selectFrom('settings').selectAll().execute();
    const spans = new Map<string, { in: number; out: number }>();
    for (const r of rows) {
      const [, kind, pid] = /^(in|out)(\d+)$/.exec(r.key)!;
      const span = spans.get(pid!) ?? { in: 0, out: 0 };
      span[kind as 'in' | 'out'] = Number(r.value);
      spans.set(pid!, span);
    }
    const sorted = [...spans.values()].sort((a, b) => a.in - b.in);
    expect(sorted).toHaveLength(3);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.in).toBeGreaterThanOrEqual(sorted[i - 1]!.out);
  });

  it('withLock releases when fn throws; wait gives up after timeoutMs', async () => {
    const { store } = await newStore();
    await expect(withLock(store, 'mop-run:7', { purpose: 'mop' }, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(await listLocks(store)).toEqual([]);
    const lock = await acquireLock(store, 'mop-run:7', { purpose: 'mop' });
    const started = Date.now();
    const err = await acquireLock(store, 'mop-run:7', { purpose: 'other', wait: true, timeoutMs: 300, pollMs: 50 }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect((err as Error).message).toMatch(/gave up after/);
    await lock.release();
    await expect(acquireLock(store, 'bad key', { purpose: 'x' })).rejects.toThrow(/invalid lock key/);
  });
});
