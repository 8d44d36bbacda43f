import { readFileSync } from 'node:fs';
import { ConflictError, NetstacksError } from '../core/errors.js';
import { nowIso } from '../core/time.js';
import type { LockHandle } from '../locks/index.js';
import type { FanOutRequest, OperationEnv } from '../operations/types.js';
import type { OpenedSession } from '../operations/connect.js';
import { PartialFailure } from '../runner/classify.js';
import type { DeviceResult, RunSummary } from '../runner/types.js';
import type { Store } from '../store/store.js';
import type { DeviceSession } from '../session/types.js';
import type { StackDefinition } from './file.js';
import { planStack, type DevicePlan, type PreparedPlan, type StackPlanOptions } from './plan.js';
import type { DeploymentStatus, OnError, ResultRecord } from './state.js';

/**
 * `netstacks deploy` as a library (the CLI and MOPs call it): plan, confirm, push per device in
 * service order through the fan-out runner with the device's own safety net (src/config/transaction.ts),
 * post-check, confirm; roll back a device whose push or post-check failed. Recorded in the store as
 * it goes; the stack is locked (`stack:<name>`) for the whole run and each device (`device:<name>`)
 * while it changes.
 */
export interface DeployOptions extends Omit<StackPlanOptions, 'prepared'> {
  store: Store;
  /** plan only: nothing is locked, recorded or pushed */
  dryRun?: boolean;
  /** default 'stop' */
  onError?: OnError;
  /** write the config to startup on each changed device */
  save?: boolean;
  /** device-side safety-net timer (commit confirmed, revert timer), minutes; default 5 */
  confirmMinutes?: number;
  /** the plan phase's fan-out options (concurrency, progress events, signal) */
  planRequest?: FanOutRequest<DevicePlan>;
  /** the push phase's */
  pushRequest?: FanOutRequest<DeviceDeployResult>;
  /** after planning, before anything is pushed: false stops here (nothing recorded) */
  confirm?: (plan: PlanReview) => Promise<boolean>;
  /** notes for the user (a stale lock taken over, devices rolled back by rollback-all) */
  onNote?: (note: string) => void;
  /**
   * Ctrl-C during the push: no new device starts; devices already changing finish their change or
   * rollback (aborting them mid-change would leave them half-configured)
   */
  stopSignal?: AbortSignal;
  /** the push phase is about to start on these devices (progress views) */
  onPushTargets?: (devices: readonly string[]) => Promise<void>;
}

export interface PlanReview {
  plan: RunSummary<DevicePlan>;
  changing: string[];
  unchanged: string[];
  failed: string[];
}

export type DeviceOutcome = 'applied' | 'unchanged' | 'failed' | 'rolled-back' | 'not-started';

export interface DeviceDeployResult {
  result: DeviceOutcome;
  commands: string[];
  removed: string[];
  deviceCompare?: string;
  saved?: boolean;
  /** set when the device was rolled back (its own failure, or rollback-all) */
  rolledBack?: boolean;
}

export type DeployStatus = 'dry-run' | 'declined' | 'unchanged' | 'not-pushed' | DeploymentStatus;

export interface DeployOutcome {
  status: DeployStatus;
  deploymentId?: number;
  plan: RunSummary<DevicePlan>;
  push?: RunSummary<DeviceDeployResult>;
  /** per device, what happened in the end (after rollback-all) */
  devices: Record<string, DeviceOutcome>;
  notes: string[];
}

/** The device's push or post-check failed; the change was rolled back (or could not be). */
export class DeployDeviceError extends NetstacksError {
  constructor(message: string, hint?: string, cause?: unknown) {
    super('deploy_failed', message, { exit: 'devicesFailed', ...(hint ? { hint } : {}), cause });
  }
}

class NotStartedError extends NetstacksError {
  constructor(reason: string) {
    super('not_started', `not started: ${reason}`, { exit: 'devicesFailed' });
  }
}

export async function deployStack(env: OperationEnv, stack: StackDefinition, options: DeployOptions): Promise<DeployOutcome> {
  const { store } = options;
  const onError = options.onError ?? 'stop';
  const notes: string[] = [];
  const note = (text: string) => {
    notes.push(text);
    options.onNote?.(text);
  };
  const prepared = new Map<string, PreparedPlan>();
  const sessions = new Map<string, OpenedSession>();
  const planOptions: StackPlanOptions = { ...options, prepared, ...(options.dryRun ? {} : { sessions }) };

  if (options.dryRun) {
    const plan = await planStack(env, stack, options.planRequest ?? {}, planOptions);
    return { status: 'dry-run', plan, devices: {}, notes };
  }

  const { acquireLock } = await import('../locks/index.js');
  const lock = await acquireLock(store, `stack:${stack.name}`, {
    purpose: `deploy ${stack.name}`,
    onTakeover: (text) => note(text),
  }).catch((error: unknown) => {
    if (error instanceof ConflictError) throw new ConflictError(`another deploy of stack '${stack.name}' is running: ${error.message.replace(/^stack:\S+ is locked by /, 'held by ')}`, error.hint);
    throw error;
  });
  const state = await import('./state.js');
  let deploymentId: number | undefined;
  let finalStatus: DeploymentStatus = 'failed';
  try {
    const plan = await planStack(env, stack, options.planRequest ?? {}, planOptions);
    const ok = plan.results.filter((r) => r.status === 'ok' && r.data);
    const failed = plan.results.filter((r) => r.status !== 'ok').map((r) => r.device);
    const changing = ok.filter((r) => r.data!.changed).map((r) => r.device);
    const unchanged = ok.filter((r) => !r.data!.changed).map((r) => r.device);
    const devices: Record<string, DeviceOutcome> = {};
    for (const name of unchanged) devices[name] = 'unchanged';

    const text = readFileSync(stack.file, 'utf8');
    const { maskSecretLines } = await import('../session/masking.js');
    const maskedInputs = JSON.parse(maskSecretLines(JSON.stringify(options.inputs ?? {}))) as Record<string, unknown>;
    const begin = async () =>
      state.startDeployment(store, { stack: stack.name, stackPath: stack.file, action: 'deploy', contentHash: state.stackContentHash(text), variables: maskedInputs, onError });

    if (plan.interrupted) return { status: 'interrupted', plan, devices, notes };
    if (failed.length && onError !== 'continue') {
      // nothing is pushed anywhere when a device could not be planned, unless told to go on
      deploymentId = await begin();
      await state.recordResults(store, deploymentId, plan.results.map((r) => planRecord(r, prepared.get(r.device), 'not-pushed')), { fresh: true });
      finalStatus = 'failed';
      await state.finishDeployment(store, deploymentId, 'failed', { reason: 'plan failed', failed, changing: changing.length, unchanged: unchanged.length });
      note(`nothing pushed: ${failed.length} device(s) could not be planned (${failed.join(', ')}); --on-error continue deploys the others`);
      return { status: 'not-pushed', deploymentId, plan, devices, notes };
    }
    if (options.confirm && changing.length > 0 && !(await options.confirm({ plan, changing, unchanged, failed }))) {
      return { status: 'declined', plan, devices, notes };
    }

    deploymentId = await begin();
    const id = deploymentId;
    await state.recordResults(
      store,
      id,
      plan.results.flatMap((r) => (r.status === 'ok' ? deviceRecords(prepared.get(r.device)!, r.data!.changed ? 'pending' : 'unchanged') : [planRecord(r, undefined, 'failed')])),
      { fresh: true },
    );
    // the stack's state on devices already as intended (a first deploy onto a configured device)
    for (const name of unchanged) {
      const p = prepared.get(name)!;
      await state.recordDeviceState(store, stack.name, name, id, p.state);
      if (p.plan.leaving) await state.clearDeviceState(store, stack.name, name);
    }

    let push: RunSummary<DeviceDeployResult> | undefined;
    if (changing.length) {
      push = await pushDevices(env, stack, changing, prepared, { ...options, onError, deploymentId: id, note, sessions });
      for (const r of push.results) devices[r.device] = r.status === 'ok' ? r.data!.result : (r.data?.result ?? 'failed');
      const anyFailed = push.results.some((r) => r.status !== 'ok');
      if (anyFailed && onError === 'rollback-all') {
        const applied = push.results.filter((r) => r.status === 'ok' && r.data?.result === 'applied').map((r) => r.device);
        for (const name of await rollbackAll(env, applied, prepared, options, id, push.results)) devices[name] = 'rolled-back';
        if (applied.length) note(`rollback-all: rolled back ${applied.join(', ')}`);
      }
      // state for every device that kept its change
      for (const r of push.results) {
        if (devices[r.device] !== 'applied') continue;
        const p = prepared.get(r.device)!;
        if (p.plan.leaving) await state.clearDeviceState(store, stack.name, r.device);
        else await state.recordDeviceState(store, stack.name, r.device, id, p.state);
      }
    }
    const outcomes = Object.values(devices);
    const bad = failed.length + outcomes.filter((o) => o !== 'applied' && o !== 'unchanged').length;
    const good = outcomes.filter((o) => o === 'applied' || o === 'unchanged').length;
    finalStatus = push?.interrupted || (options.stopSignal?.aborted && outcomes.includes('not-started')) ? 'interrupted' : bad === 0 ? (changing.length ? 'deployed' : 'unchanged') : good > 0 ? 'partial' : 'failed';
    const counts = {
      applied: outcomes.filter((o) => o === 'applied').length,
      unchanged: unchanged.length,
      failed: failed.length + outcomes.filter((o) => o === 'failed').length,
      rolledBack: outcomes.filter((o) => o === 'rolled-back').length,
      notStarted: outcomes.filter((o) => o === 'not-started').length,
    };
    await state.finishDeployment(store, id, finalStatus, counts);
    return { status: finalStatus, deploymentId: id, plan, ...(push ? { push } : {}), devices, notes };
  } finally {
    // a crash or Ctrl-C never leaves the deployment `deploying`
    if (deploymentId !== undefined) await state.finishDeployment(store, deploymentId, 'interrupted', { reason: 'the run ended early' }).catch(() => undefined);
    await Promise.all([...sessions.values()].map((s) => s.close().catch(() => undefined)));
    await lock.release();
  }
}

function planRecord(result: DeviceResult<DevicePlan>, prepared: PreparedPlan | undefined, outcome: string): ResultRecord {
  if (prepared) return { ...deviceRecords(prepared, outcome)[0]!, result: outcome };
  return { device: result.device, service: '*', result: outcome, error: result.message ?? null, startedAt: result.startedAt, finishedAt: nowIso() };
}

/** One row for the device (its whole remediation, rollback and diff), one per service. */
function deviceRecords(p: PreparedPlan, outcome: string): ResultRecord[] {
  return [
    { device: p.device, service: '*', remediation: p.commands, rollback: p.rollback, diff: p.plan.diff, result: outcome },
    ...p.plan.services.map((s) => ({ device: p.device, service: s.service, template: s.template, rendered: s.rendered, remediation: s.commands, result: outcome })),
    ...p.steps.filter((s) => !p.plan.services.some((x) => x.service === s.service)).map((s) => ({ device: p.device, service: s.service, remediation: s.commands, result: outcome })),
  ];
}

interface PushContext extends DeployOptions {
  onError: OnError;
  deploymentId: number;
  note: (text: string) => void;
  /** sessions the plan kept open, reused (and taken out) by the push */
  sessions: Map<string, OpenedSession>;
}

async function pushDevices(env: OperationEnv, stack: StackDefinition, devices: string[], prepared: Map<string, PreparedPlan>, options: PushContext): Promise<RunSummary<DeviceDeployResult>> {
  const { resolveTargets, fanOutOverTargets, openSessionFor } = await import('../operations/index.js');
  const { beginChange } = await import('../config/transaction.js');
  const { configModelFor } = await import('../config/index.js');
  const { prepareDevice, postCheck } = await import('./device-plan.js');
  const { acquireLock } = await import('../locks/index.js');
  const state = await import('./state.js');
  const { store } = options;
  const request = options.pushRequest ?? {};
  const targets = await resolveTargets(env, { names: devices });
  await options.onPushTargets?.(targets.names);
  let stopped = false;

  return fanOutOverTargets(env, targets, request, async (plan, deps, context) => {
    const p = prepared.get(plan.device)!;
    const mark = (result: string, extra: Partial<ResultRecord> = {}) => state.updateDeviceResults(store, options.deploymentId, p.device, { result, ...extra });
    if (stopped || options.stopSignal?.aborted) {
      const reason = stopped ? 'an earlier device failed (--on-error stop)' : 'interrupted before this device started';
      await mark('not-started', { error: reason });
      throw new PartialFailure(new NotStartedError(reason), { result: 'not-started', commands: [], removed: [] } satisfies DeviceDeployResult);
    }
    const startedAt = nowIso();
    let deviceLock: LockHandle | undefined;
    const sessions: { close(): Promise<void>; abort(): Promise<void> }[] = [];
    // a timeout or a second Ctrl-C disconnects whatever session the device has
    const onAbort = (): void => {
      for (const s of sessions) void s.abort();
    };
    context.signal.addEventListener('abort', onAbort, { once: true });
    try {
      context.progress('waiting for device lock');
      deviceLock = await acquireLock(store, `device:${plan.device}`, { purpose: `deploy ${stack.name}`, wait: true, timeoutMs: 60_000, onTakeover: (text) => options.note(text) });
      // the plan's session when it is still there and alive, else a new one
      let opened = options.sessions.get(plan.device);
      options.sessions.delete(plan.device);
      let running: string | undefined;
      if (opened) {
        sessions.push(opened);
        context.progress('reading running config');
        running = await opened.session.runningConfig().catch(() => undefined);
      }
      if (running === undefined) {
        opened = await openSessionFor(plan, deps, context);
        sessions.push(opened);
        context.progress('reading running config');
        running = await opened.session.runningConfig();
      }
      let session: DeviceSession = opened!.session;
      const model = configModelFor(opened!.platform);
      if (running !== p.running) {
        const again = prepareDevice(model, { ...p.input, running });
        if (again.push.join('\n') !== p.push.join('\n')) {
          throw new DeployDeviceError(`${plan.device}: the running config changed since the plan; nothing pushed`, 'plan again (netstacks deploy --dry-run) and review the new plan');
        }
      }
      await mark('pushing', { startedAt });
      const blockLoad = p.removed.length === 0 && p.input.services.every((s) => s.owned.length === 0 && /\{\s*$/m.test(s.text));
      const tx = beginChange(session, {
        commands: p.push,
        rollback: p.rollbackPush,
        confirmMinutes: options.confirmMinutes ?? 5,
        ...(blockLoad ? { intendedText: p.intendedText, load: 'merge' as const } : {}),
        reconnect: async () => {
          const again = await openSessionFor(plan, deps, context);
          sessions.push(again);
          session = again.session;
          return again.session;
        },
      });
      const steps = p.steps.map((s) => s.service).join(' → ');
      context.progress(`pushing ${p.push.length} line(s): ${steps}`);
      let applied: Awaited<ReturnType<typeof tx.apply>> | undefined;
      let failure: unknown;
      try {
        applied = await tx.apply();
        context.progress('post-check');
        const after = await session.runningConfig();
        const check = postCheck(model, after, p.check, p.mask);
        if (check.missing.length || check.unexpected.length) {
          failure = new DeployDeviceError(
            `${plan.device}: post-check failed: ${[...check.missing.map((l) => `missing '${l}'`), ...check.unexpected.map((l) => `still present '${l}'`)].join('; ')}`,
            'the change was rolled back',
          );
        }
      } catch (error) {
        failure = error;
      }
      if (failure !== undefined) {
        context.progress('rolling back');
        let rollbackError: unknown;
        await tx.rollback().catch((error: unknown) => (rollbackError = error));
        let restored: boolean | undefined;
        if (rollbackError === undefined) {
          // the device must end as it began: compare with the running config read before the change
          const now = await session.runningConfig().catch(() => undefined);
          restored = now === undefined ? undefined : model.compare(model.parse(p.running), model.parse(now)).length === 0;
        }
        if (!stopped && options.onError === 'stop') stopped = true;
        const message = p.mask(errorText(failure));
        const rolled = rollbackError === undefined && restored !== false;
        const detail = rollbackError !== undefined ? `; rollback failed: ${p.mask(errorText(rollbackError))}` : restored === false ? '; after the rollback the running config still differs from before' : '; rolled back';
        await mark(rolled ? 'rolled-back' : 'failed', { error: message + detail, finishedAt: nowIso(), ...(applied?.deviceCompare ? { deviceCompare: p.mask(applied.deviceCompare) } : {}) });
        throw new PartialFailure(new DeployDeviceError(message + detail, rolled ? 'the device is as it was before the deploy' : 'check the device: compare its running config with the last backup'), {
          result: rolled ? 'rolled-back' : 'failed',
          commands: p.commands,
          removed: p.removed,
          rolledBack: rolled,
        } satisfies DeviceDeployResult);
      }
      await tx.confirm();
      let saved = false;
      if (options.save) {
        context.progress('saving');
        await tx.save();
        saved = true;
      }
      await mark('applied', { finishedAt: nowIso(), ...(applied?.deviceCompare ? { deviceCompare: p.mask(applied.deviceCompare) } : {}) });
      return { result: 'applied', commands: p.commands, removed: p.removed, ...(applied?.deviceCompare ? { deviceCompare: p.mask(applied.deviceCompare) } : {}), ...(saved ? { saved } : {}) };
    } catch (error) {
      if (!stopped && options.onError === 'stop') stopped = true;
      if (!(error instanceof PartialFailure)) {
        await mark('failed', { error: p.mask(errorText(error)), finishedAt: nowIso() }).catch(() => undefined);
      }
      throw error;
    } finally {
      context.signal.removeEventListener('abort', onAbort);
      for (const s of sessions) await s.close().catch(() => undefined);
      await deviceLock?.release().catch(() => undefined);
    }
  }, 8 + Math.ceil((prepared.get(devices[0]!)?.push.length ?? 0) / 20));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** `--on-error rollback-all`: every device this run changed goes back to its running config from before. */
async function rollbackAll(
  env: OperationEnv,
  devices: string[],
  prepared: Map<string, PreparedPlan>,
  options: DeployOptions,
  deploymentId: number,
  results: DeviceResult<DeviceDeployResult>[],
): Promise<string[]> {
  if (devices.length === 0) return [];
  const { resolveTargets, fanOutOverTargets, withDeviceSession } = await import('../operations/index.js');
  const { beginChange } = await import('../config/transaction.js');
  const { acquireLock } = await import('../locks/index.js');
  const state = await import('./state.js');
  const targets = await resolveTargets(env, { names: devices });
  const summary = await fanOutOverTargets(env, targets, { ...(options.pushRequest?.concurrency ? { concurrency: options.pushRequest.concurrency } : {}) }, async (plan, deps, context) => {
    const p = prepared.get(plan.device)!;
    const lock = await acquireLock(options.store, `device:${plan.device}`, { purpose: `deploy rollback-all`, wait: true, timeoutMs: 60_000 });
    try {
      await withDeviceSession(plan, deps, context, async ({ session }) => {
        const tx = beginChange(session, { commands: p.rollbackPush, rollback: p.push });
        await tx.apply();
        await tx.confirm();
        if (options.save) await tx.save();
      });
    } finally {
      await lock.release();
    }
  }, 8);
  const rolled = summary.results.filter((r) => r.status === 'ok').map((r) => r.device);
  await state.recordResults(
    options.store,
    deploymentId,
    summary.results.flatMap((r) => {
      const p = prepared.get(r.device)!;
      const outcome = r.status === 'ok' ? 'rolled-back' : 'failed';
      const error = r.status === 'ok' ? 'rolled back (--on-error rollback-all)' : `rollback-all failed: ${r.message ?? ''}`;
      return [{ device: r.device, service: '*', result: outcome, error }, ...p.plan.services.map((s) => ({ device: r.device, service: s.service, result: outcome, error }))];
    }),
  );
  for (const r of results) if (rolled.includes(r.device) && r.data) r.data.rolledBack = true;
  return rolled;
}
