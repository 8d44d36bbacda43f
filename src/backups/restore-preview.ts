import { NetstacksError } from '../core/errors.js';
import { fanOutOverTargets } from '../operations/fan-out.js';
import { resolveTargets } from '../operations/targets.js';
import type { OperationEnv } from '../operations/types.js';
import type { Store } from '../store/store.js';
import { ContentReader } from './content-store.js';
import { fetchConfig } from './fetch.js';
import { resolveBackup, type BackupEntry } from './queries.js';

export interface RestorePreview {
  backup: BackupEntry;
  /** the running config fetched now, cleaned like a backup */
  current: string;
  /** the stored version */
  target: string;
  /** how the preview was made: there is no config model yet to turn the diff into commands */
  method: 'diff';
  note: string;
}

/**
 * `backup restore-preview D ID`: what separates the device's running config now from a stored
 * version. Until the config model (stacks issue) exists this is the line diff current → version,
 * not the command list a restore would send.
 */
export async function restorePreview(env: OperationEnv, store: Store, device: string, ref: string): Promise<RestorePreview> {
  const backup = await resolveBackup(store.db, device, ref);
  const targets = await resolveTargets(env, { names: [device] });
  const summary = await fanOutOverTargets(env, targets, { targets }, (plan, deps, ctx) => fetchConfig(plan, deps, ctx, backup.format), 4);
  const result = summary.results[0];
  if (!result || result.status !== 'ok' || !result.data) {
    throw new NetstacksError('device_failed', `cannot read the running config of ${device}: ${result?.message ?? 'no result'}`, { exit: 'devicesFailed', ...(result?.hint ? { hint: result.hint } : {}) });
  }
  const target = await new ContentReader(store.db).text(backup.contentId);
  const { contentId: _c, factsId: _f, ...entry } = backup;
  return {
    backup: entry,
    current: result.data.config,
    target,
    method: 'diff',
    note: 'shown as a diff of the running config (-) against the stored version (+): the config model that turns it into restore commands does not exist yet',
  };
}
