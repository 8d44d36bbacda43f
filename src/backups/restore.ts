import { NetstacksError } from '../core/errors.js';
import { withDeviceSession } from '../operations/connect.js';
import { fanOutOverTargets } from '../operations/fan-out.js';
import { resolveTargets } from '../operations/targets.js';
import type { OperationEnv } from '../operations/types.js';
import type { PlatformDefinition } from '../platforms/types.js';
import { applyCleanup } from '../session/output.js';
import type { CommandResult, DeviceSession } from '../session/types.js';
import type { Store } from '../store/store.js';
import { configCommand } from './fetch.js';
import type { BackupEntry } from './queries.js';
import { restorePreview } from './restore-preview.js';

/**
 * `backup restore D ID`: takes a device back to a stored version, the way each OS replaces a
 * whole config:
 * - IOS / IOS XE: the version is written to flash through Tcl (NAPALM's inline transfer:
 *   `tclsh`, `puts [open "flash:f" w+] {...}`, `tclquit`), then `configure replace flash:f force`,
 *   then the file is deleted.
 * - Junos: `load override terminal` (native versions) or `delete` + `load set terminal` (set
 *   versions), `commit confirmed N`, the post-check, then `commit` to confirm; a failed post-check
 *   rolls back at once (`rollback 1` + commit) instead of waiting for the timer.
 * - EOS: a configure session started from `rollback clean-config`, the whole version typed in,
 *   then `commit` (NAPALM's replace on EOS); any refused line aborts the session.
 * - Everything else: the config model's replace remediation, pushed like `config push`.
 * Afterwards the running config is read again, cleaned, and compared with the version (line by
 * line; through the config model, in the model's canonical terms). After a Junos rollback it is
 * read once more and compared with the config from before the restore.
 */
export type RestoreMethod = 'ios-configure-replace' | 'junos-load-override' | 'junos-load-set' | 'eos-session-replace' | 'config-model';

export interface RestorePlan {
  device: string;
  platform: string;
  backup: Omit<BackupEntry, 'contentId' | 'factsId'>;
  method: RestoreMethod;
  /** what is sent, in order; the version's text shows as one `<N lines of backup ID>` step */
  steps: string[];
  /** the config model's remediation (what changes, as commands); for config-model it is what is sent */
  commands: string[];
  /** running config now, cleaned */
  current: string;
  /** the stored version */
  target: string;
  /** the running config already is the version */
  identical: boolean;
  note: string;
}

export interface RestoreResult {
  device: string;
  method: RestoreMethod;
  /** the post-check: the running config after the restore equals the version */
  matches: boolean;
  /** lines still different after the restore (running -, version +), when it does not match */
  remaining: string[];
  /** Junos: the commit confirmed was confirmed (true) or rolled back (false) */
  confirmed?: boolean;
  /** after a rollback: the running config read again equals the one before the restore */
  previousRestored?: boolean;
  output: string;
  elapsedMs: number;
}

const RESTORE_FILE = 'flash:netstacks-restore.cfg';

/** Lines compared by the post-check: trailing blanks and empty lines do not count. */
function comparable(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => l !== '');
}

/** What separates two configs line-wise (a multiset difference), for the post-check report. */
export function remainingDifferences(running: string, target: string): string[] {
  const count = new Map<string, number>();
  for (const line of comparable(target)) count.set(line, (count.get(line) ?? 0) + 1);
  const extra: string[] = [];
  for (const line of comparable(running)) {
    const n = count.get(line) ?? 0;
    if (n > 0) count.set(line, n - 1);
    else extra.push(`- ${line}`);
  }
  const missing: string[] = [];
  for (const [line, n] of count) for (let i = 0; i < n; i++) missing.push(`+ ${line}`);
  return [...extra, ...missing];
}

function sameConfig(a: string, b: string): boolean {
  const x = comparable(a);
  const y = comparable(b);
  return x.length === y.length && x.every((line, i) => line === y[i]);
}

/** Tcl reads the brace-quoted body up to the matching brace: the body must keep its braces balanced. */
export function tclSafe(text: string): boolean {
  let depth = 1;
  for (const line of text.split('\n')) {
    if (line.endsWith('\\')) return false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (ch === '\\') i++;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) return false;
    }
  }
  return depth === 1;
}

function methodFor(platform: PlatformDefinition, backup: { format: string }, target: string): { method: RestoreMethod; note?: string } {
  if (platform.name === 'cisco_ios' || platform.name === 'cisco_xe') {
    if (tclSafe(target)) return { method: 'ios-configure-replace' };
    if (platform.config.model) return { method: 'config-model', note: 'the version has unbalanced braces, which Tcl cannot carry to flash: restoring through the config model instead' };
  }
  if (platform.name === 'juniper_junos') return { method: backup.format === 'set' ? 'junos-load-set' : 'junos-load-override' };
  if (platform.name === 'arista_eos') return { method: 'eos-session-replace' };
  if (!platform.config.model) {
    throw new NetstacksError('unsupported', `${platform.name} has no config model and no replace command known to NetStacks: cannot restore`, {
      exit: 'usage',
      hint: 'use backup restore-preview to see the diff and apply it by hand',
    });
  }
  return { method: 'config-model' };
}

/** The body sent to the device: the version without lines that would end the paste early. */
function body(method: RestoreMethod, target: string): string[] {
  const lines = target.replace(/\n+$/, '').split('\n');
  if (method === 'eos-session-replace') return lines.filter((l) => !/^\s*end\s*$/.test(l));
  return lines;
}

function stepsFor(method: RestoreMethod, backupId: number, lineCount: number, commands: string[], confirmMinutes: number): string[] {
  const text = `<${lineCount} lines of backup ${backupId}>`;
  switch (method) {
    case 'ios-configure-replace':
      return ['tclsh', `puts [open "${RESTORE_FILE}" w+] {`, text, '}', 'tclquit', `configure replace ${RESTORE_FILE} force`, `delete /force ${RESTORE_FILE}`];
    case 'junos-load-override':
      return ['configure', 'load override terminal', text, '^D', `commit confirmed ${confirmMinutes}`, '(post-check)', 'commit'];
    case 'junos-load-set':
      return ['configure', 'delete', 'yes', 'load set terminal', text, '^D', `commit confirmed ${confirmMinutes}`, '(post-check)', 'commit'];
    case 'eos-session-replace':
      return ['configure session netstacks-restore-' + backupId, 'rollback clean-config', text, 'commit'];
    case 'config-model':
      return ['configure terminal (or the platform config mode)', ...commands, '(commit where the platform has a candidate)'];
  }
}

/** Reads the device's config now and works out how the restore would go. Nothing is changed. */
export async function planRestore(env: OperationEnv, store: Store, device: string, ref: string, options: { confirmMinutes?: number } = {}): Promise<RestorePlan> {
  const preview = await restorePreview(env, store, device, ref);
  const platformName = preview.backup.platform ?? '';
  const { getPlatform } = await import('../platforms/index.js');
  const targets = await resolveTargets(env, { names: [device] });
  const platform = getPlatform(targets.plans[0]?.platform ?? platformName);
  const chosen = methodFor(platform, preview.backup, preview.target);
  const lines = body(chosen.method, preview.target);
  return {
    device,
    platform: platform.name,
    backup: preview.backup,
    method: chosen.method,
    steps: stepsFor(chosen.method, preview.backup.id, lines.length, preview.commands, options.confirmMinutes ?? 2),
    commands: preview.commands,
    current: preview.current,
    target: preview.target,
    identical: sameConfig(preview.current, preview.target),
    note: chosen.note ?? preview.note,
  };
}

/** Sends `text` in `mode`: one command, or with `until` a pasted block read until it matches. */
type BlockSender = (text: string, options: { mode: string; until?: RegExp; timeoutMs?: number }) => Promise<CommandResult>;

function blockSender(session: DeviceSession): BlockSender {
  const sendInMode = session.sendInMode?.bind(session);
  if (!sendInMode) {
    throw new NetstacksError('unsupported', `${session.platform.name} sessions cannot send a whole config`, { exit: 'usage' });
  }
  return (text, { mode, ...options }) => sendInMode(mode, text, options);
}

async function readBack(session: DeviceSession, platform: PlatformDefinition, format: string, timeoutMs: number): Promise<string> {
  const { command, cleanup } = configCommand(platform, format);
  return applyCleanup((await session.send(command, { timeoutMs })).output, cleanup);
}

/** The config model's replace remediation from `running` to `target`: empty when they are the same config. */
async function leftToChange(platform: PlatformDefinition, running: string, target: string): Promise<string[]> {
  const { configModelFor } = await import('../config/index.js');
  return configModelFor(platform).remediation(running, target, { mode: 'replace' }).commands;
}

/**
 * Sends the restore as planned, under the device's lock (`device:<name>`, shared with backups,
 * stacks and MOPs), then runs the post-check. Throws when the device refuses a step.
 */
export async function applyRestore(env: OperationEnv, plan: RestorePlan, options: { confirmMinutes?: number; progress?: (message: string) => void } = {}): Promise<RestoreResult> {
  const targets = await resolveTargets(env, { names: [plan.device] });
  const minutes = options.confirmMinutes ?? 2;
  const lines = body(plan.method, plan.target);
  const summary = await fanOutOverTargets(
    env,
    targets,
    { targets },
    (connection, deps, ctx) =>
      withDeviceSession(connection, deps, ctx, async ({ session, platform }) => {
        const started = performance.now();
        const timeoutMs = Math.max(Math.round(connection.timeouts.command * 1000), 120_000);
        const outputs: string[] = [];
        const say = (message: string) => {
          ctx.progress(message);
          options.progress?.(message);
        };
        let confirmed: boolean | undefined;
        let previousRestored: boolean | undefined;
        const postCheck = async () => {
          say('post-check: reading the running config');
          return readBack(session, platform, plan.backup.format, timeoutMs);
        };
        let running: string;
        switch (plan.method) {
          case 'ios-configure-replace': {
            const send = blockSender(session);
            say(`writing ${RESTORE_FILE} (${lines.length} lines)`);
            const text = ['tclsh', `puts [open "${RESTORE_FILE}" w+] {`, ...lines, '}', 'tclquit'].join('\n');
            outputs.push((await send(text, { mode: platform.defaultMode, until: /\(tcl\)#\s*tclquit\s*$/m, timeoutMs })).output);
            say(`configure replace ${RESTORE_FILE} force`);
            const replaced = (await send(`configure replace ${RESTORE_FILE} force`, { mode: platform.defaultMode, timeoutMs })).output;
            outputs.push(replaced);
            await send(`delete /force ${RESTORE_FILE}`, { mode: platform.defaultMode, timeoutMs }).catch(() => undefined);
            if (/%\s*Error|Rollback aborted|failed/i.test(replaced)) {
              throw new NetstacksError('device_failed', `configure replace failed on ${plan.device}: ${replaced.trim().split('\n').pop()}`, { exit: 'devicesFailed' });
            }
            running = await postCheck();
            break;
          }
          case 'junos-load-override':
          case 'junos-load-set': {
            const send = blockSender(session);
            const mode = platform.configMode ?? 'configuration';
            const head = plan.method === 'junos-load-set' ? ['delete', 'yes', 'load set terminal'] : ['load override terminal'];
            say(`${head[head.length - 1]} (${lines.length} lines)`);
            try {
              outputs.push((await send([...head, ...lines].join('\n') + '\n\x04', { mode, until: /^load complete/m, timeoutMs })).output);
            } catch (error) {
              await session.discard().catch(() => undefined);
              throw error;
            }
            say(`commit confirmed ${minutes}`);
            outputs.push((await send(`commit confirmed ${minutes}`, { mode, timeoutMs })).output);
            running = await postCheck();
            if (sameConfig(running, plan.target)) {
              say('commit (confirming)');
              await session.confirm();
              confirmed = true;
            } else {
              say('post-check failed: rolling back (rollback 1, commit)');
              try {
                await session.rollback(1);
              } catch (error) {
                throw new NetstacksError('device_failed', `the post-check of ${plan.device} failed and so did the rollback: ${error instanceof Error ? error.message : String(error)}`, {
                  exit: 'devicesFailed',
                  hint: `the commit confirmed timer rolls the device back within ${minutes} minute(s) unless someone confirms it`,
                });
              }
              confirmed = false;
              say('reading the running config after the rollback');
              previousRestored = sameConfig(await readBack(session, platform, plan.backup.format, timeoutMs), plan.current);
            }
            break;
          }
          case 'eos-session-replace': {
            const send = blockSender(session);
            const name = `netstacks-restore-${plan.backup.id}`;
            say(`configure session ${name}`);
            await send(`configure session ${name}`, { mode: platform.defaultMode, timeoutMs });
            const mode = platform.configMode ?? 'configuration';
            try {
              say(`rollback clean-config, then ${lines.length} lines`);
              outputs.push((await send(['rollback clean-config', ...lines, '! netstacks-restore-end'].join('\n'), { mode, until: /! netstacks-restore-end\s*$/m, timeoutMs })).output);
            } catch (error) {
              await send('abort', { mode, timeoutMs }).catch(() => undefined);
              throw error;
            }
            say('commit');
            outputs.push((await send('commit', { mode, timeoutMs })).output);
            running = await postCheck();
            break;
          }
          case 'config-model': {
            say(`pushing ${plan.commands.length} commands`);
            const pushed = await session.pushConfig(plan.commands);
            outputs.push(pushed.output);
            running = await postCheck();
            break;
          }
        }
        // through the config model the device may order new sections its own way: there the
        // post-check asks the model whether anything is left to change (canonical terms)
        const modelLeft = plan.method === 'config-model' && !sameConfig(running, plan.target) ? await leftToChange(platform, running, plan.target) : undefined;
        const matches = modelLeft ? modelLeft.length === 0 : sameConfig(running, plan.target);
        return {
          device: plan.device,
          method: plan.method,
          matches,
          remaining: matches ? [] : remainingDifferences(running, plan.target),
          ...(confirmed !== undefined ? { confirmed } : {}),
          ...(previousRestored !== undefined ? { previousRestored } : {}),
          output: outputs.filter(Boolean).join('\n'),
          elapsedMs: Math.round(performance.now() - started),
        };
      }),
    10 + Math.ceil(lines.length / 100),
  );
  const result = summary.results[0];
  if (!result || result.status !== 'ok' || !result.data) {
    throw new NetstacksError('device_failed', `restore of ${plan.device} failed: ${result?.message ?? 'no result'}`, {
      exit: 'devicesFailed',
      ...(result?.hint ? { hint: result.hint } : {}),
    });
  }
  return result.data;
}
