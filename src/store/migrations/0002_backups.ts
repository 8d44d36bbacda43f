import type { Kysely } from 'kysely';

// Migrations are immutable once released: add a new file rather than editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>): Promise<void> {
  // one row per distinct text (config or facts), keyed by the sha256 of the text as stored
  await db.schema
    .createTable('backup_contents')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('lines', 'integer', (c) => c.notNull())
    .addColumn('base_id', 'integer', (c) => c.references('backup_contents.id'))
    .addColumn('depth', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('encoding', 'text', (c) => c.notNull())
    .addColumn('data', 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('backup_contents_base').on('backup_contents').column('base_id').execute();

  await db.schema
    .createTable('backup_snapshots')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('selection', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('success', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('changed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('process_start', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  await db.schema
    .createTable('backups')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('device_id', 'integer', (c) => c.references('devices.id').onDelete('set null'))
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('platform', 'text')
    .addColumn('snapshot_id', 'integer', (c) => c.references('backup_snapshots.id').onDelete('set null'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('content_id', 'integer', (c) => c.references('backup_contents.id'))
    .addColumn('changed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('format', 'text', (c) => c.notNull().defaultTo('native'))
    .addColumn('facts_id', 'integer', (c) => c.references('backup_contents.id'))
    .addColumn('unsaved', 'integer')
    .addColumn('duration_ms', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // one index only: a device's history (every backup run reads the device's latest good row).
  // Snapshot and content look-ups scan; at one small row per device per day that stays cheap,
  // and every index entry would cost as much as the row on a history where little changes.
  await db.schema.createIndex('backups_device_time').on('backups').columns(['device', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['backups', 'backup_snapshots', 'backup_contents']) await db.schema.dropTable(table).execute();
}
