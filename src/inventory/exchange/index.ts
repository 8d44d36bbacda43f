export { parseInventoryFile, formatOf } from './parse.js';
export { planImport, describePlan, type ImportPlan, type EntryChange, type PlanOptions } from './plan.js';
export { applyImport, transactionStore } from './apply.js';
export { exportInventory, exportDocument, deviceToEntry, groupToEntry, type ExportOptions } from './export.js';
export type { FieldChange } from './compare.js';
export type { InventoryDocument, InventoryFormat, GroupEntry, DeviceEntry } from './document.js';
