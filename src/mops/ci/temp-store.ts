import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError, ValidationError } from '../../core/errors.js';
import { homeFiles } from '../../core/paths.js';
import type { OperationEnv } from '../../operations/types.js';
import type { Store } from '../../store/store.js';
import { credentialEnvVariable, credentialFromEnvironment, environmentCredentialStems, environmentSecrets, type EnvCredential } from './env-credentials.js';

/**
 * A run that needs no prepared home (CI): the inventory of one file in a temporary store, the
 * credentials from environment variables in memory, host keys pinned by a known_hosts file or
 * trusted on first use. Nothing is imported into the user's store, nothing written to the user's
 * home; the temporary folder is removed when the run ends (at exit at the latest).
 */

export interface TemporaryRunOptions {
  /** YAML/CSV inventory (the format `inventory import` reads) */
  inventoryFile: string;
  /** OpenSSH known_hosts file whose keys are the only ones accepted (strict) */
  knownHostsFile?: string;
  /** default process.env */
  environment?: NodeJS.ProcessEnv;
  /** resolves relative paths (default process.cwd()) */
  cwd?: string;
  /** session transcripts (masked) go here */
  logDir?: string;
  /** where the temporary folder is made (default os.tmpdir()) */
  tmpRoot?: string;
}

export interface TemporaryRun {
  env: OperationEnv;
  store: Store;
  /** the temporary home: store, known_hosts; removed by dispose() */
  home: string;
  /** every secret the environment gave: mask these in everything shown or recorded */
  secrets: string[];
  devices: string[];
  /** credentials made from the environment, in memory */
  credentials: string[];
  hostKeys: { mode: 'pinned'; file: string } | { mode: 'trust-on-first-use' };
  /** lines for the person reading the log (host-key policy, default credential) */
  notes: string[];
  dispose(): Promise<void>;
}

const NAME_REFERENCE = 'credential';

export async function openTemporaryRun(options: TemporaryRunOptions): Promise<TemporaryRun> {
  const environment = options.environment ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const inventoryPath = resolve(cwd, options.inventoryFile);
  const exchange = await import('../../inventory/exchange/index.js');
  let text: string;
  try {
    text = readFileSync(inventoryPath, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the inventory ${options.inventoryFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the path given to --inventory');
  }
  // a bad file fails here, naming file:line:column, before anything is created
  const document = exchange.parseInventoryFile(inventoryPath, text);
  let knownHosts: string | undefined;
  if (options.knownHostsFile !== undefined) {
    const path = resolve(cwd, options.knownHostsFile);
    try {
      knownHosts = readFileSync(path, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read the known hosts file ${options.knownHostsFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the path given to --known-hosts');
    }
  }

  // every credential the file names must come from the environment; the others it defines are added too
  const referenced = new Map<string, string>();
  document.devices.forEach((d) => d.credential && !referenced.has(d.credential) && referenced.set(d.credential, `device '${d.name}'`));
  document.groups.forEach((g) => g.credential && !referenced.has(g.credential) && referenced.set(g.credential, `group '${g.name}'`));
  const credentials: EnvCredential[] = [];
  for (const [name, user] of referenced) {
    const credential = credentialFromEnvironment(name, environment, cwd);
    if (!credential || credential.username === undefined) {
      throw new ValidationError(
        `${NAME_REFERENCE} '${name}' (used by ${user} in ${options.inventoryFile}) is not in the environment`,
        `set ${credentialEnvVariable(name, 'USERNAME')} and ${credentialEnvVariable(name, 'PASSWORD')} (or _KEY / _KEY_FILE) in the job's secrets`,
      );
    }
    credentials.push(credential);
  }
  const covered = new Set([...referenced.keys()].map((n) => n.toUpperCase().replace(/[^A-Z0-9]/g, '_')));
  for (const stem of environmentCredentialStems(environment)) {
    if (covered.has(stem)) continue;
    const credential = credentialFromEnvironment(stem.toLowerCase().replace(/_/g, '-'), environment, cwd);
    if (credential?.username !== undefined) credentials.push(credential);
  }
  const secrets = environmentSecrets(environment);

  const root = options.tmpRoot ?? tmpdir();
  const home = mkdtempSync(join(root, 'netstacks-run-'));
  chmodSync(home, 0o700);
  const removeNow = (): void => rmSync(home, { recursive: true, force: true });
  // a cancelled CI job gets SIGTERM (or SIGHUP): remove the folder, then end as the signal would
  const onSignal = (signal: NodeJS.Signals): void => {
    removeNow();
    process.exit(signal === 'SIGTERM' ? 143 : 129);
  };
  process.on('exit', removeNow);
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  let store: Store | undefined;
  let disposed = false;
  const dispose = async (): Promise<void> => {
    if (disposed) return;
    disposed = true;
    await store?.close().catch(() => undefined);
    removeNow();
    process.off('exit', removeNow);
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
  };

  try {
    const { openSqliteStore } = await import('../../store/store.js');
    const { createMemorySecretStore } = await import('../../secrets/memory.js');
    const { addCredential } = await import('../../credentials/index.js');
    const { loadOperationEnv } = await import('../../operations/env.js');
    store = await openSqliteStore(homeFiles.database(home));
    const secretStore = createMemorySecretStore();
    const notes: string[] = [];
    // the one login credential of the environment is the default for devices that name none
    const defaultName = credentials.length === 1 ? credentials[0]!.name : undefined;
    for (const c of credentials) {
      await addCredential(store, secretStore, {
        name: c.name,
        username: c.username!,
        ...(c.password !== undefined ? { password: c.password } : {}),
        ...(c.enable !== undefined ? { enable: c.enable } : {}),
        ...(c.privateKey !== undefined ? { privateKey: c.privateKey } : {}),
        ...(c.passphrase !== undefined ? { passphrase: c.passphrase } : {}),
        description: 'from the environment (in memory for this run)',
        isDefault: c.name === defaultName,
      });
    }
    if (defaultName && document.devices.some((d) => !d.credential)) notes.push(`devices without a credential use '${defaultName}' (the only one in the environment)`);
    const plan = await exchange.planImport(store.db, document, {});
    await exchange.applyImport(store, plan);
    let hostKeys: TemporaryRun['hostKeys'];
    if (knownHosts !== undefined) {
      writeFileSync(homeFiles.knownHosts(home), knownHosts, { mode: 0o600 });
      hostKeys = { mode: 'pinned', file: resolve(cwd, options.knownHostsFile!) };
      notes.push(`host keys: pinned by ${options.knownHostsFile}; a device whose key is not there is refused`);
    } else {
      hostKeys = { mode: 'trust-on-first-use' };
      notes.push('host keys: no --known-hosts given, so every device key is trusted on first use for this run (pin them with --known-hosts FILE)');
    }
    const env = await loadOperationEnv(store, secretStore, home, {
      strictHostKeys: hostKeys.mode === 'pinned',
      ...(options.logDir ? { logDir: resolve(cwd, options.logDir) } : {}),
    });
    return {
      env,
      store,
      home,
      secrets,
      devices: document.devices.map((d) => d.name),
      credentials: credentials.map((c) => c.name),
      hostKeys,
      notes,
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
