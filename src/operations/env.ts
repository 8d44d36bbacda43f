import { readSettings } from '../settings/index.js';
import type { Store } from '../store/store.js';
import type { SecretStore } from '../secrets/types.js';
import type { OperationEnv } from './types.js';

/** The environment for device operations from an open store, the secret store and CLI flags. */
export async function loadOperationEnv(
  store: Store,
  secrets: SecretStore,
  home: string,
  flags: { strictHostKeys?: boolean; logDir?: string; sshConfigFile?: string | false } = {},
): Promise<OperationEnv> {
  const settings = await readSettings(store.db);
  return {
    db: store.db,
    secrets,
    home,
    settings,
    strictHostKeys: Boolean(flags.strictHostKeys) || settings.strictHostKeys,
    ...(flags.logDir ? { logDir: flags.logDir } : {}),
    ...(flags.sshConfigFile !== undefined ? { sshConfigFile: flags.sshConfigFile } : {}),
  };
}
