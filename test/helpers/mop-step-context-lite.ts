import { join } from 'node:path';
import type { z } from 'zod';
import { createMemorySecretStore } from '../../src/secrets/memory.js';
import { readSettings } from '../../src/settings/index.js';
import { openSqliteStore, type Store } from '../../src/store/store.js';
import type { StepContext, StepOutcome, StepType } from '../../src/mops/steps/types.js';
import { tempHome } from './cli.js';

/**
 * A small StepContext for calling one step type's run() without the engine: a temporary SQLite
 * store with memory secrets, no device session, and the lines and secrets the step reports.
 * `mask` does what the engine does with the secrets a step adds.
 */
export interface LiteContext extends StepContext {
  readonly logs: string[];
  readonly secretsAdded: string[];
  readonly store: Store;
  mask(text: string): string;
}

export interface LiteHarness {
  context(overrides?: Partial<Omit<StepContext, 'env'>> & { controller?: AbortController }): Promise<LiteContext>;
  /** parses `raw` with the step's zod schema (as the engine does) and runs it */
  run<S extends z.ZodType>(type: StepType<S>, raw: unknown, overrides?: Partial<Omit<StepContext, 'env'>> & { controller?: AbortController }): Promise<{ outcome: StepOutcome; ctx: LiteContext }>;
  cleanup(): Promise<void>;
}

export async function liteHarness(): Promise<LiteHarness> {
  const { home, cleanup } = tempHome('netstacks-mopstep-');
  const store = await openSqliteStore(join(home, 'netstacks.db'));
  const secrets = createMemorySecretStore();
  const harness: LiteHarness = {
    async context(overrides = {}) {
      const settings = await readSettings(store.db);
      const logs: string[] = [];
      const secretsAdded: string[] = [];
      const controller = overrides.controller ?? new AbortController();
      const ctx: LiteContext = {
        env: { db: store.db, secrets, home, settings, strictHostKeys: false },
        session: () => Promise.reject(new Error('no device session in the lite context')),
        resetSession: () => Promise.resolve(),
        scope: {},
        render: (value) => Promise.resolve(value),
        dryRun: false,
        signal: controller.signal,
        log: (message) => void logs.push(message),
        addSecret: (value) => void secretsAdded.push(value),
        options: { approve: [], interactive: false },
        stepId: 'step1',
        ...overrides,
        logs,
        secretsAdded,
        store,
        mask: (text) => secretsAdded.reduce((masked, secret) => masked.split(secret).join('********'), text),
      };
      return ctx;
    },
    async run(type, raw, overrides) {
      const ctx = await harness.context(overrides);
      const params = type.params.parse(raw);
      return { outcome: await type.run(params, ctx), ctx };
    },
    async cleanup() {
      await store.close();
      cleanup();
    },
  };
  return harness;
}
