import type { Output } from '../cli/output.js';
import type { DeviceRunResult, ExecutionSummary, MopEvent, StepResult } from '../mops/engine/types.js';
import { formatDuration, nameWidthFor } from './format.js';
import { MopProgressModel } from './mop-model.js';
import { chooseProgressMode, type ProgressMode } from './progress.js';

/**
 * Output of `mop run` in the form the terminal wants: the ink grid (steps × devices) on a TTY,
 * one plain line per step and device in CI and pipes, one JSON object per event with --json, the
 * whole summary with --yaml. Messages and outputs arrive masked from the engine.
 */

export interface MopReporterOptions {
  /** device names known up front (name column width) */
  devices?: readonly string[];
  mode?: ProgressMode;
  /** no live view even on a TTY (approval prompts need the terminal) */
  noLive?: boolean;
  env?: NodeJS.ProcessEnv;
  liveStdout?: NodeJS.WriteStream;
  /** lines of a failed step's output shown in the final report (default 20) */
  outputLines?: number;
}

export interface MopReporter {
  readonly mode: ProgressMode;
  onEvent(event: MopEvent): void;
  /** prints what remains: failures in detail and the counts line */
  finish(summary: ExecutionSummary, notes?: string[]): Promise<void>;
}

const RENDER_INTERVAL_MS = 100;
const JSON_FLUSH_MS = 50;
const JSON_FLUSH_BYTES = 64 * 1024;

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n', 1)[0]!.trim();
}

/** `passed   ios-1  pre_check (command)  1.2 s  3 command(s) ran` */
export function formatStepLine(result: StepResult, width: number, paint: (status: string, text: string) => string = (_s, t) => t): string {
  const who = (result.device ?? '(run)').padEnd(width);
  const phase = result.phase === 'rollback' ? 'rollback ' : '';
  const visit = result.visit > 1 ? ` visit ${result.visit}` : '';
  const attempts = result.attempts > 1 ? `, ${result.attempts} attempts` : '';
  const ignored = result.ignoredFailure ? ' (continue_on_error)' : '';
  const message = firstLine(result.message);
  return `${paint(result.status, result.status.padEnd(8))} ${who}  ${phase}${result.stepId} (${result.type})${visit}  ${formatDuration(result.durationMs)}${attempts}${message ? `  ${message}` : ''}${ignored}`;
}

export function formatDeviceLine(result: DeviceRunResult, width: number, paint: (status: string, text: string) => string = (_s, t) => t): string {
  const message = firstLine(result.message);
  return `${paint(result.status, `=> ${result.status}`)} ${result.device.padEnd(width)}  ${formatDuration(result.durationMs)}${message ? `  ${message}` : ''}`;
}

/** Counts line: `4 devices: 2 passed, 1 failed, 1 rolled back in 12.3 s (execution 7f3a…)` */
export function formatCounts(summary: ExecutionSummary): string {
  const by = (status: DeviceRunResult['status']): number => summary.devices.filter((d) => d.status === status).length;
  const parts = [`${by('passed')} passed`, `${by('failed')} failed`];
  if (by('rolled-back') > 0) parts.push(`${by('rolled-back')} rolled back`);
  if (by('rollback-failed') > 0) parts.push(`${by('rollback-failed')} rollback failed`);
  if (by('skipped') > 0) parts.push(`${by('skipped')} skipped`);
  if (by('interrupted') > 0) parts.push(`${by('interrupted')} interrupted`);
  const n = summary.devices.length;
  const results = [...summary.runSteps, ...summary.devices.flatMap((d) => d.steps)];
  const steps = `${results.filter((r) => r.status === 'passed').length}/${results.length} step results passed`;
  const head = `${summary.dryRun ? 'dry run: ' : ''}mop ${summary.mop} ${summary.status}: ${n} device${n === 1 ? '' : 's'}: ${parts.join(', ')}; ${steps} in ${formatDuration(summary.durationMs)}`;
  return `${head} (execution ${summary.executionId})`;
}

/** The failed steps of a run, with their failed check items and the tail of their output. */
export function formatFailures(summary: ExecutionSummary, outputLines = 20): string[] {
  const lines: string[] = [];
  const all = [...summary.runSteps, ...summary.devices.flatMap((d) => d.steps)];
  for (const r of all) {
    if (r.status !== 'failed' && r.status !== 'error') continue;
    lines.push(`${r.device ?? '(run)'}: ${r.phase === 'rollback' ? 'rollback ' : ''}${r.stepId} (${r.type}) ${r.status}${r.ignoredFailure ? ' (continue_on_error)' : ''}: ${firstLine(r.message)}`);
    for (const item of r.items ?? []) if (!item.ok) lines.push(`    ✘ ${item.item}${item.reason ? `: ${item.reason}` : ''}`);
    const rest = (r.message ?? '').split('\n').slice(1).filter((l) => l.trim() !== '');
    for (const l of rest) lines.push(`    ${l}`);
    if (r.output && outputLines > 0) {
      const out = r.output.replace(/\n+$/, '').split('\n');
      const tail = out.slice(-outputLines);
      lines.push(`    --- output${out.length > tail.length ? ` (last ${tail.length} of ${out.length} lines)` : ''} ---`);
      for (const l of tail) lines.push(`    ${l}`);
    }
  }
  for (const d of summary.devices) {
    if (d.status === 'rollback-failed') lines.push(`${d.device}: rollback failed — the device may be half-changed; see 'netstacks mop show-execution ${summary.executionId}' and 'netstacks mop rollback ${summary.executionId}'`);
  }
  if (summary.stoppedEarly) lines.push(`stopped early: ${summary.stoppedEarly}`);
  return lines;
}

/**
 * JSON line of an event: `{event, …}` (`event`, since a step result has its own `type`, the step
 * type): `run-start`, `batch-start`, `device-start`, `step-start`, `step-retry`, `step-log`,
 * `step` (a step result), `rollback-start`, `rollback-end`, `device` (a device result), `stopped`,
 * and last `summary` (the execution summary). Step results are streamed once, in their `step` lines:
 * `device` and `summary` carry step counts, not the results again (a run's outputs would be written twice).
 */
export function eventJson(event: MopEvent): Record<string, unknown> {
  switch (event.type) {
    case 'step-end':
      return { event: 'step', ...event.result };
    case 'device-end': {
      const { steps, ...rest } = event.result;
      return { event: 'device', ...rest, steps: steps.length };
    }
    case 'run-end': {
      const { devices, runSteps, ...rest } = event.summary;
      return { event: 'summary', ...rest, runSteps: runSteps.length, devices: devices.map(({ steps, ...d }) => ({ ...d, steps: steps.length })) };
    }
    default: {
      const { type, ...rest } = event;
      return { event: type, ...rest };
    }
  }
}

export async function createMopReporter(out: Output, options: MopReporterOptions = {}): Promise<MopReporter> {
  let mode = options.mode ?? chooseProgressMode(out, options.env);
  if (mode === 'live' && options.noLive) mode = 'plain';
  let width = nameWidthFor(options.devices ?? []);
  const paint = (status: string, text: string): string => {
    const c = out.colors;
    if (status === 'passed' || status === 'ok') return c.green(text);
    if (status === 'failed' || status === 'error' || status === 'rollback-failed') return c.red(text);
    if (status === 'skipped' || status === 'rolled-back' || status === 'interrupted') return c.yellow(text);
    return text;
  };
  const printEnd = (summary: ExecutionSummary, notes: string[]): void => {
    const failures = formatFailures(summary, options.outputLines ?? 20);
    if (failures.length > 0) {
      out.line();
      out.line(out.colors.bold('failures:'));
      for (const l of failures) out.line(l);
    }
    for (const note of notes) out.info(note);
    out.line(paint(summary.status === 'passed' ? 'passed' : summary.status, formatCounts(summary)));
  };

  if (mode === 'json') {
    let ended = false;
    // lines go out in writes of many (a 100-device run has thousands of events): within
    // JSON_FLUSH_MS of their event, at once past JSON_FLUSH_BYTES, and all of them at the end. The
    // timer is not unref'd, so the lines are written even when the run ends in an error
    let pending: string[] = [];
    let bytes = 0;
    let timer: NodeJS.Timeout | undefined;
    const flush = (): void => {
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (pending.length === 0) return;
      const text = pending.join('\n');
      pending = [];
      bytes = 0;
      out.line(text);
    };
    const write = (value: unknown): void => {
      const line = JSON.stringify(value);
      pending.push(line);
      bytes += line.length;
      if (bytes >= JSON_FLUSH_BYTES) flush();
      else timer ??= setTimeout(flush, JSON_FLUSH_MS);
    };
    return {
      mode,
      onEvent: (event) => {
        if (event.type === 'run-end') ended = true;
        write(eventJson(event));
        if (event.type === 'run-end') flush();
      },
      finish: async (summary) => {
        if (!ended) write(eventJson({ type: 'run-end', summary }));
        flush();
      },
    };
  }
  if (mode === 'structured') {
    return { mode, onEvent: () => undefined, finish: async (summary) => out.data(summary) };
  }
  if (mode === 'plain') {
    let batches = 1;
    // log and wait steps say the same in their result line
    const quiet = new Set<string>();
    return {
      mode,
      onEvent: (event) => {
        switch (event.type) {
          case 'run-start':
            width = Math.max(width, nameWidthFor(event.devices));
            batches = event.batches.length;
            out.line(
              `mop ${event.mop}${event.dryRun ? ' (dry run)' : ''}: ${event.devices.length} device(s), ${event.steps.length} step(s)` +
                `${event.batches.length > 1 ? `, ${event.batches.length} batches` : ''}; execution ${event.executionId}`,
            );
            break;
          case 'batch-start':
            if (batches > 1) out.line(`batch ${event.index + 1}/${batches}: ${event.devices.join(', ')}`);
            break;
          case 'step-start':
            if (event.stepType === 'log' || event.stepType === 'wait') quiet.add(`${event.device ?? ''}\u0000${event.stepId}`);
            break;
          case 'step-retry':
            out.line(`${'retry'.padEnd(8)} ${(event.device ?? '(run)').padEnd(width)}  ${event.stepId} attempt ${event.attempt}${event.message ? `: ${firstLine(event.message)}` : ''}`);
            break;
          case 'step-log':
            if (quiet.has(`${event.device ?? ''}\u0000${event.stepId}`)) break;
            out.line(`${'log'.padEnd(8)} ${(event.device ?? '(run)').padEnd(width)}  ${event.stepId}: ${event.message}`);
            break;
          case 'step-end':
            out.line(formatStepLine(event.result, width, paint));
            break;
          case 'rollback-start':
            out.line(`${paint('rolled-back', 'rollback'.padEnd(8))} ${event.device.padEnd(width)}  ${firstLine(event.reason)}`);
            break;
          case 'device-end':
            out.line(formatDeviceLine(event.result, width, paint));
            break;
          case 'stopped':
            out.line(paint('failed', `stopped: ${event.reason}`));
            break;
          default:
            break;
        }
      },
      finish: async (summary, notes = []) => printEnd(summary, notes),
    };
  }

  const { mountMopView } = await import('./mop-view.js');
  const model = new MopProgressModel();
  let view: ReturnType<typeof mountMopView> | undefined;
  let timer: NodeJS.Timeout | undefined;
  // the elapsed clock moves even when no event comes
  const ticker = setInterval(() => view?.update(model.snapshot()), 1000);
  ticker.unref();
  const refresh = (): void => {
    timer = undefined;
    view?.update(model.snapshot());
  };
  return {
    mode,
    onEvent: (event) => {
      model.apply(event);
      if (event.type === 'run-start') {
        width = Math.max(width, nameWidthFor(event.devices));
        view = mountMopView(model.snapshot(), width, options.liveStdout);
        return;
      }
      timer ??= setTimeout(refresh, RENDER_INTERVAL_MS);
    },
    finish: async (summary, notes = []) => {
      clearInterval(ticker);
      if (timer) clearTimeout(timer);
      if (view) {
        refresh();
        await view.stop();
      }
      printEnd(summary, notes);
    },
  };
}
