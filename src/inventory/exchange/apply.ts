import type { Store, Tx } from '../../store/store.js';
import { saveDevices } from '../device-save.js';
import { addGroup, updateGroup } from '../groups.js';
import type { ImportPlan } from './plan.js';

/** sqlite allows 32766 bound parameters; deleting in chunks stays far below that */
const DELETE_CHUNK = 500;

/**
 * Writes a plan in one transaction: groups first (devices refer to them), then the device
 * upserts, then pruned devices. Nothing is written when the plan has no changes.
 */
export async function applyImport(store: Store, plan: ImportPlan): Promise<void> {
  const { groupsToAdd, groupsToUpdate, devices, removeDevices } = plan.writes;
  if (groupsToAdd.length + groupsToUpdate.length + devices.length + removeDevices.length === 0) return;
  await store.write(async (tx) => {
    const inTransaction = transactionStore(tx);
    for (const group of groupsToAdd) await addGroup(inTransaction, group);
    for (const group of groupsToUpdate) await updateGroup(inTransaction, group.name, group);
    if (devices.length > 0) await saveDevices(inTransaction, devices, { source: 'import' });
    for (let i = 0; i < removeDevices.length; i += DELETE_CHUNK) {
      await tx.deleteFrom('devices').where('name', 'in', removeDevices.slice(i, i + DELETE_CHUNK)).execute();
    }
  });
}

/** A Store whose writes join the open transaction, so repository functions compose atomically. */
export function transactionStore(tx: Tx): Store {
  return {
    db: tx,
    write: (fn) => fn(tx),
    close: async () => {},
  };
}
