import { userInfo } from 'node:os';
import { z } from 'zod';
import { defineStep } from './types.js';

/**
 * `approval` (`manual_approval`): a gate a person answers on the terminal. Without a TTY it fails
 * unless `--approve all` or `--approve ID,…` names this step. `--yes` (the run's confirmation)
 * never answers it.
 */
export const approvalStep = defineStep({
  name: 'approval',
  aliases: ['manual_approval'],
  description: 'a gate answered on the terminal, or by --approve all|ID,… in CI',
  scope: 'any',
  readOnly: true,
  params: z
    .object({
      message: z.string().min(1).default('Continue?').describe('the question asked on the terminal'),
    })
    .strict(),
  async run(params, ctx) {
    const approve = ctx.options.approve;
    const where = ctx.device ? ` for ${ctx.device.name}` : '';
    if (approve === 'all' || approve.includes(ctx.stepId)) {
      const how = approve === 'all' ? '--approve all' : `--approve ${ctx.stepId}`;
      ctx.log(`approval '${ctx.stepId}'${where} given by ${how} (${operator()})`);
      return { status: 'passed', message: `approved by ${how}`, data: { approvedBy: operator(), via: 'flag' } };
    }
    if (ctx.dryRun) return { status: 'passed', message: `would ask '${params.message}'${where} (approve it with --approve ${ctx.stepId} in CI)` };
    if (!ctx.options.interactive) {
      return {
        status: 'failed',
        message: `approval '${ctx.stepId}'${where} needs a terminal to answer it; in CI, approve it with --approve ${ctx.stepId} (or --approve all)`,
      };
    }
    const answer = await approvalPrompt.ask(`${params.message}${where} [step ${ctx.stepId}] (yes/no): `, ctx.signal);
    if (answer === undefined) return { status: 'failed', message: `approval '${ctx.stepId}'${where} interrupted` };
    if (/^(y|yes)$/i.test(answer.trim())) {
      ctx.log(`approval '${ctx.stepId}'${where} given on the terminal by ${operator()}`);
      return { status: 'passed', message: `approved by ${operator()}`, data: { approvedBy: operator(), via: 'terminal' } };
    }
    ctx.log(`approval '${ctx.stepId}'${where} refused on the terminal by ${operator()}`);
    return { status: 'failed', message: `approval refused by ${operator()}` };
  },
});

function operator(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'unknown';
  }
}

/**
 * How approval questions reach the person: one at a time (parallel devices queue up), on stderr,
 * answered on stdin. Replaceable for tests and for an ink front end.
 */
export const approvalPrompt = {
  queue: Promise.resolve() as Promise<unknown>,
  async ask(question: string, signal: AbortSignal): Promise<string | undefined> {
    const turn = this.queue.then(() => this.read(question, signal));
    this.queue = turn.catch(() => undefined);
    return turn;
  },
  async read(question: string, signal: AbortSignal): Promise<string | undefined> {
    if (signal.aborted) return undefined;
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
    try {
      return await rl.question(question, { signal });
    } catch {
      return undefined;
    } finally {
      rl.close();
    }
  },
};
