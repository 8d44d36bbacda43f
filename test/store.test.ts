import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openSqliteStore } from '../src/store/store.js';
import { LATEST_MIGRATION } from '../src/store/migrations/index.js';
import { tempHome } from './helpers/cli.js';

describe('store', () => {
  const homes: Array<() => void> = [];
  afterEach(() => homes.splice(0).forEach((c) => c()));

  it('creates the database with WAL, foreign keys and the latest schema on first open', async () => {
    const { home, cleanup } = tempHome();
    homes.push(cleanup);
    const file = join(home, 'netstacks.db');
    const store = await openSqliteStore(file);
    await store.write((tx) =>
      tx.insertInto('settings').values({ key: 'k', value: '1', updated_at: new Date().toISOString() }).execute(),
    );
    await store.close();

    const raw = new BetterSqlite3(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_MIGRATION);
    const tables = raw.prepare("select name from sqlite_master where type='table' order by name").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['devices', 'groups', 'group_members', 'device_overrides', 'credentials', 'settings']));
    raw.close();
  });

  it('rolls back a failed write transaction completely', async () => {
    const { home, cleanup } = tempHome();
    homes.push(cleanup);
    const store = await openSqliteStore(join(home, 'netstacks.db'));
    const now = new Date().toISOString();
    await expect(
      store.write(async (tx) => {
        await tx.insertInto('settings').values({ key: 'a', value: '1', updated_at: now }).execute();
        await tx.insertInto('settings').values({ key: 'a', value: '2', updated_at: now }).execute();
      }),
    ).rejects.toThrow(/UNIQUE/);
    const rows = await store.db.selectFrom('settings').selectAll().execute();
    expect(rows).toEqual([]);
    await store.close();
  });
});

describe('store under concurrency', () => {
  it('lets several processes open a brand-new database at once and migrates it exactly once', async () => {
    const { spawn } = await import('node:child_process');
    const { home, cleanup } = tempHome();
    try {
      const file = join(home, 'netstacks.db');
      const script = `import { openSqliteStore } from ${JSON.stringify(new URL('../dist/store/store.js', import.meta.url).pathname)};
        const s = await openSqliteStore(${JSON.stringify(file)});
        await s.write((tx) => tx.insertInto('settings').values({ key: 'p' + process.pid, value: '1', updated_at: 'now' }).execute());
        await s.close();`;
      const codes = await Promise.all(
        Array.from({ length: 4 }, () =>
          new Promise<{ code: number | null; stderr: string }>((resolve) => {
            const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
            let stderr = '';
            child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
            child.on('close', (code) => resolve({ code, stderr }));
          }),
        ),
      );
      expect(codes).toEqual(Array.from({ length: 4 }, () => ({ code: 0, stderr: '' })));
      const raw = new BetterSqlite3(file, { readonly: true });
      expect((raw.prepare('select count(*) n from settings').get() as { n: number }).n).toBe(4);
      expect((raw.prepare('select count(*) n from kysely_migration').get() as { n: number }).n).toBe(LATEST_MIGRATION);
      raw.close();
    } finally {
      cleanup();
    }
  });
});
