import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/store.js';

/**
 * The names shell completion offers, one file per kind under `<home>/completion/`, one name a
 * line. The completion scripts read these files (no Node process per key press); the store
 * rewrites them after any write transaction (see openSqliteStore), so they follow every
 * inventory change: device add/edit/rm, import, NetBox sync, lab start/stop, groups, credentials.
 */
export const NAME_KINDS = ['devices', 'groups', 'credentials', 'sites', 'roles', 'tags', 'vendors', 'models'] as const;
export type NameKind = (typeof NAME_KINDS)[number];

export function namesCacheDir(home: string): string {
  return join(home, 'completion');
}

export async function readNames(db: Db): Promise<Record<NameKind, string[]>> {
  const [devices, groups, credentials] = await Promise.all([
    db.selectFrom('devices').select(['name', 'site', 'role', 'vendor', 'model', 'tags']).orderBy('name').execute(),
    db.selectFrom('groups').select('name').orderBy('name').execute(),
    db.selectFrom('credentials').select('name').orderBy('name').execute(),
  ]);
  const distinct = (values: Iterable<string | null>): string[] => [...new Set([...values].filter((v): v is string => Boolean(v)))].sort();
  const tags: string[] = [];
  for (const d of devices) {
    try {
      const parsed: unknown = JSON.parse(d.tags);
      if (Array.isArray(parsed)) for (const t of parsed) if (typeof t === 'string') tags.push(t);
    } catch {
      // a malformed row must not stop completion
    }
  }
  return {
    devices: devices.map((d) => d.name),
    groups: groups.map((g) => g.name),
    credentials: credentials.map((c) => c.name),
    sites: distinct(devices.map((d) => d.site)),
    roles: distinct(devices.map((d) => d.role)),
    tags: distinct(tags),
    vendors: distinct(devices.map((d) => d.vendor)),
    models: distinct(devices.map((d) => d.model)),
  };
}

/** Rewrites every names file atomically (temp file + rename), so a shell never reads half a list. */
export async function writeNamesCache(db: Db, home: string): Promise<void> {
  const names = await readNames(db);
  const dir = namesCacheDir(home);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const kind of NAME_KINDS) {
    const file = join(dir, kind);
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, names[kind].length > 0 ? names[kind].join('\n') + '\n' : '', { mode: 0o600 });
    renameSync(temp, file);
  }
}
