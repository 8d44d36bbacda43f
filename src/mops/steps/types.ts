import type { z } from 'zod';
import type { DeviceSession } from '../../session/types.js';
import type { Device } from '../../inventory/types.js';
import type { OperationEnv } from '../../operations/types.js';

/**
 * The contract between the MOP engine (src/mops/engine) and its step types (src/mops/steps/*).
 * A step type is a small module: a zod schema for its parameters and a `run` that does the work
 * for real. The engine owns everything around it: templating of parameters, `when`, jumps,
 * retries/`until`, `continue_on_error`, records, masking, dry-run bookkeeping and output.
 */

/** What a step sees while it runs. Parameters arrive already rendered (`{{ }}` resolved). */
export interface StepContext {
  readonly env: OperationEnv;
  /** the device this step runs for; undefined for `run_once` steps */
  readonly device?: Device;
  /**
   * The device's one session for this run, opened on first use, reused across steps and reopened
   * when it has dropped (long waits, IOS exec-timeout). Throws for run-once steps.
   */
  session(): Promise<DeviceSession>;
  /** drops the cached session, e.g. after a reload; the next `session()` reconnects */
  resetSession(): Promise<void>;
  /** the template scope: inputs, device facts/variables, steps.<id>.…, captures */
  readonly scope: Readonly<Record<string, unknown>>;
  /** renders a template string (or a value holding templates) in this step's scope */
  render(value: unknown): Promise<unknown>;
  /** --dry-run: read-only steps run for real; change steps describe what they would do and change nothing */
  readonly dryRun: boolean;
  readonly signal: AbortSignal;
  /** a line into the execution record (masked by the engine) */
  log(message: string): void;
  /** values that must never appear in output (passwords, tokens): the engine masks them everywhere */
  addSecret(value: string): void;
  /** run another MOP as a sub-procedure (step type `mop`); depth is limited by the engine */
  runSubMop?(reference: string, inputs: Record<string, unknown>): Promise<StepOutcome>;
  /** the run's flags that steps need */
  readonly options: {
    /** `--approve all|ID,…`: approval gates answered by flag */
    approve: 'all' | readonly string[];
    /** the run has a TTY for interactive prompts */
    interactive: boolean;
  };
  /** the current step's id (approval gates, logs) */
  readonly stepId: string;
  /**
   * Change steps: call with the undo lines just before pushing. The engine writes them to the store
   * at once (awaited), so a run killed mid-push (kill -9) still lets `mop rollback EXECUTION` undo the
   * half-pushed change. The outcome's `undo` is still what the finished step records: `undo: []` (or
   * `recordUndo([])`) voids what was recorded, for a change the step rolled back itself.
   */
  recordUndo?(lines: string[]): Promise<void>;
}

export type StepStatus = 'passed' | 'failed' | 'skipped';

/** One thing a check judged, e.g. a BGP neighbour: `ok: false` items make the step fail. */
export interface CheckItem {
  item: string;
  ok: boolean;
  reason?: string;
}

export interface StepOutcome {
  status: StepStatus;
  /** why it failed (or was skipped); shown in output and JUnit */
  message?: string;
  /** raw text output (command output, script stdout); masked by the engine */
  output?: string;
  /** parsed records, kept as steps.<id>.records for later steps */
  records?: Record<string, unknown>[];
  /** named values, kept as steps.<id>.captures.<name> and in the run's captures */
  captures?: Record<string, unknown>;
  /** per-item verdicts of check steps */
  items?: CheckItem[];
  /** a change step changed (or, in dry-run, would change) the device */
  changed?: boolean;
  /** config lines a change step pushed (or would push, in dry-run) */
  pushed?: string[];
  /**
   * config lines that undo what this step pushed, computed before the change; the engine keeps
   * them in the record so `mop rollback EXECUTION` can undo a half-pushed change later
   */
  undo?: string[];
  /** anything else worth keeping in steps.<id> (e.g. http status and body) */
  data?: Record<string, unknown>;
}

export interface StepType<Schema extends z.ZodType = z.ZodType> {
  /** canonical name, e.g. `command` */
  readonly name: string;
  /** the seed's names that mean the same, e.g. `run_command` */
  readonly aliases?: readonly string[];
  /** one line for `step-type list` */
  readonly description: string;
  /** `device`: needs a device; `run`: only as run_once; `any`: either */
  readonly scope: 'device' | 'run' | 'any';
  /** read-only steps run for real under --dry-run; the others must honour ctx.dryRun */
  readonly readOnly: boolean;
  /** parameters (everything in the step's YAML besides the engine's own keys) */
  readonly params: Schema;
  /**
   * static checks for `mop validate` beyond the schema (a template, stack or command exists);
   * return messages, empty when fine
   */
  check?(params: z.infer<Schema>, env: { cwd: string; home: string }): Promise<string[]> | string[];
  run(params: z.infer<Schema>, ctx: StepContext): Promise<StepOutcome>;
}

/**
 * Keys the engine reads from every step; everything else is the step type's parameters:
 * id, name, type, when, on_success, on_failure, continue_on_error, run_once, per_batch,
 * retries, until, interval, timeout, description.
 */
export const ENGINE_STEP_KEYS = [
  'id',
  'name',
  'type',
  'description',
  'when',
  'on_success',
  'on_failure',
  'continue_on_error',
  'run_once',
  'per_batch',
  'retries',
  'until',
  'interval',
  'timeout',
] as const;

/** Helper so step modules get their parameter types inferred. */
export function defineStep<Schema extends z.ZodType>(step: StepType<Schema>): StepType<Schema> {
  return step;
}
