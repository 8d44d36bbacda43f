import { resolve } from 'node:path';
import { z } from 'zod';
import type { CheckItem } from './types.js';
import { defineStep } from './types.js';
import { checkStack, loadStack, stackParams } from './deploy-stack.js';

const params = z
  .object({
    ...stackParams,
    /** compare with each device's latest good backup instead of its live running config */
    from_backup: z.boolean().default(false),
  })
  .strict();

/**
 * `validate_stack`: `netstacks stack validate` as a step (src/stacks/validate.ts): every intended
 * line of the stack's services is in each target's running config (or latest backup). A device
 * missing lines fails the step with those lines. Read-only: it runs for real under --dry-run.
 * A run_once step over the stack's own targets.
 */
export const validateStackStep = defineStep({
  name: 'validate_stack',
  description: "check that a stack's (name or file) intended lines are in each target's running config",
  scope: 'run',
  readOnly: true,
  params,
  check(p, env) {
    return checkStack(p.stack, env.cwd);
  },
  async run(p, ctx) {
    const stack = await loadStack(ctx, p.stack);
    const { validateStack } = await import('../../stacks/validate.js');
    const summary = await validateStack(
      ctx.env,
      stack,
      { signal: ctx.signal },
      { inputs: { ...p.inputs, ...p.vars }, templateFolders: p.templates.map((d) => resolve(d)), cwd: process.cwd(), fromBackup: p.from_backup },
    );
    const items: CheckItem[] = [];
    const output: string[] = [];
    const missingOf: Record<string, string[]> = {};
    for (const r of summary.results) {
      const v = r.data;
      if (!v) {
        items.push({ item: r.device, ok: false, reason: r.message ?? r.status });
        continue;
      }
      const missing = v.services.flatMap((s) => s.missing.map((line) => `${s.service}: ${line}`));
      missingOf[r.device] = missing;
      const checked = v.services.reduce((n, s) => n + s.checked, 0);
      if (v.valid) items.push({ item: r.device, ok: true, reason: `${checked} line(s) in the ${v.source === 'backup' ? 'backup' : 'running config'}` });
      else {
        items.push({ item: r.device, ok: false, reason: `missing ${missing.join('; ')}` });
        output.push(`${r.device}: missing`, ...missing.map((l) => `  ${l}`));
      }
    }
    const failed = items.filter((i) => !i.ok);
    const base = { items, data: { missing: missingOf }, ...(output.length ? { output: output.join('\n') } : {}) };
    if (summary.interrupted) return { ...base, status: 'failed', message: 'interrupted' };
    if (failed.length) return { ...base, status: 'failed', message: `${stack.name}: ${failed.length} of ${items.length} device(s) not as intended: ${failed.map((i) => i.item).join(', ')}` };
    return { ...base, status: 'passed', message: `${stack.name}: ${items.length} device(s) as intended` };
  },
});
