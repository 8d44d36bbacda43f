import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { addCredential, getDefaultCredential, listCredentials } from '../credentials/index.js';
import { listDevices } from '../inventory/devices.js';
import { saveDevices } from '../inventory/index.js';
import type { DeviceInput } from '../inventory/types.js';
import type { SecretStore } from '../secrets/types.js';
import type { Store } from '../store/store.js';
import { LAB_CREDENTIAL_NAME, LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME } from './credentials.js';
import type { LabDevice, LabHostKey } from './types.js';

const VENDORS: Record<string, string> = {
  cisco_ios: 'Cisco',
  cisco_xe: 'Cisco',
  cisco_nxos: 'Cisco',
  cisco_xr: 'Cisco',
  arista_eos: 'Arista',
  juniper_junos: 'Juniper',
  linux: 'Debian',
  fortinet: 'Fortinet',
  paloalto_panos: 'Palo Alto Networks',
  hp_procurve: 'HPE',
  aruba_aoscx: 'HPE Aruba',
};

/** Creates the `lab` credential set (username netstacks, the lab password and enable secret) once. */
export async function ensureLabCredential(store: Store, secrets: SecretStore): Promise<void> {
  const existing = await listCredentials(store.db);
  if (existing.some((c) => c.name === LAB_CREDENTIAL_NAME)) return;
  await addCredential(store, secrets, {
    name: LAB_CREDENTIAL_NAME,
    username: LAB_USERNAME,
    password: LAB_PASSWORD,
    enable: LAB_ENABLE_SECRET,
    description: 'NetStacks embedded lab devices',
    isDefault: !(await getDefaultCredential(store.db)),
  });
}

/**
 * Puts the lab's devices in the inventory (source 'lab', credential 'lab', tag 'lab') and removes
 * lab devices left from an earlier, bigger lab. Manual devices are never touched.
 */
export async function registerLabDevices(store: Store, secrets: SecretStore, devices: readonly LabDevice[]): Promise<{ added: number; updated: number; removed: number }> {
  await ensureLabCredential(store, secrets);
  const names = new Set(devices.map((d) => d.name));
  const stale = (await listDevices(store.db)).filter((d) => d.source === 'lab' && !names.has(d.name)).map((d) => d.name);
  await deleteDevices(store, stale);
  const inputs: DeviceInput[] = devices.map((d) => ({
    name: d.name,
    host: d.host,
    port: d.port,
    platform: d.platform,
    vendor: VENDORS[d.platform] ?? null,
    site: 'lab',
    role: 'lab',
    description: d.faults.length ? `lab device with faults: ${d.faults.join(', ')}` : 'lab device',
    tags: ['lab'],
    credential: LAB_CREDENTIAL_NAME,
    source: 'lab',
  }));
  const result = await saveDevices(store, inputs, { source: 'lab' });
  return { added: result.added.length, updated: result.updated.length, removed: stale.length };
}

/** Removes every device whose source is 'lab'; returns their names. */
export async function unregisterLabDevices(store: Store): Promise<string[]> {
  const lab = (await listDevices(store.db)).filter((d) => d.source === 'lab').map((d) => d.name);
  await deleteDevices(store, lab);
  return lab;
}

/** One transaction for all of them: a 500-device lab would otherwise take 500 commits. */
async function deleteDevices(store: Store, names: string[]): Promise<void> {
  if (names.length === 0) return;
  await store.write(async (tx) => {
    for (let i = 0; i < names.length; i += 500) {
      await tx.deleteFrom('devices').where('source', '=', 'lab').where('name', 'in', names.slice(i, i + 500)).execute();
    }
  });
}

const hostToken = (host: string, port: number) => (port === 22 ? host : `[${host}]:${port}`);

/**
 * Trusts each lab device's normal host key in NetStacks' known_hosts (OpenSSH format), replacing
 * older lines for the same address. A device with the changed-host-key fault then presents a key
 * that differs from the stored one, as a re-keyed or spoofed device would.
 */
export function trustLabHostKeys(file: string, keys: readonly { host: string; port: number; key: LabHostKey }[]): void {
  const tokens = new Set(keys.map((k) => hostToken(k.host, k.port)));
  const kept = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => line.trim() && !line.split(/\s+/)[0]?.split(',').some((t) => tokens.has(t)))
    : [];
  const added = keys.map((k) => `${hostToken(k.host, k.port)} ${k.key.publicKey}`);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, [...kept, ...added].join('\n') + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

/** Drops the known_hosts lines of the given lab addresses. */
export function forgetLabHostKeys(file: string, devices: readonly { host: string; port: number }[]): void {
  if (!existsSync(file)) return;
  const tokens = new Set(devices.map((d) => hostToken(d.host, d.port)));
  const kept = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.split(/\s+/)[0]?.split(',').some((t) => tokens.has(t)));
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, kept.join('\n') + (kept.length ? '\n' : ''), { mode: 0o600 });
  renameSync(tmp, file);
}
