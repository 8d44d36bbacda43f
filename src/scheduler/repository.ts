import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import { nowIso } from '../core/time.js';
import type { Db, Store } from '../store/store.js';
import type { ScheduleRow, ScheduleRunRow } from '../store/schema.js';
import { type ConvertedForm } from './forms.js';
import { type ScheduleKind, validateTimezone, scheduleTiming } from './timing.js';

export type MissedPolicy = 'skip' | 'run-once';
export const MISSED_POLICIES: readonly MissedPolicy[] = ['skip', 'run-once'];

export interface Schedule {
  id: number;
  name: string;
  kind: ScheduleKind;
  spec: string;
  form: string;
  timezone: string;
  missed: MissedPolicy;
  job: string[];
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** running → ok | failed | aborted (SIGTERM grace ran out) | interrupted (daemon killed); skipped: overlap or missed */
export type RunOutcome = 'running' | 'ok' | 'failed' | 'skipped' | 'aborted' | 'interrupted';
export type RunTrigger = 'scheduled' | 'missed';

export interface ScheduleRun {
  id: number;
  schedule: string;
  trigger: RunTrigger;
  scheduledFor: string;
  startedAt: string;
  endedAt: string | null;
  outcome: RunOutcome;
  exitCode: number | null;
  summary: string | null;
  job: string[];
  pid: number | null;
}

export const toSchedule = (row: ScheduleRow): Schedule => ({
  id: row.id,
  name: row.name,
  kind: row.kind as ScheduleKind,
  spec: row.spec,
  form: row.form,
  timezone: row.timezone,
  missed: row.missed as MissedPolicy,
  job: JSON.parse(row.job) as string[],
  enabled: row.enabled === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toRun = (row: ScheduleRunRow): ScheduleRun => ({
  id: row.id,
  schedule: row.schedule_name,
  trigger: row.trigger as RunTrigger,
  scheduledFor: row.scheduled_for,
  startedAt: row.started_at,
  endedAt: row.ended_at,
  outcome: row.outcome as RunOutcome,
  exitCode: row.exit_code,
  summary: row.summary,
  job: JSON.parse(row.job) as string[],
  pid: row.child_pid,
});

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface NewSchedule extends ConvertedForm {
  name: string;
  timezone: string;
  missed: MissedPolicy;
  job: string[];
}

export async function addSchedule(store: Store, input: NewSchedule, now = new Date()): Promise<Schedule> {
  if (!NAME_PATTERN.test(input.name)) {
    throw new ValidationError(`invalid schedule name '${input.name}'`, 'use letters, digits, dot, dash and underscore (up to 64)');
  }
  if (!MISSED_POLICIES.includes(input.missed)) throw new ValidationError(`invalid missed-run policy '${input.missed}'`, 'use skip or run-once');
  validateTimezone(input.timezone);
  const timing = scheduleTiming(input);
  if (input.kind === 'once' && !timing.nextRun(now)) {
    throw new ValidationError(`${input.form} in ${input.timezone} is in the past`, 'give a future date-time');
  }
  const at = nowIso();
  return store.write(async (tx) => {
    const existing = await tx.selectFrom('schedules').select('id').where('name', '=', input.name).executeTakeFirst();
    if (existing) throw new ConflictError(`schedule '${input.name}' already exists`, `remove it first (schedule rm ${input.name}) or pick another name`);
    const row = await tx
      .insertInto('schedules')
      .values({
        name: input.name,
        kind: input.kind,
        spec: input.spec,
        form: input.form,
        timezone: input.timezone,
        missed: input.missed,
        job: JSON.stringify(input.job),
        enabled: 1,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toSchedule(row);
  });
}

export async function listSchedules(db: Db): Promise<Schedule[]> {
  return (await db.selectFrom('schedules').selectAll().orderBy('name').execute()).map(toSchedule);
}

export async function getSchedule(db: Db, name: string): Promise<Schedule> {
  const row = await db.selectFrom('schedules').selectAll().where('name', '=', name).executeTakeFirst();
  if (row) return toSchedule(row);
  const names = (await db.selectFrom('schedules').select('name').execute()).map((r) => r.name);
  throw new NotFoundError('schedule', name, nearest(name, names));
}

export async function removeSchedule(store: Store, name: string): Promise<Schedule> {
  const schedule = await getSchedule(store.db, name);
  await store.write((tx) => tx.deleteFrom('schedules').where('id', '=', schedule.id).execute());
  return schedule;
}

export async function setScheduleEnabled(store: Store, name: string, enabled: boolean): Promise<Schedule> {
  const schedule = await getSchedule(store.db, name);
  const at = nowIso();
  await store.write((tx) => tx.updateTable('schedules').set({ enabled: enabled ? 1 : 0, updated_at: at }).where('id', '=', schedule.id).execute());
  return { ...schedule, enabled, updatedAt: at };
}

export interface ScheduleUpdate {
  form?: ConvertedForm;
  timezone?: string;
  missed?: MissedPolicy;
  job?: string[];
}

export async function updateSchedule(store: Store, name: string, update: ScheduleUpdate): Promise<Schedule> {
  const current = await getSchedule(store.db, name);
  const next = { ...current, ...(update.form ?? {}), ...(update.timezone ? { timezone: update.timezone } : {}), ...(update.missed ? { missed: update.missed } : {}), ...(update.job ? { job: update.job } : {}) };
  validateTimezone(next.timezone);
  scheduleTiming(next);
  const at = nowIso();
  await store.write((tx) =>
    tx
      .updateTable('schedules')
      .set({ kind: next.kind, spec: next.spec, form: next.form, timezone: next.timezone, missed: next.missed, job: JSON.stringify(next.job), updated_at: at })
      .where('id', '=', current.id)
      .execute(),
  );
  return { ...next, updatedAt: at };
}

/**
 * A cheap fingerprint of all schedules: the daemon polls it every second or so and reloads when it
 * changes (an add, edit, enable/disable or rm from another process).
 */
export async function schedulesVersion(db: Db): Promise<string> {
  const row = await db
    .selectFrom('schedules')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('latest'), eb.fn.sum<number>('id').as('ids')])
    .executeTakeFirst();
  return `${row?.n ?? 0}/${row?.latest ?? ''}/${row?.ids ?? 0}`;
}

export async function scheduleHistory(db: Db, name: string, limit = 50): Promise<ScheduleRun[]> {
  const rows = await db.selectFrom('schedule_runs').selectAll().where('schedule_name', '=', name).orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toRun);
}

export async function lastRuns(db: Db): Promise<Map<string, ScheduleRun>> {
  const latest = db.selectFrom('schedule_runs').select((eb) => eb.fn.max('id').as('id')).groupBy('schedule_name');
  const rows = await db.selectFrom('schedule_runs').selectAll().where('id', 'in', latest).execute();
  return new Map(rows.map((r) => [r.schedule_name, toRun(r)]));
}

/** The latest run that actually started a job (not a skip), per schedule. */
export async function lastStartedRuns(db: Db): Promise<Map<string, ScheduleRun>> {
  const latest = db
    .selectFrom('schedule_runs')
    .select((eb) => eb.fn.max('id').as('id'))
    .where('outcome', '!=', 'skipped')
    .groupBy('schedule_name');
  const rows = await db.selectFrom('schedule_runs').selectAll().where('id', 'in', latest).execute();
  return new Map(rows.map((r) => [r.schedule_name, toRun(r)]));
}

export { markInterruptedRuns } from './recovery.js';
