import type { Kysely } from 'kysely';

// Issue 9: MOP executions and their step results per device (src/mops/records.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('mop_executions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text')
    .addColumn('mop_name', 'text', (c) => c.notNull())
    .addColumn('mop_path', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('exit_code', 'integer')
    .addColumn('dry_run', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('user', 'text', (c) => c.notNull())
    .addColumn('ci_job', 'text')
    .addColumn('inputs', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('devices', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('process_start', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addColumn('message', 'text')
    .execute();
  await db.schema.createIndex('mop_executions_name').on('mop_executions').columns(['mop_name', 'started_at']).execute();
  await db.schema.createIndex('mop_executions_status').on('mop_executions').column('status').execute();

  await db.schema
    .createTable('mop_execution_devices')
    .addColumn('execution_id', 'text', (c) => c.notNull().references('mop_executions.id').onDelete('cascade'))
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text')
    .addPrimaryKeyConstraint('mop_execution_devices_pk', ['execution_id', 'device'])
    .execute();

  await db.schema
    .createTable('mop_step_results')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('execution_id', 'text', (c) => c.notNull().references('mop_executions.id').onDelete('cascade'))
    .addColumn('device', 'text')
    .addColumn('step_id', 'text', (c) => c.notNull())
    .addColumn('step_name', 'text', (c) => c.notNull())
    .addColumn('step_type', 'text', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('visit', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('output', 'text')
    .addColumn('captures', 'text')
    .addColumn('items', 'text')
    .addColumn('changed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pushed', 'text')
    .addColumn('undo', 'text')
    .addColumn('ignored_failure', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('handled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mop_step_results_execution').on('mop_step_results').columns(['execution_id', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('mop_step_results').execute();
  await db.schema.dropTable('mop_execution_devices').execute();
  await db.schema.dropTable('mop_executions').execute();
}
