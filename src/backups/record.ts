import { nowIso } from '../core/time.js';
import type { Store } from '../store/store.js';
import { ContentReader, encodeContentAsync, insertContent, sha256 } from './content-store.js';
import type { FetchedConfig } from './fetch.js';

export type BackupType = 'manual' | 'scheduled' | 'snapshot';

/** What storing one device's fetched config did. */
export interface StoredBackup {
  backupId: number;
  hash: string;
  size: number;
  /** differs from the device's previous good backup (true for a device's first backup) */
  changed: boolean;
  /** hash of the previous good backup, when there is one */
  previousHash?: string;
  previousContentId?: number;
  contentId: number;
  /** new content was written (false: the text was stored already, one small row added) */
  newContent: boolean;
  unsaved?: boolean;
}

interface RecordContext {
  store: Store;
  reader: ContentReader;
  fullEvery: number;
  snapshotId: number | null;
  type: BackupType;
  deviceIds: Map<string, number>;
  /** latest good backup per device, loaded once per run (a device absent from a loaded map has none) */
  previous?: Map<string, { contentId: number; hash: string }>;
}

/** Every device's latest good backup in one query, for a run over many devices. */
export async function latestGoodByDevice(store: Store, devices: string[]): Promise<Map<string, { contentId: number; hash: string }>> {
  const wanted = new Set(devices);
  const latest = store.db.selectFrom('backups').select((eb) => ['device', eb.fn.max('id').as('id')]).where('status', '=', 'ok').groupBy('device');
  const rows = await store.db
    .selectFrom('backups')
    .innerJoin(latest.as('latest'), 'latest.id', 'backups.id')
    .innerJoin('backup_contents', 'backup_contents.id', 'backups.content_id')
    .select(['backups.device', 'backups.content_id', 'backup_contents.hash'])
    .execute();
  const map = new Map<string, { contentId: number; hash: string }>();
  for (const row of rows) if (wanted.has(row.device) && row.content_id !== null) map.set(row.device, { contentId: row.content_id, hash: row.hash });
  return map;
}

/** The device's latest good backup: its content id and hash. */
export async function previousGood(store: Store, device: string): Promise<{ contentId: number; hash: string } | undefined> {
  const row = await store.db
    .selectFrom('backups')
    .innerJoin('backup_contents', 'backup_contents.id', 'backups.content_id')
    .select(['backups.content_id', 'backup_contents.hash'])
    .where('backups.device', '=', device)
    .where('backups.status', '=', 'ok')
    .orderBy('backups.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && row.content_id !== null ? { contentId: row.content_id, hash: row.hash } : undefined;
}

/**
 * Stores a good fetch: the text as a delta against the device's previous version (or not at all
 * when its hash is known), facts beside it, and one backups row. Encoding happens before the
 * write transaction so the write lock is held for a few inserts only.
 */
export async function recordSuccess(ctx: RecordContext, device: string, fetched: FetchedConfig, durationMs: number): Promise<StoredBackup> {
  const hash = sha256(fetched.config);
  const previous = ctx.previous ? ctx.previous.get(device) : await previousGood(ctx.store, device);
  // unchanged (the usual case): no look-up, one row
  const known = previous?.hash === hash ? { id: previous.contentId } : await ctx.store.db.selectFrom('backup_contents').select('id').where('hash', '=', hash).executeTakeFirst();
  let encoded;
  if (!known) {
    const base = previous ? { id: previous.contentId, ...(await ctx.reader.entry(previous.contentId)) } : undefined;
    encoded = encodeContentAsync(fetched.config, base, ctx.fullEvery, hash);
  }
  const factsText = Object.keys(fetched.facts).length > 0 ? JSON.stringify(fetched.facts, null, 1) : undefined;
  // compression runs on the thread pool, the config's and the facts' side by side
  const [configEncoded, factsEncoded] = await Promise.all([encoded, factsText ? encodeContentAsync(factsText, undefined, 1) : undefined]);
  const changed = previous?.hash !== hash;

  return ctx.store.write(async (tx) => {
    const contentId = known ? known.id : await insertContent(tx, configEncoded!);
    const factsId = factsEncoded ? await insertContent(tx, factsEncoded) : null;
    const row = await tx
      .insertInto('backups')
      .values({
        device_id: ctx.deviceIds.get(device) ?? null,
        device,
        platform: fetched.platform,
        snapshot_id: ctx.snapshotId,
        type: ctx.type,
        status: 'ok',
        error: null,
        content_id: contentId,
        changed: changed ? 1 : 0,
        format: fetched.format,
        facts_id: factsId,
        unsaved: fetched.unsaved === undefined ? null : fetched.unsaved ? 1 : 0,
        duration_ms: durationMs,
        created_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ctx.previous?.set(device, { contentId, hash });
    return {
      backupId: row.id,
      hash,
      size: Buffer.byteLength(fetched.config),
      changed,
      contentId,
      newContent: !known,
      ...(previous ? { previousHash: previous.hash, previousContentId: previous.contentId } : {}),
      ...(fetched.unsaved !== undefined ? { unsaved: fetched.unsaved } : {}),
    };
  });
}

/** A failed or skipped device: a row with the reason and no content, so the last good one stays the latest good. */
export async function recordOutcome(
  ctx: Omit<RecordContext, 'reader' | 'fullEvery'>,
  rows: { device: string; status: 'failed' | 'skipped'; error: string; platform?: string | null; durationMs?: number }[],
): Promise<void> {
  const CHUNK = 200;
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const now = nowIso();
    await ctx.store.write((tx) =>
      tx
        .insertInto('backups')
        .values(
          chunk.map((r) => ({
            device_id: ctx.deviceIds.get(r.device) ?? null,
            device: r.device,
            platform: r.platform ?? null,
            snapshot_id: ctx.snapshotId,
            type: ctx.type,
            status: r.status,
            error: r.error,
            content_id: null,
            changed: 0,
            format: 'native',
            facts_id: null,
            unsaved: null,
            duration_ms: r.durationMs ?? null,
            created_at: now,
          })),
        )
        .execute(),
    );
  }
}
