import { z } from 'zod';
import { defineStep } from './types.js';

/** `wait`: pause for a number of seconds (convergence, a reload settling); Ctrl-C ends it at once. */
export const waitStep = defineStep({
  name: 'wait',
  description: 'pause for a number of seconds',
  scope: 'any',
  readOnly: true,
  params: z
    .object({
      seconds: z.coerce.number().min(0).max(86_400).describe('how long to wait'),
      reason: z.string().optional().describe('why, for the record'),
    })
    .strict(),
  async run(params, ctx) {
    const why = params.reason ? ` (${params.reason})` : '';
    if (ctx.dryRun) return { status: 'passed', message: `would wait ${params.seconds} s${why}` };
    const started = Date.now();
    const completed = await sleep(params.seconds * 1000, ctx.signal);
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    if (!completed) return { status: 'failed', message: `interrupted after ${elapsed} s of a ${params.seconds} s wait` };
    ctx.log(`waited ${params.seconds} s${why}`);
    return { status: 'passed', message: `waited ${params.seconds} s${why}`, data: { seconds: params.seconds } };
  },
});

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
