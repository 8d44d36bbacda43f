export { startLab, type StartLabOptions } from './lab.js';
export { labDeviceNames, labAddress, parseFaultSpec, planLab, PLATFORM_PREFIX, DEFAULT_PORT } from './plan.js';
export { LAB_USERNAME, LAB_PASSWORD, LAB_ENABLE_SECRET, LAB_CREDENTIAL_NAME, labClientKey } from './credentials.js';
export { sendControlRequest } from './control.js';
export { LEGACY_ALGORITHMS } from './device.js';
export * from './types.js';
