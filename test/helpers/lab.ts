import { join } from 'node:path';
import { expect } from 'vitest';
import { homeFiles } from '../../src/core/paths.js';
import { addCredential } from '../../src/credentials/index.js';
import { addDevice } from '../../src/inventory/index.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from '../../src/lab/credentials.js';
import { registerLabDevices } from '../../src/lab/inventory.js';
import type { LabHandle } from '../../src/lab/types.js';
import { fanOutOverTargets, loadOperationEnv, openSessionFor, resolveTargets, withDeviceSession, type OperationEnv } from '../../src/operations/index.js';
import { createMemorySecretStore, openSecretStore } from '../../src/secrets/index.js';
import type { SecretStore } from '../../src/secrets/types.js';
import { getPlatform } from '../../src/platforms/index.js';
import { openDeviceSession, type DeviceSession, type TranscriptSink } from '../../src/session/index.js';
import { connectSsh, trustHostKey } from '../../src/ssh/index.js';
import { openSqliteStore, type Store } from '../../src/store/store.js';
import type { CliResult } from './cli.js';

/** Trusts every lab device's host key in the home's known_hosts (as `ssh` would after a first connect). */
export function trustLabHostKeys(lab: LabHandle, home: string): void {
  for (const device of lab.devices) {
    const key = lab.hostKey(device.name).normal.publicKey.split(' ');
    trustHostKey(homeFiles.knownHosts(home), device.host, lab.port, key[0]!, key[1]!);
  }
}

/**
 * Through the built CLI: adds the `lab` credential and every lab device to the home the `cli`
 * function runs against (each command must succeed), and trusts the devices' host keys.
 */
export async function addLabWithCli(lab: LabHandle, home: string, cli: (args: string[], input?: string) => Promise<CliResult>): Promise<void> {
  const added = await cli(['credential', 'add', 'lab', '--username', LAB_USERNAME, '--secrets-stdin'], `password: ${LAB_PASSWORD}\nenable: ${LAB_ENABLE_SECRET}\n`);
  expect(added.code, added.stderr).toBe(0);
  for (const d of lab.devices) {
    const r = await cli(['device', 'add', d.name, '--host', d.host, '--port', String(lab.port), '--platform', d.platform, '--credential', 'lab']);
    expect(r.code, r.stderr).toBe(0);
  }
  trustLabHostKeys(lab, home);
}

/**
 * Straight into the home's store, as `lab register` does: the lab credential (in the vault with the
 * master key the CLI helper uses) and every lab device; then trusts the devices' host keys. For
 * tests that then drive the built CLI against that home.
 */
export async function registerLabInHome(lab: LabHandle, home: string): Promise<void> {
  const store = await openSqliteStore(homeFiles.database(home));
  try {
    const secrets = await openSecretStore({ home, store, backend: 'vault', env: { NETSTACKS_MASTER_KEY: 'test-master-key' } });
    await registerLabDevices(store, secrets, lab.devices);
  } finally {
    await store.close();
  }
  trustLabHostKeys(lab, home);
}

export interface LabEnvOptions {
  /** where session transcripts go (none by default) */
  logDir?: string;
  /** tags every lab device gets (none by default) */
  tags?: string[];
}

export interface LabEnv {
  store: Store;
  secrets: SecretStore;
  env: OperationEnv;
}

/**
 * As a library: a store in `home` with the `lab` credential (secrets in memory) and every lab
 * device, and an operation env over them that reads no ssh_config. Close `store` afterwards.
 */
export async function openLabEnv(lab: LabHandle, home: string, options: LabEnvOptions = {}): Promise<LabEnv> {
  const store = await openSqliteStore(homeFiles.database(home));
  const secrets = createMemorySecretStore();
  await addCredential(store, secrets, { name: 'lab', username: LAB_USERNAME, password: LAB_PASSWORD, enable: LAB_ENABLE_SECRET });
  for (const device of lab.devices) await addDevice(store, { name: device.name, host: device.host, port: lab.port, platform: device.platform, credential: 'lab', ...(options.tags !== undefined && { tags: options.tags }) });
  const env = await loadOperationEnv(store, secrets, home, { sshConfigFile: false, ...(options.logDir !== undefined && { logDir: options.logDir }) });
  return { store, secrets, env };
}

/**
 * Runs `work` on one device's session through the fan-out runner and hands back its result (an
 * error naming the device when it fails); `reconnect` opens a second session to the same device.
 */
export async function withLabSession<T>(env: OperationEnv, device: string, work: (session: DeviceSession, reconnect: () => Promise<DeviceSession>) => Promise<T>): Promise<T> {
  const targets = await resolveTargets(env, { names: [device] });
  const summary = await fanOutOverTargets(env, targets, {}, (plan, deps, context) =>
    withDeviceSession(plan, deps, context, ({ session }) => work(session, async () => (await openSessionFor(plan, deps)).session)), 10);
  const [result] = summary.results;
  if (result?.status !== 'ok') throw new Error(`${device}: ${result?.message}`);
  return result.data as T;
}

/**
 * A session on one lab device straight over SSH (no store, no runner), with `home/known_hosts`
 * learning host keys as it goes.
 */
export async function connectLabSession(lab: LabHandle, home: string, name: string, options: { commandTimeoutMs: number; transcript?: TranscriptSink }): Promise<DeviceSession> {
  const device = lab.devices.find((d) => d.name === name);
  if (!device) throw new Error(`no lab device ${name}`);
  const platform = getPlatform(device.platform);
  const connection = await connectSsh({
    label: name,
    host: device.host,
    port: device.port,
    auth: { username: LAB_USERNAME, password: LAB_PASSWORD, keyboardInteractive: platform.keyboardInteractive },
    hostKeys: { knownHostsFile: join(home, 'known_hosts'), strict: false },
    timeouts: { connect: 5000, auth: 5000, banner: 5000 },
  });
  return openDeviceSession(connection, { device: name, platform, secrets: { password: LAB_PASSWORD, enable: LAB_ENABLE_SECRET }, commandTimeoutMs: options.commandTimeoutMs, transcript: options.transcript });
}
