import { NetstacksError } from '../core/errors.js';
import type { FanOutRequest, OperationEnv } from '../operations/types.js';
import { PartialFailure } from '../runner/classify.js';
import type { RunSummary } from '../runner/types.js';
import type { StackDefinition } from './file.js';
import { openStackRendering, type RenderedService, type StackRenderOptions } from './plan.js';

/**
 * `stack validate` as a library (the CLI and MOPs call it): renders each service for each target
 * device and checks that every intended line is in the device's live running config (or in its
 * latest stored backup), compared in the platform's canonical forms (src/config/canonical.ts).
 * Nothing is written to any device. A device missing lines fails with the list, so the run exits 10.
 */
export interface ValidateOptions extends Omit<StackRenderOptions, 'validation'> {
  /** compare with each device's latest good backup instead of its live running config */
  fromBackup?: boolean;
  /** called with every target device once they are known, before any is contacted */
  onTargets?: (devices: readonly string[]) => Promise<void>;
}

export interface ServiceValidation {
  service: string;
  template: string;
  /** lines checked (the deploy template's, and its validation template's where it links one) */
  checked: number;
  /** intended lines the config lacks, with their sections (`router bgp 1 > neighbor …`), secrets masked */
  missing: string[];
}

export interface DeviceValidation {
  platform: string;
  /** what was compared: the live running config, or a stored backup */
  source: 'running' | 'backup';
  /** the backup compared with (--from-backup) */
  backup?: { id: number; time: string };
  services: ServiceValidation[];
  /** how many lines are missing in all */
  missing: number;
  valid: boolean;
}

/** A device whose config lacks intended lines: the device fails (exit 10), its result lists them. */
export class MissingLinesError extends NetstacksError {
  readonly errorClass = 'command-error' as const;
  constructor(device: string, validation: DeviceValidation) {
    const services = validation.services.filter((s) => s.missing.length).map((s) => `${s.service} (${s.missing.length})`);
    super('missing_lines', `${device}: ${validation.missing} intended line(s) missing in the ${validation.source === 'backup' ? 'backup' : 'running config'}: ${services.join(', ')}`, {
      exit: 'devicesFailed',
      hint: 'deploy the stack again (netstacks deploy --dry-run shows what it would push)',
    });
  }
}

export async function validateStack(env: OperationEnv, stack: StackDefinition, request: FanOutRequest<DeviceValidation>, options: ValidateOptions = {}): Promise<RunSummary<DeviceValidation>> {
  const rendering = await openStackRendering(env, stack, { ...options, validation: true });
  const { mask } = rendering;

  const { resolveTargets, fanOutOverTargets, withDeviceSession } = await import('../operations/index.js');
  const { getDevice } = await import('../inventory/index.js');
  const { configModelFor } = await import('../config/index.js');
  const targets = request.targets ?? (await resolveTargets(env, { names: rendering.devices }));
  await options.onTargets?.(targets.names);

  const check = (device: string, platform: string, running: string, services: RenderedService[], source: Pick<DeviceValidation, 'source' | 'backup'>): DeviceValidation => {
    const model = configModelFor(platform);
    const tree = model.parse(running);
    const results: ServiceValidation[] = services.map((s) => {
      const missing = new Set<string>();
      let checked = 0;
      for (const text of s.validation === undefined ? [s.text] : [s.text, s.validation]) {
        const intended = model.parse(text);
        checked += intended.lineCount;
        for (const line of model.missing(tree, intended)) missing.add(mask([...line.parents, line.line].join(' > ')));
      }
      return { service: s.service.name, template: s.template, checked, missing: [...missing] };
    });
    const count = results.reduce((n, s) => n + s.missing.length, 0);
    const validation: DeviceValidation = { platform, ...source, services: results, missing: count, valid: count === 0 };
    if (count > 0) throw new PartialFailure(new MissingLinesError(device, validation), validation);
    return validation;
  };

  return fanOutOverTargets(env, targets, request, async (plan, deps, context) => {
    const device = await getDevice(env.db, plan.device);
    context.progress('rendering');
    const services = await rendering.render(device);
    if (options.fromBackup) {
      const { readBackup } = await import('../backups/queries.js');
      context.progress('reading the latest backup');
      const stored = await readBackup(env.db, device.name);
      const platform = stored.backup.platform ?? device.platform;
      return check(device.name, platform, stored.config, services, { source: 'backup', backup: { id: stored.backup.id, time: stored.backup.time } });
    }
    return withDeviceSession(plan, deps, context, async ({ session, platform }) => {
      configModelFor(platform);
      context.progress('reading running config');
      const running = await session.runningConfig();
      return check(device.name, platform.name, running, services, { source: 'running' });
    });
  }, 4);
}
