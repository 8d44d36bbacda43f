import type { Db } from '../store/store.js';
import type { SecretStore } from '../secrets/types.js';
import type { Settings } from '../settings/index.js';
import type { RunEvent, RunSummary } from '../runner/types.js';
import type { Targets } from './targets.js';

/** What every device operation needs from the outside world; built once per command. */
export interface OperationEnv {
  db: Db;
  secrets: SecretStore;
  home: string;
  settings: Settings;
  /** refuse unknown host keys (from --strict-host-keys or the strictHostKeys setting) */
  strictHostKeys: boolean;
  /** write one masked session transcript per device here */
  logDir?: string;
  /** OpenSSH client config to honour; undefined: ~/.ssh/config, false: none */
  sshConfigFile?: string | false;
}

/** Which devices, and how to run them. */
export interface FanOutRequest<T> {
  /** `--on` selection expression */
  on?: string;
  /** explicit device names (each must exist) */
  names?: string[];
  /** already resolved targets (from resolveTargets); then `on` and `names` are ignored */
  targets?: Targets;
  /** default: the concurrency setting */
  concurrency?: number;
  /** per-device timeout in seconds; default derived from the devices' timeouts */
  timeoutS?: number;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent<T>) => void;
}

export type OperationSummary<T> = RunSummary<T>;
