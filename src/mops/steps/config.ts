import { z } from 'zod';
import type { DeviceSession } from '../../session/types.js';
import type { StepContext } from './types.js';
import { defineStep } from './types.js';
import { oneOrMany } from '../checks/judge.js';
import type { ConfigModel, remediate as Remediate } from '../../config/index.js';

const params = z
  .object({
    /** config lines, in the platform's own syntax (indented children for IOS-like sections) */
    lines: oneOrMany.optional(),
    /** a template of the library (src/templates), rendered with the device's context, the MOP's scope and `vars` */
    template: z.string().optional(),
    vars: z.record(z.string(), z.unknown()).default({}),
    /** extra template folders, searched first */
    templates: z.array(z.string()).default([]),
    /** sections the lines fully own: what the device has there and the lines lack is removed */
    owns: z.array(z.string()).default([]),
    /** save to startup (IOS `write memory`); candidate platforms keep commits anyway */
    save: z.boolean().default(false),
    /** commit confirmed, reverted by the device after this many minutes unless a later `config` step confirms it */
    commit_confirmed: z.number().int().min(1).max(60).optional(),
    /** keep a pending commit confirmed (no lines) */
    confirm: z.boolean().default(false),
  })
  .strict()
  .superRefine((p, ctx) => {
    const given = [p.lines, p.template].filter((v) => v !== undefined).length;
    if (p.confirm && given > 0) ctx.addIssue({ code: 'custom', message: 'confirm: true takes no lines or template' });
    if (!p.confirm && given !== 1) ctx.addIssue({ code: 'custom', message: 'give either lines or template' });
  });

export interface AppliedConfig {
  output: string;
  /** the platform commits (candidate, config session): the change is in the running config now */
  committed: boolean;
  /** a device-side timer is still armed (`commit_confirmed`): a later `confirm: true` step keeps the change */
  pending: boolean;
  saved: boolean;
}

/** The change did not hold: the device refused a line or the post-check failed; it was rolled back (or not). */
export class ConfigStepError extends Error {
  constructor(
    message: string,
    readonly rolledBack: boolean,
  ) {
    super(message);
    this.name = 'ConfigStepError';
  }
}

/**
 * The one place a MOP pushes config: src/config/transaction.ts, the same per-platform safe apply as
 * `netstacks deploy` (commit confirmed, revert timer, configure session, checkpoint, or computed
 * rollback lines). Apply with the device's safety net armed, post-check the running config, then
 * confirm; on a refusal or a failed post-check, roll back and throw. With `commitConfirmedMinutes`
 * the timer stays armed for a later `confirm: true` step.
 */
export async function applyConfig(
  session: DeviceSession,
  change: { push: string[]; rollback: string[] },
  options: { save: boolean; commitConfirmedMinutes?: number; postCheck: (running: string) => string | undefined; reconnect?: () => Promise<DeviceSession> },
): Promise<AppliedConfig> {
  const { beginChange, changePathFor } = await import('../../config/transaction.js');
  const net = changePathFor(session.platform).net;
  const tx = beginChange(session, {
    commands: change.push,
    rollback: change.rollback,
    confirmMinutes: options.commitConfirmedMinutes ?? 5,
    ...(options.reconnect ? { reconnect: options.reconnect } : {}),
  });
  let failure: string | undefined;
  let output = '';
  let pendingConfirm = false;
  try {
    const applied = await tx.apply();
    output = applied.output;
    pendingConfirm = applied.pendingConfirm;
    failure = options.postCheck(await session.runningConfig());
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (failure !== undefined) {
    const rollbackError = await tx.rollback().then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    throw new ConfigStepError(`${failure}; ${rollbackError === undefined ? 'rolled back' : `rollback failed: ${rollbackError}`}`, rollbackError === undefined);
  }
  const pending = options.commitConfirmedMinutes !== undefined && pendingConfirm;
  if (!pending) await tx.confirm();
  if (options.save) await tx.save();
  return { output, committed: net === 'candidate' || net === 'commit-confirmed' || net === 'config-session', pending, saved: options.save };
}

/** The secret() values a render put in `text`: what `masked` shows as ********. */
export function secretsOf(text: string, masked: string): string[] {
  const out: string[] = [];
  const textLines = text.split('\n');
  masked.split('\n').forEach((line, i) => {
    if (!line.includes('********') || textLines[i] === undefined) return;
    const re = new RegExp('^' + line.split('********').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.*?)') + '$');
    const m = re.exec(textLines[i]!);
    if (m) out.push(...m.slice(1).filter(Boolean));
  });
  return out;
}

/** Lines that take something away: `no …` (IOS-like), `delete …` (set-style), `unset …` (FortiOS). */
const NEGATION = /^\s*(no|delete|unset)\s/m;

/**
 * What to push and how to undo it. Lines that only add go through the model's merge remediation;
 * lines that also take away (`no ntp server …`, `delete system …`: an undo pushed again) are applied
 * to the running tree as the device would, and the difference is remediated both ways.
 */
function plan(model: ConfigModel, remediate: typeof Remediate, running: string, intended: string, owns: string[]): { commands: string[]; push: string[]; rollbackPush: string[] } {
  if (!NEGATION.test(intended) || owns.length > 0) return model.remediation(running, intended, { mode: 'merge', owned: owns.map((section) => [section]) });
  const before = model.parse(running);
  const after = model.apply(running, intended);
  const forward = remediate(before, after, model.rules);
  const backward = remediate(after, before, model.rules);
  return { commands: model.render(forward), push: model.render(forward, true), rollbackPush: model.render(backward, true) };
}

async function intendedConfig(p: z.infer<typeof params>, ctx: StepContext): Promise<string> {
  if (p.lines) return p.lines.join('\n');
  const { openTemplates } = await import('../../templates/library/open.js');
  const { deviceContext, mergeContext } = await import('../../templates/library/context.js');
  const renderer = await openTemplates({ db: ctx.env.db, home: ctx.env.home, folders: p.templates, cwd: process.cwd(), secrets: () => Promise.resolve(ctx.env.secrets) });
  const base = ctx.device ? await deviceContext(ctx.env.db, ctx.device) : {};
  const result = await renderer.render(p.template!, mergeContext([base, ctx.scope as Record<string, unknown>, p.vars]));
  for (const secret of secretsOf(result.text, result.masked)) ctx.addSecret(secret);
  return result.text;
}

/**
 * `config` (`set_config`): lines or a template merged into the running config through the
 * platform's config model; only the difference is pushed. The undo (the commands that take the
 * device back) is computed before the change and written to the store before the push (a killed
 * run keeps it); a change the transaction rolled back itself records none. Dry-run pushes nothing and
 * shows what would be pushed.
 */
export const configStep = defineStep({
  name: 'config',
  aliases: ['set_config'],
  description: 'push lines or a template through the config model (merge); dry-run, commit confirmed, save, undo',
  scope: 'device',
  readOnly: false,
  params,
  async run(p, ctx) {
    const session = await ctx.session();
    if (p.confirm) {
      if (ctx.dryRun) return { status: 'passed', message: 'dry-run: would confirm the pending commit', changed: false };
      await session.confirm();
      return { status: 'passed', message: 'commit confirmed', changed: true };
    }
    if (p.commit_confirmed !== undefined && !session.platform.config.commitConfirmed) {
      return { status: 'failed', message: `${session.platform.name} has no commit confirmed (candidate platforms only: Junos, IOS-XR, …)` };
    }
    const intended = await intendedConfig(p, ctx);
    const { configModelFor, remediate } = await import('../../config/index.js');
    const model = configModelFor(session.platform);
    const running = await session.runningConfig();
    const remediation = plan(model, remediate, running, intended, p.owns);
    if (remediation.push.length === 0) return { status: 'passed', message: 'already in place: nothing to push', changed: false, pushed: [], undo: [] };
    const undo = remediation.rollbackPush;
    if (ctx.dryRun) {
      return { status: 'passed', message: `dry-run: would push ${remediation.commands.length} line(s)`, changed: true, pushed: remediation.push, undo, output: remediation.commands.join('\n') };
    }
    // the undo is in the store before the first line goes out: a run killed mid-push (kill -9) keeps it for `mop rollback`
    await ctx.recordUndo?.(undo);
    const result = await applyConfig(
      session,
      { push: remediation.push, rollback: undo },
      {
        save: p.save,
        ...(p.commit_confirmed !== undefined ? { commitConfirmedMinutes: p.commit_confirmed } : {}),
        // the post-check: planned again over the new running config, nothing is left to push
        postCheck: (after) => {
          const left = plan(model, remediate, after, intended, p.owns).commands;
          return left.length === 0 ? undefined : `post-check failed: not in the running config after the push: ${left.slice(0, 5).join(' | ')}${left.length > 5 ? ` (+${left.length - 5})` : ''}`;
        },
        reconnect: async () => {
          await ctx.resetSession();
          return ctx.session();
        },
      },
    ).catch((error: unknown) => {
      if (error instanceof ConfigStepError) return error;
      throw error;
    });
    // rolled back by the transaction: nothing of it is left to undo later (`undo: []` voids the undo
    // recorded before the push); a failed rollback keeps the undo for `mop rollback`
    if (result instanceof ConfigStepError) return { status: 'failed', message: result.message, changed: !result.rolledBack, pushed: remediation.push, undo: result.rolledBack ? [] : undo };
    return {
      status: 'passed',
      message: `pushed ${remediation.push.length} line(s)${result.committed ? ', committed' : ''}${result.pending ? ` (confirmed within ${p.commit_confirmed} min or reverted)` : ''}${result.saved ? ', saved' : ''}`,
      changed: true,
      pushed: remediation.push,
      undo,
      output: result.output,
      data: { committed: result.committed, saved: result.saved, ...(result.pending ? { commit_confirmed: p.commit_confirmed } : {}) },
    };
  },
});
