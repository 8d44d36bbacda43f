import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { ConflictError, UsageError } from '../../core/errors.js';
import type { ConnectionPlan, Device } from '../../inventory/types.js';
import { currentProcess, currentUser } from '../../locks/process.js';
import type { LockHandle } from '../../locks/index.js';
import type { ConnectDeps, OpenedSession } from '../../operations/connect.js';
import { CredentialCache } from '../../operations/credentials-cache.js';
import type { OperationEnv } from '../../operations/types.js';
import { runFanOut } from '../../runner/index.js';
import { literalSecretsPattern, MASK, maskSecretLines } from '../../session/masking.js';
import type { DeviceSession } from '../../session/types.js';
import type { Store } from '../../store/store.js';
import { loadMopFile, MopInvalidError, parseMopText, segmentOf, type MopFile, type MopStep } from '../file.js';
import { finishExecution, insertExecution, RecordWriter } from '../records.js';
import type { StepContext, StepOutcome, StepType } from '../steps/types.js';
import type { MopTemplating } from '../template.js';
import { containsTemplate } from '../template-text.js';
import { isBuiltinStepType } from '../steps/registry.js';
import { batchConcurrency, ciJobFromEnv, failureThreshold, resolveInputs, strategyBatches } from './inputs.js';
import { resolveStepTypes, usedStepTypes, type StepTypeSet } from './step-types.js';
import type { DeviceRunResult, DeviceRunStatus, ExecutionSummary, LoadedMop, MopEvent, MopLocation, RunMopOptions, StepResult } from './types.js';
import { checkMop } from './validate.js';

/**
 * The MOP engine. Each device runs its own pipeline of steps (Ansible's `free` strategy) inside the
 * strategy's batches, through the one fan-out runner; `run_once` steps are barriers between device
 * segments. A device keeps one SSH session across its steps (reopened when it dropped). A device
 * whose steps fail runs the rollback steps; a failing rollback step marks it rollback-failed (exit 11).
 */

/** show commands that find their session closed are sent again on a new one */
const SESSION_RETRY_ON_CLOSE = true;

/** every word the secret-line patterns of src/session/masking.ts key on (password, secret, key, community, …) */
const SECRET_WORDS = /pass|secret|phash|key|auth|community|priv|encrypted/i;

interface SessionSlot {
  opened?: OpenedSession;
  dead: boolean;
  opening?: Promise<OpenedSession>;
}

interface DeviceState {
  name: string;
  /** what steps get from ctx.session(): made once per device, it always reaches the current session */
  sessionView?: DeviceSession;
  device?: Device;
  plan?: ConnectionPlan;
  layer: Record<string, unknown>;
  vars?: Record<string, unknown>;
  steps: Record<string, unknown>;
  captures: Record<string, unknown>;
  results: StepResult[];
  visits: Map<string, number>;
  status: DeviceRunStatus | 'running' | 'pending';
  message?: string;
  started: boolean;
  done: boolean;
  ignoredFailure: boolean;
  /** a change step (not read-only) has started on this device: only then is there anything to roll back */
  changeAttempted: boolean;
  startedAt: string;
  t0: number;
  session: SessionSlot;
  lock: { handle?: LockHandle };
  /** step ids are prefixed inside sub-MOPs: `<parent step>/` */
  prefix: string;
}

interface RunState {
  env: OperationEnv;
  loaded: LoadedMop;
  mop: MopFile;
  options: RunMopOptions;
  location: MopLocation;
  stepTypes: StepTypeSet;
  templating: LazyTemplating;
  /** the step attempts under way: a run's abort reaches them through one listener, not one each */
  attempts: Set<AttemptAbort>;
  executionId: string;
  store: Pick<Store, 'db' | 'write'>;
  writer: RecordWriter;
  signal: AbortSignal;
  dryRun: boolean;
  depth: number;
  inputs: Record<string, unknown>;
  secrets: Set<string>;
  credentials: CredentialCache;
  deps?: ConnectDeps;
  runSteps: Record<string, unknown>;
  runCaptures: Record<string, unknown>;
  runResults: StepResult[];
  devices: Map<string, DeviceState>;
  emit(event: MopEvent): void;
  mask(text: string): string;
  /** every target's template layer (variables and facts), loaded once for all devices */
  layers(): Promise<Map<string, Record<string, unknown>>>;
  /** something may read the scope (a template, an expression, a step type that reads ctx.scope): the layers are loaded */
  needsLayers: boolean;
}

/**
 * The template engine, loaded only when the MOP holds a template or a `when`/`until` expression:
 * it (and the libraries of its filters) costs start-up time a MOP of plain commands does not need.
 */
class LazyTemplating {
  private engine: MopTemplating | undefined;

  async load(): Promise<void> {
    if (this.engine) return;
    const { MopTemplating } = await import('../template.js');
    this.engine ??= new MopTemplating();
  }

  private loaded(): MopTemplating {
    // load() runs before any value with a template is rendered (needsTemplating, ctx.render)
    if (!this.engine) throw new Error('internal error: the template engine was not loaded');
    return this.engine;
  }

  /** renders every string in `value` that holds a template; a value without any is returned as is */
  render(value: unknown, scope: Record<string, unknown>, where: string): unknown {
    return containsTemplate(value) ? this.loaded().render(value, scope, where) : value;
  }

  condition(expression: string | boolean, scope: Record<string, unknown>, where: string): boolean {
    return typeof expression === 'boolean' ? expression : this.loaded().condition(expression, scope, where);
  }
}

/** whether running `mop` renders anything: a template anywhere, or a `when`/`until` expression */
function needsTemplating(mop: MopFile): boolean {
  return [...mop.steps, ...mop.rollback].some((s) => typeof s.when === 'string' || typeof s.until === 'string') || containsTemplate(mop);
}

interface StepPlan {
  /** its parameters hold a template: rendered and parsed for each device */
  templated: boolean;
  /** otherwise their parsed form, the same for every device */
  params?: { type: StepType; data: unknown };
}

const stepPlans = new WeakMap<MopStep, StepPlan>();

function stepPlan(step: MopStep): StepPlan {
  let plan = stepPlans.get(step);
  if (!plan) stepPlans.set(step, (plan = { templated: containsTemplate(step.params) }));
  return plan;
}

/** built-in step types: their parameters are known not to be changed by the step, so parsing them once is safe */
function isBuiltin(type: StepType): boolean {
  return isBuiltinStepType(type);
}

export interface InternalRunOptions {
  depth?: number;
  parentId?: string | null;
}

/** Runs a loaded MOP over its targets; resolves with the summary (exitCode 0|10|11|130), never rejects for step failures. */
export async function runMop(env: OperationEnv, loaded: LoadedMop, options: RunMopOptions = {}): Promise<ExecutionSummary> {
  return runMopInternal(env, loaded, options, {});
}

async function runMopInternal(env: OperationEnv, loaded: LoadedMop, options: RunMopOptions, internal: InternalRunOptions): Promise<ExecutionSummary> {
  const location = options.location ?? { cwd: process.cwd(), home: env.home };
  const { mop, parsed, issues } = parseMopText(loaded.source, loaded.path);
  if (!mop || !parsed) throw new MopInvalidError(issues);
  const stepTypes = await resolveStepTypes(location, usedStepTypes(mop));
  const all = [...issues, ...stepTypes.issues, ...(await checkMop(mop, parsed, stepTypes, location))].filter((i) => i.severity === 'error');
  if (all.length > 0) throw new MopInvalidError(all);
  const inputs = resolveInputs(mop.inputs, options.inputs ?? {}, `MOP '${mop.name}'`);

  const secrets = new Set<string>((options.secrets ?? []).filter((s) => s.length > 0));
  for (const [name, def] of Object.entries(mop.inputs)) if (def.secret && inputs[name] !== undefined) secrets.add(String(inputs[name]));
  const credentials = new CredentialCache(env);
  // the literal-secrets pattern is rebuilt only when a secret was added
  let pattern: { size: number; regex: RegExp | undefined } = { size: -1, regex: undefined };
  const mask = (text: string): string => {
    if (text === '') return text;
    if (pattern.size !== secrets.size) pattern = { size: secrets.size, regex: literalSecretsPattern([...secrets]) };
    const redacted = credentials.redact(text);
    const masked = pattern.regex ? redacted.replace(pattern.regex, MASK) : redacted;
    // the secret-line patterns only where one of their keywords appears (most show output has none)
    return SECRET_WORDS.test(masked) ? maskSecretLines(masked) : masked;
  };

  // targets: --on/--device replace the MOP's; a MOP of run_once steps only needs none
  const request = options.targets ?? (mop.targets ? { ...(mop.targets.on ? { on: mop.targets.on } : {}), ...(mop.targets.devices ? { names: mop.targets.devices } : {}) } : undefined);
  const needsDevices = mop.steps.some((s) => !s.run_once);
  const templating = new LazyTemplating();
  if (needsTemplating(mop)) await templating.load();
  let plans: ConnectionPlan[] = [];
  let skipped: Array<{ device: string; reason: string }> = [];
  let deps: ConnectDeps | undefined;
  const deviceObjects = new Map<string, Device>();
  if (needsDevices) {
    if (!request) throw new UsageError(`MOP '${mop.name}' names no targets`, 'add `targets:` to the MOP, or run it with --on EXPR or --device NAME');
    const renderedRequest = { ...request };
    if (renderedRequest.on && renderedRequest.on.includes('{{')) {
      await templating.load();
      renderedRequest.on = String(templating.render(renderedRequest.on, { ...inputs, inputs }, 'targets'));
    }
    const { resolveTargets } = await import('../../operations/targets.js');
    const targets = await resolveTargets(env, renderedRequest);
    plans = targets.plans;
    skipped = targets.skipped;
    deps = { env, credentials, planFor: targets.planFor };
    // the targets' credentials are loaded up front so every output is masked with them, whatever step prints it
    await Promise.all([...new Set(plans.map((p) => p.credential).filter((c): c is string => Boolean(c)))].map((c) => credentials.get(c).catch(() => undefined)));
    const { listDevices } = await import('../../inventory/index.js');
    const wanted = new Set(targets.names);
    for (const device of await listDevices(env.db)) if (wanted.has(device.name)) deviceObjects.set(device.name, device);
  }

  const executionId = randomBytes(4).toString('hex');
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) controller.abort(options.signal.reason);
  // every device session listens to the run's signal: 100 devices are not a listener leak
  setMaxListeners(0, controller.signal);
  const attempts = new Set<AttemptAbort>();
  controller.signal.addEventListener('abort', () => {
    for (const c of attempts) c.abort(controller.signal.reason);
  });
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const store: Pick<Store, 'db' | 'write'> = options.store ?? { db: env.db, write: (fn) => env.db.transaction().execute(fn) };
  const writer = new RecordWriter(store, executionId);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();

  let layersPromise: Promise<Map<string, Record<string, unknown>>> | undefined;
  const rs: RunState = {
    env,
    loaded,
    mop,
    options,
    location,
    stepTypes,
    templating,
    attempts,
    executionId,
    store,
    writer,
    signal: controller.signal,
    dryRun: Boolean(options.dryRun),
    depth: internal.depth ?? 0,
    inputs,
    secrets,
    credentials,
    ...(deps ? { deps } : {}),
    runSteps: {},
    runCaptures: {},
    runResults: [],
    devices: new Map(),
    emit: (event) => {
      try {
        options.onEvent?.(event);
      } catch {
        // a broken display must never break the run
      }
    },
    mask,
    // built-in read-only steps without templates never read the scope (only config, script and user types do)
    needsLayers: needsTemplating(mop) || [...mop.steps, ...mop.rollback].some((s) => {
      const type = stepTypes.types.get(s.type);
      return !type || !type.readOnly || !isBuiltin(type);
    }),
    layers: () =>
      (layersPromise ??= (async () => {
        const { deviceContexts } = await import('../../templates/library/context.js');
        const devices = plans.map((p) => deviceObjects.get(p.device)).filter((d): d is Device => d !== undefined);
        const contexts = await deviceContexts(env.db, devices);
        return new Map(devices.map((d, i) => [d.name, contexts[i]!]));
      })()),
  };

  const runnable = plans.map((p) => p.device);
  for (const plan of plans) rs.devices.set(plan.device, newDeviceState(plan.device, deviceObjects.get(plan.device), plan));
  const batches = strategyBatches(mop.strategy, runnable);
  const proc = currentProcess();
  await insertExecution(store, {
    id: executionId,
    parentId: internal.parentId ?? null,
    mop: mop.name,
    mopPath: loaded.path,
    hash: loaded.hash,
    dryRun: rs.dryRun,
    user: options.user ?? currentUser(),
    ciJob: options.ciJob ?? ciJobFromEnv() ?? null,
    inputs: maskValue(inputs, mask, new Set(Object.entries(mop.inputs).filter(([, d]) => d.secret).map(([n]) => n))) as Record<string, unknown>,
    devices: [...runnable, ...skipped.map((s) => s.device)],
    pid: proc.pid,
    hostname: proc.hostname,
    processStart: proc.processStart,
    startedAt,
  });
  let runLock: LockHandle | undefined;
  if (options.store) {
    const { acquireLock } = await import('../../locks/index.js');
    runLock = await acquireLock(options.store, `mop-run:${executionId}`, { purpose: `mop run ${mop.name}` });
  }

  rs.emit({ type: 'run-start', executionId, mop: mop.name, dryRun: rs.dryRun, devices: runnable, steps: mop.steps.map((s) => s.id), batches });
  const skippedResults: DeviceRunResult[] = skipped.map(({ device, reason }) => ({ device, status: 'skipped', message: reason, steps: [], durationMs: 0 }));
  for (const result of skippedResults) {
    writer.push({ kind: 'device', device: result.device, status: 'skipped', ...(result.message ? { message: result.message } : {}), startedAt, endedAt: startedAt });
    rs.emit({ type: 'device-end', result });
  }

  let stoppedEarly: string | undefined;
  let runOnceFailed = false;
  try {
    // a MOP of run_once steps only runs them in one empty batch
    ({ stoppedEarly, runOnceFailed } = await runBatches(rs, batches.length > 0 ? batches : [[]]));
  } catch (error) {
    // an engine fault (not a step failure): the record says so rather than staying `running`
    await writer.flush().catch(() => undefined);
    await finishExecution(store, executionId, 'failed', 1, mask(`internal error: ${error instanceof Error ? error.message : String(error)}`)).catch(() => undefined);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    for (const state of rs.devices.values()) await closeDevice(state);
    await runLock?.release().catch(() => undefined);
  }

  const interrupted = controller.signal.aborted;
  const devices: DeviceRunResult[] = [...skippedResults];
  for (const name of runnable) {
    const state = rs.devices.get(name)!;
    if (state.status === 'running' || state.status === 'pending') {
      state.status = interrupted ? (state.started ? 'interrupted' : 'skipped') : 'skipped';
      state.message ??= interrupted ? 'interrupted' : (stoppedEarly ?? 'not started');
      const result = deviceResult(state);
      writer.push({ kind: 'device', device: name, status: state.status, message: state.message, startedAt: state.startedAt, endedAt: new Date().toISOString() });
      rs.emit({ type: 'device-end', result });
    }
    devices.push(deviceResult(state));
  }
  const anyRollbackFailed = devices.some((d) => d.status === 'rollback-failed');
  const anyFailed = runOnceFailed || devices.some((d) => d.status === 'failed' || d.status === 'rolled-back') || [...rs.devices.values()].some((d) => d.ignoredFailure) || rs.runResults.some((r) => r.ignoredFailure || (r.status === 'failed' && !r.handled));
  const status: ExecutionSummary['status'] = interrupted ? 'interrupted' : anyRollbackFailed ? 'rollback-failed' : anyFailed ? 'failed' : 'passed';
  const exitCode = interrupted ? 130 : anyRollbackFailed ? 11 : anyFailed ? 10 : 0;
  const counts = {
    passed: devices.filter((d) => d.status === 'passed').length,
    failed: devices.filter((d) => d.status === 'failed' || d.status === 'rolled-back' || d.status === 'rollback-failed' || d.status === 'interrupted').length,
    skipped: devices.filter((d) => d.status === 'skipped').length,
    total: devices.length,
  };
  const summary: ExecutionSummary = {
    executionId,
    mop: mop.name,
    hash: loaded.hash,
    status,
    exitCode,
    dryRun: rs.dryRun,
    startedAt,
    endedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    runSteps: rs.runResults,
    devices,
    counts,
    ...(stoppedEarly ? { stoppedEarly } : {}),
  };
  await writer.flush().catch(() => undefined);
  await finishExecution(store, executionId, status, exitCode, stoppedEarly ? mask(stoppedEarly) : interrupted ? 'interrupted' : null);
  rs.emit({ type: 'run-end', summary });
  return summary;
}

function newDeviceState(name: string, device: Device | undefined, plan: ConnectionPlan | undefined, prefix = ''): DeviceState {
  return {
    name,
    ...(device ? { device } : {}),
    ...(plan ? { plan } : {}),
    layer: {},
    steps: {},
    captures: {},
    results: [],
    visits: new Map(),
    status: 'pending',
    started: false,
    done: false,
    ignoredFailure: false,
    changeAttempted: false,
    startedAt: new Date().toISOString(),
    t0: performance.now(),
    session: { dead: false },
    lock: {},
    prefix,
  };
}

function deviceResult(state: DeviceState): DeviceRunResult {
  return {
    device: state.name,
    status: state.status === 'running' || state.status === 'pending' ? 'skipped' : state.status,
    ...(state.message ? { message: state.message } : {}),
    steps: state.results,
    durationMs: state.started ? Math.round(performance.now() - state.t0) : 0,
  };
}

interface Segment {
  once: boolean;
  start: number;
  end: number;
}

function segmentsOf(steps: readonly MopStep[]): Segment[] {
  const ids = segmentOf(steps);
  const out: Segment[] = [];
  steps.forEach((step, i) => {
    const last = out[out.length - 1];
    if (last && ids[i] === ids[i - 1]) last.end = i + 1;
    else out.push({ once: step.run_once, start: i, end: i + 1 });
  });
  return out;
}

async function runBatches(rs: RunState, batches: string[][]): Promise<{ stoppedEarly?: string; runOnceFailed: boolean }> {
  const { mop } = rs;
  const segments = segmentsOf(mop.steps);
  const canary = mop.strategy.type === 'canary';
  const total = rs.devices.size;
  const threshold = failureThreshold(mop.strategy, total);
  const trailing = segments.length > 1 && segments[segments.length - 1]!.once ? segments.length - 1 : -1;
  const onceDone = new Set<string>();
  let stop: string | undefined;
  let runOnceFailed = false;
  const failures = (): number => [...rs.devices.values()].filter((d) => d.status === 'failed' || d.status === 'rolled-back' || d.status === 'rollback-failed').length;

  const runOnceSegment = async (segment: Segment, isTrailing: boolean, batchIndex: number | undefined): Promise<boolean> => {
    for (let i = segment.start; i < segment.end; i++) {
      if (rs.signal.aborted) return false;
      const step = mop.steps[i]!;
      const perBatch = canary && step.per_batch;
      if (isTrailing && batchIndex !== undefined && !perBatch) continue; // runs after the last batch
      if (!perBatch && onceDone.has(step.id)) continue;
      if (perBatch && batchIndex === undefined) continue;
      onceDone.add(step.id);
      const result = await executeStep(rs, undefined, step, 1);
      if (result.status === 'failed' && !result.ignoredFailure && !result.handled) return false;
    }
    return true;
  };

  // devices whose pipeline is under way when a barrier step fails: stopped, rolled back
  const failInProgress = async (batch: string[], reason: string): Promise<void> => {
    const states = batch.map((n) => rs.devices.get(n)!).filter((s) => s.started && !s.done);
    await runFanOut(
      states.map((s) => s.name),
      async ({ device }) => {
        const state = rs.devices.get(device)!;
        state.message = reason;
        await failDevice(rs, state, reason);
      },
      { concurrency: Math.max(1, states.length), deviceTimeoutMs: 0, redact: rs.mask },
    );
  };

  for (let b = 0; b < batches.length; b++) {
    const batch = batches[b]!;
    if (stop || rs.signal.aborted) break;
    rs.emit({ type: 'batch-start', index: b, devices: batch });
    for (let s = 0; s < segments.length; s++) {
      const segment = segments[s]!;
      if (rs.signal.aborted) break;
      if (segment.once) {
        const ok = await runOnceSegment(segment, s === trailing, b);
        if (!ok && !rs.signal.aborted) {
          runOnceFailed = true;
          stop = `run_once step failed: the run stops`;
          await failInProgress(batch, 'stopped: a run_once step failed');
          break;
        }
        continue;
      }
      const alive = batch.filter((n) => !rs.devices.get(n)!.done);
      if (alive.length === 0) continue;
      const concurrency = batchConcurrency(mop.strategy, batch.length, rs.options.concurrency, rs.env.settings.concurrency);
      await runFanOut(
        alive,
        async ({ device, signal }) => {
          const state = rs.devices.get(device)!;
          if (!state.started) {
            if (stop) return; // canary threshold passed: not started
            await startDevice(rs, state);
          }
          await runDeviceSegment(rs, state, segment, signal);
          if (canary && !stop && failures() > threshold) {
            stop = `stopped starting devices: ${failures()} failed, more than the canary allows (${threshold})`;
            rs.emit({ type: 'stopped', reason: stop });
          }
        },
        { concurrency, deviceTimeoutMs: 0, signal: rs.signal, redact: rs.mask },
      );
    }
    // the batch is through every segment: devices still running passed
    for (const name of batch) {
      const state = rs.devices.get(name)!;
      if (state.started && !state.done && !rs.signal.aborted) await finishDevice(rs, state, state.ignoredFailure ? 'passed' : 'passed');
    }
    if (!stop && canary && failures() > threshold) stop = `stopped starting devices: ${failures()} failed, more than the canary allows (${threshold})`;
  }
  if (trailing >= 0 && !rs.signal.aborted && !runOnceFailed) {
    const ok = await runOnceSegment(segments[trailing]!, true, undefined);
    if (!ok) runOnceFailed = true;
  }
  return { ...(stop && !runOnceFailed ? { stoppedEarly: stop } : {}), runOnceFailed };
}

async function startDevice(rs: RunState, state: DeviceState): Promise<void> {
  state.started = true;
  state.status = 'running';
  state.startedAt = new Date().toISOString();
  state.t0 = performance.now();
  rs.emit({ type: 'device-start', device: state.name });
  rs.writer.push({ kind: 'device', device: state.name, status: 'running', startedAt: state.startedAt });
  if (state.device && rs.needsLayers) {
    state.layer = (await rs.layers()).get(state.name) ?? {};
  }
}

async function runDeviceSegment(rs: RunState, state: DeviceState, segment: Segment, signal: AbortSignal): Promise<void> {
  if (state.done) return;
  const outcome = await runSequence(rs, state, rs.mop.steps, segment.start, segment.end, signal);
  if (outcome.failed) await failDevice(rs, state, outcome.message);
  else if (signal.aborted || rs.signal.aborted) {
    state.message = 'interrupted';
    await finishDevice(rs, state, 'interrupted');
  }
}

/**
 * Runs steps[start, end) for one device (or a sub-MOP's steps), following jumps. Returns failed when
 * a step failed without continue_on_error or an on_failure jump, or the loop guard tripped.
 */
async function runSequence(rs: RunState, state: DeviceState, steps: readonly MopStep[], start: number, end: number, signal: AbortSignal): Promise<{ failed: boolean; message: string }> {
  const index = new Map(steps.map((s, i) => [s.id, i]));
  let pc = start;
  while (pc < end) {
    if (signal.aborted || rs.signal.aborted) return { failed: false, message: 'interrupted' };
    const step = steps[pc]!;
    const key = state.prefix + step.id;
    const visit = (state.visits.get(key) ?? 0) + 1;
    state.visits.set(key, visit);
    if (visit > rs.mop.settings.max_visits) {
      const message = `loop guard: step '${step.id}' reached ${visit} visits (settings.max_visits is ${rs.mop.settings.max_visits}); a jump cycle does not end`;
      const now = new Date().toISOString();
      recordResult(rs, state, { stepId: key, name: step.name ?? step.type, type: step.type, device: state.name, status: 'failed', phase: step.phase, visit, attempts: 0, message, startedAt: now, endedAt: now, durationMs: 0 });
      return { failed: true, message };
    }
    const result = await executeStep(rs, state, step, visit);
    if (result.status === 'failed') {
      if (result.handled) {
        pc = index.get(step.on_failure!)!;
        continue;
      }
      if (result.ignoredFailure) {
        state.ignoredFailure = true;
        pc++;
        continue;
      }
      if (signal.aborted || rs.signal.aborted) return { failed: false, message: 'interrupted' };
      return { failed: true, message: `step '${step.id}' failed${result.message ? `: ${result.message}` : ''}` };
    }
    pc = result.status === 'passed' && step.on_success ? index.get(step.on_success)! : pc + 1;
  }
  return { failed: false, message: '' };
}

async function failDevice(rs: RunState, state: DeviceState, reason: string): Promise<void> {
  state.message = rs.mask(reason);
  if (rs.mop.rollback.length > 0 && !state.changeAttempted && !rs.signal.aborted) {
    // it failed before any change step started (a pre-check, an unreachable device): nothing to undo
    state.message = rs.mask(`${reason} (no change step had started: rollback not needed)`);
    await finishDevice(rs, state, 'failed');
    return;
  }
  if (rs.mop.rollback.length === 0 || rs.signal.aborted) {
    await finishDevice(rs, state, rs.signal.aborted ? 'interrupted' : 'failed');
    return;
  }
  rs.emit({ type: 'rollback-start', device: state.name, reason: state.message });
  const outcome = await runSequence(rs, state, rs.mop.rollback, 0, rs.mop.rollback.length, rs.signal);
  const status = outcome.failed ? 'rollback-failed' : rs.signal.aborted ? 'interrupted' : 'rolled-back';
  if (outcome.failed) state.message = rs.mask(`${reason}; rollback failed: ${outcome.message}`);
  rs.emit({ type: 'rollback-end', device: state.name, status: status === 'interrupted' ? 'rollback-failed' : status });
  await finishDevice(rs, state, status);
}

async function finishDevice(rs: RunState, state: DeviceState, status: DeviceRunStatus): Promise<void> {
  if (state.done) return;
  state.done = true;
  state.status = status;
  await closeDevice(state);
  const result = deviceResult(state);
  rs.writer.push({ kind: 'device', device: state.name, status, ...(state.message ? { message: state.message } : {}), startedAt: state.startedAt, endedAt: new Date().toISOString() });
  rs.emit({ type: 'device-end', result });
}

async function closeDevice(state: DeviceState): Promise<void> {
  const slot = state.session;
  const opened = slot.opened;
  slot.opened = undefined;
  if (opened) await (slot.dead ? opened.abort() : opened.close()).catch(() => undefined);
  const lock = state.lock.handle;
  state.lock.handle = undefined;
  await lock?.release().catch(() => undefined);
}

/** A step's results as later templates see them: steps.<id>.status, .output, .records, .captures … */
function viewOf(outcome: StepOutcome | undefined, status: string, message?: string): Record<string, unknown> {
  return {
    status,
    passed: status === 'passed',
    failed: status === 'failed',
    skipped: status === 'skipped',
    message: message ?? outcome?.message ?? null,
    output: outcome?.output ?? '',
    stdout: outcome?.output ?? '',
    records: outcome?.records ?? [],
    captures: outcome?.captures ?? {},
    items: outcome?.items ?? [],
    changed: Boolean(outcome?.changed),
    pushed: outcome?.pushed ?? [],
    data: outcome?.data ?? {},
  };
}

function scopeFor(rs: RunState, state: DeviceState | undefined): Record<string, unknown> {
  // `run` is read rarely (run_once reports): its lists are built only when a template reads them
  const run: Record<string, unknown> = { execution_id: rs.executionId, dry_run: rs.dryRun };
  const devices = (): DeviceState[] => [...rs.devices.values()];
  Object.defineProperties(run, {
    devices: { enumerable: true, get: () => devices().map((d) => d.name) },
    failed_devices: { enumerable: true, get: () => devices().filter((d) => d.status === 'failed' || d.status === 'rolled-back' || d.status === 'rollback-failed').map((d) => d.name) },
    passed_devices: { enumerable: true, get: () => devices().filter((d) => d.status === 'passed').map((d) => d.name) },
  });
  const base: Record<string, unknown> = { ...(state?.layer ?? {}) };
  if (state && state.vars === undefined) {
    state.vars = rs.templating.render(rs.mop.vars, { ...base, ...rs.inputs, inputs: rs.inputs }, 'vars') as Record<string, unknown>;
  }
  const vars = state?.vars ?? (Object.keys(rs.mop.vars).length ? (rs.templating.render(rs.mop.vars, { ...rs.inputs, inputs: rs.inputs }, 'vars') as Record<string, unknown>) : {});
  return {
    ...base,
    ...vars,
    ...rs.inputs,
    inputs: rs.inputs,
    vars,
    steps: { ...rs.runSteps, ...(state?.steps ?? {}) },
    captures: { ...rs.runCaptures, ...(state?.captures ?? {}) },
    mop: { name: rs.mop.name, execution_id: rs.executionId, dry_run: rs.dryRun },
    run,
    ...(state?.device ? { device: state.layer } : {}),
  };
}

function toNumber(value: unknown, what: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) throw new Error(`${what} must be a number ≥ 0, got ${JSON.stringify(value)}`);
  return n;
}

function recordResult(rs: RunState, state: DeviceState | undefined, result: StepResult, rowId?: number): void {
  if (state) state.results.push(result);
  else rs.runResults.push(result);
  rs.writer.push({ kind: 'step', result, ...(rowId !== undefined ? { rowId } : {}) });
  rs.emit({ type: 'step-end', result });
}

/** Runs one step (when, rendering, retries/until, timeout) and records its result. */
async function executeStep(rs: RunState, state: DeviceState | undefined, step: MopStep, visit: number): Promise<StepResult> {
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const prefix = state?.prefix ?? '';
  const stepKey = prefix + step.id;
  const name = step.name ?? step.type;
  const device = state && (state.device || state.plan) ? state.name : undefined;
  const where = `${step.phase === 'main' ? 'steps' : 'rollback'}[${step.index}]`;
  rs.emit({ type: 'step-start', stepId: stepKey, name, stepType: step.type, ...(device ? { device } : {}), phase: step.phase, visit });
  const logs: string[] = [];
  let attempts = 0;
  const provisional: { rowId?: number; undo?: string[] } = {};

  const finish = (status: StepResult['status'], outcome: StepOutcome | undefined, message: string | undefined): StepResult => {
    const failed = status === 'failed';
    const handled = failed && step.on_failure !== undefined;
    const ignored = failed && !handled && step.continue_on_error;
    const own = outcome?.output !== undefined && outcome.output !== '' ? outcome.output : undefined;
    const output = logs.length === 0 ? (own ?? '') : own === undefined ? logs.join('\n') : `${logs.join('\n')}\n${own}`;
    // built field by field, in the order the JSON shows them: a literal of conditional spreads costs
    // several times as much, once per step and device
    const result = { stepId: stepKey, name: rs.mask(name), type: step.type } as StepResult;
    if (device) result.device = device;
    result.status = status;
    result.phase = step.phase;
    result.visit = visit;
    result.attempts = attempts;
    if (message) result.message = rs.mask(message);
    if (output) result.output = rs.mask(output);
    if (outcome?.captures && Object.keys(outcome.captures).length) result.captures = maskValue(outcome.captures, rs.mask) as Record<string, unknown>;
    if (outcome?.items?.length) result.items = maskValue(outcome.items, rs.mask) as StepResult['items'];
    if (outcome?.changed) result.changed = true;
    if (outcome?.pushed?.length) result.pushed = outcome.pushed.map(rs.mask);
    // an outcome's own undo (even empty: a change that rolled itself back) replaces the provisional one
    if (outcome?.undo !== undefined) {
      if (outcome.undo.length) result.undo = outcome.undo;
    } else if (provisional.undo) result.undo = provisional.undo;
    if (ignored) result.ignoredFailure = true;
    if (handled) result.handled = true;
    result.startedAt = startedAt;
    result.endedAt = new Date().toISOString();
    result.durationMs = Math.round(performance.now() - t0);
    const view = viewOf(outcome, status, message);
    if (state) {
      state.steps[step.id] = view;
      if (outcome?.captures) Object.assign(state.captures, outcome.captures);
    } else {
      rs.runSteps[step.id] = view;
      if (outcome?.captures) Object.assign(rs.runCaptures, outcome.captures);
    }
    recordResult(rs, state, result, provisional.rowId);
    return result;
  };

  // the scope (a copy of every earlier step's view) is built only when something reads it: most
  // steps have no template; vars are rendered up front as before, so their errors fail the first step
  let built: Record<string, unknown> | undefined;
  const scope = (): Record<string, unknown> => (built ??= scopeFor(rs, state));
  const plan = stepPlan(step);
  try {
    if (Object.keys(rs.mop.vars).length > 0) scope();
    if (step.when !== undefined && !rs.templating.condition(step.when, typeof step.when === 'boolean' ? {} : scope(), `${where}.when`)) {
      return finish('skipped', undefined, `skipped: when ${typeof step.when === 'string' ? step.when : step.when} is false`);
    }
  } catch (error) {
    return finish('failed', undefined, (error as Error).message);
  }

  const type = rs.stepTypes.types.get(step.type);
  if (!type) return finish('failed', undefined, `unknown step type '${step.type}'`);
  let params: unknown;
  let retries: number;
  let interval: number;
  let timeoutS: number;
  try {
    // parameters without a template parse to the same thing on every device: once per step (built-in types only)
    const cached = plan.params?.type === type ? plan.params.data : undefined;
    if (cached !== undefined) params = cached;
    else {
      const parsed = type.params.safeParse(plan.templated ? rs.templating.render(step.params, scope(), where) : step.params);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const path = issue.path.filter((p) => typeof p !== 'symbol').join('.');
        return finish('failed', undefined, `${where}${path ? `.${path}` : ''}: ${issue.message}`);
      }
      params = parsed.data;
      if (!plan.templated && isBuiltin(type)) plan.params = { type, data: params };
    }
    const number = (value: unknown, at: string): unknown => (typeof value === 'string' && containsTemplate(value) ? rs.templating.render(value, scope(), at) : value);
    retries = Math.floor(toNumber(number(step.retries, `${where}.retries`), 'retries'));
    interval = toNumber(number(step.interval ?? rs.mop.settings.interval, `${where}.interval`), 'interval');
    timeoutS = toNumber(number(step.timeout ?? rs.mop.settings.step_timeout, `${where}.timeout`), 'timeout');
  } catch (error) {
    return finish('failed', undefined, (error as Error).message);
  }
  if (step.until !== undefined && retries === 0) retries = 3; // Ansible's default with until

  // change steps take the device's lock (not under --dry-run): no two runs change one device at once
  if (state && !type.readOnly && !rs.dryRun && !state.lock.handle && (state.device || state.plan)) {
    try {
      await lockDevice(rs, state);
    } catch (error) {
      return finish('failed', undefined, (error as Error).message);
    }
  }

  if (state && !type.readOnly) state.changeAttempted = true;
  let outcome: StepOutcome | undefined;
  let status: StepResult['status'] = 'failed';
  let message: string | undefined;
  for (;;) {
    attempts++;
    outcome = await attempt(rs, state, step, type, params, scope, timeoutS, logs, async (lines) => {
      if (rs.dryRun) return;
      // no lines: what was recorded is void (the step rolled its change back itself)
      if (lines.length === 0) {
        provisional.undo = undefined;
        if (provisional.rowId !== undefined) await rs.writer.provisionalUndo(provisional.rowId, []);
        return;
      }
      const now = new Date().toISOString();
      const row: StepResult = { stepId: stepKey, name: rs.mask(name), type: step.type, ...(device ? { device } : {}), status: 'error', phase: step.phase, visit, attempts, undo: lines, startedAt, endedAt: now, durationMs: 0 };
      provisional.undo = lines;
      if (provisional.rowId === undefined) provisional.rowId = await rs.writer.provisional(row);
      else await rs.writer.provisionalUndo(provisional.rowId, lines);
    });
    status = outcome.status;
    message = outcome.message;
    let done = status !== 'failed';
    if (step.until !== undefined && status !== 'skipped') {
      const view = viewOf(outcome, status);
      try {
        done = status === 'passed' && rs.templating.condition(step.until, { ...scope(), result: view, steps: { ...(scope().steps as Record<string, unknown>), [step.id]: view } }, `${where}.until`);
      } catch (error) {
        return finish('failed', outcome, (error as Error).message);
      }
      if (!done && status === 'passed') {
        status = 'failed';
        message = `until (${typeof step.until === 'string' ? step.until : String(step.until)}) not met after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
      }
    }
    if (done || attempts > retries || rs.signal.aborted) break;
    rs.emit({ type: 'step-retry', stepId: stepKey, ...(device ? { device } : {}), attempt: attempts + 1, ...(message ? { message: rs.mask(message) } : {}) });
    if (!(await defaultSleep(interval * 1000, rs.signal))) break;
  }
  return finish(status, outcome, message);
}

function defaultSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** The lock owner of a run (`mop-run:<id>`, run_once steps) and of its device pipelines (`mop-run:<id>/<device>`). */
function lockOwner(rs: RunState, state: DeviceState | undefined): string {
  return `mop-run:${rs.executionId}${state ? `/${state.name}` : ''}`;
}

async function lockDevice(rs: RunState, state: DeviceState): Promise<void> {
  const store = rs.options.store;
  if (!store) return;
  const { acquireLock } = await import('../../locks/index.js');
  try {
    state.lock.handle = await acquireLock(store, `device:${state.name}`, { purpose: `mop run ${rs.mop.name} (${rs.executionId})`, owner: lockOwner(rs, state) });
  } catch (error) {
    if (error instanceof ConflictError) throw new ConflictError(`${state.name}: ${error.message}`, error.hint);
    throw error;
  }
}

/** One attempt of a step: its own abort signal (the run's, and the step timeout), errors become failures. */
async function attempt(
  rs: RunState,
  state: DeviceState | undefined,
  step: MopStep,
  type: StepType,
  params: unknown,
  scope: () => Record<string, unknown>,
  timeoutS: number,
  logs: string[],
  recordUndo: (lines: string[]) => Promise<void>,
): Promise<StepOutcome> {
  // the run's abort reaches this attempt through rs.attempts (one listener for all attempts)
  const controller = new AttemptAbort();
  if (rs.signal.aborted) controller.abort(rs.signal.reason);
  rs.attempts.add(controller);
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = timeoutS * 1000;
  const ctx = makeContext(rs, state, step, scope, controller, logs);
  ctx.recordUndo = recordUndo;
  try {
    let run: Promise<StepOutcome>;
    if (mayTakeLocks(type)) {
      // the locks a step takes (a backup, a deploy) nest into those its run or device pipeline holds.
      // Only for such steps: AsyncLocalStorage, once used, slows every promise of the process
      const { asLockOwner } = await import('../../locks/index.js');
      run = Promise.resolve().then(() => asLockOwner(lockOwner(rs, state), () => type.run(params, ctx)));
    } else run = Promise.resolve().then(() => type.run(params, ctx));
    if (timeoutMs <= 0) return await run;
    return await Promise.race([
      run,
      new Promise<StepOutcome>((resolve) => {
        timer = setTimeout(() => {
          controller.abort(new Error(`timed out after ${timeoutS} s`));
          // whatever the step left on its session (a command still running) is not reused: the next step reconnects
          if (state?.session.opened) {
            const opened = state.session.opened;
            state.session.opened = undefined;
            void opened.abort().catch(() => undefined);
          }
          resolve({ status: 'failed', message: `timed out after ${timeoutS} s` });
        }, timeoutMs);
      }),
    ]);
  } catch (error) {
    if (rs.signal.aborted) return { status: 'failed', message: 'interrupted' };
    return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
    rs.attempts.delete(controller);
  }
}

/** step types that may take locks of their own: the change steps, backup, and any not built in */
function mayTakeLocks(type: StepType): boolean {
  return !type.readOnly || type.name === 'backup' || !isBuiltin(type);
}

function makeContext(rs: RunState, state: DeviceState | undefined, step: MopStep, scope: () => Record<string, unknown>, abort: AttemptAbort, logs: string[]): StepContext {
  return new EngineStepContext(rs, state, step, scope, abort, logs);
}

/**
 * An attempt's abort: its AbortSignal is made only when the step reads `ctx.signal` (most steps
 * never do, and a signal per step and device is a measurable share of a large run). Aborted before
 * that, the signal is born aborted with the same reason.
 */
class AttemptAbort {
  private controller: AbortController | undefined;
  private aborted = false;
  private reason: unknown;

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  abort(reason?: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}

/**
 * What a step sees of the engine. A class, not an object literal: one is made per step and device,
 * and a literal with a getter (the scope, built only when read) costs ten times as much to create.
 */
class EngineStepContext implements StepContext {
  readonly env: OperationEnv;
  readonly device?: Device;
  readonly dryRun: boolean;
  readonly options: StepContext['options'];
  readonly stepId: string;
  recordUndo?: (lines: string[]) => Promise<void>;
  readonly session: StepContext['session'];
  readonly resetSession: StepContext['resetSession'];
  readonly render: StepContext['render'];
  readonly log: StepContext['log'];
  readonly addSecret: StepContext['addSecret'];
  readonly runSubMop: NonNullable<StepContext['runSubMop']>;

  constructor(
    rs: RunState,
    state: DeviceState | undefined,
    step: MopStep,
    private readonly scopeOf: () => Record<string, unknown>,
    private readonly abort: AttemptAbort,
    logs: string[],
  ) {
    const stepKey = (state?.prefix ?? '') + step.id;
    const device = state && (state.device || state.plan) ? state.name : undefined;
    this.env = rs.env;
    if (state?.device) this.device = state.device;
    this.dryRun = rs.dryRun;
    this.options = { approve: rs.options.approve ?? [], interactive: Boolean(rs.options.interactive) };
    this.stepId = stepKey;
    this.session = async () => {
      if (!state || !state.plan) throw new Error(`step '${step.id}' has no device: a run_once step cannot open a session`);
      return deviceSession(rs, state);
    };
    this.resetSession = async () => {
      if (!state) return;
      const opened = state.session.opened;
      state.session.opened = undefined;
      state.session.dead = false;
      await opened?.abort().catch(() => undefined);
    };
    this.render = async (value) => {
      if (!containsTemplate(value)) return value;
      await rs.templating.load();
      return rs.templating.render(value, scopeOf(), `${step.phase === 'main' ? 'steps' : 'rollback'}[${step.index}]`);
    };
    this.log = (message) => {
      const masked = rs.mask(message);
      logs.push(masked);
      rs.emit({ type: 'step-log', stepId: stepKey, ...(device ? { device } : {}), message: masked });
    };
    this.addSecret = (value) => {
      if (value.length > 0) rs.secrets.add(value);
    };
    this.runSubMop = (reference, inputs) => runSubMop(rs, state, step, reference, inputs);
  }

  get scope(): Readonly<Record<string, unknown>> {
    return this.scopeOf();
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }
}

/** The device's one session, opened on first use and reopened when it has dropped. */
async function deviceSession(rs: RunState, state: DeviceState): Promise<DeviceSession> {
  const slot = state.session;
  // the usual case: the session is open and the view made
  if (state.sessionView && slot.opened && !slot.dead) return state.sessionView;
  const open = async (): Promise<OpenedSession> => {
    if (slot.opened && !slot.dead) return slot.opened;
    if (slot.opening) return slot.opening;
    const previous = slot.opened;
    slot.opened = undefined;
    if (previous) await previous.abort().catch(() => undefined);
    const { openSessionFor } = await import('../../operations/connect.js');
    // the session outlives the step: it listens to the run's signal, not the step's
    slot.opening = openSessionFor(state.plan!, rs.deps!, { signal: rs.signal });
    try {
      const opened = await slot.opening;
      slot.opened = opened;
      slot.dead = false;
      return opened;
    } finally {
      slot.opening = undefined;
    }
  };
  const first = await open();
  if (state.sessionView) return state.sessionView;
  const isClosed = (error: unknown): boolean => error instanceof Error && error.name === 'SessionClosedError';
  const call = async <T>(fn: (s: DeviceSession) => Promise<T>, retryOnClose: boolean): Promise<T> => {
    const opened = await open();
    try {
      return await fn(opened.session);
    } catch (error) {
      if (!isClosed(error)) throw error;
      slot.dead = true;
      if (!retryOnClose || !SESSION_RETRY_ON_CLOSE) throw error;
      rs.emit({ type: 'step-log', stepId: step(state), device: state.name, message: 'session dropped; reconnecting' });
      return fn((await open()).session);
    }
  };
  const session: DeviceSession = {
    device: first.session.device,
    get platform() {
      return (slot.opened ?? first).session.platform;
    },
    get mode() {
      return (slot.opened ?? first).session.mode;
    },
    get prompt() {
      return (slot.opened ?? first).session.prompt;
    },
    // show commands are safe to send again on a fresh session; changes are not retried
    send: (command, options) => call((s) => s.send(command, options), true),
    pushConfig: (lines, options) => call((s) => s.pushConfig(lines, options), false),
    confirm: () => call((s) => s.confirm(), false),
    discard: () => call((s) => s.discard(), false),
    rollback: (steps) => call((s) => s.rollback(steps), false),
    runningConfig: () => call((s) => s.runningConfig(), true),
    close: async () => {
      const opened = slot.opened;
      slot.opened = undefined;
      await opened?.close().catch(() => undefined);
    },
  };
  // anything else the session offers (e.g. sendInteractive for reload) goes to the current session, not retried
  const current = (): Record<string | symbol, unknown> => (slot.opened ?? first).session as unknown as Record<string | symbol, unknown>;
  return (state.sessionView = new Proxy(session, {
    has: (target, prop) => prop in target || prop in current(),
    get: (target, prop, receiver) => {
      if (prop in target) return Reflect.get(target, prop, receiver) as unknown;
      const value = current()[prop];
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => call((s) => (s as unknown as Record<string | symbol, (...a: unknown[]) => Promise<unknown>>)[prop]!(...args), false);
    },
  }));
}

function step(state: DeviceState): string {
  return state.results[state.results.length - 1]?.stepId ?? '';
}

/**
 * A `mop` step. On a device: the sub-MOP's steps run inline on the same device and session, with
 * their own inputs, recorded as `<step>/<sub-step>`; its rollback runs if it fails. As a run_once
 * step: a whole run of the sub-MOP over its own targets, recorded as a child execution.
 */
async function runSubMop(rs: RunState, state: DeviceState | undefined, parent: MopStep, reference: string, given: Record<string, unknown>): Promise<StepOutcome> {
  if (rs.depth + 1 > rs.mop.settings.max_depth) {
    return { status: 'failed', message: `sub-MOP '${reference}' not run: MOPs nest at most ${rs.mop.settings.max_depth} deep (settings.max_depth)` };
  }
  const child = loadMopFile(reference, rs.location);
  if (!state) {
    const { targets: _targets, ...options } = rs.options;
    const summary = await runMopInternal(rs.env, child, { ...options, inputs: given }, { depth: rs.depth + 1, parentId: rs.executionId });
    return {
      status: summary.exitCode === 0 ? 'passed' : 'failed',
      message: `sub-MOP '${child.name}' ${summary.status} (execution ${summary.executionId})`,
      data: { execution_id: summary.executionId, status: summary.status },
    };
  }
  const inputs = resolveInputs(child.mop.inputs, given, `MOP '${child.name}'`);
  const issues = (await checkMop(child.mop, child.parsed, rs.stepTypes, rs.location)).filter((i) => i.severity === 'error');
  if (issues.length > 0) throw new MopInvalidError(issues);
  if (needsTemplating(child.mop)) await rs.templating.load();
  const sub: RunState = { ...rs, mop: child.mop, inputs, depth: rs.depth + 1, runSteps: {}, runCaptures: {} };
  const inner: DeviceState = { ...newDeviceState(state.name, state.device, state.plan, `${state.prefix}${parent.id}/`), layer: state.layer, session: state.session, lock: state.lock, started: true, status: 'running' };
  const outcome = await runSequence(sub, inner, child.mop.steps, 0, child.mop.steps.length, rs.signal);
  state.results.push(...inner.results);
  if (outcome.failed && child.mop.rollback.length > 0 && !rs.signal.aborted) {
    const before = inner.results.length;
    const back = await runSequence(sub, inner, child.mop.rollback, 0, child.mop.rollback.length, rs.signal);
    state.results.push(...inner.results.slice(before));
    if (back.failed) return { status: 'failed', message: `sub-MOP '${child.name}': ${outcome.message}; its rollback failed: ${back.message}`, captures: inner.captures };
  }
  if (inner.ignoredFailure) state.ignoredFailure = true;
  if (inner.changeAttempted) state.changeAttempted = true;
  return outcome.failed
    ? { status: 'failed', message: `sub-MOP '${child.name}': ${outcome.message}`, captures: inner.captures, data: { steps: inner.steps } }
    : { status: 'passed', message: `sub-MOP '${child.name}' passed`, captures: inner.captures, data: { steps: inner.steps } };
}

/** Masks every string inside a value; names in `secretKeys` are masked whole. */
function maskValue(value: unknown, mask: (text: string) => string, secretKeys?: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return mask(value);
  if (Array.isArray(value)) return value.map((v) => maskValue(v, mask));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = secretKeys?.has(k) ? '********' : maskValue(v, mask);
    return out;
  }
  return value;
}
