import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0011 from './0011_override_prompt_timeout.js';

/** Ordered, immutable migrations. Bundled in code so the binary needs no migrations folder. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0011_override_prompt_timeout': m0011,
};

export const LATEST_MIGRATION = Object.keys(migrations).length;

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
