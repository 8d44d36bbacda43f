import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
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
  // the daemon has no terminal to confirm a deploy on
  if (kind === 'deploy' && !args.some((a) => a === '--yes' || a === '-y' || a === '--dry-run')) {
    throw new UsageError('a scheduled deploy runs without a terminal to confirm it', `add --yes to the job (or --dry-run to plan only): -- ${formatJob([...args, '--yes'])}`);
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

/** Options of the schedulable commands that take a file or folder. */
const PATH_OPTIONS = ['--vars', '--templates', '--junit', '--inventory', '--known-hosts', '--log-dir'];

/**
 * The job with its files made absolute against `cwd` (where `schedule add` runs), since the daemon
 * runs jobs from its own working directory: the MOP or stack argument when it is a file there, and
 * the values of file options (`--vars`, `--templates`, `--junit`, …). Names (`mop run NAME`, a stack
 * registered with `stack add`) are left as they are.
 */
export function absoluteJobPaths(job: readonly string[], kind: string, cwd: string): string[] {
  const out = [...job];
  const start = kind.split(' ').length;
  let positional = false;
  for (let i = start; i < out.length; i++) {
    const arg = out[i]!;
    if (arg === '--') break;
    const [flag, value] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (PATH_OPTIONS.includes(flag)) {
      if (value !== undefined) {
        if (value && !isAbsolute(value)) out[i] = `${flag}=${resolve(cwd, value)}`;
      } else if (i + 1 < out.length && !isAbsolute(out[i + 1]!)) {
        out[i + 1] = resolve(cwd, out[i + 1]!);
        i++;
      } else i++;
      continue;
    }
    if (arg.startsWith('-')) continue;
    if (!positional && kind !== 'backup run') {
      positional = true;
      if (!isAbsolute(arg) && existsSync(resolve(cwd, arg))) out[i] = resolve(cwd, arg);
    }
  }
  return out;
}
