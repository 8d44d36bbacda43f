import type { DeviceRunStatus, MopEvent, StepResultStatus } from '../mops/engine/types.js';

/**
 * The state of a MOP run as its events arrive: a steps × devices grid, each device's current step,
 * counts and elapsed time. Pure (no ink), so the live view, tests and other front ends share it.
 */

export type CellState = 'pending' | 'running' | StepResultStatus;

export type DeviceState = 'queued' | 'running' | 'rollback' | DeviceRunStatus;

export interface DeviceRow {
  device: string;
  state: DeviceState;
  /** main step id → state (the last visit wins) */
  cells: Map<string, CellState>;
  /** the step running now: `stepId (type)`, or `rollback: stepId` */
  current?: string;
  /** attempt shown while a step retries */
  attempt?: number;
  /** rollback steps: passed/failed so far */
  rollback?: { passed: number; failed: number };
  message?: string;
  startedMs?: number;
  endedMs?: number;
}

export interface MopSnapshot {
  title: string;
  dryRun: boolean;
  steps: readonly string[];
  /** run_once steps (no device) and their state */
  runCells: Map<string, CellState>;
  rows: readonly DeviceRow[];
  counts: Record<'queued' | 'running' | 'passed' | 'failed' | 'rolledBack' | 'rollbackFailed' | 'skipped' | 'interrupted', number>;
  batch?: { index: number; total: number };
  stopped?: string;
  elapsedMs: number;
}

export class MopProgressModel {
  private title = '';
  private dryRun = false;
  private steps: string[] = [];
  private readonly rows = new Map<string, DeviceRow>();
  private readonly runCells = new Map<string, CellState>();
  private batches = 0;
  private batch?: number;
  private stopped?: string;
  private readonly started = performance.now();

  constructor(private readonly now: () => number = () => performance.now()) {}

  apply(event: MopEvent): void {
    switch (event.type) {
      case 'run-start':
        this.title = event.mop;
        this.dryRun = event.dryRun;
        this.steps = [...event.steps];
        this.batches = event.batches.length;
        for (const device of event.devices) this.rows.set(device, { device, state: 'queued', cells: new Map() });
        break;
      case 'batch-start':
        this.batch = event.index;
        break;
      case 'device-start': {
        const row = this.row(event.device);
        row.state = 'running';
        row.startedMs = this.now();
        break;
      }
      case 'step-start': {
        if (event.device === undefined) {
          this.runCells.set(event.stepId, 'running');
          break;
        }
        const row = this.row(event.device);
        delete row.attempt;
        if (event.phase === 'rollback') {
          row.state = 'rollback';
          row.current = `rollback: ${event.stepId}`;
        } else {
          row.cells.set(event.stepId, 'running');
          row.current = `${event.stepId} (${event.stepType})${event.visit > 1 ? ` visit ${event.visit}` : ''}`;
        }
        break;
      }
      case 'step-retry':
        if (event.device !== undefined) this.row(event.device).attempt = event.attempt;
        break;
      case 'step-end': {
        const r = event.result;
        if (r.device === undefined) {
          this.runCells.set(r.stepId, r.status);
          break;
        }
        const row = this.row(r.device);
        if (r.phase === 'rollback') {
          row.rollback ??= { passed: 0, failed: 0 };
          if (r.status === 'failed' || r.status === 'error') row.rollback.failed++;
          else row.rollback.passed++;
        } else row.cells.set(r.stepId, r.status);
        delete row.current;
        delete row.attempt;
        break;
      }
      case 'rollback-start': {
        const row = this.row(event.device);
        row.state = 'rollback';
        row.message = event.reason;
        break;
      }
      case 'device-end': {
        const row = this.row(event.result.device);
        row.state = event.result.status;
        if (event.result.message !== undefined) row.message = event.result.message;
        delete row.current;
        delete row.attempt;
        row.endedMs = this.now();
        break;
      }
      case 'stopped':
        this.stopped = event.reason;
        break;
      default:
        break;
    }
  }

  private row(device: string): DeviceRow {
    let row = this.rows.get(device);
    if (!row) {
      row = { device, state: 'queued', cells: new Map() };
      this.rows.set(device, row);
    }
    return row;
  }

  snapshot(): MopSnapshot {
    const counts: MopSnapshot['counts'] = { queued: 0, running: 0, passed: 0, failed: 0, rolledBack: 0, rollbackFailed: 0, skipped: 0, interrupted: 0 };
    for (const row of this.rows.values()) {
      switch (row.state) {
        case 'queued':
          counts.queued++;
          break;
        case 'running':
        case 'rollback':
          counts.running++;
          break;
        case 'rolled-back':
          counts.rolledBack++;
          break;
        case 'rollback-failed':
          counts.rollbackFailed++;
          break;
        default:
          counts[row.state]++;
      }
    }
    return {
      title: this.title,
      dryRun: this.dryRun,
      steps: this.steps,
      runCells: new Map(this.runCells),
      rows: [...this.rows.values()].map((r) => ({ ...r, cells: new Map(r.cells), ...(r.rollback ? { rollback: { ...r.rollback } } : {}) })),
      counts,
      ...(this.batch !== undefined && this.batches > 1 ? { batch: { index: this.batch, total: this.batches } } : {}),
      ...(this.stopped ? { stopped: this.stopped } : {}),
      elapsedMs: this.now() - this.started,
    };
  }
}

export const CELL_SYMBOLS: Record<CellState, string> = {
  pending: '·',
  running: '▶',
  passed: '✔',
  failed: '✘',
  error: '!',
  skipped: '-',
};

/**
 * Rows worth showing when the terminal has room for `max`: failed devices first (up to a quarter of
 * the room, so a failure never scrolls away behind running ones), then running ones, then the
 * remaining failed, finished and queued devices; each group in run order.
 */
export function visibleRows(rows: readonly DeviceRow[], max: number): { shown: DeviceRow[]; hidden: number } {
  const room = Math.max(1, max);
  if (rows.length <= room) return { shown: [...rows], hidden: 0 };
  const failed = (r: DeviceRow): boolean => r.state === 'failed' || r.state === 'rollback-failed' || r.state === 'rolled-back';
  const running = (r: DeviceRow): boolean => r.state === 'running' || r.state === 'rollback';
  const indexed = rows.map((r, i) => ({ r, i }));
  const failedRows = indexed.filter((x) => failed(x.r));
  const order = [
    ...failedRows.slice(0, Math.ceil(room / 4)),
    ...indexed.filter((x) => running(x.r)),
    ...failedRows.slice(Math.ceil(room / 4)),
    ...indexed.filter((x) => !failed(x.r) && !running(x.r) && x.r.state !== 'queued'),
    ...indexed.filter((x) => x.r.state === 'queued'),
  ];
  const kept = new Set(order.slice(0, room).map((x) => x.i));
  return { shown: rows.filter((_r, i) => kept.has(i)), hidden: rows.length - kept.size };
}
