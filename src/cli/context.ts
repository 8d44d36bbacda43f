import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './cli-context.js';

export type { CliContext, GlobalOptions } from './cli-context.js';

/** Wraps an action so it gets a CliContext and its return value becomes the exit code. */
export function action<A extends unknown[]>(
  fn: (ctx: CliContext, ...args: A) => Promise<number | void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    // loaded here, not at the top, so that defining commands (and --help) never loads output/table/yaml code
    const { CliContext } = await import('./cli-context.js');
    const ctx = new CliContext(command.optsWithGlobals<GlobalOptions>());
    try {
      const code = await fn(ctx, ...(args.slice(0, -1) as A));
      if (typeof code === 'number' && code !== 0) process.exitCode = code;
    } finally {
      await ctx.close();
    }
  };
}

/** Commander's repeatable option collector: `--tag a --tag b`; after a `--no-X` (false) the list starts afresh. */
export const collect = (value: string, previous?: string[] | boolean): string[] => [...(Array.isArray(previous) ? previous : []), value];
