import { ensureHome, resolveHome } from '../core/paths.js';
import { Output, type OutputFormat } from './output.js';
import type { Store } from '../store/store.js';
import type { SecretStore } from '../secrets/types.js';

export interface GlobalOptions {
  home?: string;
  json?: boolean;
  yaml?: boolean;
  debug?: boolean;
  color?: boolean;
}

/**
 * What a command action gets: output, the home folder, and lazily opened store and secrets, so
 * commands that need neither (help, lab status) never load SQLite or the keychain.
 */
export class CliContext {
  readonly home: string;
  readonly out: Output;
  readonly debug: boolean;
  private storePromise?: Promise<Store>;
  private secretsPromise?: Promise<SecretStore>;

  constructor(readonly globals: GlobalOptions) {
    this.home = resolveHome(globals.home);
    const format: OutputFormat = globals.json ? 'json' : globals.yaml ? 'yaml' : 'table';
    this.out = new Output(format, { color: globals.color });
    this.debug = Boolean(globals.debug);
  }

  store(): Promise<Store> {
    this.storePromise ??= (async () => {
      ensureHome(this.home);
      const { openSqliteStore } = await import('../store/store.js');
      const { homeFiles } = await import('../core/paths.js');
      const store = await openSqliteStore(homeFiles.database(this.home));
      // runs left `running` by a killed daemon are marked interrupted by whichever command comes next
      const { markInterruptedRuns } = await import('../scheduler/recovery.js');
      await markInterruptedRuns(store);
      // and backup snapshots left `running` by a killed `backup run` (pid, host and start time checked)
      await (await import('../backups/recover.js')).markInterruptedRuns(store);
      return store;
    })();
    return this.storePromise;
  }

  secrets(): Promise<SecretStore> {
    this.secretsPromise ??= (async () => {
      ensureHome(this.home);
      const { openSecretStore } = await import('../secrets/index.js');
      return openSecretStore({ home: this.home, store: await this.store() });
    })();
    return this.secretsPromise;
  }

  async close(): Promise<void> {
    if (this.storePromise) await (await this.storePromise).close();
  }
}
