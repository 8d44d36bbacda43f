import { NetstacksError } from '../core/errors.js';
import { fanOutOverTargets } from '../operations/fan-out.js';
import { resolveTargets } from '../operations/targets.js';
import type { OperationEnv } from '../operations/types.js';
import type { Store } from '../store/store.js';
import { ContentReader } from './content-store.js';
import { outgoing } from './mask.js';
import { fetchConfig } from './fetch.js';
import { resolveBackup, type BackupEntry } from './queries.js';

export interface RestorePreview {
  backup: BackupEntry;
  /** the running config fetched now, cleaned like a backup */
  current: string;
  /** the stored version */
  target: string;
  /** 'config-model': `commands` take the device back to the version; 'diff': the platform has no model (Linux) */
  method: 'config-model' | 'diff';
  /** the commands a restore would send (replace semantics: what the version lacks is removed) */
  commands: string[];
  note: string;
}

/**
 * `backup restore-preview D ID`: what separates the device's running config now from a stored
 * version, as the commands that would take it back (the config model's replace remediation), and
 * as a line diff. Nothing is sent to the device.
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
  const { getPlatform } = await import('../platforms/index.js');
  const platform = getPlatform(result.data.platform);
  if (!platform.config.model) {
    return { backup: entry, current: result.data.config, target, method: 'diff', commands: [], note: `${platform.name} has no config model: shown as a diff of the running config (-) against the stored version (+)` };
  }
  const { configModelFor } = await import('../config/index.js');
  const commands = configModelFor(platform).remediation(result.data.config, target, { mode: 'replace' }).commands;
  return {
    backup: entry,
    current: result.data.config,
    target,
    method: 'config-model',
    commands,
    note: 'the commands that would take the running config back to the stored version (nothing is sent), then the line diff',
  };
}

/**
 * A command of a restore plan as it may be shown: masked like a config line, and a negated secret
 * line too (`no snmp-server community X RO`, Junos `delete snmp community X`), which the masking
 * rules, written for config lines, do not match as it stands.
 */
export function maskCommand(line: string, platform: string | null, options: { reveal?: boolean; maskSecrets: boolean }): string {
  const masked = outgoing(line, platform, options);
  if (masked !== line || options.reveal || !options.maskSecrets) return masked;
  const m = /^(\s*)(no|delete|default|unset)\s+(.*)$/.exec(line);
  if (!m) return line;
  const [, indent = '', verb = '', body = ''] = m;
  // the line without its negation, as IOS-like configs have it, or as a Junos `set` line
  for (const prefix of ['', 'set ']) {
    const candidate = indent + prefix + body;
    const out = outgoing(candidate, platform, options);
    if (out !== candidate) return `${indent}${verb} ${out.slice(indent.length + prefix.length)}`;
  }
  return line;
}
