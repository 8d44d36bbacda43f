import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ValidationError } from '../core/errors.js';
import type { Db } from '../store/store.js';
import { ContentReader } from './content-store.js';
import { outgoing } from './mask.js';

const run = promisify(execFile);

export interface GitExportOptions {
  reveal?: boolean;
  maskSecrets: boolean;
}

export interface GitExportReport {
  dir: string;
  /** snapshots committed by this export */
  commits: number;
  /** files written (added or changed) */
  files: number;
  lastSnapshot: number | null;
}

/** Kept in .git (never committed): which snapshot was exported last and where each device's file is. */
interface ExportState {
  lastSnapshot: number;
  devices: Record<string, { path: string; contentId: number }>;
}

const STATE_FILE = 'netstacks-export.json';

function safe(part: string): string {
  return part.replace(/[^\w.@+-]/g, '_').replace(/^\.+/, '_') || '_';
}

async function git(dir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd: dir, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new ValidationError('git is not installed', 'install git (apt-get install git) to export backups');
    throw new ValidationError(`git ${args[0]} failed in ${dir}: ${(e.stderr ?? e.message).trim()}`);
  }
}

/**
 * `backup export --git DIR`: a git repository with one file per device (`<site>/<name>`), one
 * commit per snapshot dated at the snapshot's start, as Oxidized users keep their configs.
 * Incremental: a later export commits only the snapshots taken since, and writes only the files
 * whose content changed.
 */
export async function exportGit(db: Db, dir: string, options: GitExportOptions): Promise<GitExportReport> {
  await mkdir(dir, { recursive: true });
  if (!existsSync(join(dir, '.git'))) {
    await git(dir, ['init', '-q']);
    await git(dir, ['config', 'user.name', 'NetStacks']);
    await git(dir, ['config', 'user.email', 'netstacks@localhost']);
    await git(dir, ['config', 'commit.gpgsign', 'false']);
  }
  const statePath = join(dir, '.git', STATE_FILE);
  let state: ExportState = { lastSnapshot: 0, devices: {} };
  if (existsSync(statePath)) state = JSON.parse(await readFile(statePath, 'utf8')) as ExportState;

  const sites = new Map((await db.selectFrom('devices').select(['name', 'site']).execute()).map((d) => [d.name, d.site]));
  const snapshots = await db
    .selectFrom('backup_snapshots')
    .selectAll()
    .where('id', '>', state.lastSnapshot)
    .where('status', '!=', 'running')
    .orderBy('id')
    .execute();
  const reader = new ContentReader(db);
  const report: GitExportReport = { dir, commits: 0, files: 0, lastSnapshot: state.lastSnapshot || null };

  for (const snapshot of snapshots) {
    const rows = await db
      .selectFrom('backups')
      .select(['device', 'platform', 'content_id', 'status'])
      .where('snapshot_id', '=', snapshot.id)
      .where('status', '=', 'ok')
      .orderBy('device')
      .execute();
    let written = 0;
    for (const row of rows) {
      if (row.content_id === null) continue;
      const path = join(safe(sites.get(row.device) ?? '_no-site'), safe(row.device));
      const previous = state.devices[row.device];
      if (previous && previous.contentId === row.content_id && previous.path === path) continue;
      if (previous && previous.path !== path) await rm(join(dir, previous.path), { force: true });
      const text = outgoing(await reader.text(row.content_id), row.platform, options);
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
      state.devices[row.device] = { path, contentId: row.content_id };
      written++;
    }
    await git(dir, ['add', '-A']);
    const date = snapshot.started_at;
    const message = `snapshot ${snapshot.id} (${snapshot.type}, ${snapshot.status}): ${snapshot.success} ok, ${snapshot.changed} changed, ${snapshot.failed} failed, ${snapshot.skipped} skipped`;
    await git(dir, ['commit', '-q', '--allow-empty', '--no-verify', '-m', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    state.lastSnapshot = snapshot.id;
    await writeFile(statePath, JSON.stringify(state));
    report.commits++;
    report.files += written;
    report.lastSnapshot = snapshot.id;
  }
  return report;
}
