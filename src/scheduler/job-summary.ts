/**
 * What a job printed with --json, boiled down for the run record and the metrics. A `backup run`
 * prints its snapshot with device counts; other jobs are summarised by their last words.
 */
export interface JobSummary {
  text: string;
  counts?: { total: number; ok: number; failed: number; skipped: number; changed: number };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function findCounts(value: unknown, depth = 0): JobSummary['counts'] {
  if (!value || typeof value !== 'object' || depth > 3) return undefined;
  const o = value as Record<string, unknown>;
  const ok = num(o.success) ?? num(o.ok) ?? num(o.succeeded);
  const failed = num(o.failed);
  if (ok !== undefined && failed !== undefined) {
    const skipped = num(o.skipped) ?? 0;
    return { total: num(o.total) ?? ok + failed + skipped, ok, failed, skipped, changed: num(o.changed) ?? 0 };
  }
  for (const key of ['snapshot', 'summary', 'totals', 'counts', 'result']) {
    const inner = findCounts(o[key], depth + 1);
    if (inner) return inner;
  }
  return undefined;
}

/** Parses the whole stdout as JSON, else its last JSON line (streaming commands print one per line). */
function parseJson(stdout: string): unknown {
  const text = stdout.trim();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    const lines = text.split('\n').reverse();
    for (const line of lines) {
      try {
        return JSON.parse(line);
      } catch {
        // not JSON: keep looking
      }
    }
  }
  return undefined;
}

export function summarizeJob(stdout: string, stderr: string, exitCode: number | null): JobSummary {
  const parsed = parseJson(stdout);
  const counts = findCounts(parsed);
  if (counts) {
    return { text: `devices ${counts.total}: ${counts.ok} ok, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.changed} changed`, counts };
  }
  if (exitCode === 0 && parsed !== null && typeof parsed === 'object') return { text: JSON.stringify(parsed).slice(0, 300) };
  const lastLine = (s: string) => s.trim().split('\n').filter(Boolean).pop()?.slice(0, 300);
  const tail = exitCode === 0 ? lastLine(stdout) ?? lastLine(stderr) : lastLine(stderr) ?? lastLine(stdout);
  return { text: tail ?? (exitCode === 0 ? 'ok' : `exit ${exitCode}`) };
}
