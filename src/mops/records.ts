import { CompiledQuery, type Insertable } from 'kysely';
import type { Db, Store, Tx } from '../store/store.js';
import type { MopExecutionDevicesTable, MopExecutionRow, MopStepResultRow } from '../store/schema.js';
import type { DeviceRunStatus, ExecutionDetail, ExecutionRecord, ExecutionStatus, ListExecutionsOptions, StepResult } from './engine/types.js';

export { markInterruptedExecutions } from './recover.js';

/**
 * MOP executions in the store: one row per run, one per device, one per step and device. Every
 * text written here is already masked by the engine. Step results are written as they end, so a
 * killed run keeps what it did (and its undo lines) for `mop show-execution` and `mop rollback`.
 */

export interface NewExecution {
  id: string;
  parentId: string | null;
  mop: string;
  mopPath: string | null;
  hash: string;
  dryRun: boolean;
  user: string;
  ciJob: string | null;
  inputs: Record<string, unknown>;
  devices: string[];
  pid: number;
  hostname: string;
  processStart: string | null;
  startedAt: string;
}

export async function insertExecution(store: Pick<Store, 'write'>, e: NewExecution): Promise<void> {
  await store.write(async (tx) => {
    await tx
      .insertInto('mop_executions')
      .values({
        id: e.id,
        parent_id: e.parentId,
        mop_name: e.mop,
        mop_path: e.mopPath,
        content_hash: e.hash,
        status: 'running',
        exit_code: null,
        dry_run: e.dryRun ? 1 : 0,
        user: e.user,
        ci_job: e.ciJob,
        inputs: JSON.stringify(e.inputs),
        devices: JSON.stringify(e.devices),
        pid: e.pid,
        hostname: e.hostname,
        process_start: e.processStart,
        started_at: e.startedAt,
        ended_at: null,
        message: null,
      })
      .execute();
  });
}

export async function finishExecution(store: Pick<Store, 'write'>, id: string, status: Exclude<ExecutionStatus, 'running'>, exitCode: number, message: string | null): Promise<void> {
  await store.write(async (tx) => {
    await tx.updateTable('mop_executions').set({ status, exit_code: exitCode, ended_at: new Date().toISOString(), message }).where('id', '=', id).execute();
  });
}

/**
 * how long records gather before they are written: a killed run loses at most this much of its
 * read-only results (undo lines do not wait: provisional() writes them at once)
 */
const BATCH_MS = 250;
/** 21 columns a row: well under SQLite's 32766 bound variables (a power of two: see stepChunks) */
const ROWS_PER_INSERT = 256;
/** 6 columns a device row */
const DEVICE_ROWS_PER_INSERT = 2000;

export type RecordItem =
  /** rowId: the provisional row written by `provisional()` that this result completes */
  | { kind: 'step'; result: StepResult; rowId?: number }
  | { kind: 'device'; device: string; status: DeviceRunStatus | 'running'; message?: string; startedAt: string; endedAt?: string };

/**
 * Writes records in order, batching whatever queued while the previous write ran: one transaction
 * per batch, so 100 devices × 20 steps cost a few dozen transactions, not two thousand.
 */
export class RecordWriter {
  private queue: RecordItem[] = [];
  private running: Promise<void> | undefined;
  private failure: unknown;

  constructor(
    private readonly store: Pick<Store, 'write'>,
    private readonly executionId: string,
  ) {}

  private timer: NodeJS.Timeout | undefined;

  push(item: RecordItem): void {
    this.queue.push(item);
    // gathered for a moment, then written in one transaction: a few rows per transaction cost
    // little more than one (undo lines that must survive a kill go through provisional())
    if (!this.running && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.running ??= this.drain();
      }, BATCH_MS);
    }
  }

  /** resolves when everything queued so far is written */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.queue.length > 0) this.running ??= this.drain();
    while (this.running) await this.running;
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
  }

  /**
   * Writes a step's undo lines now (status `running`), before its change is pushed: a killed run keeps
   * them. Returns the row id the step's final result then completes.
   */
  async provisional(result: StepResult): Promise<number> {
    await this.flush().catch(() => undefined);
    return this.store.write(async (tx) => {
      const row = await tx
        .insertInto('mop_step_results')
        .values({ ...this.values(result), status: 'running' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    });
  }

  /** replaces the undo lines of a provisional row (a step that pushes in several goes); none clears them */
  async provisionalUndo(rowId: number, lines: string[]): Promise<void> {
    await this.store.write((tx) => tx.updateTable('mop_step_results').set({ undo: lines.length > 0 ? JSON.stringify(lines) : null }).where('id', '=', rowId).execute());
  }

  private values(r: StepResult) {
    return {
      execution_id: this.executionId,
      device: r.device ?? null,
      step_id: r.stepId,
      step_name: r.name,
      step_type: r.type,
      phase: r.phase,
      visit: r.visit,
      attempts: r.attempts,
      status: r.status,
      message: r.message ?? null,
      output: r.output ?? null,
      captures: r.captures && Object.keys(r.captures).length > 0 ? JSON.stringify(r.captures) : null,
      items: r.items && r.items.length > 0 ? JSON.stringify(r.items) : null,
      changed: r.changed ? 1 : 0,
      pushed: r.pushed && r.pushed.length > 0 ? JSON.stringify(r.pushed) : null,
      undo: r.undo && r.undo.length > 0 ? JSON.stringify(r.undo) : null,
      ignored_failure: r.ignoredFailure ? 1 : 0,
      handled: r.handled ? 1 : 0,
      started_at: r.startedAt,
      ended_at: r.endedAt,
      duration_ms: r.durationMs,
    };
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          await this.write(batch);
        } catch (error) {
          this.failure ??= error;
        }
      }
    } finally {
      this.running = undefined;
    }
  }

  /** the SQL kysely compiled for an insert of n step rows: the same for any n rows, so built once per n */
  private readonly insertSql = new Map<number, string>();

  /**
   * A multi-row insert of step rows. Kysely builds and compiles a node per value (21 a row): the SQL
   * of each row count is compiled once, and later inserts of that many rows only bind new values.
   */
  private async insertSteps(tx: Tx, rows: ReturnType<RecordWriter['values']>[]): Promise<void> {
    // every row has the same columns in one order (values() builds them), none undefined: the SQL is
    // written here, once per row count, instead of kysely parsing hundreds of rows per insert
    const parameters = rows.flatMap((r) => Object.values(r));
    let sql = this.insertSql.get(rows.length);
    if (sql === undefined) {
      const columns = Object.keys(rows[0]!);
      const row = `(${columns.map(() => '?').join(', ')})`;
      sql = `insert into "mop_step_results" (${columns.map((c) => `"${c}"`).join(', ')}) values ${Array.from({ length: rows.length }, () => row).join(', ')}`;
      this.insertSql.set(rows.length, sql);
    }
    await tx.executeQuery(CompiledQuery.raw(sql, parameters));
  }

  private async write(batch: RecordItem[]): Promise<void> {
    // new step rows in multi-row inserts, in order; provisional rows completed one by one; device
    // rows in multi-row upserts, in order (a device's `running` row and its end in one batch: the
    // later row updates the earlier). Tables apart, so the order between them does not matter
    const steps: ReturnType<RecordWriter['values']>[] = [];
    const updates: Array<{ rowId: number; values: ReturnType<RecordWriter['values']> }> = [];
    const devices: Insertable<MopExecutionDevicesTable>[] = [];
    for (const item of batch) {
      if (item.kind === 'step') {
        if (item.rowId === undefined) steps.push(this.values(item.result));
        else updates.push({ rowId: item.rowId, values: this.values(item.result) });
      } else {
        devices.push({
          execution_id: this.executionId,
          device: item.device,
          status: item.status,
          message: item.message ?? null,
          started_at: item.startedAt,
          ended_at: item.endedAt ?? null,
        });
      }
    }
    await this.store.write(async (tx) => {
      for (const chunk of stepChunks(steps)) await this.insertSteps(tx, chunk);
      for (const { rowId, values } of updates) await tx.updateTable('mop_step_results').set(values).where('id', '=', rowId).execute();
      for (let i = 0; i < devices.length; i += DEVICE_ROWS_PER_INSERT) {
        await tx
          .insertInto('mop_execution_devices')
          .values(devices.slice(i, i + DEVICE_ROWS_PER_INSERT))
          .onConflict((oc) =>
            oc.columns(['execution_id', 'device']).doUpdateSet((eb) => ({ status: eb.ref('excluded.status'), message: eb.ref('excluded.message'), ended_at: eb.ref('excluded.ended_at') })),
          )
          .execute();
      }
    });
  }
}

/** rows in inserts of ROWS_PER_INSERT, then of powers of two: few distinct row counts, so few SQL texts */
function stepChunks<T>(rows: T[]): T[][] {
  const chunks: T[][] = [];
  let i = 0;
  while (rows.length - i >= ROWS_PER_INSERT) {
    chunks.push(rows.slice(i, i + ROWS_PER_INSERT));
    i += ROWS_PER_INSERT;
  }
  for (let size = ROWS_PER_INSERT / 2; size >= 1; size = Math.floor(size / 2)) {
    if (rows.length - i >= size) {
      chunks.push(rows.slice(i, i + size));
      i += size;
    }
  }
  return chunks;
}

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

function toRecord(row: MopExecutionRow): ExecutionRecord {
  return {
    id: row.id,
    mop: row.mop_name,
    mopPath: row.mop_path,
    hash: row.content_hash,
    status: row.status as ExecutionStatus,
    exitCode: row.exit_code,
    dryRun: row.dry_run === 1,
    user: row.user,
    ciJob: row.ci_job,
    inputs: parseJson(row.inputs, {}),
    devices: parseJson(row.devices, []),
    pid: row.pid,
    hostname: row.hostname,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    message: row.message,
    parentId: row.parent_id,
  };
}

function toStepResult(row: MopStepResultRow): StepResult {
  const result: StepResult = {
    stepId: row.step_id,
    name: row.step_name,
    type: row.step_type,
    // `running`: written before a change was pushed, and the step never finished (killed, or in progress)
    status: row.status === 'running' ? 'error' : (row.status as StepResult['status']),
    phase: row.phase === 'rollback' ? 'rollback' : 'main',
    visit: row.visit,
    attempts: row.attempts,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms,
  };
  if (row.device !== null) result.device = row.device;
  if (row.message !== null) result.message = row.message;
  else if (row.status === 'running') result.message = 'did not finish (in progress, or the run was killed)';
  if (row.output !== null) result.output = row.output;
  if (row.captures !== null) result.captures = parseJson(row.captures, {});
  if (row.items !== null) result.items = parseJson(row.items, []);
  if (row.changed) result.changed = true;
  if (row.pushed !== null) result.pushed = parseJson(row.pushed, []);
  if (row.undo !== null) result.undo = parseJson(row.undo, []);
  if (row.ignored_failure) result.ignoredFailure = true;
  if (row.handled) result.handled = true;
  return result;
}

/** Executions newest first (sub-MOP executions included; their parentId says so). */
export async function listExecutions(db: Db, options: ListExecutionsOptions = {}): Promise<ExecutionRecord[]> {
  let query = db.selectFrom('mop_executions').selectAll();
  if (options.mop) query = query.where('mop_name', '=', options.mop);
  const rows = await query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(options.limit ?? 50).execute();
  return rows.map(toRecord);
}

/** One execution with its devices and every step result; undefined when unknown. A unique id prefix works too. */
export async function getExecution(db: Db, id: string): Promise<ExecutionDetail | undefined> {
  let row = await db.selectFrom('mop_executions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row && id.length >= 4) {
    const matches = await db.selectFrom('mop_executions').selectAll().where('id', 'like', `${id.replace(/[%_]/g, '')}%`).limit(2).execute();
    if (matches.length === 1) row = matches[0];
  }
  if (!row) return undefined;
  const steps = await db.selectFrom('mop_step_results').selectAll().where('execution_id', '=', row.id).orderBy('id').execute();
  const devices = await db.selectFrom('mop_execution_devices').selectAll().where('execution_id', '=', row.id).orderBy('device').execute();
  return {
    ...toRecord(row),
    steps: steps.map(toStepResult),
    deviceResults: devices.map((d) => ({
      device: d.device,
      status: d.status as DeviceRunStatus | 'running',
      ...(d.message !== null ? { message: d.message } : {}),
      startedAt: d.started_at,
      endedAt: d.ended_at,
    })),
  };
}

/**
 * Undo lines per device, in the order to push them (the last change first), for
 * `mop rollback EXECUTION`. Only main-phase steps that changed something and whose change was not
 * already undone by a rollback step that passed for that device.
 */
export async function executionUndo(db: Db, id: string): Promise<Array<{ device: string; steps: Array<{ stepId: string; lines: string[] }> }>> {
  const execution = await getExecution(db, id);
  if (!execution) return [];
  const byDevice = new Map<string, Array<{ stepId: string; lines: string[] }>>();
  const rolledBack = new Set(execution.deviceResults.filter((d) => d.status === 'rolled-back').map((d) => d.device));
  for (const step of execution.steps) {
    if (step.phase !== 'main' || !step.device || !step.undo || step.undo.length === 0 || rolledBack.has(step.device)) continue;
    const list = byDevice.get(step.device) ?? [];
    list.unshift({ stepId: step.stepId, lines: step.undo });
    byDevice.set(step.device, list);
  }
  return [...byDevice].map(([device, steps]) => ({ device, steps }));
}
