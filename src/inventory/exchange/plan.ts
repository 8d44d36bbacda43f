import { ValidationError } from '../../core/errors.js';
import { nearest } from '../../core/suggest.js';
import type { Db } from '../../store/store.js';
import { listDevices } from '../devices.js';
import { listGroups } from '../groups.js';
import type { DeviceInput } from '../types.js';
import { DEVICE_FIELDS, GROUP_FIELDS, type GroupEntry, type InventoryDocument, type InventoryFormat } from './document.js';
import { fieldChanges, type FieldChange } from './compare.js';
import { ProblemList } from './issues.js';

export interface EntryChange {
  name: string;
  changes: FieldChange[];
}

export interface ImportPlan {
  file: string;
  format: InventoryFormat;
  devices: { added: string[]; changed: EntryChange[]; unchanged: string[]; removed: string[] };
  groups: { added: string[]; changed: EntryChange[]; unchanged: string[] };
  /** what applyImport writes */
  writes: {
    groupsToAdd: GroupEntry[];
    groupsToUpdate: GroupEntry[];
    devices: DeviceInput[];
    removeDevices: string[];
  };
}

export interface PlanOptions {
  /** remove devices that came from an import (source 'import') and are absent from the file */
  prune?: boolean;
}

/**
 * Compares a parsed inventory file with the database: which devices and groups would be added,
 * changed (field by field) or left alone, and with `prune` which imported devices would go.
 * Existing devices keep their source; new ones get source 'import'. Reads only.
 */
export async function planImport(db: Db, document: InventoryDocument, options: PlanOptions = {}): Promise<ImportPlan> {
  const [devices, groups, credentialRows] = await Promise.all([
    listDevices(db),
    listGroups(db),
    db.selectFrom('credentials').select('name').execute(),
  ]);
  const devicesByName = new Map(devices.map((d) => [d.name, d]));
  const groupsByName = new Map(groups.map((g) => [g.name, g]));
  const credentials = credentialRows.map((r) => r.name);
  checkReferences(document, new Set(credentials), credentials);

  const plan: ImportPlan = {
    file: document.file,
    format: document.format,
    devices: { added: [], changed: [], unchanged: [], removed: [] },
    groups: { added: [], changed: [], unchanged: [] },
    writes: { groupsToAdd: [], groupsToUpdate: [], devices: [], removeDevices: [] },
  };

  const declaredGroups = new Set<string>();
  for (const entry of document.groups) {
    declaredGroups.add(entry.name);
    const current = groupsByName.get(entry.name);
    if (!current) {
      plan.groups.added.push(entry.name);
      plan.writes.groupsToAdd.push(entry);
      continue;
    }
    const changes = fieldChanges(current as unknown as Record<string, unknown>, entry as unknown as Record<string, unknown>, GROUP_FIELDS);
    if (changes.length === 0) plan.groups.unchanged.push(entry.name);
    else {
      plan.groups.changed.push({ name: entry.name, changes });
      plan.writes.groupsToUpdate.push(entry);
    }
  }

  const inFile = new Set<string>();
  document.devices.forEach((entry, index) => {
    inFile.add(entry.name);
    for (const group of entry.groups ?? []) {
      // groups a device names but nobody defines are created empty, and show in the plan
      if (!groupsByName.has(group) && !declaredGroups.has(group)) {
        declaredGroups.add(group);
        plan.groups.added.push(group);
        plan.writes.groupsToAdd.push({ name: group });
      }
    }
    const current = devicesByName.get(entry.name);
    if (!current) {
      if (entry.host === undefined) {
        throw new ValidationError(`${document.deviceOrigin(index)}: device '${entry.name}' is new and needs a host`, "add a 'host' column to the file");
      }
      plan.devices.added.push(entry.name);
      plan.writes.devices.push({ ...entry, host: entry.host, source: 'import' });
      return;
    }
    const changes = fieldChanges(current as unknown as Record<string, unknown>, entry as unknown as Record<string, unknown>, DEVICE_FIELDS);
    if (changes.length === 0) plan.devices.unchanged.push(entry.name);
    else {
      plan.devices.changed.push({ name: entry.name, changes });
      plan.writes.devices.push({ ...entry, host: entry.host ?? current.host, source: current.source });
    }
  });

  if (options.prune) {
    for (const device of devices) {
      if (device.source === 'import' && !inFile.has(device.name)) plan.devices.removed.push(device.name);
    }
    plan.writes.removeDevices = plan.devices.removed;
  }
  return plan;
}

/** Duplicate names and unknown credentials, caught before anything is written. */
function checkReferences(document: InventoryDocument, credentialSet: Set<string>, credentials: string[]): void {
  const problems = new ProblemList();
  const firstSeen = new Map<string, number>();
  document.devices.forEach((entry, index) => {
    const earlier = firstSeen.get(entry.name);
    if (earlier !== undefined) {
      problems.add(document.deviceOrigin(index), `device '${entry.name}' appears again (first at ${document.deviceOrigin(earlier)})`);
    } else firstSeen.set(entry.name, index);
    if (entry.credential && !credentialSet.has(entry.credential)) {
      const suggestion = nearest(entry.credential, credentials);
      problems.add(document.deviceOrigin(index), `device #${index + 1} '${entry.name}': credential: '${entry.credential}' does not exist${suggestion ? `; did you mean '${suggestion}'?` : ''}`);
    }
  });
  const groupNames = new Set<string>();
  for (const group of document.groups) {
    if (groupNames.has(group.name)) problems.add(document.file, `group '${group.name}' appears more than once`);
    groupNames.add(group.name);
    if (group.credential && !credentialSet.has(group.credential)) {
      problems.add(document.file, `group '${group.name}': credential: '${group.credential}' does not exist`);
    }
  }
  problems.throwIfAny(document.file, "add missing credentials first with 'netstacks credential add', or fix the names in the file");
}

/** The plan as printed with --json: counts, per-device field changes, no write payloads. */
export function describePlan(plan: ImportPlan): Record<string, unknown> {
  return {
    file: plan.file,
    format: plan.format,
    summary: {
      added: plan.devices.added.length,
      changed: plan.devices.changed.length,
      unchanged: plan.devices.unchanged.length,
      removed: plan.devices.removed.length,
    },
    devices: { added: plan.devices.added, changed: plan.devices.changed, removed: plan.devices.removed },
    groups: plan.groups,
  };
}
