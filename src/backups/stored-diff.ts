import type { Db } from '../store/store.js';
import { ContentReader, DELTA, decompress } from './content-store.js';
import { diffLineArrays, maskHunkLines, shownHunks, splitLines, withoutFinalNewline, type CommonRun, type Hunk, type ShownMask } from './line-diff.js';

/**
 * `backup diff` between two stored versions. When the newer one is stored as a delta against the
 * older one (the usual case: a device's last two distinct versions), the delta already is the
 * diff: its copy ops are the common runs the content store computed when it stored the version
 * (delta.ts, with line-diff.ts's commonRuns). The newer text's lines and the runs come out of one
 * pass over the delta, and only the hunks are built: no second diff of two 5 MB texts. Any other
 * pair (a full copy in between, versions picked out of order) is diffed from the texts.
 */
export async function storedHunks(db: Db, fromId: number, toId: number, context: number, mask?: ShownMask): Promise<Hunk[]> {
  if (fromId === toId) return [];
  const reader = new ContentReader(db);
  const aText = await reader.text(fromId);
  // masking rules that may span lines are applied to whole texts before the diff: no shortcut
  if (!mask || mask.lineLocal) {
    const row = await db.selectFrom('backup_contents').select(['base_id', 'encoding', 'data']).where('id', '=', toId).executeTakeFirst();
    if (row && row.encoding === DELTA && row.base_id === fromId) {
      const a = splitLines(aText);
      const { lines: b, runs } = applyDeltaWithRuns(a, decompress(row.data));
      // copies out of order (not what delta.ts writes today) are no diff: then the lines are diffed
      const hunks = diffLineArrays(withoutFinalNewline(a), withoutFinalNewline(b), context, runs ?? undefined);
      return mask ? maskHunkLines(hunks, mask) : hunks;
    }
  }
  return shownHunks(aText, await reader.text(toId), context, mask);
}

/**
 * A delta (delta.ts: `=START,COUNT` copies base lines, `+COUNT` then COUNT literal lines) applied
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
