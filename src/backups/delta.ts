import { commonRuns, splitLines, type CommonRun } from './line-diff.js';

/**
 * Line deltas between two versions of a config: the target as copies of line ranges from the base
 * and literal inserted lines. Text format (compressed by the content store):
 *   `=START,COUNT` copy COUNT base lines from START;  `+COUNT` then COUNT literal lines.
 * Applying a delta to its base gives the target back byte for byte.
 */
export function encodeDelta(base: string, target: string): string {
  const a = splitLines(base);
  const b = splitLines(target);
  const out: string[] = [];
  let bi = 0;
  for (const run of commonRuns(a, b)) {
    if (run.bStart > bi) {
      out.push(`+${run.bStart - bi}`);
      for (let j = bi; j < run.bStart; j++) out.push(b[j]!);
    }
    out.push(`=${run.aStart},${run.count}`);
    bi = run.bStart + run.count;
  }
  if (bi < b.length) {
    out.push(`+${b.length - bi}`);
    for (let j = bi; j < b.length; j++) out.push(b[j]!);
  }
  return out.join('\n');
}

export function applyDelta(base: string, delta: string): string {
  return applyDeltaWithRuns(splitLines(base), delta).lines.join('\n');
}

/**
 * A delta (`=START,COUNT` copies base lines, `+COUNT` then COUNT literal lines) applied
 * to the base's lines, giving the target's lines and the runs both share; runs is null when the
 * copies do not go forwards through the base.
 */
export function applyDeltaWithRuns(base: readonly string[], delta: string): { lines: string[]; runs: CommonRun[] | null } {
  const ops = delta === '' ? [] : delta.split('\n');
  const lines: string[] = [];
  const runs: CommonRun[] = [];
  let forwards = true;
  for (let i = 0; i < ops.length; ) {
    const op = ops[i++]!;
    if (op.startsWith('=')) {
      const comma = op.indexOf(',');
      const start = Number(op.slice(1, comma));
      const count = Number(op.slice(comma + 1));
      if (!Number.isInteger(start) || !Number.isInteger(count) || start < 0 || count < 0 || start + count > base.length) {
        throw new Error(`corrupt delta: copy '${op.slice(0, 20)}' outside a base of ${base.length} lines`);
      }
      const last = runs[runs.length - 1];
      if (last && start < last.aStart + last.count) forwards = false;
      if (last && last.aStart + last.count === start && last.bStart + last.count === lines.length) last.count += count;
      else if (count > 0) runs.push({ aStart: start, bStart: lines.length, count });
      for (let k = start; k < start + count; k++) lines.push(base[k]!);
    } else if (op.startsWith('+')) {
      const count = Number(op.slice(1));
      for (let k = 0; k < count; k++) lines.push(ops[i++]!);
    } else {
      throw new Error(`corrupt delta: unexpected '${op.slice(0, 20)}'`);
    }
  }
  return { lines, runs: forwards ? runs : null };
}
