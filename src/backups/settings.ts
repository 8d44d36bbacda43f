import { getSetting } from '../settings/index.js';
import type { BackupHook } from '../settings/value-types.js';
import type { Db } from '../store/store.js';

export interface BackupSettings {
  retentionDays: number;
  keepVersions: number;
  fullEvery: number;
  junosFormat: 'set' | 'native';
  maskSecrets: boolean;
  hooks: BackupHook[];
}

export async function readBackupSettings(db: Db): Promise<BackupSettings> {
  const value = async <T>(key: string): Promise<T> => (await getSetting(db, key)).value as T;
  return {
    retentionDays: await value('backup.retention_days'),
    keepVersions: await value('backup.keep_versions'),
    fullEvery: await value('backup.full_every'),
    junosFormat: await value('backup.junos_format'),
    maskSecrets: await value('backup.mask_secrets'),
    hooks: await value('backup.hooks'),
  };
}
