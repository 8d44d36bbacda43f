import { NetstacksError, ValidationError } from '../core/errors.js';
import type { DeviceSession } from '../session/types.js';

/**
 * One configuration change on one device, with the device's own safety net where it has one
 * (after NAPALM's load/compare/commit/rollback contract). The engine under `deploy` codes
 * against this; the per-platform path is declared in the platform data.
 */
export interface ChangeRequest {
  commands: string[];
  rollback: string[];
  confirmMinutes?: number;
  /** config text for platforms that load whole blocks (Junos brace templates) */
  intendedText?: string;
}

export interface AppliedChange {
  /** the device's own compare (Junos `show | compare`, XR `show commit changes diff`), where it has one */
  deviceCompare?: string;
  output: string;
  /** a device-side safety net is armed and needs confirm() */
  pendingConfirm: boolean;
}

export interface ChangeTransaction {
  apply(): Promise<AppliedChange>;
  confirm(): Promise<void>;
  rollback(): Promise<void>;
  save(): Promise<void>;
}

/** The platform cannot take a configuration change (Linux: no config model). */
export class ChangeNotSupportedError extends ValidationError {
  constructor(platform: string) {
    super(
      `platform '${platform}' has no configuration model: NetStacks cannot change its config safely`,
      'config changes need a network platform; use `netstacks run` for shell commands',
    );
  }
}

/** The device refused a line of the change (one of its failure patterns matched). */
export class ChangeRefusedError extends NetstacksError {
  constructor(
    readonly device: string,
    readonly command: string,
    readonly deviceMessage: string,
    cause?: unknown,
  ) {
    super('change_refused', `${device}: the device refused '${command}': ${deviceMessage}`, { exit: 'devicesFailed', cause });
  }
}

export function beginChange(session: DeviceSession, request: ChangeRequest): ChangeTransaction {
  const platform = session.platform;
  if (!platform.config.model) throw new ChangeNotSupportedError(platform.name);
  const candidate = platform.config.style === 'candidate';
  let committed = false;
  let applied = false;
  return {
    async apply() {
      applied = true;
      try {
        const minutes = candidate && platform.config.commitConfirmed ? request.confirmMinutes : undefined;
        const result = await session.pushConfig(request.commands, minutes === undefined ? {} : { commitConfirmedMinutes: minutes });
        committed = result.committed;
        return { output: result.output, pendingConfirm: minutes !== undefined && result.committed };
      } catch (error) {
        const e = error as { command?: string; deviceMessage?: string };
        if (typeof e.command === 'string' && typeof e.deviceMessage === 'string') throw new ChangeRefusedError(session.device, e.command, e.deviceMessage, error);
        throw error;
      }
    },
    async confirm() {
      if (candidate && committed && request.confirmMinutes !== undefined) await session.confirm();
    },
    async rollback() {
      if (!applied) return;
      if (candidate) {
        if (committed) await session.rollback(1);
        return;
      }
      if (request.rollback.length > 0) await session.pushConfig(request.rollback);
    },
    async save() {
      await session.pushConfig([], { save: true });
    },
  };
}
