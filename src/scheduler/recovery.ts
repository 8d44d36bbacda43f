import { processLiveness } from '../locks/process.js';
import type { Store } from '../store/store.js';

/**
 * Marks runs left `running` by a daemon that is gone (kill -9, power loss) as interrupted. A run
 * whose daemon is alive (same host, same pid and process start time), or ran on another host, is
 * never touched. Every CLI command that opens the store calls this (it is one indexed query when
 * nothing is running), and so does the daemon at start. Kept free of heavy imports for that reason.
 */
export async function markInterruptedRuns(store: Store): Promise<number> {
  const running = await store.db
    .selectFrom('schedule_runs')
    .select(['id', 'daemon_pid', 'daemon_hostname', 'daemon_process_start'])
    .where('outcome', '=', 'running')
    .execute();
  const dead = running.filter(
    (r) =>
      r.daemon_pid !== null &&
      r.daemon_hostname !== null &&
      processLiveness({ pid: r.daemon_pid, hostname: r.daemon_hostname, processStart: r.daemon_process_start }) === 'dead',
  );
  if (dead.length === 0) return 0;
  const at = new Date().toISOString();
  await store.write((tx) =>
    tx
      .updateTable('schedule_runs')
      .set({ outcome: 'interrupted', ended_at: at, summary: 'interrupted: the daemon running this job was killed before it finished' })
      .where('id', 'in', dead.map((r) => r.id))
      .where('outcome', '=', 'running')
      .execute(),
  );
  return dead.length;
}
