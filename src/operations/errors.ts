import { NetstacksError } from '../core/errors.js';

/** A selection that matched nothing: nothing to run is an error, not a silent success. */
export class NoDevicesError extends NetstacksError {
  constructor(selection?: string) {
    super('no_devices', selection ? `no device matches --on '${selection}'` : 'the inventory has no devices', { exit: 'notFound', hint: "run 'netstacks device list' to see the inventory" });
  }
}

export class NoCredentialError extends NetstacksError {
  readonly errorClass = 'auth' as const;
  constructor(device: string) {
    super('no_credential', `device '${device}' has no credential`, {
      exit: 'invalidInput',
      hint: 'set one on the device, one of its groups, or as the default (netstacks credential set-default NAME)',
    });
  }
}
