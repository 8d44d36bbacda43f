import { processLiveness } from '../locks/process.js';
import type { Store } from '../store/store.js';

/**
 * Marks MOP executions whose process is gone (kill -9, crash, power cut) as interrupted, with their
 * devices still `running`. Never a live run: the pid, host and process start time are checked, and a
 * run on another host is left alone. Called whenever the store is opened; one indexed query when
 * nothing is running. Their step results (and undo lines) stay, for `mop rollback EXECUTION`.
 */
export async function markInterruptedExecutions(store: Pick<Store, 'db' | 'write'>): Promise<string[]> {
  const running = await store.db.selectFrom('mop_executions').select(['id', 'pid', 'hostname', 'process_start']).where('status', '=', 'running').execute();
  if (running.length === 0) return [];
  const dead = running.filter((r) => processLiveness({ pid: r.pid, hostname: r.hostname, processStart: r.process_start }) === 'dead');
  if (dead.length === 0) return [];
  const now = new Date().toISOString();
  await store.write(async (tx) => {
    for (const run of dead) {
      await tx
        .updateTable('mop_executions')
        .set({ status: 'interrupted', exit_code: 130, ended_at: now, message: 'the process running it ended without finishing (killed?)' })
        .where('id', '=', run.id)
        .where('status', '=', 'running')
        .execute();
      await tx.updateTable('mop_step_results').set({ status: 'error', message: 'interrupted mid-step: the run was killed', ended_at: now }).where('execution_id', '=', run.id).where('status', '=', 'running').execute();
      await tx.updateTable('mop_execution_devices').set({ status: 'interrupted', ended_at: now }).where('execution_id', '=', run.id).where('status', '=', 'running').execute();
    }
  });
  return dead.map((r) => r.id);
}
