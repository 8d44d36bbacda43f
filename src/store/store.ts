import { CompiledQuery, type DatabaseConnection, Kysely, Migrator, SqliteDialect, SqliteDriver, type Transaction } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { StoreError } from '../core/errors.js';
import type { Database } from './schema.js';
import { LATEST_MIGRATION, migrationProvider } from './migrations/index.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

/**
 * The store: a typed kysely handle plus the one way to write atomically. Everything above this
 * module speaks kysely only, so pointing it at PostgreSQL later is a matter of another dialect.
 */
export interface Store {
  readonly db: Db;
  /** Run `fn` in a write transaction. On SQLite it takes the write lock up front (BEGIN IMMEDIATE)
   * so concurrent writers wait on the busy timeout instead of failing with SQLITE_BUSY mid-way. */
  write<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const BUSY_TIMEOUT_MS = 15_000;

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export async function openSqliteStore(file: string): Promise<Store> {
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(file, { timeout: BUSY_TIMEOUT_MS });
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
  } catch (error) {
    throw new StoreError(`cannot open database ${file}: ${(error as Error).message}`, 'check the path and its permissions (--home or NETSTACKS_HOME)', error);
  }
  const config = { database: sqlite };
  const dialect = new SqliteDialect(config);
  dialect.createDriver = () => new ImmediateSqliteDriver(config);
  const db = new Kysely<Database>({ dialect });

  const version = sqlite.pragma('user_version', { simple: true }) as number;
  if (version < LATEST_MIGRATION) await migrate(db, sqlite);
  else if (version > LATEST_MIGRATION) {
    await db.destroy();
    throw new StoreError(`database ${file} has schema version ${version}, newer than this netstacks (${LATEST_MIGRATION})`, 'upgrade netstacks');
  }

  // Shell completion reads names from files next to the database; they are rewritten after writes:
  // when the store closes (CLI commands), and a second after the last write in long-lived processes.
  const home = file === ':memory:' || file === '' ? undefined : dirname(file);
  let dirty = home !== undefined && !existsSync(join(home, 'completion'));
  let timer: NodeJS.Timeout | undefined;
  let refreshing: Promise<void> | undefined;
  const refreshNames = async (): Promise<void> => {
    clearTimeout(timer);
    if (!dirty || home === undefined) return;
    dirty = false;
    try {
      const { writeNamesCache } = await import('../inventory/names-cache.js');
      await writeNamesCache(db, home);
    } catch {
      // completion is a convenience: a read-only home or a full disk must not fail the command
    }
  };
  const store: Store = {
    db,
    write: async (fn) => {
      const result = await db.transaction().execute(fn);
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(() => void (refreshing = refreshNames()), NAMES_REFRESH_MS);
      timer.unref();
      return result;
    },
    close: async () => {
      await refreshing;
      await refreshNames();
      await db.destroy();
    },
  };
  // MOP runs left `running` by a killed process are marked interrupted by whoever opens the store
  // next (pid, host and process start checked: never a live run); one indexed query when none run
  try {
    await (await import('../mops/recover.js')).markInterruptedExecutions(store);
  } catch {
    // a read-only or busy database must not stop the command that opened it
  }
  return store;
}

const NAMES_REFRESH_MS = 1000;

/**
 * Migrates under SQLite's write lock, re-reading the schema version once the lock is held, so two
 * processes opening a brand-new database at once (CLI and daemon) migrate it exactly once.
 */
async function migrate(db: Kysely<Database>, sqlite: BetterSqlite3.Database): Promise<void> {
  sqlite.exec('begin immediate');
  try {
    if ((sqlite.pragma('user_version', { simple: true }) as number) < LATEST_MIGRATION) {
      const migrator = new Migrator({ db, provider: migrationProvider, disableTransactions: true });
      const { error } = await migrator.migrateToLatest();
      if (error) throw new StoreError(`database migration failed: ${(error as Error).message}`, undefined, error);
      sqlite.pragma(`user_version = ${LATEST_MIGRATION}`);
    }
    sqlite.exec('commit');
  } catch (error) {
    if (sqlite.inTransaction) sqlite.exec('rollback');
    throw error;
  }
}
