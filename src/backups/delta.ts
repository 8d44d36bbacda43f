import { commonRuns, splitLines } from './line-diff.js';

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
  const a = splitLines(base);
  const ops = delta === '' ? [] : delta.split('\n');
  const out: string[] = [];
  for (let i = 0; i < ops.length; ) {
    const op = ops[i++]!;
    if (op.startsWith('=')) {
      const comma = op.indexOf(',');
      const start = Number(op.slice(1, comma));
      const count = Number(op.slice(comma + 1));
      for (let k = start; k < start + count; k++) out.push(a[k]!);
    } else if (op.startsWith('+')) {
      const count = Number(op.slice(1));
      for (let k = 0; k < count; k++) out.push(ops[i++]!);
    } else {
      throw new Error(`corrupt delta: unexpected '${op.slice(0, 20)}'`);
    }
  }
  return out.join('\n');
}
