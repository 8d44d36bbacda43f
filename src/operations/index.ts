/** Device operations as a library: what `device test`, `device trust`, `run` and `config push` call. */
export type { OperationEnv, FanOutRequest } from './types.js';
export { openSessionFor, withDeviceSession, sshOptionsFor, type ConnectDeps, type OpenedSession } from './connect.js';
export { resolveTargets, connectionDefaults, type Targets } from './targets.js';
export { fanOutOverTargets, type DeviceTask } from './fan-out.js';
export { CredentialCache } from './credentials-cache.js';
export { testDevices, type DeviceTestReport } from './test-devices.js';
export { runCommands, type CommandsReport } from './run-commands.js';
export { pushConfig, type PushOptions, type PushReport } from './push-config.js';
export { trustDevice, type TrustReport } from './trust-device.js';
export { linesNotPresent, configChanges } from './config-diff.js';
export { resolveJumpHosts } from './jump-hosts.js';
export { loadOperationEnv } from './env.js';
