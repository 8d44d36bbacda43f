import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { Store } from '../../store/store.js';
import type { StackDefinition } from '../../stacks/file.js';
import type { CheckItem, StepContext } from './types.js';
import { defineStep } from './types.js';

/** Parameters both stack steps share: the stack (a name registered with `stack add`, or a file) and its inputs. */
export const stackParams = {
  /** a stack name registered with `stack add`, or a stack file (relative to the folder netstacks runs in) */
  stack: z.string().min(1),
  /** the stack's inputs, as `--var` gives them (above the stack's `variables`) */
  vars: z.record(z.string(), z.unknown()).default({}),
  /** an alias of `vars` (the MOP's own word) */
  inputs: z.record(z.string(), z.unknown()).default({}),
  /** extra template folders, searched first (`--templates`) */
  templates: z.array(z.string()).default([]),
};

/** The engine's store when it hands one over; otherwise one over the env's kysely handle (same BEGIN IMMEDIATE driver). */
export function storeOf(ctx: StepContext): Store {
  const given = (ctx as unknown as { store?: Store }).store;
  if (given) return given;
  const db = ctx.env.db;
  return { db, write: (fn) => db.transaction().execute(fn), close: async () => undefined };
}

/** The stack by name (`stack add`) or file, read and checked; errors name the nearest stack. */
export async function loadStack(ctx: StepContext, reference: string): Promise<StackDefinition> {
  const { resolveStackFile } = await import('../../stacks/state.js');
  const { readStackFile } = await import('../../stacks/file.js');
  return readStackFile(await resolveStackFile(ctx.env.db, reference));
}

/** `mop validate`: a stack given as a path must exist and parse (a name is resolved when the step runs). */
export async function checkStack(reference: string, cwd: string): Promise<string[]> {
  if (!/[/\\]|\.ya?ml$/i.test(reference)) return [];
  const file = resolve(cwd, reference);
  if (!existsSync(file)) return [`stack file not found: ${reference}`];
  const { readStackFile } = await import('../../stacks/file.js');
  readStackFile(file);
  return [];
}

const params = z
  .object({
    ...stackParams,
    /** when a device fails: stop (default: no new device starts), continue, rollback-all */
    on_error: z.enum(['stop', 'continue', 'rollback-all']).default('stop'),
    /** write the config to startup on each changed device */
    save: z.boolean().default(false),
    /** the device-side safety-net timer (commit confirmed, revert timer), minutes; default 5 */
    confirm_minutes: z.number().int().min(1).max(60).optional(),
  })
  .strict();

/**
 * `deploy_stack`: `netstacks deploy` as a step (src/stacks/deploy.ts): plan, push per device with
 * the device's own safety net, post-check, confirm; a device that fails is rolled back and fails
 * the step. A run_once step over the stack's own targets (the deploy plans, locks and records the
 * whole stack at once: one deployment per step). Dry-run plans only.
 */
export const deployStackStep = defineStep({
  name: 'deploy_stack',
  description: "deploy a stack (name or file) to its targets: plan, safe apply, post-check, confirm; dry-run plans only",
  scope: 'run',
  readOnly: false,
  params,
  check(p, env) {
    return checkStack(p.stack, env.cwd);
  },
  async run(p, ctx) {
    const stack = await loadStack(ctx, p.stack);
    const { deployStack } = await import('../../stacks/deploy.js');
    const store = storeOf(ctx);
    const inputs = { ...p.inputs, ...p.vars };
    const notes: string[] = [];
    // the device locks this run's pipelines hold nest into the deploy's (owners `mop-run:<id>` and
    // `mop-run:<id>/<device>` are one holder); run_once steps are barriers, so no pipeline runs meanwhile
    const outcome = await deployStack(ctx.env, stack, {
        store,
        inputs,
        templateFolders: p.templates.map((d) => resolve(d)),
        cwd: process.cwd(),
        dryRun: ctx.dryRun,
        onError: p.on_error,
        save: p.save,
        ...(p.confirm_minutes !== undefined ? { confirmMinutes: p.confirm_minutes } : {}),
        planRequest: { signal: ctx.signal },
        stopSignal: ctx.signal,
        onNote: (text) => {
          notes.push(text);
          ctx.log(text);
        },
      });
    const items: CheckItem[] = [];
    const devices: Record<string, string> = {};
    const output: string[] = [];
    for (const r of outcome.plan.results) {
      const planned = r.data;
      if (r.status !== 'ok' || !planned) {
        devices[r.device] = 'failed';
        items.push({ item: r.device, ok: false, reason: `plan failed: ${r.message ?? r.status}` });
        continue;
      }
      if (ctx.dryRun) {
        devices[r.device] = planned.changed ? 'would change' : 'unchanged';
        items.push({ item: r.device, ok: true, reason: planned.changed ? `would push ${planned.commands.length} line(s)` : 'no changes' });
        if (planned.changed) output.push(`${r.device}:`, ...planned.commands.map((l) => `  ${l}`));
        continue;
      }
      const result = outcome.devices[r.device];
      const pushed = outcome.push?.results.find((x) => x.device === r.device);
      devices[r.device] = result ?? 'not-pushed';
      if (result === 'applied' || result === 'unchanged') {
        items.push({ item: r.device, ok: true, reason: result === 'applied' ? `applied ${planned.commands.length} line(s)` : 'no changes' });
        if (result === 'applied') output.push(`${r.device}:`, ...planned.commands.map((l) => `  ${l}`));
      } else {
        items.push({ item: r.device, ok: false, reason: `${result ?? 'not pushed'}${pushed?.message ? `: ${pushed.message}` : ''}` });
      }
    }
    const failed = items.filter((i) => !i.ok);
    const changed = ctx.dryRun ? outcome.plan.results.some((r) => r.data?.changed) : Object.values(outcome.devices).some((o) => o === 'applied');
    const data = { deployment_id: outcome.deploymentId ?? null, status: outcome.status, devices, notes };
    const captures = { deployment_id: outcome.deploymentId ?? null };
    const base = { items, changed, data, captures, ...(output.length ? { output: output.join('\n') } : {}) };
    if (outcome.status === 'declined') return { ...base, status: 'failed', message: 'the deploy was declined' };
    if (failed.length > 0 || !['dry-run', 'deployed', 'unchanged'].includes(outcome.status)) {
      return { ...base, status: 'failed', message: `deploy of ${stack.name}: ${outcome.status}; failed on ${failed.map((i) => i.item).join(', ') || 'no device'}` };
    }
    const count = (o: string) => Object.values(devices).filter((d) => d === o).length;
    const message = ctx.dryRun
      ? `dry-run: ${stack.name} would change ${count('would change')} device(s), ${count('unchanged')} unchanged (nothing pushed)`
      : `deployment${outcome.deploymentId !== undefined ? ` #${outcome.deploymentId}` : ''} of ${stack.name}: ${outcome.status} (${count('applied')} applied, ${count('unchanged')} unchanged)`;
    return { ...base, status: 'passed', message };
  },
});
