/** Config backups as a library: what `backup` and `snapshot` commands, the daemon and MOPs call. */
export { runBackup, type BackupRunOptions, type BackupRunReport } from './run.js';
export { markInterruptedRuns } from './recover.js';
export { readBackupSettings, type BackupSettings } from './settings.js';
export { listBackups, readBackup, resolveBackup, lastTwoDistinct, searchBackups, type BackupEntry, type ShownBackup, type SearchHit } from './queries.js';
export { listSnapshots, getSnapshot, snapshotBackups, compareSnapshots, type SnapshotEntry, type SnapshotComparison, type CompareState } from './snapshots.js';
export { pruneBackups, type PruneOptions, type PruneReport } from './prune.js';
export { exportGit, type GitExportReport } from './export-git.js';
export { restorePreview, type RestorePreview } from './restore-preview.js';
export { maskSecrets, outgoing } from './mask.js';
export { diffHunks, hunkHeader, unifiedDiff, type Hunk } from './line-diff.js';
export { ContentReader, sha256 } from './content-store.js';
export { configCommand, fetchConfig, type FetchedConfig } from './fetch.js';
export type { StoredBackup, BackupType } from './record.js';
