import { ConflictError } from '../core/errors.js';
import { nowIso } from '../core/time.js';
import { acquireLock, currentProcess, type LockHandle } from '../locks/index.js';
import { fanOutOverTargets } from '../operations/fan-out.js';
import { resolveTargets, type Targets } from '../operations/targets.js';
import type { OperationEnv } from '../operations/types.js';
import type { RunEvent, RunSummary } from '../runner/types.js';
import type { Store } from '../store/store.js';
import { ContentReader } from './content-store.js';
import { fetchConfig } from './fetch.js';
import { runChangeHooks, type ChangeEvent, type HookResult } from './hooks.js';
import { unifiedDiff } from './line-diff.js';
import { outgoing } from './mask.js';
import { latestGoodByDevice, recordOutcome, recordSuccess, type BackupType, type StoredBackup } from './record.js';
import { markInterruptedRuns } from './recover.js';
import { readBackupSettings } from './settings.js';

export interface BackupRunOptions {
  on?: string;
  names?: string[];
  targets?: Targets;
  concurrency?: number;
  timeoutS?: number;
  /** another run holds the home's backup lock: wait for it, or give up at once (default wait) */
  ifBusy?: 'wait' | 'skip';
  type?: BackupType;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent<StoredBackup>) => void;
  /** how long to wait for a device lock held by a stack deploy or MOP (default 60 s) */
  deviceLockTimeoutMs?: number;
}

export interface BackupRunReport {
  /** busy: another run held the lock and --if-busy skip */
  status: 'complete' | 'partial' | 'interrupted' | 'busy';
  snapshotId: number | null;
  summary?: RunSummary<StoredBackup>;
  counts: { total: number; success: number; failed: number; skipped: number; changed: number };
  hooks: HookResult[];
  /** who held the backup lock, when status is busy */
  busyWith?: string;
  /** runs of killed processes marked interrupted on the way in */
  recovered: number[];
}

/**
 * `backup run`: one snapshot over the selected devices. Holds the home's `backup-run` lock (so a
 * cron job overlapping the daemon waits or skips), and each device's `device:<name>` lock while
 * its config is read (so a backup never captures a half-applied stack deploy). Each good fetch is
 * stored as it arrives; failures and skips are recorded with their reason; the snapshot ends
 * complete (no failures) or partial. Changed configs then go to the change hooks.
 */
export async function runBackup(env: OperationEnv, store: Store, options: BackupRunOptions = {}): Promise<BackupRunReport> {
  const recovered = await markInterruptedRuns(store);
  const settings = await readBackupSettings(store.db);
  const type = options.type ?? 'manual';
  const targets = options.targets ?? (await resolveTargets(env, options));

  let runLock: LockHandle;
  try {
    runLock = await acquireLock(store, 'backup-run', { purpose: `backup run${options.on ? ` --on ${options.on}` : ''}`, wait: (options.ifBusy ?? 'wait') === 'wait' });
  } catch (error) {
    if (error instanceof ConflictError && options.ifBusy === 'skip') {
      return { status: 'busy', snapshotId: null, counts: { total: 0, success: 0, failed: 0, skipped: 0, changed: 0 }, hooks: [], busyWith: error.message, recovered };
    }
    throw error;
  }

  try {
    const me = currentProcess();
    const snapshot = await store.write((tx) =>
      tx
        .insertInto('backup_snapshots')
        .values({
          type,
          selection: options.on ?? (options.names ? options.names.join(',') : null),
          status: 'running',
          total: targets.names.length,
          success: 0,
          failed: 0,
          skipped: 0,
          changed: 0,
          pid: me.pid,
          hostname: me.hostname,
          process_start: me.processStart,
          started_at: nowIso(),
          finished_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow(),
    );
    const snapshotId = snapshot.id;
    const deviceRows = await store.db.selectFrom('devices').select(['id', 'name']).execute();
    const deviceIds = new Map(deviceRows.map((d) => [d.name, d.id]));
    const platforms = new Map(targets.plans.map((p) => [p.device, p.platform]));
    const reader = new ContentReader(store.db);
    const previous = await latestGoodByDevice(store, targets.plans.map((p) => p.device));
    const context = { store, reader, fullEvery: settings.fullEvery, snapshotId, type, deviceIds, previous };

    const summary = await fanOutOverTargets<StoredBackup>(
      env,
      targets,
      { ...options, targets, ...(options.signal ? { signal: options.signal } : {}), ...(options.onEvent ? { onEvent: options.onEvent } : {}) },
      async (plan, deps, ctx) => {
        const started = performance.now();
        const lock = await acquireLock(store, `device:${plan.device}`, { purpose: `backup (snapshot ${snapshotId})`, wait: true, timeoutMs: options.deviceLockTimeoutMs ?? 60_000 });
        try {
          const fetched = await fetchConfig(plan, deps, ctx, settings.junosFormat);
          ctx.progress('storing');
          return await recordSuccess(context, plan.device, fetched, Math.round(performance.now() - started));
        } finally {
          await lock.release();
        }
      },
      4,
    );

    await recordOutcome(
      context,
      summary.results
        .filter((r) => r.status !== 'ok')
        .map((r) => ({
          device: r.device,
          status: r.status === 'failed' ? ('failed' as const) : ('skipped' as const),
          error: r.message ?? r.status,
          platform: platforms.get(r.device) ?? null,
          durationMs: r.durationMs,
        })),
    );

    const stored = summary.results.filter((r) => r.status === 'ok' && r.data).map((r) => r.data!);
    const counts = {
      total: summary.counts.total,
      success: summary.counts.ok,
      failed: summary.counts.failed,
      skipped: summary.counts.skipped,
      changed: stored.filter((s) => s.changed && s.previousHash !== undefined).length,
    };
    const status = summary.interrupted ? 'interrupted' : counts.failed > 0 ? 'partial' : 'complete';
    await store.write((tx) =>
      tx.updateTable('backup_snapshots').set({ ...counts, status, finished_at: nowIso() }).where('id', '=', snapshotId).execute(),
    );

    const events: ChangeEvent[] = [];
    if (settings.hooks.length > 0) {
      for (const result of summary.results) {
        const data = result.data;
        if (result.status !== 'ok' || !data || !data.changed || data.previousContentId === undefined) continue;
        const platform = platforms.get(result.device) ?? null;
        const mask = (text: string) => outgoing(text, platform, { maskSecrets: settings.maskSecrets });
        const diff = unifiedDiff(mask(await reader.text(data.previousContentId)), mask(await reader.text(data.contentId)), `${result.device}@${data.previousHash!.slice(0, 12)}`, `${result.device}@${data.hash.slice(0, 12)}`);
        events.push({ device: result.device, platform, oldHash: data.previousHash ?? null, newHash: data.hash, backupId: data.backupId, snapshotId, time: result.startedAt, diff });
      }
    }
    const hooks = await runChangeHooks(settings.hooks, events);
    return { status, snapshotId, summary, counts, hooks, recovered };
  } finally {
    await runLock.release();
  }
}
