import { ConflictError, ValidationError } from '../core/errors.js';
import type { Device } from '../inventory/types.js';
import type { RunSummary } from '../runner/types.js';
import type { FanOutRequest, OperationEnv } from '../operations/types.js';
import type { OpenedSession } from '../operations/connect.js';
import { serviceOrder, type StackDefinition, type StackService } from './file.js';
import type { DeviceInput, PreparedDevice, ServiceInput } from './device-plan.js';
import type { DeployedLine } from './state.js';
import type { TemplateRenderer } from '../templates/library/renderer.js';

export interface StackPlanOptions extends Omit<StackRenderOptions, 'validation'> {
  /** called with every target device once they are known, before any is contacted (progress views) */
  onTargets?: (devices: readonly string[]) => Promise<void>;
  /** filled with each planned device's raw plan (unmasked commands for pushing): for deploy only */
  prepared?: Map<string, PreparedPlan>;
  /**
   * for deploy: the sessions of devices that change are kept open here instead of closed, so the
   * push reuses them (one SSH login per device); the caller closes whatever is left
   */
  sessions?: Map<string, OpenedSession>;
}

export interface ServicePlan {
  service: string;
  template: string;
  /** the rendered config, secrets masked */
  rendered: string;
  /** this service's commands, in the order they are pushed, secrets masked */
  commands: string[];
}

/** What deploying the stack would do to one device. */
export interface DevicePlan {
  platform: string;
  services: ServicePlan[];
  /** the commands that would be pushed, secrets masked */
  commands: string[];
  /** the commands that would undo them */
  rollback: string[];
  /** lines this stack deployed before and no longer renders: removed by the deploy (`a > b`) */
  removed: string[];
  /** the device is no longer among the stack's targets: the plan removes what the stack put there */
  leaving: boolean;
  /** unified diff of the running config before and after, secrets masked */
  diff: string;
  changed: boolean;
}

/** A device's plan with what the deploy needs and the display must not show. */
export interface PreparedPlan extends PreparedDevice {
  device: string;
  platform: string;
  /** the running config the plan was made against */
  running: string;
  plan: DevicePlan;
  mask: (text: string) => string;
  /** what the plan was computed from (to re-check against the running config before pushing) */
  input: DeviceInput;
}

interface DeviceRender {
  device: Device;
  services: ServiceInput[];
  error?: unknown;
}

/**
 * `deploy --dry-run` (`stack plan`): renders every service for every target device, fetches each
 * running config, and computes the merge remediation with the config model, service by service,
 * removing what the stack deployed before and no longer renders. Writes nothing to any device.
 *
 * Fails before any device is contacted for: a missing template, an unknown target or a selection
 * matching nothing, a missing required input, two stacks rendering the same line on one device.
 * A render error (an undefined variable) or an unreachable device fails that device only.
 */
export async function planStack(env: OperationEnv, stack: StackDefinition, request: FanOutRequest<DevicePlan>, options: StackPlanOptions = {}): Promise<RunSummary<DevicePlan>> {
  const rendering = await openStackRendering(env, stack, options);
  const { mask } = rendering;
  const targeted = rendering.devices;

  const { resolveTargets, fanOutOverTargets, withDeviceSession, openSessionFor } = await import('../operations/index.js');
  const { getDevice, listDevices } = await import('../inventory/index.js');
  const { configModelFor } = await import('../config/index.js');
  const { unifiedDiff } = await import('../backups/line-diff.js');
  const { prepareDevice, leafKeys, pathKey } = await import('./device-plan.js');
  const { deployedLines, otherStacksLines } = await import('./state.js');

  // devices the stack deployed to before and no longer targets: their lines are removed
  const state = await deployedLines(env.db, stack.name);
  const inventory = new Set((await listDevices(env.db)).map((d) => d.name));
  const leaving = [...new Set(state.map((l) => l.device))].filter((d) => !targeted.includes(d) && inventory.has(d));
  const devices = [...targeted, ...leaving];
  const deployedOn = new Map<string, DeployedLine[]>();
  for (const line of state) deployedOn.set(line.device, [...(deployedOn.get(line.device) ?? []), line]);

  // render everything first: nothing is contacted when the stack collides with another one
  const renders = new Map<string, DeviceRender>();
  for (const name of devices) {
    const device: Device = await getDevice(env.db, name);
    const out: DeviceRender = { device, services: [] };
    try {
      for (const s of await rendering.render(device)) {
        out.services.push({ service: s.service.name, template: s.template, text: s.text, masked: mask(s.text), owned: s.owned.map((line) => [line]) });
      }
    } catch (error) {
      out.error = error;
    }
    renders.set(name, out);
  }
  const others = await otherStacksLines(env.db, stack.name, devices);
  for (const [name, render] of renders) {
    const theirs = others.filter((l) => l.device === name);
    if (!theirs.length || render.error || render.device.platform === 'autodetect') continue;
    let model;
    try {
      model = configModelFor(render.device.platform);
    } catch {
      continue;
    }
    for (const service of render.services) {
      const mine = leafKeys(model, service.text);
      const clash = theirs.find((l) => mine.has(pathKey(model, l.path)));
      if (clash) {
        throw new ConflictError(
          `stacks '${stack.name}' (service ${service.service}) and '${clash.stack}' (service ${clash.service}) both render '${clash.path.join(' > ')}' on ${name}`,
          'a line belongs to one stack: take it out of one of them (or destroy the other stack first)',
        );
      }
    }
  }

  const targets = request.targets ?? (await resolveTargets(env, { names: devices }));
  await options.onTargets?.(targets.names);

  return fanOutOverTargets(env, targets, request, async (plan, deps, context) => {
    const render = renders.get(plan.device)!;
    if (render.error) throw render.error;
    const work = async ({ session, platform }: OpenedSession): Promise<DevicePlan> => {
      const model = configModelFor(platform);
      context.progress('reading running config');
      const running = await session.runningConfig();
      const input: DeviceInput = { running, services: render.services, deployed: deployedOn.get(plan.device) ?? [], mask };
      const prepared = prepareDevice(model, input);
      const name = plan.device;
      const devicePlan: DevicePlan = {
        platform: platform.name,
        services: render.services.map((s) => ({
          service: s.service,
          template: s.template,
          rendered: s.masked,
          commands: prepared.steps.find((step) => step.service === s.service)?.commands ?? [],
        })),
        commands: prepared.commands,
        rollback: prepared.rollback,
        removed: prepared.removed,
        leaving: leaving.includes(name),
        diff: prepared.push.length ? mask(unifiedDiff(prepared.before, prepared.after, `${name} running`, `${name} planned`)) : '',
        changed: prepared.push.length > 0,
      };
      options.prepared?.set(name, { ...prepared, device: name, platform: platform.name, running, plan: devicePlan, mask, input });
      return devicePlan;
    };
    const sessions = options.sessions;
    if (!sessions) return withDeviceSession(plan, deps, context, work);
    // keep the session of a device that changes for the push
    const opened = await openSessionFor(plan, deps, context);
    const onAbort = (): void => void opened.abort();
    context.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const result = await work(opened);
      if (result.changed) sessions.set(plan.device, opened);
      else await opened.close();
      return result;
    } catch (error) {
      await opened.abort();
      throw context.signal.aborted ? context.signal.reason : error;
    } finally {
      context.signal.removeEventListener('abort', onAbort);
    }
  }, 4);
}

export interface StackRenderOptions {
  /** `--var` / `--vars` inputs: above the stack's `variables`, below each service's */
  inputs?: Record<string, unknown>;
  /** `--templates DIR…` */
  templateFolders?: readonly string[];
  cwd?: string;
  /** also render each service's linked validation template (`validation:` in its meta) */
  validation?: boolean;
}

/** One service rendered for one device (raw text: secrets included). */
export interface RenderedService {
  service: StackService;
  template: string;
  text: string;
  /** sections the template declares fully owned (`owns:`) */
  owned: string[];
  /** the linked validation template rendered, where asked for and linked */
  validation?: string;
}

/** What plan, deploy and validate share before any device is contacted. */
export interface StackRendering {
  renderer: TemplateRenderer;
  /** the services in deploy order */
  ordered: StackService[];
  targetsOf: Map<string, string[]>;
  /** every target device, in service order */
  devices: string[];
  /** masks template secrets and secret lines */
  mask: (text: string) => string;
  /** renders each of the device's services in order; throws on a render error (an undefined variable) */
  render(device: Device): Promise<RenderedService[]>;
}

/**
 * Checks the stack's required inputs, opens its templates (a missing template fails here, with the
 * nearest name) and resolves its services' targets, then renders per device on demand.
 */
export async function openStackRendering(env: OperationEnv, stack: StackDefinition, options: StackRenderOptions = {}): Promise<StackRendering> {
  const inputs = options.inputs ?? {};
  const missing = stack.required.filter((name) => !(name in inputs) && !(name in stack.variables));
  if (missing.length) {
    throw new ValidationError(`stack '${stack.name}' needs ${missing.map((m) => `'${m}'`).join(', ')}`, `give ${missing.map((m) => `--var ${m}=…`).join(' ')} (or --vars FILE)`);
  }
  const { openTemplates } = await import('../templates/library/open.js');
  const renderer = await openTemplates({ db: env.db, home: env.home, folders: options.templateFolders, cwd: options.cwd, secrets: () => Promise.resolve(env.secrets) });
  const ordered = serviceOrder(stack);
  const owned = new Map<string, string[]>();
  const validationOf = new Map<string, string | undefined>();
  for (const service of ordered) {
    const { entry } = renderer.source(service.template);
    const meta = renderer.meta(entry);
    owned.set(service.name, meta?.owns ?? []);
    const linked = options.validation ? meta?.validation : undefined;
    if (linked) renderer.source(linked);
    validationOf.set(service.name, linked);
  }
  const targetsOf = await serviceTargets(env, ordered);
  const devices = [...new Set(ordered.flatMap((s) => targetsOf.get(s.name)!))];
  const { deviceContext, mergeContext } = await import('../templates/library/context.js');
  const { maskSecretLines } = await import('../session/masking.js');
  return {
    renderer,
    ordered,
    targetsOf,
    devices,
    mask: (text) => maskSecretLines(renderer.secrets.mask(text)),
    async render(device) {
      const base = await deviceContext(env.db, device);
      const out: RenderedService[] = [];
      for (const service of ordered.filter((s) => targetsOf.get(s.name)!.includes(device.name))) {
        const variables = mergeContext([stack.defaults, base, stack.variables, inputs, service.variables, service.per_device[device.name] ?? {}]);
        const text = (await renderer.render(service.template, variables)).text;
        const linked = validationOf.get(service.name);
        const validation = linked ? (await renderer.render(linked, variables)).text : undefined;
        out.push({ service, template: service.template, text, owned: owned.get(service.name)!, ...(validation !== undefined && { validation }) });
      }
      return out;
    },
  };
}

/** Each service's target device names: listed names must exist; an --on expression must match. */
export async function serviceTargets(env: OperationEnv, services: readonly StackService[]): Promise<Map<string, string[]>> {
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
