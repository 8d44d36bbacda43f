import { NotFoundError, ValidationError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import type { Db } from '../store/store.js';
import { ContentReader } from './content-store.js';

/** One backup as commands show it. */
export interface BackupEntry {
  id: number;
  device: string;
  platform: string | null;
  time: string;
  type: string;
  status: string;
  error: string | null;
  hash: string | null;
  size: number | null;
  /** the config differs from the device's previous good backup */
  changed: boolean;
  snapshotId: number | null;
  format: string;
  /** running differs from startup; null when not checked */
  unsaved: boolean | null;
  durationMs: number | null;
}

/** Backup rows with their content's hash and size: the one select every backup listing starts from. */
export function baseQuery(db: Db) {
  return db
    .selectFrom('backups')
    .leftJoin('backup_contents', 'backup_contents.id', 'backups.content_id')
    .select([
      'backups.id',
      'backups.device',
      'backups.platform',
      'backups.created_at',
      'backups.type',
      'backups.status',
      'backups.error',
      'backup_contents.hash',
      'backup_contents.size',
      'backups.changed',
      'backups.snapshot_id',
      'backups.format',
      'backups.unsaved',
      'backups.duration_ms',
      'backups.content_id',
      'backups.facts_id',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['executeTakeFirstOrThrow']>>;

export function toEntry(row: Row): BackupEntry {
  return {
    id: row.id,
    device: row.device,
    platform: row.platform,
    time: row.created_at,
    type: row.type,
    status: row.status,
    error: row.error,
    hash: row.hash,
    size: row.size,
    changed: row.changed === 1,
    snapshotId: row.snapshot_id,
    format: row.format,
    unsaved: row.unsaved === null ? null : row.unsaved === 1,
    durationMs: row.duration_ms,
  };
}

/** Device names an `--on` expression selects, or undefined for no expression. */
export async function selectedNames(db: Db, on: string | undefined): Promise<string[] | undefined> {
  if (!on || on.trim() === '') return undefined;
  // loaded only for an --on: the inventory modules bring the YAML and glob libraries, which
  // `backup diff`, `show` and `list --device` do not need
  const [{ listDevices }, { selectDevices }] = await Promise.all([import('../inventory/index.js'), import('../inventory/selection/index.js')]);
  return selectDevices(await listDevices(db), on).map((d) => d.name);
}

/** Throws NotFoundError (with the nearest name) unless the device has backups or is in the inventory. */
export async function assertDeviceKnown(db: Db, device: string): Promise<void> {
  const has = await db.selectFrom('backups').select('id').where('device', '=', device).limit(1).executeTakeFirst();
  if (has) return;
  const inventory = await db.selectFrom('devices').select('name').execute();
  if (inventory.some((d) => d.name === device)) throw new NotFoundError('backup of device', device);
  const backed = await db.selectFrom('backups').select('device').distinct().execute();
  throw new NotFoundError('device', device, nearest(device, [...new Set([...inventory.map((d) => d.name), ...backed.map((b) => b.device)])]));
}

export async function listBackups(db: Db, options: { on?: string; device?: string; limit?: number } = {}): Promise<BackupEntry[]> {
  let query = baseQuery(db);
  if (options.device) {
    await assertDeviceKnown(db, options.device);
    query = query.where('backups.device', '=', options.device);
  }
  const names = await selectedNames(db, options.on);
  if (names) {
    if (names.length === 0) return [];
    query = query.where('backups.device', 'in', names);
  }
  const rows = await query.orderBy('backups.id', 'desc').limit(options.limit ?? 1000).execute();
  return rows.map(toEntry);
}

/** "2026-12-01" means the end of that day; any other Date.parse-able text is taken as given (UTC unless it says). */
function parseTime(text: string): string | undefined {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const normalised = dateOnly ? `${text}T23:59:59.999Z` : /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const ms = Date.parse(normalised);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * A good backup of `device`: by backup ID, by time (the latest at or before it), or the latest.
 */
export async function resolveBackup(db: Db, device: string, ref?: string): Promise<BackupEntry & { contentId: number; factsId: number | null }> {
  await assertDeviceKnown(db, device);
  let query = baseQuery(db).where('backups.device', '=', device).where('backups.status', '=', 'ok');
  if (ref !== undefined && /^\d+$/.test(ref)) {
    query = query.where('backups.id', '=', Number(ref));
  } else if (ref !== undefined) {
    const time = parseTime(ref);
    if (!time) throw new ValidationError(`'${ref}' is neither a backup ID nor a time`, "give an ID from 'netstacks backup list', or a time such as 2026-12-01 or 2026-12-01T02:00Z");
    query = query.where('backups.created_at', '<=', time);
  }
  const row = await query.orderBy('backups.id', 'desc').limit(1).executeTakeFirst();
  if (!row || row.content_id === null) {
    throw new NotFoundError(ref === undefined ? 'good backup of device' : `backup ${/^\d+$/.test(ref) ? '' : 'at '}${ref} of device`, device);
  }
  return { ...toEntry(row), contentId: row.content_id, factsId: row.facts_id };
}

/** The latest good backup, and the latest before it whose config differs. */
export async function lastTwoDistinct(db: Db, device: string): Promise<{ from: BackupEntry & { contentId: number }; to: BackupEntry & { contentId: number } }> {
  const to = await resolveBackup(db, device);
  const row = await baseQuery(db)
    .where('backups.device', '=', device)
    .where('backups.status', '=', 'ok')
    .where('backups.content_id', '!=', to.contentId)
    .where('backups.id', '<', to.id)
    .orderBy('backups.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row || row.content_id === null) {
    throw new NotFoundError('earlier different version of device', device, undefined);
  }
  return { from: { ...toEntry(row), contentId: row.content_id }, to };
}

export interface ShownBackup {
  backup: BackupEntry;
  config: string;
  facts: Record<string, string>;
}

export async function readBackup(db: Db, device: string, ref?: string, reader = new ContentReader(db)): Promise<ShownBackup> {
  const backup = await resolveBackup(db, device, ref);
  const config = await reader.text(backup.contentId);
  const facts = backup.factsId !== null ? (JSON.parse(await reader.text(backup.factsId)) as Record<string, string>) : {};
  const { contentId: _c, factsId: _f, ...entry } = backup;
  return { backup: entry, config, facts };
}

export interface SearchHit {
  device: string;
  platform: string | null;
  backupId: number;
  time: string;
  lines: { line: number; text: string }[];
}

/** The latest good config of every (selected) device, searched line by line. */
export async function searchBackups(db: Db, pattern: RegExp, options: { on?: string; transform?: (text: string, platform: string | null) => string } = {}): Promise<SearchHit[]> {
  const names = await selectedNames(db, options.on);
  const latest = db
    .selectFrom('backups')
    .select((eb) => ['device', eb.fn.max('id').as('id')])
    .where('status', '=', 'ok')
    .groupBy('device');
  let rows = await db
    .selectFrom('backups')
    .innerJoin(latest.as('latest'), 'latest.id', 'backups.id')
    .select(['backups.id', 'backups.device', 'backups.platform', 'backups.created_at', 'backups.content_id'])
    .orderBy('backups.device')
    .execute();
  if (names) {
    const wanted = new Set(names);
    rows = rows.filter((r) => wanted.has(r.device));
  }
  const reader = new ContentReader(db);
  const hits: SearchHit[] = [];
  const flags = pattern.flags.replace('g', '');
  const re = new RegExp(pattern.source, flags);
  for (const row of rows) {
    if (row.content_id === null) continue;
    let text = await reader.text(row.content_id);
    if (options.transform) text = options.transform(text, row.platform);
    const lines: SearchHit['lines'] = [];
    text.split('\n').forEach((line, index) => {
      if (re.test(line)) lines.push({ line: index + 1, text: line });
    });
    if (lines.length > 0) hits.push({ device: row.device, platform: row.platform, backupId: row.id, time: row.created_at, lines });
  }
  return hits;
}
