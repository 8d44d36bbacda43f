/** The inventory as a library: devices, groups, overrides, variable inheritance and connection plans. */
export type * from './types.js';
export { listDevices, findDevice, getDevice, addDevice, updateDevice, removeDevice } from './devices.js';
export { saveDevices, type SaveDevicesOptions, type SaveDevicesResult } from './device-save.js';
export { DEFAULT_PLATFORM, DEFAULT_PORT, type DeviceUpsert } from './device-columns.js';
export {
  DEFAULTS_GROUP, listGroups, findGroup, getGroup, addGroup, updateGroup, removeGroup, addDeviceToGroup, removeDeviceFromGroup,
  type GroupInput,
} from './groups.js';
export { getOverride, setOverride, unsetOverride, describeOverride, OVERRIDE_FIELDS, type OverridePatch } from './overrides.js';
export { mergedVariables, mergedVariablesFor, variableMerger, mergeLayers, deepMerge, type MergedVariables, type VariableLayer } from './variables.js';
export {
  resolveConnectionPlan, resolveConnectionPlans, resolveCredential, skipReasonFor, type ConnectionDefaults, type CredentialSource, type ResolvedCredential,
} from './connection.js';
export { parseAssignments, parseNumberOption, applySshFlags } from './input-parsing.js';
