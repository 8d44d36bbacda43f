import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { acquireLock, asLockOwner, currentLockOwner, listLocks, type LockHandle } from '../src/locks/index.js';
import type { Store } from '../src/store/store.js';
import { ConflictError } from '../src/core/errors.js';
import { storesPerTest } from './helpers/store.js';

const DIST_LOCKS = new URL('../dist/locks/index.js', import.meta.url).pathname;
const DIST_STORE = new URL('../dist/store/store.js', import.meta.url).pathname;

/**
 * Re-entrancy of the one lock mechanism: the same owner nests (each handle releases its own level,
 * the row goes with the last), while other owners, sibling owners, owner-less callers and other
 * processes are refused or wait exactly as before, and a dead holder is still taken over.
 */
describe('locks: re-entrant for the same owner', () => {
  const { newStore, cleanups } = storesPerTest();
  const rows = async (store: Store) => (await listLocks(store)).map((l) => [l.key, l.purpose]);
  const refused = (p: Promise<LockHandle>) => p.then(
    (lock) => {
      void lock.release();
      throw new Error('acquired, expected a refusal');
    },
    (error: unknown) => error,
  );

  it('nests under the same owner; the row stays until the last level is released, in either order', async () => {
    const { store } = await newStore();
    const outer = await acquireLock(store, 'device:r1', { purpose: 'mop run', owner: 'run-1' });
    const inner = await acquireLock(store, 'device:r1', { purpose: 'backup', owner: 'run-1' });
    expect(outer.nested).toBeUndefined();
    expect(inner.nested).toBe(true);
    // one row, still the first holder's
    expect(await rows(store)).toEqual([['device:r1', 'mop run']]);
    expect(inner.holder).toEqual(outer.holder);
    await inner.release();
    await inner.release(); // a second release of the same level changes nothing
    expect(await rows(store)).toEqual([['device:r1', 'mop run']]);
    await outer.release();
    expect(await rows(store)).toEqual([]);

    // the outer level released first: the inner one still holds it
    const a = await acquireLock(store, 'device:r1', { purpose: 'a', owner: 'run-1' });
    const b = await acquireLock(store, 'device:r1', { purpose: 'b', owner: 'run-1' });
    const c = await acquireLock(store, 'device:r1', { purpose: 'c', owner: 'run-1' });
    await a.release();
    await a.release();
    expect(await rows(store)).toEqual([['device:r1', 'a']]);
    expect(await refused(acquireLock(store, 'device:r1', { purpose: 'other', owner: 'run-2' }))).toBeInstanceOf(ConflictError);
    await c.release();
    expect(await rows(store)).toEqual([['device:r1', 'a']]);
    await b.release();
    expect(await rows(store)).toEqual([]);
  });

  it('takes the owner from asLockOwner; a run and its device pipelines are one holder, siblings are not', async () => {
    const { store } = await newStore();
    expect(currentLockOwner()).toBeUndefined();
    const device = await asLockOwner('mop-run:x/r1', () => acquireLock(store, 'device:r1', { purpose: 'mop run' }));
    // a run_once step of the same run (the parent owner) nests, e.g. deploy_stack
    const fromRun = await asLockOwner('mop-run:x', async () => {
      expect(currentLockOwner()).toBe('mop-run:x');
      return acquireLock(store, 'device:r1', { purpose: 'deploy' });
    });
    expect(fromRun.nested).toBe(true);
    // a step of the same pipeline, through code that knows nothing of owners (runBackup), nests too
    const fromStep = await asLockOwner('mop-run:x/r1', () => Promise.resolve().then(() => acquireLock(store, 'device:r1', { purpose: 'backup' })));
    expect(fromStep.nested).toBe(true);
    // another pipeline of the same run, another run, and a caller with no owner are refused
    for (const owner of ['mop-run:x/r2', 'mop-run:y', 'mop-run:xx/r1']) {
      const error = await refused(asLockOwner(owner, () => acquireLock(store, 'device:r1', { purpose: owner })));
      expect(error, owner).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toContain('device:r1 is locked by');
      expect((error as Error).message).toContain('mop run');
    }
    expect(await refused(acquireLock(store, 'device:r1', { purpose: 'no owner' }))).toBeInstanceOf(ConflictError);
    await Promise.all([fromRun.release(), fromStep.release(), device.release()]);
    expect(await rows(store)).toEqual([]);
  });

  it('an owner-less caller still never nests, even in the process that holds the lock', async () => {
    const { store } = await newStore();
    const first = await acquireLock(store, 'backup-run', { purpose: 'first' });
    expect(await refused(acquireLock(store, 'backup-run', { purpose: 'second' }))).toBeInstanceOf(ConflictError);
    // an owner does not nest into a lock taken without one
    expect(await refused(acquireLock(store, 'backup-run', { purpose: 'third', owner: 'run-1' }))).toBeInstanceOf(ConflictError);
    await first.release();
    expect(await rows(store)).toEqual([]);
  });

  it('another owner waits for the last level, not the first', async () => {
    const { store } = await newStore();
    const outer = await acquireLock(store, 'stack:s', { purpose: 'outer', owner: 'run-1' });
    const inner = await acquireLock(store, 'stack:s', { purpose: 'inner', owner: 'run-1' });
    let got: LockHandle | undefined;
    const waiting = acquireLock(store, 'stack:s', { purpose: 'waiter', owner: 'run-2', wait: true, pollMs: 10, timeoutMs: 10_000 }).then((lock) => (got = lock));
    await outer.release();
    await new Promise((r) => setTimeout(r, 100));
    expect(got).toBeUndefined();
    await inner.release();
    const lock = await waiting;
    expect(await rows(store)).toEqual([['stack:s', 'waiter']]);
    expect(lock.nested).toBeUndefined();
    await lock.release();
    expect(await rows(store)).toEqual([]);
  });

  it('across processes: the same owner name in another live process is refused; a dead one is taken over', async () => {
    const { store, file } = await newStore();
    // a live child holding the lock under the owner name this process will use
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { openSqliteStore } from ${JSON.stringify(DIST_STORE)};
         import { acquireLock } from ${JSON.stringify(DIST_LOCKS)};
         const s = await openSqliteStore(${JSON.stringify(file)});
         await acquireLock(s, 'device:r9', { purpose: 'child run', owner: 'run-1' });
         console.log('held ' + process.pid);
         process.stdin.once('data', () => process.exit(0)); // exits without releasing`,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const pid = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /held (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    const error = await refused(acquireLock(store, 'device:r9', { purpose: 'mine', owner: 'run-1' }));
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain(`pid ${pid}`);

    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.stdin.write('bye\n');
    await exited;
    const notes: string[] = [];
    const lock = await acquireLock(store, 'device:r9', { purpose: 'mine', owner: 'run-1', onTakeover: (note) => notes.push(note) });
    expect(lock.nested).toBeUndefined();
    expect(lock.tookOver?.previous).toMatchObject({ pid, purpose: 'child run' });
    expect(notes).toHaveLength(1);
    // and it nests from here on
    const again = await acquireLock(store, 'device:r9', { purpose: 'again', owner: 'run-1' });
    expect(again.nested).toBe(true);
    await again.release();
    await lock.release();
    expect(await rows(store)).toEqual([]);
  });
});
