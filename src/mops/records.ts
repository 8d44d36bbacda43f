import type { Db } from '../store/store.js';
import type { Store } from '../store/store.js';
import type { ExecutionDetail, ExecutionRecord, ListExecutionsOptions } from './engine/types.js';

/** Executions newest first. */
export async function listExecutions(db: Db, options: ListExecutionsOptions = {}): Promise<ExecutionRecord[]> {
  void db;
  void options;
  return [];
}

/** One execution with every step result; undefined when unknown. Accepts a unique id prefix. */
export async function getExecution(db: Db, id: string): Promise<ExecutionDetail | undefined> {
  void db;
  void id;
  return undefined;
}

/** Undo lines per device, in the order to push them (last change first), for `mop rollback EXECUTION`. */
export async function executionUndo(db: Db, id: string): Promise<Array<{ device: string; lines: string[] }>> {
  void db;
  void id;
  return [];
}

/** Marks executions whose process died (kill -9) as interrupted; never a live one. Returns how many. */
export async function markInterruptedExecutions(store: Store): Promise<number> {
  void store;
  return 0;
}
