import { NotFoundError } from '../core/errors.js';
import type { Db } from '../store/store.js';
import { baseQuery, toEntry, type BackupEntry } from './queries.js';

export interface SnapshotEntry {
  id: number;
  type: string;
  selection: string | null;
  status: string;
  total: number;
  success: number;
  failed: number;
  skipped: number;
  changed: number;
  startedAt: string;
  finishedAt: string | null;
}

type SnapshotRow = Awaited<ReturnType<ReturnType<typeof snapshotQuery>['executeTakeFirstOrThrow']>>;

function snapshotQuery(db: Db) {
  return db.selectFrom('backup_snapshots').selectAll();
}

function toSnapshot(row: SnapshotRow): SnapshotEntry {
  return {
    id: row.id,
    type: row.type,
    selection: row.selection,
    status: row.status,
    total: row.total,
    success: row.success,
    failed: row.failed,
    skipped: row.skipped,
    changed: row.changed,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

export async function listSnapshots(db: Db, limit = 100): Promise<SnapshotEntry[]> {
  return (await snapshotQuery(db).orderBy('id', 'desc').limit(limit).execute()).map(toSnapshot);
}

export async function getSnapshot(db: Db, id: number): Promise<SnapshotEntry> {
  const row = await snapshotQuery(db).where('id', '=', id).executeTakeFirst();
  if (!row) {
    const latest = await db.selectFrom('backup_snapshots').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
    throw new NotFoundError('snapshot', String(id), latest ? `snapshots go up to ${latest.id}` : 'no snapshots yet');
  }
  return toSnapshot(row);
}

export async function snapshotBackups(db: Db, id: number): Promise<BackupEntry[]> {
  const rows = await baseQuery(db)
    .where('backups.snapshot_id', '=', id)
    .orderBy('backups.device')
    .execute();
  return rows.map(toEntry);
}

export type CompareState = 'changed' | 'unchanged' | 'only-in-first' | 'only-in-second' | 'failed';

export interface SnapshotComparison {
  first: SnapshotEntry;
  second: SnapshotEntry;
  devices: { device: string; state: CompareState; firstHash: string | null; secondHash: string | null; note?: string }[];
  counts: Record<CompareState, number>;
}

/** Per device: changed, unchanged, or only in one snapshot (a device that failed in either is 'failed'). */
export async function compareSnapshots(db: Db, firstId: number, secondId: number): Promise<SnapshotComparison> {
  const first = await getSnapshot(db, firstId);
  const second = await getSnapshot(db, secondId);
  const a = new Map((await snapshotBackups(db, firstId)).map((b) => [b.device, b]));
  const b = new Map((await snapshotBackups(db, secondId)).map((x) => [x.device, x]));
  const devices: SnapshotComparison['devices'] = [];
  for (const device of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(device);
    const y = b.get(device);
    const xOk = x?.status === 'ok' ? x : undefined;
    const yOk = y?.status === 'ok' ? y : undefined;
    let state: CompareState;
    let note: string | undefined;
    if (xOk && yOk) state = xOk.hash === yOk.hash ? 'unchanged' : 'changed';
    else if (!x) state = 'only-in-second';
    else if (!y) state = 'only-in-first';
    else {
      state = 'failed';
      note = [x.status !== 'ok' ? `first: ${x.status}${x.error ? ` (${x.error})` : ''}` : '', y.status !== 'ok' ? `second: ${y.status}${y.error ? ` (${y.error})` : ''}` : '']
        .filter(Boolean)
        .join('; ');
    }
    devices.push({ device, state, firstHash: xOk?.hash ?? null, secondHash: yOk?.hash ?? null, ...(note ? { note } : {}) });
  }
  const counts = { changed: 0, unchanged: 0, 'only-in-first': 0, 'only-in-second': 0, failed: 0 };
  for (const d of devices) counts[d.state]++;
  return { first, second, devices, counts };
}
