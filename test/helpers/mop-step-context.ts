import type { z } from 'zod';
import { getDevice } from '../../src/inventory/index.js';
import { CredentialCache, openSessionFor, resolveTargets, type OpenedSession, type OperationEnv } from '../../src/operations/index.js';
import type { StepContext, StepOutcome, StepType } from '../../src/mops/steps/types.js';

/**
 * A StepContext for one lab device without the engine: the device's session opened on first use
 * and reused, reopened after resetSession (as the engine does), a scope the test fills in, and
 * the lines and secrets the step reports. For step behaviour the engine cannot show (a reload
 * with the raw session).
 */
export interface DeviceStepContext extends StepContext {
  readonly logs: string[];
  readonly secretsAdded: string[];
  /** sessions opened so far */
  opened: number;
  close(): Promise<void>;
}

export async function deviceStepContext(env: OperationEnv, name: string, overrides: Partial<Pick<StepContext, 'dryRun' | 'scope' | 'stepId'>> = {}): Promise<DeviceStepContext> {
  const targets = await resolveTargets(env, { names: [name] });
  const plan = targets.plans[0]!;
  const deps = { env, credentials: new CredentialCache(env), planFor: targets.planFor };
  const device = await getDevice(env.db, name);
  const controller = new AbortController();
  let current: OpenedSession | undefined;
  const logs: string[] = [];
  const secretsAdded: string[] = [];
  const ctx: DeviceStepContext = {
    env,
    device,
    opened: 0,
    async session() {
      if (!current) {
        current = await openSessionFor(plan, deps, { signal: controller.signal });
        ctx.opened++;
      }
      return current.session;
    },
    async resetSession() {
      const was = current;
      current = undefined;
      await was?.session.close().catch(() => undefined);
    },
    scope: overrides.scope ?? {},
    render: (value) => Promise.resolve(value),
    dryRun: overrides.dryRun ?? false,
    signal: controller.signal,
    log: (message) => void logs.push(message),
    addSecret: (value) => void secretsAdded.push(value),
    options: { approve: [], interactive: false },
    stepId: overrides.stepId ?? 'step',
    logs,
    secretsAdded,
    async close() {
      await ctx.resetSession();
      controller.abort();
    },
  };
  return ctx;
}

/** Parses `raw` with the step's schema (as the engine does) and runs it. */
export async function runStep<S extends z.ZodType>(type: StepType<S>, raw: unknown, ctx: StepContext): Promise<StepOutcome> {
  return type.run(type.params.parse(raw), ctx);
}
