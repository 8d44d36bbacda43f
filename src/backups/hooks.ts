import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackupHook } from '../settings/value-types.js';

/** A changed config as hooks see it; `diff` is already masked unless secrets are revealed. */
export interface ChangeEvent {
  device: string;
  platform: string | null;
  oldHash: string | null;
  newHash: string;
  backupId: number;
  snapshotId: number | null;
  time: string;
  diff: string;
}

export interface HookResult {
  device: string;
  hook: string;
  ok: boolean;
  /** why it failed: exit status, HTTP status, or the error */
  error?: string;
}

const HOOK_TIMEOUT_MS = 30_000;

function describe(hook: BackupHook): string {
  return 'command' in hook ? `command: ${hook.command}` : `webhook: ${hook.webhook}`;
}

async function runCommand(command: string, event: ChangeEvent, diffFile: string): Promise<void> {
  const env = {
    ...process.env,
    NETSTACKS_DEVICE: event.device,
    NETSTACKS_PLATFORM: event.platform ?? '',
    NETSTACKS_OLD_HASH: event.oldHash ?? '',
    NETSTACKS_NEW_HASH: event.newHash,
    NETSTACKS_BACKUP_ID: String(event.backupId),
    NETSTACKS_SNAPSHOT_ID: event.snapshotId === null ? '' : String(event.snapshotId),
    NETSTACKS_DIFF_FILE: diffFile,
  };
  await new Promise<void>((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 2000) stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), HOOK_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else {
        const why = signal ? `killed by ${signal}${signal === 'SIGKILL' ? ` (timeout ${HOOK_TIMEOUT_MS / 1000} s)` : ''}` : `exit status ${code}`;
        const hint = code === 127 ? ' (command not found)' : '';
        reject(new Error(`${why}${hint}${stderr.trim() ? `: ${stderr.trim().split('\n').slice(-1)[0]}` : ''}`));
      }
    });
  });
}

async function postWebhook(url: string, event: ChangeEvent): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'netstacks-backup-hook' },
    body: JSON.stringify({ event: 'backup.changed', ...event }),
    signal: AbortSignal.timeout(HOOK_TIMEOUT_MS),
  });
  await response.arrayBuffer().catch(() => undefined);
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
}

/**
 * Runs every hook for every changed config, one change at a time. A hook that fails is reported
 * in the results (and by the caller as a warning); it never fails the backup.
 */
export async function runChangeHooks(hooks: BackupHook[], events: ChangeEvent[]): Promise<HookResult[]> {
  if (hooks.length === 0 || events.length === 0) return [];
  const results: HookResult[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'netstacks-hook-'));
  try {
    for (const event of events) {
      const diffFile = join(dir, `${event.device.replace(/[^\w.@-]/g, '_')}.diff`);
      await writeFile(diffFile, event.diff, { mode: 0o600 });
      for (const hook of hooks) {
        try {
          if ('command' in hook) await runCommand(hook.command, event, diffFile);
          else await postWebhook(hook.webhook, event);
          results.push({ device: event.device, hook: describe(hook), ok: true });
        } catch (error) {
          results.push({ device: event.device, hook: describe(hook), ok: false, error: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}
