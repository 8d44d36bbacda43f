import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { ConflictError, ValidationError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import type { LockRow } from '../store/schema.js';
import { currentProcess, currentUser, processLiveness, type Liveness } from './process.js';

export { currentProcess, processLiveness, processStartTime, type ProcessIdentity, type Liveness } from './process.js';

/**
 * The one lock mechanism of NetStacks: a row per held key in the store's `locks` table, taken in a
 * write transaction (BEGIN IMMEDIATE), so it works across processes (CLI, cron, daemon) on one home.
 *
 * Keys in use: `device:<name>`, `backup-run`, `daemon`, `stack:<name>`, `mop-run:<id>`.
 *
 * A lock whose holder is gone (same host, and the pid no longer exists or now belongs to a process
 * that started at another time) is stale and taken over; the handle says so in `tookOver`.
 *
 * Re-entrant for the same holder: an acquire made under the owner that holds the key (the `owner`
 * option, or the one `asLockOwner` set for the code running) nests instead of being refused. The
 * nested handle releases only its own level; the row goes when the last level is released. Owners
 * are paths: `a` and `a/b` count as one holder (a run and one of its device pipelines; the caller
 * makes sure they do not use the lock at the same moment), while siblings `a/b` and `a/c`, other
 * owners and acquires with no owner are refused or wait exactly as for another process.
 */
export interface LockOptions {
  /** shown to whoever finds the lock held, e.g. "backup run --on site:lon" */
  purpose: string;
  /** wait for the holder to release instead of failing at once */
  wait?: boolean;
  /** with wait: give up after this long (default: wait indefinitely) */
  timeoutMs?: number;
  /** how often to retry while waiting (default 200 ms) */
  pollMs?: number;
  /** called when a stale lock is taken over, e.g. to log it */
  onTakeover?: (note: string, previous: LockHolder) => void;
  /** who holds it, for re-entrancy (default: the owner `asLockOwner` set for the running code, if any) */
  owner?: string;
}

export interface LockHolder {
  key: string;
  pid: number;
  hostname: string;
  user: string;
  processStart: string | null;
  purpose: string;
  acquiredAt: string;
}

export interface LockHandle {
  readonly key: string;
  readonly holder: LockHolder;
  /** set when this lock was taken over from a dead holder: what was there before */
  readonly tookOver?: { previous: LockHolder; note: string };
  /** set when this acquire nested into a lock its owner already held: release() ends only this level */
  readonly nested?: boolean;
  /** removes the lock if it is still ours (or, nested, this level only); safe to call more than once */
  release(): Promise<void>;
}

export interface LockInfo extends LockHolder {
  liveness: Liveness;
}

// kind or kind:name; the kinds in use are listed above
const KEY_PATTERN = /^[a-z][a-z0-9-]*(:\S+)?$/;

export function validateLockKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new ValidationError(`invalid lock key '${key}'`, 'use a kind or kind:name, e.g. device:<name>, stack:<name>, mop-run:<id>, backup-run, daemon');
  }
}

const toHolder = (row: LockRow): LockHolder => ({
  key: row.key,
  pid: row.pid,
  hostname: row.hostname,
  user: row.user,
  processStart: row.process_start,
  purpose: row.purpose,
  acquiredAt: row.acquired_at,
});

export function describeHolder(holder: LockHolder): string {
  return `pid ${holder.pid} (user ${holder.user} on ${holder.hostname}, since ${holder.acquiredAt}, ${holder.purpose})`;
}

const owners = new AsyncLocalStorage<string>();

/** Runs fn (and everything it starts) as `owner`: the locks it takes nest into those `owner` holds. */
export function asLockOwner<T>(owner: string, fn: () => T): T {
  return owners.run(owner, fn);
}

/** The owner `asLockOwner` set for the code running now, if any. */
export function currentLockOwner(): string | undefined {
  return owners.getStore();
}

/** one owner, or one nesting the other (`a` and `a/b`) */
function sameHolder(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/** Locks this process holds under an owner, by token: how deep they are nested. */
const held = new Map<string, { key: string; owner: string; depth: number }>();

type Attempt = { ok: true; row: LockRow; previous?: LockHolder; nested?: boolean } | { ok: false; holder: LockHolder; liveness: Liveness };

async function tryAcquire(store: Store, key: string, purpose: string, owner: string | undefined): Promise<Attempt> {
  const me = currentProcess();
  const row: LockRow = {
    key,
    token: randomUUID(),
    pid: me.pid,
    hostname: me.hostname,
    user: currentUser(),
    process_start: me.processStart,
    purpose,
    acquired_at: new Date().toISOString(),
  };
  return store.write(async (tx) => {
    const existing = await tx.selectFrom('locks').selectAll().where('key', '=', key).executeTakeFirst();
    if (!existing) {
      await tx.insertInto('locks').values(row).execute();
      return { ok: true, row };
    }
    const mine = owner !== undefined ? held.get(existing.token) : undefined;
    if (mine && mine.key === key && sameHolder(mine.owner, owner!)) {
      mine.depth++;
      return { ok: true, row: existing, nested: true };
    }
    const holder = toHolder(existing);
    const liveness = processLiveness({ pid: existing.pid, hostname: existing.hostname, processStart: existing.process_start });
    if (liveness !== 'dead') return { ok: false, holder, liveness };
    await tx.updateTable('locks').set(row).where('key', '=', key).where('token', '=', existing.token).execute();
    return { ok: true, row, previous: holder };
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function acquireLock(store: Store, key: string, options: LockOptions): Promise<LockHandle> {
  validateLockKey(key);
  const started = Date.now();
  const owner = options.owner ?? owners.getStore();
  for (;;) {
    const attempt = await tryAcquire(store, key, options.purpose, owner);
    if (attempt.ok) {
      if (attempt.nested) return nestedHandle(store, attempt.row);
      if (owner !== undefined) held.set(attempt.row.token, { key, owner, depth: 1 });
      return makeHandle(store, attempt.row, attempt.previous, options);
    }
    const waited = Date.now() - started;
    const timedOut = options.timeoutMs !== undefined && waited >= options.timeoutMs;
    if (!options.wait || timedOut) {
      const { holder, liveness } = attempt;
      throw new ConflictError(
        `${key} is locked by ${describeHolder(holder)}${timedOut ? `; gave up after ${Math.round(waited / 1000)} s` : ''}`,
        liveness === 'unknown'
          ? `the holder runs on another host (${holder.hostname}); if it is gone for good, remove the lock there or wait for it`
          : 'wait for it to finish, or stop that process',
      );
    }
    const remaining = options.timeoutMs === undefined ? Infinity : options.timeoutMs - waited;
    await sleep(Math.max(1, Math.min(options.pollMs ?? 200, remaining)));
  }
}

function makeHandle(store: Store, row: LockRow, previous: LockHolder | undefined, options: LockOptions): LockHandle {
  let released = false;
  const tookOver = previous
    ? { previous, note: `took over stale lock ${row.key} from ${describeHolder(previous)}: that process is gone` }
    : undefined;
  if (tookOver) options.onTakeover?.(tookOver.note, previous!);
  return {
    key: row.key,
    holder: toHolder(row),
    ...(tookOver ? { tookOver } : {}),
    release() {
      if (released) return Promise.resolve();
      released = true;
      return releaseLevel(store, row);
    },
  };
}

/** A level nested into a lock its owner already holds: same row, same holder. */
function nestedHandle(store: Store, row: LockRow): LockHandle {
  let released = false;
  return {
    key: row.key,
    holder: toHolder(row),
    nested: true,
    release() {
      if (released) return Promise.resolve();
      released = true;
      return releaseLevel(store, row);
    },
  };
}

/** One level less; the row goes with the last one (whichever handle that is). */
async function releaseLevel(store: Store, row: LockRow): Promise<void> {
  const entry = held.get(row.token);
  if (entry && --entry.depth > 0) return;
  held.delete(row.token);
  await store.write((tx) => tx.deleteFrom('locks').where('key', '=', row.key).where('token', '=', row.token).execute());
}

/** Runs fn holding the lock, and releases it however fn ends. */
export async function withLock<T>(store: Store, key: string, options: LockOptions, fn: (lock: LockHandle) => Promise<T>): Promise<T> {
  const lock = await acquireLock(store, key, options);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}

/** Every lock row, with whether its holder is still alive as seen from here. */
export async function listLocks(store: Pick<Store, 'db'>): Promise<LockInfo[]> {
  const rows = await store.db.selectFrom('locks').selectAll().orderBy('key').execute();
  return rows.map((row) => ({
    ...toHolder(row),
    liveness: processLiveness({ pid: row.pid, hostname: row.hostname, processStart: row.process_start }),
  }));
}

/** The current holder of a key, if any (alive or not). */
export async function lockHolder(store: Pick<Store, 'db'>, key: string): Promise<LockInfo | undefined> {
  const row = await store.db.selectFrom('locks').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  return { ...toHolder(row), liveness: processLiveness({ pid: row.pid, hostname: row.hostname, processStart: row.process_start }) };
}
