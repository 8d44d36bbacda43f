import type { Output } from '../cli/output.js';
import type { DeviceResult, RunEvent, RunSummary } from '../runner/types.js';
import { exitCodeFor, formatResultLine, formatSummary, nameWidthFor, resultDetail } from './format.js';
import { ProgressModel } from './progress-model.js';

export type ProgressMode = 'live' | 'plain' | 'json' | 'structured';

export interface ProgressOptions<T> {
  /** shown at the top of the live view, e.g. 'run' */
  title: string;
  /** every device of the run, skipped ones included: sets the name column width and the total */
  devices: readonly string[];
  /** the per-device object for --json/--yaml; default: the result as is */
  toJson?: (result: DeviceResult<T>) => unknown;
  /** text printed for a device after the run on a human terminal (e.g. `run` output under a header) */
  details?: (result: DeviceResult<T>) => string | undefined;
  /** printed on a human terminal after the details, before the summary (e.g. a table of results) */
  beforeSummary?: (summary: RunSummary<T>) => void;
  /** override the mode chosen from the output format, TTY and CI */
  mode?: ProgressMode;
  env?: NodeJS.ProcessEnv;
  /** where the live view draws (default process.stdout); tests pass a fake TTY */
  liveStdout?: NodeJS.WriteStream;
}

export interface ProgressReporter<T> {
  readonly mode: ProgressMode;
  onEvent(event: RunEvent<T>): void;
  /** prints what remains (details, summary) and returns the exit code for the run */
  finish(summary: RunSummary<T>): Promise<number>;
}

const RENDER_INTERVAL_MS = 100;

export function chooseProgressMode(out: Output, env: NodeJS.ProcessEnv = process.env): ProgressMode {
  if (out.format === 'json') return 'json';
  if (out.format === 'yaml') return 'structured';
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
  return out.isTTY && !ci ? 'live' : 'plain';
}

/**
 * Progress and results of a fan-out run, in the form the terminal wants: an ink live view on a
 * TTY, one plain line per finished device otherwise, one JSON object per device with --json.
 * Creating a live reporter is async because ink and react are imported only then.
 */
export async function createProgressReporter<T>(out: Output, options: ProgressOptions<T>): Promise<ProgressReporter<T>> {
  const mode = options.mode ?? chooseProgressMode(out, options.env);
  const width = nameWidthFor(options.devices);
  const toJson = options.toJson ?? ((r: DeviceResult<T>) => r);
  const paint = (status: string, text: string): string => out.status(status).replace(status, text);

  const printHumanEnd = (summary: RunSummary<T>): void => {
    if (options.details) {
      for (const result of summary.results) {
        const text = options.details(result);
        if (text === undefined) continue;
        out.line(out.colors.bold(`=== ${result.device} ===`));
        out.line(text.replace(/\n+$/, ''));
        out.line();
      }
    }
    options.beforeSummary?.(summary);
    for (const line of formatSummary(summary, width)) out.line(line);
  };

  if (mode === 'json') {
    return {
      mode,
      onEvent: (event) => {
        if (event.type === 'result') out.jsonLine({ type: 'device', ...(toJson(event.result) as object) });
      },
      finish: async (summary) => {
        out.jsonLine({ type: 'summary', ...summary.counts, interrupted: summary.interrupted, durationMs: summary.durationMs });
        return exitCodeFor(summary);
      },
    };
  }

  if (mode === 'structured') {
    return {
      mode,
      onEvent: () => undefined,
      finish: async (summary) => {
        out.data({ results: summary.results.map(toJson), summary: { ...summary.counts, interrupted: summary.interrupted, durationMs: summary.durationMs } });
        return exitCodeFor(summary);
      },
    };
  }

  if (mode === 'plain') {
    return {
      mode,
      onEvent: (event) => {
        if (event.type === 'result') out.line(formatResultLine(event.result, width, paint));
      },
      finish: async (summary) => {
        if (options.details) out.line();
        printHumanEnd(summary);
        return exitCodeFor(summary);
      },
    };
  }

  const { mountLiveView } = await import('./live-view.js');
  const model = new ProgressModel(options.title, options.devices.length, resultDetail);
  const view = mountLiveView(model.snapshot(), width, options.liveStdout);
  let timer: NodeJS.Timeout | undefined;
  const refresh = (): void => {
    timer = undefined;
    view.update(model.snapshot());
  };
  return {
    mode,
    onEvent: (event) => {
      model.apply(event);
      timer ??= setTimeout(refresh, RENDER_INTERVAL_MS);
    },
    finish: async (summary) => {
      if (timer) clearTimeout(timer);
      refresh();
      await view.stop();
      printHumanEnd(summary);
      return exitCodeFor(summary);
    },
  };
}
