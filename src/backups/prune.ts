import type { Store } from '../store/store.js';
import { ContentReader, FULL, compress } from './content-store.js';
import { readBackupSettings } from './settings.js';

export interface PruneOptions {
  /** default: backup.keep_versions */
  keepVersions?: number;
  /** default: backup.retention_days */
  retentionDays?: number;
  dryRun?: boolean;
  now?: Date;
}

export interface PruneReport {
  keepVersions: number;
  retentionDays: number;
  dryRun: boolean;
  /** backup rows deleted (or that would be) */
  backups: number;
  /** snapshots left without any backup, deleted */
  snapshots: number;
  /** stored texts no backup refers to any more, deleted */
  contents: number;
  /** texts re-stored in full because the delta base they used was deleted */
  rebased: number;
  bytesFreed: number;
}

// each write transaction stays far below the 15 s busy timeout, so the daemon and CLI never wait long
const ROW_CHUNK = 500;
const CONTENT_CHUNK = 25;

/**
 * Retention: per device, a backup is kept when it is among the newest `keepVersions`, or newer
 * than `retentionDays`, or the device's latest good one. Then every stored text no backup refers
 * to is deleted; texts that used a deleted one as their delta base are stored in full first, so
 * nothing still referenced loses a byte. All writes go in small chunks.
 */
export async function pruneBackups(store: Store, options: PruneOptions = {}): Promise<PruneReport> {
  const settings = await readBackupSettings(store.db);
  const keepVersions = options.keepVersions ?? settings.keepVersions;
  const retentionDays = options.retentionDays ?? settings.retentionDays;
  const cutoff = new Date((options.now ?? new Date()).getTime() - retentionDays * 86_400_000).toISOString();
  const report: PruneReport = { keepVersions, retentionDays, dryRun: Boolean(options.dryRun), backups: 0, snapshots: 0, contents: 0, rebased: 0, bytesFreed: 0 };

  const rows = await store.db.selectFrom('backups').select(['id', 'device', 'status', 'created_at']).orderBy('device').orderBy('id', 'desc').execute();
  const doomed: number[] = [];
  let device: string | undefined;
  let seen = 0;
  let latestGoodSeen = false;
  for (const row of rows) {
    if (row.device !== device) {
      device = row.device;
      seen = 0;
      latestGoodSeen = false;
    }
    seen++;
    const latestGood = row.status === 'ok' && !latestGoodSeen;
    if (row.status === 'ok') latestGoodSeen = true;
    if (latestGood || seen <= keepVersions || row.created_at >= cutoff) continue;
    doomed.push(row.id);
  }
  report.backups = doomed.length;
  if (options.dryRun) return report;

  for (let i = 0; i < doomed.length; i += ROW_CHUNK) {
    const chunk = doomed.slice(i, i + ROW_CHUNK);
    await store.write((tx) => tx.deleteFrom('backups').where('id', 'in', chunk).execute());
  }
  const emptySnapshots = await store.db
    .selectFrom('backup_snapshots')
    .select('id')
    .where('status', '!=', 'running')
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('backups').select('backups.id').whereRef('backups.snapshot_id', '=', 'backup_snapshots.id'))))
    .execute();
  for (let i = 0; i < emptySnapshots.length; i += ROW_CHUNK) {
    const chunk = emptySnapshots.slice(i, i + ROW_CHUNK).map((s) => s.id);
    await store.write((tx) => tx.deleteFrom('backup_snapshots').where('id', 'in', chunk).execute());
  }
  report.snapshots = emptySnapshots.length;

  const reader = new ContentReader(store.db);
  // one scan of the backups for what is still referenced, instead of a lookup per stored text
  const referenced = new Set<number>();
  for (const row of await store.db.selectFrom('backups').select(['content_id', 'facts_id']).execute()) {
    if (row.content_id !== null) referenced.add(row.content_id);
    if (row.facts_id !== null) referenced.add(row.facts_id);
  }
  const ids = (await store.db.selectFrom('backup_contents').select('id').orderBy('id', 'desc').execute()).map((r) => r.id).filter((id) => !referenced.has(id));
  for (let i = 0; i < ids.length; i += CONTENT_CHUNK) {
    const chunk = ids.slice(i, i + CONTENT_CHUNK);
    // texts that still need a doomed one as their base are read before anything is deleted
    const children = await store.db.selectFrom('backup_contents').select('id').where('base_id', 'in', chunk).where('id', 'not in', chunk).execute();
    const rebuilt = new Map<number, Buffer>();
    for (const child of children) rebuilt.set(child.id, compress(await reader.text(child.id)));
    await store.write(async (tx) => {
      for (const [id, data] of rebuilt) {
        await tx.updateTable('backup_contents').set({ base_id: null, depth: 0, encoding: FULL, data }).where('id', '=', id).execute();
      }
      const sizes = await tx.selectFrom('backup_contents').select((eb) => eb.fn.sum<number>(eb.fn('length', ['data'])).as('bytes')).where('id', 'in', chunk).executeTakeFirst();
      report.bytesFreed += Number(sizes?.bytes ?? 0);
      await tx.deleteFrom('backup_contents').where('id', 'in', chunk).execute();
    });
    report.rebased += rebuilt.size;
  }
  report.contents = ids.length;
  return report;
}
