import { UsageError, ValidationError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import { secondsFieldAllowed } from './timing.js';

/**
 * What a schedule may run: netstacks CLI arguments written after `--`, whose leading words must be
 * one of these kinds. The daemon runs the job as a child process of the same CLI.
 */
export const JOB_KINDS = ['backup run', 'mop run', 'deploy', 'stack validate'] as const;

/** Test-only (NETSTACKS_SCHEDULER_SECONDS=1): a job that sleeps, writes, and exits as told. */
export const TEST_JOB_KIND = 'daemon test-job';

export function allowedJobKinds(env: NodeJS.ProcessEnv = process.env): string[] {
  return secondsFieldAllowed(env) ? [...JOB_KINDS, TEST_JOB_KIND] : [...JOB_KINDS];
}

/** Options the daemon sets itself, so a job must not carry them. */
const RESERVED = ['--home', '--json', '--yaml'];

export interface ValidateJobOptions {
  env?: NodeJS.ProcessEnv;
  /** whether this build of the CLI has the command (a kind whose issue has not landed yet) */
  isAvailable?: (words: string[]) => boolean;
}

/** Returns the job kind (its leading words) or throws a clear error. */
export function validateJob(args: readonly string[], options: ValidateJobOptions = {}): string {
  if (args.length === 0) {
    throw new UsageError('a schedule needs a job after --', `e.g. schedule add nightly --cron "0 2 * * *" -- backup run --on 'site:lon'`);
  }
  const kinds = allowedJobKinds(options.env);
  const kind = kinds.find((k) => {
    const words = k.split(' ');
    return words.every((w, i) => args[i] === w);
  });
  if (!kind) {
    const given = args.filter((a) => !a.startsWith('-')).slice(0, 2).join(' ');
    const suggestion = nearest(given, kinds);
    throw new ValidationError(
      `unknown job kind '${given}'`,
      `schedulable jobs: ${kinds.join(', ')}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
    );
  }
  const reserved = args.find((a) => RESERVED.some((r) => a === r || a.startsWith(`${r}=`)));
  if (reserved) {
    const flag = reserved.split('=')[0]!;
    throw new UsageError(
      `the job must not set ${flag}: the daemon runs jobs on its own home, with JSON output`,
      flag === '--home' ? 'give --home before --, for the schedule itself' : `for ${flag} output of this command, put ${flag} before --`,
    );
  }
  if (options.isAvailable && !options.isAvailable(kind.split(' '))) {
    throw new ValidationError(`job kind '${kind}' is not available in this version of netstacks`, `available now: ${kinds.filter((k) => options.isAvailable!(k.split(' '))).join(', ') || 'none'}`);
  }
  return kind;
}

export const formatJob = (args: readonly string[]): string => args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');

/** The arguments the daemon runs: the job plus what marks it as scheduled (`backup run --type scheduled`). */
export function jobArgs(job: readonly string[]): string[] {
  const args = [...job];
  if (args[0] === 'backup' && args[1] === 'run' && !args.some((a) => a === '--type' || a.startsWith('--type='))) args.push('--type', 'scheduled');
  return [...args, '--json'];
}
