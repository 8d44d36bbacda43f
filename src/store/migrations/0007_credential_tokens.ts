import type { Kysely } from 'kysely';

// Issue 9: token credentials (a bearer token or API key for MOP http steps), kept like passwords.
// `kind` is 'login' (username + password/enable/key) or 'token'; `has_token` flags the stored token.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('credentials').addColumn('kind', 'text', (c) => c.notNull().defaultTo('login')).execute();
  await db.schema.alterTable('credentials').addColumn('has_token', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('credentials').dropColumn('has_token').execute();
  await db.schema.alterTable('credentials').dropColumn('kind').execute();
}
