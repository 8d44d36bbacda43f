import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { z } from 'zod';
import { defineStep, type StepOutcome } from './types.js';

const OUTPUT_LIMIT = 1024 * 1024;
const DEFAULT_TIME_LIMIT_S = 60;

export const scriptParams = z
  .object({
    /** the executable (relative paths from the folder netstacks runs in, the project root) */
    path: z.string().min(1).describe('the executable; relative to the folder netstacks runs in'),
    /** run it through this program, e.g. /usr/bin/python3; default: the file's own #! line */
    interpreter: z.string().min(1).optional().describe("run the file with this program, e.g. /usr/bin/python3; default: its #! line"),
    args: z.array(z.union([z.string(), z.number()]).transform(String)).default([]).describe('command-line arguments'),
    /** what the script gets as `params` in its JSON input */
    params: z.record(z.string(), z.unknown()).default({}).describe('passed to the script as "params" in its JSON input'),
    env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}).describe('extra environment variables'),
    /** seconds before the script is stopped and the step fails */
    time_limit: z.coerce.number().positive().max(86_400).default(DEFAULT_TIME_LIMIT_S).describe('seconds before the script is stopped and the step fails'),
    /** the script changes nothing, so --dry-run runs it for real */
    read_only: z.boolean().default(false).describe('it changes nothing: --dry-run runs it for real'),
  })
  .strict();

/** What a script prints on stdout. */
const resultSchema = z
  .object({
    passed: z.boolean().optional(),
    status: z.enum(['passed', 'failed', 'skipped']).optional(),
    message: z.string().optional(),
    captures: z.record(z.string(), z.unknown()).optional(),
    records: z.array(z.record(z.string(), z.unknown())).optional(),
    output: z.string().optional(),
  })
  .refine((r) => r.passed !== undefined || r.status !== undefined, 'it must say "passed": true|false or "status": "passed"|"failed"|"skipped"');

/**
 * `script` (`custom_python`): run a local executable in any language. It reads one JSON object on
 * stdin — {step, params, device, inputs, steps, captures, dry_run} — and prints one JSON object on
 * stdout: {"passed": true|false} or {"status": …}, with optional message, captures and records.
 * Anything else on stdout, a non-zero exit or the time limit fails the step with the reason.
 */
export const scriptStep = defineStep({
  name: 'script',
  aliases: ['custom_python'],
  description: 'run a local executable: JSON in on stdin, JSON verdict and captures out on stdout',
  scope: 'any',
  readOnly: false,
  params: scriptParams,
  async run(params, ctx) {
    const file = resolve(params.path);
    const shown = [params.interpreter, params.path, ...params.args].filter(Boolean).join(' ');
    if (ctx.dryRun && !params.read_only) return { status: 'passed', message: `would run ${shown} (mark it read_only: true to run it under --dry-run)` };
    const scope = ctx.scope as Record<string, unknown>;
    const input = {
      step: ctx.stepId,
      params: params.params,
      device: ctx.device ? { name: ctx.device.name, host: ctx.device.host, platform: ctx.device.platform, site: ctx.device.site, role: ctx.device.role, tags: ctx.device.tags, variables: ctx.device.variables } : null,
      inputs: scope.inputs ?? {},
      steps: scope.steps ?? {},
      captures: scope.captures ?? {},
      dry_run: ctx.dryRun,
    };
    const command = params.interpreter ? params.interpreter : file;
    const args = params.interpreter ? [file, ...params.args] : params.args;
    const result = await runProcess(command, args, jsonText(input), { env: params.env, timeLimitS: params.time_limit, signal: ctx.signal });
    return verdict(result, shown, params.time_limit);
  },
});

interface ProcessResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: NodeJS.ErrnoException;
  timedOut: boolean;
  aborted: boolean;
}

function verdict(result: ProcessResult, shown: string, timeLimitS: number): StepOutcome {
  const stderrTail = tail(result.stderr);
  const withStderr = (message: string) => (stderrTail ? `${message}; stderr: ${stderrTail}` : message);
  if (result.error) {
    const code = result.error.code;
    const reason = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable (chmod +x, or give interpreter:)' : (result.error.message ?? code);
    return { status: 'failed', message: `script ${shown}: ${reason}` };
  }
  if (result.aborted) return { status: 'failed', message: `script ${shown}: interrupted`, output: result.stdout };
  if (result.timedOut) return { status: 'failed', message: withStderr(`script ${shown}: still running after ${timeLimitS} s, stopped`), output: result.stdout };
  const text = result.stdout.trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(lastJsonCandidate(text));
  } catch {
    const exit = result.code === 0 ? '' : ` and exited ${result.code ?? result.signal}`;
    const shownOut = text === '' ? 'nothing' : `'${tail(text, 200)}'`;
    return { status: 'failed', message: withStderr(`script ${shown} printed ${shownOut} on stdout, not a JSON object${exit}`), output: result.stdout };
  }
  const checked = resultSchema.safeParse(parsed);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const path = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { status: 'failed', message: withStderr(`script ${shown} printed JSON that is not a step result (${path}${issue.message})`), output: result.stdout };
  }
  const answer = checked.data;
  let status = answer.status ?? (answer.passed ? 'passed' : 'failed');
  let message = answer.message ?? `script ${shown} ${status}`;
  if (result.code !== 0 && status !== 'failed') {
    status = 'failed';
    message = withStderr(`script ${shown} exited ${result.code ?? result.signal} though it reported ${answer.status ?? 'passed'}`);
  }
  return {
    status,
    message,
    output: answer.output ?? (stderrTail ? `${result.stdout}\n${result.stderr}` : result.stdout),
    ...(answer.captures ? { captures: answer.captures } : {}),
    ...(answer.records ? { records: answer.records } : {}),
    data: { exit_code: result.code },
  };
}

/** The whole stdout when it is one JSON value, else its last line (scripts that print progress first). */
function lastJsonCandidate(text: string): string {
  if (text.startsWith('{') && text.endsWith('}')) return text;
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines.at(-1) ?? '';
}

function tail(text: string, max = 500): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `…${trimmed.slice(-max)}` : trimmed;
}

/** JSON of the scope; values JSON cannot hold (functions, bigints, cycles) are left out. */
function jsonText(value: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(value, (_key, entry: unknown) => {
    if (typeof entry === 'bigint') return entry.toString();
    if (typeof entry === 'function' || typeof entry === 'symbol') return undefined;
    if (entry instanceof Map) return Object.fromEntries(entry);
    if (entry instanceof Set) return [...entry];
    if (typeof entry === 'object' && entry !== null) {
      if (seen.has(entry)) return undefined;
      seen.add(entry);
    }
    return entry;
  });
}

function runProcess(
  command: string,
  args: string[],
  input: string,
  options: { env: Record<string, string>; timeLimitS: number; signal: AbortSignal },
): Promise<ProcessResult> {
  return new Promise((resolvePromise) => {
    const result: ProcessResult = { stdout: '', stderr: '', code: null, signal: null, timedOut: false, aborted: false };
    if (options.signal.aborted) {
      resolvePromise({ ...result, aborted: true });
      return;
    }
    // its own process group, so a time limit or Ctrl-C stops what the script started too (a shell's `sleep`)
    const detached = process.platform !== 'win32';
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'], detached });
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (detached && child.pid !== undefined) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // already gone
      }
    };
    const stop = () => {
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), 2000);
    };
    const timer = setTimeout(() => {
      result.timedOut = true;
      stop();
    }, options.timeLimitS * 1000);
    const onAbort = () => {
      result.aborted = true;
      stop();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    const append = (key: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (result[key].length < OUTPUT_LIMIT) result[key] += chunk.toString('utf8');
    };
    child.stdout.on('data', append('stdout'));
    child.stderr.on('data', append('stderr'));
    child.stdin.on('error', () => undefined); // a script that never reads stdin closes it early
    child.on('error', (error) => {
      result.error = error;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal.removeEventListener('abort', onAbort);
      resolvePromise({ ...result, code, signal });
    });
    child.stdin.end(input);
  });
}
