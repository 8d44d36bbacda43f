import { ValidationError } from '../core/errors.js';
import type { Device } from '../inventory/types.js';
import type { RunSummary } from '../runner/types.js';
import type { FanOutRequest, OperationEnv } from '../operations/types.js';
import { serviceOrder, type StackDefinition, type StackService } from './file.js';

export interface StackPlanOptions {
  /** `--var` / `--vars` inputs: above the stack's `variables`, below each service's */
  inputs?: Record<string, unknown>;
  /** `--templates DIR…` */
  templateFolders?: readonly string[];
  cwd?: string;
  /** called with every target device once they are known, before any is contacted (progress views) */
  onTargets?: (devices: readonly string[]) => Promise<void>;
}

export interface ServicePlan {
  service: string;
  template: string;
  /** the rendered config, secrets masked */
  rendered: string;
}

/** What deploying the stack would do to one device. */
export interface DevicePlan {
  platform: string;
  services: ServicePlan[];
  /** the commands that would be pushed, secrets masked */
  commands: string[];
  /** the commands that would undo them */
  rollback: string[];
  /** unified diff of the running config before and after, secrets masked */
  diff: string;
  changed: boolean;
}

/**
 * `stack plan` (`deploy --dry-run`): renders every service for every target device, fetches each
 * running config, and computes the merge remediation with the config model. Writes nothing to any
 * device. Rendering errors and unreachable devices fail that device only; a missing template, an
 * unknown target or a missing required input fails the plan before any device is contacted.
 */
export async function planStack(env: OperationEnv, stack: StackDefinition, request: FanOutRequest<DevicePlan>, options: StackPlanOptions = {}): Promise<RunSummary<DevicePlan>> {
  const inputs = options.inputs ?? {};
  const missing = stack.required.filter((name) => !(name in inputs) && !(name in stack.variables));
  if (missing.length) {
    throw new ValidationError(`stack '${stack.name}' needs ${missing.map((m) => `'${m}'`).join(', ')}`, `give ${missing.map((m) => `--var ${m}=…`).join(' ')} (or --vars FILE)`);
  }
  const { openTemplates } = await import('../templates/library/open.js');
  const renderer = await openTemplates({ db: env.db, home: env.home, folders: options.templateFolders, cwd: options.cwd, secrets: () => Promise.resolve(env.secrets) });
  const ordered = serviceOrder(stack);
  const owned = new Map<string, string[]>();
  for (const service of ordered) {
    const { entry } = renderer.source(service.template);
    owned.set(service.name, renderer.meta(entry)?.owns ?? []);
  }
  const targetsOf = await serviceTargets(env, ordered);
  const devices = [...new Set(ordered.flatMap((s) => targetsOf.get(s.name)!))];

  const { resolveTargets, fanOutOverTargets, withDeviceSession } = await import('../operations/index.js');
  const { getDevice } = await import('../inventory/index.js');
  const { deviceContext, mergeContext } = await import('../templates/library/context.js');
  const { configModelFor } = await import('../config/index.js');
  const { unifiedDiff } = await import('../backups/line-diff.js');
  const { maskSecrets } = await import('../session/masking.js');
  const mask = (text: string) => maskSecrets(text, []);
  const targets = request.targets ?? (await resolveTargets(env, { names: devices }));
  await options.onTargets?.(targets.names);

  return fanOutOverTargets(env, targets, request, async (plan, deps, context) => {
    const device: Device = await getDevice(env.db, plan.device);
    const services = ordered.filter((s) => targetsOf.get(s.name)!.includes(device.name));
    context.progress('rendering');
    const base = await deviceContext(env.db, device);
    const rendered: { service: StackService; text: string; masked: string }[] = [];
    for (const service of services) {
      const variables = mergeContext([stack.defaults, base, stack.variables, inputs, service.variables, service.per_device[device.name] ?? {}]);
      const result = await renderer.render(service.template, variables);
      rendered.push({ service, text: result.text, masked: result.masked });
    }
    const intended = rendered.map((r) => r.text).join('\n');
    return withDeviceSession(plan, deps, context, async ({ session, platform }) => {
      const model = configModelFor(platform);
      context.progress('reading running config');
      const running = await session.runningConfig();
      const remediation = model.remediation(running, intended, {
        mode: 'merge',
        owned: services.flatMap((s) => owned.get(s.name)!.map((section) => [section])),
      });
      const before = model.render(remediation.running).join('\n') + '\n';
      const after = model.render(remediation.target).join('\n') + '\n';
      return {
        platform: platform.name,
        services: rendered.map((r) => ({ service: r.service.name, template: r.service.template, rendered: r.masked })),
        commands: remediation.commands.map(mask),
        rollback: remediation.rollback.map(mask),
        diff: mask(unifiedDiff(before, after, `${device.name} running`, `${device.name} planned`)),
        changed: remediation.commands.length > 0,
      };
    });
  }, 4);
}

/** Each service's target device names: listed names must exist; an --on expression must match. */
async function serviceTargets(env: OperationEnv, services: readonly StackService[]): Promise<Map<string, string[]>> {
  const { resolveTargets } = await import('../operations/index.js');
  const { getDevice } = await import('../inventory/index.js');
  const out = new Map<string, string[]>();
  for (const service of services) {
    if (Array.isArray(service.targets)) {
      for (const name of service.targets) await getDevice(env.db, name);
      out.set(service.name, service.targets);
    } else {
      // an expression that matches nothing is refused by the selection itself (exit 3)
      out.set(service.name, [...(await resolveTargets(env, { on: service.targets.on })).names]);
    }
  }
  return out;
}
