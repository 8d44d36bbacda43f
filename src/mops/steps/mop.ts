import { z } from 'zod';
import { defineStep } from './types.js';

/**
 * `mop`: run another MOP as a sub-procedure, by file or by name from the mops folder. The engine
 * runs it (with its own records, for the same device or run) and limits how deep MOPs nest.
 */
export const mopStep = defineStep({
  name: 'mop',
  description: 'run another MOP as a sub-procedure (by file or name)',
  scope: 'any',
  readOnly: false,
  params: z
    .object({
      mop: z.string().min(1).describe('the MOP: a file path or a name from the mops folder'),
      inputs: z.record(z.string(), z.unknown()).default({}).describe("the sub-MOP's inputs"),
    })
    .strict(),
  async run(params, ctx) {
    if (!ctx.runSubMop) return { status: 'failed', message: 'this run cannot start sub-MOPs (no engine attached)' };
    const outcome = await ctx.runSubMop(params.mop, params.inputs);
    const verdict = outcome.status === 'passed' ? 'passed' : outcome.status === 'skipped' ? 'was skipped' : 'failed';
    return { ...outcome, message: outcome.message ?? `sub-MOP '${params.mop}' ${verdict}` };
  },
});
