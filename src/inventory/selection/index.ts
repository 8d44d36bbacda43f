import type { Device } from '../types.js';

// Stub: the selection language (`--on EXPR`) lands here. Signature is the contract.
export function compileSelection(_expr: string): (device: Device) => boolean {
  throw new Error('selection language not implemented yet');
}

export function selectDevices(devices: Device[], expr: string | undefined): Device[] {
  return expr ? devices.filter(compileSelection(expr)) : devices;
}
