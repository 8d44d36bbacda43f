import type { CliContext } from './cli-context.js';

/**
 * First Ctrl-C: stop starting devices, close open sessions, print what was done (exit 130).
 * Second Ctrl-C: leave at once.
 */
export function interruptOnSigint(ctx: CliContext): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    ctx.out.info('\ninterrupted: closing sessions (Ctrl-C again to quit at once)');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSigint);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
