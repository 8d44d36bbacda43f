import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001_initial.js';
import * as m0002 from './0002_backups.js';
import * as m0003 from './0003_scheduler.js';
import * as m0004 from './0004_override_prompt_timeout.js';
import * as m0005 from './0005_stacks.js';
import * as m0006 from './0006_mops.js';
import * as m0007 from './0007_credential_tokens.js';

/** Ordered, immutable migrations. Bundled in code so the binary needs no migrations folder. */
export const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_backups': m0002,
  '0003_scheduler': m0003,
  '0004_override_prompt_timeout': m0004,
  '0005_stacks': m0005,
  '0006_mops': m0006,
  '0007_credential_tokens': m0007,
};

export const LATEST_MIGRATION = Object.keys(migrations).length;

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
