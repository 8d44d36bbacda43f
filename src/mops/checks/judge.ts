import { z } from 'zod';
import type { CheckItem, StepContext, StepOutcome } from '../steps/types.js';

/** Helpers the device step types share: verdicts from items, bounds, patterns, earlier steps. */

/** One string or a list of them, as YAML authors write either. */
export const oneOrMany = z.union([z.string(), z.array(z.string()).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

/** `{min, max, equals}` on a number. */
export const bounds = z
  .object({ min: z.number().optional(), max: z.number().optional(), equals: z.number().optional() })
  .strict()
  .refine((b) => b.min !== undefined || b.max !== undefined || b.equals !== undefined, 'give min, max or equals');
export type Bounds = z.infer<typeof bounds>;

/** Why `value` falls outside the bounds, or undefined when it is within. */
export function outOfBounds(value: number, b: Bounds, what: string): string | undefined {
  if (b.equals !== undefined && value !== b.equals) return `${what} is ${value}, wanted ${b.equals}`;
  if (b.min !== undefined && value < b.min) return `${what} is ${value}, below the minimum ${b.min}`;
  if (b.max !== undefined && value > b.max) return `${what} is ${value}, above the maximum ${b.max}`;
  return undefined;
}

/** A regex from MOP text: Python's `(?P<name>` accepted as JS's `(?<name>`; a bad pattern names itself. */
export function pattern(source: string, flags = 'm'): RegExp {
  try {
    return new RegExp(source.replace(/\(\?P</g, '(?<'), flags);
  } catch (error) {
    throw new Error(`bad regex '${source}': ${(error as Error).message}`);
  }
}

/** `mop validate`: every regex compiles (Python's (?P<name>…) accepted). */
export function regexProblems(sources: readonly string[]): string[] {
  const problems: string[] = [];
  for (const source of sources) {
    try {
      pattern(source);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  return problems;
}

/** passed when every item is ok; the message lists the failed items' reasons. */
export function verdict(items: CheckItem[], extra: Omit<StepOutcome, 'status' | 'items'> = {}, empty = 'nothing to check'): StepOutcome {
  const failed = items.filter((i) => !i.ok);
  if (items.length === 0) return { ...extra, status: 'failed', message: empty, items };
  if (failed.length === 0) return { ...extra, status: 'passed', message: `${items.length} item(s) ok`, items };
  const head = failed.slice(0, 5).map((i) => `${i.item}: ${i.reason ?? 'failed'}`);
  return { ...extra, status: 'failed', message: `${failed.length} of ${items.length} failed: ${head.join('; ')}${failed.length > 5 ? '; …' : ''}`, items };
}

/** What an earlier step left in the scope: steps.<id>.records / data. */
export function earlierStep(ctx: StepContext, id: string): { records?: Record<string, unknown>[]; data?: Record<string, unknown>; status?: string } | undefined {
  const steps = ctx.scope.steps as Record<string, unknown> | undefined;
  const step = steps?.[id];
  return step && typeof step === 'object' ? (step as { records?: Record<string, unknown>[]; data?: Record<string, unknown> }) : undefined;
}

/** The device platform for messages, or the session's. */
export function deviceName(ctx: StepContext): string {
  return ctx.device?.name ?? 'this device';
}

/** Full-match test of a record value against a MOP value: a /regex/ or literal text (case-insensitive). */
export function valueMatches(actual: unknown, wanted: unknown): boolean {
  const a = actual === null || actual === undefined ? '' : Array.isArray(actual) ? actual.join(' ') : String(actual);
  if (typeof wanted === 'string' && wanted.length > 1 && wanted.startsWith('/') && wanted.endsWith('/')) return pattern(wanted.slice(1, -1), 'i').test(a);
  if (typeof wanted === 'boolean' || typeof wanted === 'number') return a.toLowerCase() === String(wanted).toLowerCase();
  return a.toLowerCase() === String(wanted ?? '').toLowerCase();
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason instanceof Error ? signal.reason : new Error('interrupted'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('interrupted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
