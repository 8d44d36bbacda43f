import type { OperationEnv } from '../../operations/types.js';
import type { Store } from '../../store/store.js';
import type { CheckItem } from '../steps/types.js';
import type { MopFile } from '../file.js';

/**
 * The MOP engine's library API (what the CLI layer calls; it only parses flags and prints).
 *
 *   const loaded = await loadMop('mops/upgrade.yaml', { cwd, home });      // throws MopInvalidError (exit 4)
 *   const issues = await validateMop(loaded, { cwd, home });               // [] when valid
 *   const summary = await runMop(env, loaded, { inputs, dryRun, onEvent }); // summary.exitCode: 0|10|11|130
 */

/** Where MOP files are looked up: `mops/` under cwd, then the `mops` setting (a folder). */
export interface MopLocation {
  cwd: string;
  home: string;
  /** extra folder(s) holding MOPs (the `mops` setting); searched after `<cwd>/mops` */
  mopsDirs?: string[];
}

/** A MOP file read and parsed (schema-valid: loadMop throws MopInvalidError otherwise). */
export interface LoadedMop {
  /** `name:` from the file */
  name: string;
  description?: string;
  /** absolute path of the file */
  path: string;
  /** the file's text, as read */
  source: string;
  /** sha256 hex of the file's bytes: recorded with every execution */
  hash: string;
  /** the parsed, schema-checked MOP */
  mop: MopFile;
}

/** One problem found by `mop validate` (or by loadMop), with where it is. */
export interface MopIssue {
  /** path of the file the issue is in (the MOP, or a user-defined step type) */
  file: string;
  /** 1-based; 0 when no position is known */
  line: number;
  /** 1-based; 0 when no position is known */
  column: number;
  /** YAML path of the offending value, e.g. `steps[3].on_failure` */
  path: string;
  message: string;
  hint?: string;
  severity: 'error' | 'warning';
}

/** A MOP listed by `mop list`. */
export interface MopListing {
  name: string;
  description?: string;
  path: string;
  /** set when the file does not load; the listing still shows it */
  error?: string;
}

export interface RunMopOptions {
  /** input values from --var/--vars, before defaults and type coercion (strings are coerced) */
  inputs?: Record<string, unknown>;
  /** render everything, run read-only steps for real, change steps with ctx.dryRun = true; writes nothing to devices */
  dryRun?: boolean;
  /** `--approve all|ID,…` */
  approve?: 'all' | readonly string[];
  /** a TTY is available for interactive prompts (approval gates) */
  interactive?: boolean;
  /** Ctrl-C: stops the run; the summary's status is `interrupted` and its exit code 130 */
  signal?: AbortSignal;
  /** progress and results as they happen (never throws into the engine: errors are swallowed) */
  onEvent?: (event: MopEvent) => void;
  /** overrides the strategy's parallelism (serial stays 1 unless given) */
  concurrency?: number;
  /** `--on` expression or device names that replace the MOP's `targets` */
  targets?: { on?: string; names?: string[] };
  /** who runs it; default: the OS user and CI job from the environment (GITHUB_RUN_ID, CI_JOB_ID, …) */
  user?: string;
  ciJob?: string;
  /**
   * the store to record into and lock with (locks need Store.write); default: records are written
   * through env.db only when a store is given — the CLI always passes it
   */
  store?: Store;
  /** secrets known up front (env credentials): masked in everything recorded and emitted */
  secrets?: readonly string[];
  /** where `mop` steps resolve MOP names (default: cwd of the process, env.home) */
  location?: MopLocation;
}

export type StepResultStatus = 'passed' | 'failed' | 'skipped' | 'error';

export type DeviceRunStatus = 'passed' | 'failed' | 'rolled-back' | 'rollback-failed' | 'skipped' | 'interrupted';

export type ExecutionStatus = 'running' | 'passed' | 'failed' | 'rollback-failed' | 'interrupted';

/** One step on one device (or once for the run: device undefined). */
export interface StepResult {
  stepId: string;
  /** the step's name, or its type when unnamed */
  name: string;
  type: string;
  /** undefined for run_once steps */
  device?: string;
  status: StepResultStatus;
  /** `rollback` for rollback steps */
  phase: 'main' | 'rollback';
  /** 1-based visit count of this step on this device (jumps may visit twice) */
  visit: number;
  /** attempts made (retries/until) */
  attempts: number;
  message?: string;
  /** masked */
  output?: string;
  captures?: Record<string, unknown>;
  items?: CheckItem[];
  changed?: boolean;
  pushed?: string[];
  undo?: string[];
  /** failed, but continue_on_error let the device go on (the run still exits 10) */
  ignoredFailure?: boolean;
  /** failed, and its on_failure jump handled it (like Ansible's rescue): the device goes on and does not fail for it */
  handled?: boolean;
  startedAt: string;
  endedAt: string;
  durationMs: number;
}

export interface DeviceRunResult {
  device: string;
  status: DeviceRunStatus;
  message?: string;
  steps: StepResult[];
  durationMs: number;
}

export interface ExecutionSummary {
  executionId: string;
  mop: string;
  hash: string;
  status: Exclude<ExecutionStatus, 'running'>;
  /** 0 passed, 10 a step failed, 11 a rollback step failed, 130 interrupted */
  exitCode: number;
  dryRun: boolean;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** run_once steps */
  runSteps: StepResult[];
  devices: DeviceRunResult[];
  counts: { passed: number; failed: number; skipped: number; total: number };
  /** set when the canary threshold stopped new devices from starting */
  stoppedEarly?: string;
}

/**
 * Progress events. Every message and output is masked. Ordering: run-start, then per device
 * device-start → (step-start → step-end)* → rollback-start? → (step-start/step-end phase rollback)* →
 * device-end, interleaved across devices; run_once steps emit step-start/step-end without a device;
 * run-end last.
 */
export type MopEvent =
  | {
      type: 'run-start';
      executionId: string;
      mop: string;
      dryRun: boolean;
      devices: string[];
      /** ids of the main steps, in order (run_once included) */
      steps: string[];
      /** strategy batches, device names each */
      batches: string[][];
    }
  | { type: 'batch-start'; index: number; devices: string[] }
  | { type: 'device-start'; device: string }
  | { type: 'step-start'; stepId: string; name: string; stepType: string; device?: string; phase: 'main' | 'rollback'; visit: number }
  | { type: 'step-retry'; stepId: string; device?: string; attempt: number; message?: string }
  | { type: 'step-log'; stepId: string; device?: string; message: string }
  | { type: 'step-end'; result: StepResult }
  | { type: 'rollback-start'; device: string; reason: string }
  | { type: 'rollback-end'; device: string; status: 'rolled-back' | 'rollback-failed' }
  | { type: 'device-end'; result: DeviceRunResult }
  | { type: 'stopped'; reason: string }
  | { type: 'run-end'; summary: ExecutionSummary };

/** A recorded execution, for `mop history` and `mop show-execution`. */
export interface ExecutionRecord {
  id: string;
  mop: string;
  mopPath: string | null;
  hash: string;
  status: ExecutionStatus;
  exitCode: number | null;
  dryRun: boolean;
  user: string;
  ciJob: string | null;
  /** masked */
  inputs: Record<string, unknown>;
  devices: string[];
  pid: number;
  hostname: string;
  startedAt: string;
  endedAt: string | null;
  message: string | null;
  /** the parent execution of a sub-MOP */
  parentId: string | null;
}

export interface ExecutionDetail extends ExecutionRecord {
  /** every step result in the order they ended */
  steps: StepResult[];
  /** per device: running while the device is in progress */
  deviceResults: Array<{ device: string; status: DeviceRunStatus | 'running'; message?: string; startedAt: string; endedAt: string | null }>;
}

export interface ListExecutionsOptions {
  /** only this MOP's executions */
  mop?: string;
  /** newest first; default 50 */
  limit?: number;
}

export type { OperationEnv };
