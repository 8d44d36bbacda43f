import type { Kysely } from 'kysely';

// Migrations are immutable once released: add a new file rather than editing this one.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One row per held lock (src/locks): devices, backup runs, the daemon, stacks, MOP runs.
  await db.schema
    .createTable('locks')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('user', 'text', (c) => c.notNull())
    .addColumn('process_start', 'text')
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('acquired_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('schedules')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('form', 'text', (c) => c.notNull())
    .addColumn('timezone', 'text', (c) => c.notNull())
    .addColumn('missed', 'text', (c) => c.notNull().defaultTo('skip'))
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('schedule_runs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('schedule_id', 'integer', (c) => c.references('schedules.id').onDelete('set null'))
    .addColumn('schedule_name', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('scheduled_for', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('exit_code', 'integer')
    .addColumn('summary', 'text')
    .addColumn('job', 'text', (c) => c.notNull())
    .addColumn('child_pid', 'integer')
    .addColumn('daemon_pid', 'integer')
    .addColumn('daemon_hostname', 'text')
    .addColumn('daemon_process_start', 'text')
    .execute();
  await db.schema.createIndex('schedule_runs_name').on('schedule_runs').columns(['schedule_name', 'id']).execute();
  await db.schema.createIndex('schedule_runs_outcome').on('schedule_runs').column('outcome').execute();

  // The running daemon's heartbeat, read by `daemon status` from another shell. One row.
  await db.schema
    .createTable('daemon_state')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('process_start', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('heartbeat_at', 'text', (c) => c.notNull())
    .addColumn('stopped_at', 'text')
    .addColumn('running', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
}
