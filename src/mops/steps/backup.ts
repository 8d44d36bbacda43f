import { z } from 'zod';
import type { Store } from '../../store/store.js';
import type { StepContext } from './types.js';
import { defineStep } from './types.js';

const params = z.object({}).strict();

/** The engine's store when it hands one over; otherwise one over the env's kysely handle (same BEGIN IMMEDIATE driver). */
function storeOf(ctx: StepContext): Store {
  const given = (ctx as unknown as { store?: Store }).store;
  if (given) return given;
  const db = ctx.env.db;
  return { db, write: (fn) => db.transaction().execute(fn), close: async () => undefined };
}

/**
 * `backup`: takes a backup of the device now through src/backups (`backup run` for this one
 * device: its own snapshot, content-addressed storage, change hooks), and records the backup id.
 */
export const backupStep = defineStep({
  name: 'backup',
  description: 'take a configuration backup of the device now (recorded with its id)',
  scope: 'device',
  readOnly: true,
  params,
  async run(_p, ctx) {
    if (!ctx.device) return { status: 'failed', message: 'backup needs a device (not run_once)' };
    // it changes no device (no confirmation, no device lock), but it writes the store: not under --dry-run
    if (ctx.dryRun) return { status: 'passed', message: `dry-run: would take a backup of ${ctx.device.name} (nothing stored)` };
    const { runBackup } = await import('../../backups/run.js');
    const store = storeOf(ctx);
    const device = ctx.device.name;
    // the device lock a run that changed this device holds is re-entrant for it (the engine runs steps as
    // the lock's owner): runBackup nests into it; another run's lock makes it wait, as for anyone
    const report = await runBackup(ctx.env, store, { names: [device], type: 'manual', signal: ctx.signal, deviceLockTimeoutMs: 120_000 });
    const result = report.summary?.results.find((r) => r.device === ctx.device!.name);
    if (!result || result.status !== 'ok' || !result.data) {
      return { status: 'failed', message: `backup of ${ctx.device.name} ${result?.status ?? 'did not run'}${result?.message ? `: ${result.message}` : ''}`, data: { snapshot_id: report.snapshotId } };
    }
    const stored = result.data;
    const captures = { backup_id: stored.backupId, snapshot_id: report.snapshotId };
    return {
      status: 'passed',
      message: `backup ${stored.backupId} stored${stored.changed ? ' (config changed since the last one)' : ' (unchanged)'}`,
      captures,
      data: { backup_id: stored.backupId, snapshot_id: report.snapshotId, changed: stored.changed, hash: stored.hash },
    };
  },
});
