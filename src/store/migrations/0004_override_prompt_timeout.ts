import type { Kysely } from 'kysely';

// Issue 11: a device override may set the prompt timeout (login → first prompt) on its own.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('device_overrides').addColumn('prompt_timeout', 'real').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('device_overrides').dropColumn('prompt_timeout').execute();
}
