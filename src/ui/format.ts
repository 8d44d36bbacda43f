import type { DeviceResult, RunSummary } from '../runner/types.js';
import { ExitCode } from '../core/errors.js';

/** Exit code of a fan-out command: 130 when interrupted, 10 when any device failed, else 0. */
export function exitCodeFor(summary: RunSummary<unknown>): number {
  if (summary.interrupted) return ExitCode.interrupted;
  return summary.counts.failed > 0 ? ExitCode.devicesFailed : ExitCode.ok;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** What a device result says after its name: duration when ok, class and message otherwise. */
export function resultDetail(result: DeviceResult<unknown>): string {
  if (result.status === 'ok') return formatDuration(result.durationMs);
  if (result.status === 'failed') return `${result.errorClass ?? 'protocol'}: ${firstLine(result.message)}`;
  return firstLine(result.message) || 'skipped';
}

/** `ok      ios-1  12 ms`: one line per finished device, for logs and non-TTY terminals. */
export function formatResultLine(result: DeviceResult<unknown>, nameWidth: number, paint: (status: string, text: string) => string = (_s, t) => t): string {
  return `${paint(result.status, result.status.padEnd(7))} ${result.device.padEnd(nameWidth)}  ${resultDetail(result)}`;
}

/** Counts line plus the failed devices with class and message. */
export function formatSummary(summary: RunSummary<unknown>, nameWidth: number): string[] {
  const { ok, failed, skipped, total } = summary.counts;
  const head = `${total} device${total === 1 ? '' : 's'}: ${ok} ok, ${failed} failed, ${skipped} skipped in ${formatDuration(summary.durationMs)}`;
  const lines = [summary.interrupted ? `interrupted: ${head}` : head];
  const failures = summary.results.filter((r) => r.status === 'failed');
  if (failures.length > 0) {
    lines.push('failed:');
    const classWidth = failures.reduce((w, r) => Math.max(w, (r.errorClass ?? 'protocol').length), 0);
    for (const r of failures) {
      lines.push(`  ${r.device.padEnd(nameWidth)}  ${(r.errorClass ?? 'protocol').padEnd(classWidth)}  ${firstLine(r.message)}`);
      if (r.hint) lines.push(`  ${''.padEnd(nameWidth)}  ${''.padEnd(classWidth)}  hint: ${firstLine(r.hint)}`);
    }
  }
  return lines;
}

export function nameWidthFor(devices: readonly string[]): number {
  return Math.min(30, devices.reduce((w, d) => Math.max(w, d.length), 4));
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n', 1)[0]!.trim();
}
