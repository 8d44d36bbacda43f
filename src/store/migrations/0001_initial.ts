import { type Kysely, sql } from 'kysely';

// Migrations are immutable once released: add a new file rather than editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('credentials')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('secret_backend', 'text', (c) => c.notNull())
    .addColumn('secret_ref', 'text', (c) => c.notNull().unique())
    .addColumn('has_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('has_enable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('has_private_key', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('has_passphrase', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('key_path', 'text')
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('devices')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull().defaultTo(22))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('site', 'text')
    .addColumn('role', 'text')
    .addColumn('vendor', 'text')
    .addColumn('model', 'text')
    .addColumn('description', 'text')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('variables', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('ssh', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('credential_id', 'integer', (c) => c.references('credentials.id').onDelete('set null'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('manual'))
    .addColumn('netbox_id', 'integer')
    .addColumn('missing_since', 'text')
    .addColumn('last_synced_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('devices_netbox_id').on('devices').column('netbox_id').execute();

  await db.schema
    .createTable('groups')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('priority', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('variables', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('ssh', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('credential_id', 'integer', (c) => c.references('credentials.id').onDelete('set null'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('group_id', 'integer', (c) => c.notNull().references('groups.id').onDelete('cascade'))
    .addColumn('device_id', 'integer', (c) => c.notNull().references('devices.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'device_id'])
    .execute();
  await db.schema.createIndex('group_members_device').on('group_members').column('device_id').execute();

  await db.schema
    .createTable('device_overrides')
    .addColumn('device_id', 'integer', (c) => c.primaryKey().references('devices.id').onDelete('cascade'))
    .addColumn('host', 'text')
    .addColumn('port', 'integer')
    .addColumn('platform', 'text')
    .addColumn('credential_id', 'integer', (c) => c.references('credentials.id').onDelete('set null'))
    .addColumn('connect_timeout', 'real')
    .addColumn('auth_timeout', 'real')
    .addColumn('banner_timeout', 'real')
    .addColumn('command_timeout', 'real')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('notes', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await sql`select 1`.execute(db);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['settings', 'device_overrides', 'group_members', 'groups', 'devices', 'credentials']) {
    await db.schema.dropTable(table).execute();
  }
}
