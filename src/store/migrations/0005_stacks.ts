import type { Kysely } from 'kysely';

// Issue 7: registered stacks, deployments with per-device/service results, and what each stack
// deployed on each device (Terraform-like state).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stacks')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('deployments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('stack', 'text', (c) => c.notNull())
    .addColumn('stack_path', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('os_user', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('process_start', 'text')
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('variables', 'text', (c) => c.notNull())
    .addColumn('on_error', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('summary', 'text')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('deployments_stack').on('deployments').columns(['stack', 'id']).execute();
  await db.schema.createIndex('deployments_status').on('deployments').column('status').execute();

  await db.schema
    .createTable('deployment_results')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('deployment_id', 'integer', (c) => c.notNull().references('deployments.id').onDelete('cascade'))
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('template', 'text')
    .addColumn('rendered', 'text')
    .addColumn('remediation', 'text')
    .addColumn('rollback', 'text')
    .addColumn('diff', 'text')
    .addColumn('device_compare', 'text')
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('deployment_results_deployment').on('deployment_results').columns(['deployment_id', 'device']).execute();

  await db.schema
    .createTable('stack_lines')
    .addColumn('stack', 'text', (c) => c.notNull())
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('section', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deployment_id', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stack_lines_pk', ['stack', 'device', 'path'])
    .execute();
  await db.schema.createIndex('stack_lines_device').on('stack_lines').columns(['device', 'stack']).execute();

  await db.schema
    .createTable('stack_previous')
    .addColumn('stack', 'text', (c) => c.notNull())
    .addColumn('device', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('replaced_by', 'text')
    .addColumn('service', 'text', (c) => c.notNull())
    .addColumn('deployment_id', 'integer', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stack_previous_pk', ['stack', 'device', 'path'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['stack_previous', 'stack_lines', 'deployment_results', 'deployments', 'stacks']) await db.schema.dropTable(table).execute();
}
