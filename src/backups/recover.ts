import { processLiveness } from '../locks/index.js';
import { nowIso } from '../core/time.js';
import type { Store } from '../store/store.js';

/**
 * Marks backup runs whose process is gone (killed, crashed, power cut) as interrupted, with the
 * counts of what they stored. A run of a live process, or of a process on another host, is left
 * alone. Called by every backup and snapshot command (and the daemon) when it opens the store.
 */
export async function markInterruptedRuns(store: Store): Promise<number[]> {
  const running = await store.db.selectFrom('backup_snapshots').select(['id', 'pid', 'hostname', 'process_start']).where('status', '=', 'running').execute();
  const dead = running.filter((r) => processLiveness({ pid: r.pid, hostname: r.hostname, processStart: r.process_start }) === 'dead');
  if (dead.length === 0) return [];
  await store.write(async (tx) => {
    for (const run of dead) {
      const counts = await tx
        .selectFrom('backups')
        .select((eb) => [
          eb.fn.countAll<number>().as('total'),
          eb.fn.sum<number>(eb.case().when('status', '=', 'ok').then(1).else(0).end()).as('success'),
          eb.fn.sum<number>(eb.case().when('status', '=', 'failed').then(1).else(0).end()).as('failed'),
          eb.fn.sum<number>(eb.case().when('status', '=', 'skipped').then(1).else(0).end()).as('skipped'),
          eb.fn.sum<number>('changed').as('changed'),
        ])
        .where('snapshot_id', '=', run.id)
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('backup_snapshots')
        .set({
          status: 'interrupted',
          finished_at: nowIso(),
          success: Number(counts.success ?? 0),
          failed: Number(counts.failed ?? 0),
          skipped: Number(counts.skipped ?? 0),
          changed: Number(counts.changed ?? 0),
        })
        .where('id', '=', run.id)
        .where('status', '=', 'running')
        .execute();
    }
  });
  return dead.map((r) => r.id);
}
