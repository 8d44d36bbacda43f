import type { Db } from '../store/store.js';
import { ContentReader, DELTA, decompress } from './content-store.js';
import { applyDeltaWithRuns } from './delta.js';
import { diffLineArrays, maskHunkLines, shownHunks, splitLines, withoutFinalNewline, type Hunk, type ShownMask } from './line-diff.js';

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
