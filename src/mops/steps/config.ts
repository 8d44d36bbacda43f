import { z } from 'zod';
import type { ConfigPushResult, DeviceSession } from '../../session/types.js';
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

/**
 * The one place a MOP pushes config. Today the session's own push (config mode, commit where the
 * platform has a candidate, save); to be switched to src/config/transaction.ts (safe per-platform
 * apply) once it lands.
 */
export function applyConfig(session: DeviceSession, lines: string[], options: { save: boolean; commitConfirmedMinutes?: number }): Promise<ConfigPushResult> {
  return session.pushConfig(lines, { save: options.save, ...(options.commitConfirmedMinutes !== undefined ? { commitConfirmedMinutes: options.commitConfirmedMinutes } : {}) });
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
 * device back) is computed before the change and kept in the record. Dry-run pushes nothing and
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
    const result = await applyConfig(session, remediation.push, { save: p.save, ...(p.commit_confirmed !== undefined ? { commitConfirmedMinutes: p.commit_confirmed } : {}) });
    return {
      status: 'passed',
      message: `pushed ${result.sent.length} line(s)${result.committed ? ', committed' : ''}${p.commit_confirmed !== undefined ? ` (confirmed within ${p.commit_confirmed} min or reverted)` : ''}${result.saved ? ', saved' : ''}`,
      changed: true,
      pushed: result.sent,
      undo,
      output: result.output,
      data: { committed: result.committed, saved: result.saved, ...(p.commit_confirmed !== undefined ? { commit_confirmed: p.commit_confirmed } : {}) },
    };
  },
});
