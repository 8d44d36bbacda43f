import * as diffSequencesModule from 'diff-sequences';

/** A run of lines both texts share: `count` lines from a[aStart] equal b[bStart]. */
export interface CommonRun {
  aStart: number;
  bStart: number;
  count: number;
}

type FindCommon = (
  aLength: number,
  bLength: number,
  isCommon: (aIndex: number, bIndex: number) => boolean,
  foundSubsequence: (count: number, aStart: number, bStart: number) => void,
) => void;
// CommonJS with `exports.default`: Node's ESM loader hands over the exports object as the default,
// bundlers the function itself
const loaded = diffSequencesModule.default as unknown as FindCommon | { default: FindCommon };
const findCommon: FindCommon = typeof loaded === 'function' ? loaded : loaded.default;

/** Splits on '\n' keeping a final empty element, so `lines.join('\n')` gives the text back byte for byte. */
export function splitLines(text: string): string[] {
  return text.split('\n');
}

/**
 * The runs of lines two texts share, in order. The common head and tail are trimmed first (most
 * config changes are local), the rest is interned to integers and handed to diff-sequences
 * (Myers' O(ND) with linear space, as used by Jest): 5 MB configs with 1% of lines changed take tens of ms.
 */
export function commonRuns(a: readonly string[], b: readonly string[]): CommonRun[] {
  let head = 0;
  const max = Math.min(a.length, b.length);
  while (head < max && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < max - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;

  const runs: CommonRun[] = [];
  if (head > 0) runs.push({ aStart: 0, bStart: 0, count: head });
  const aEnd = a.length - tail;
  const bEnd = b.length - tail;
  if (aEnd > head && bEnd > head) {
    const ids = new Map<string, number>();
    const intern = (line: string): number => {
      let id = ids.get(line);
      if (id === undefined) {
        id = ids.size;
        ids.set(line, id);
      }
      return id;
    };
    const aIds = new Int32Array(aEnd - head);
    for (let i = head; i < aEnd; i++) aIds[i - head] = intern(a[i]!);
    const bIds = new Int32Array(bEnd - head);
    for (let i = head; i < bEnd; i++) bIds[i - head] = intern(b[i]!);
    findCommon(
      aIds.length,
      bIds.length,
      (i, j) => aIds[i] === bIds[j],
      (count, aStart, bStart) => {
        runs.push({ aStart: aStart + head, bStart: bStart + head, count });
      },
    );
  }
  if (tail > 0) runs.push({ aStart: aEnd, bStart: bEnd, count: tail });
  return runs;
}

/** One line of an edit script between two texts. */
export type DiffLine = { op: ' ' | '-' | '+'; text: string; aLine: number; bLine: number };

export interface Hunk {
  aStart: number;
  aCount: number;
  bStart: number;
  bCount: number;
  lines: DiffLine[];
}

/** Hunks of a unified diff with `context` lines around each change; empty when the texts are equal. */
export function diffHunks(aText: string, bText: string, context = 3): Hunk[] {
  if (aText === bText) return [];
  const a = splitLines(aText.replace(/\n$/, ''));
  const b = splitLines(bText.replace(/\n$/, ''));
  const runs = commonRuns(a, b);
  // the edit script as a sequence of changed blocks between common runs
  const blocks: { aFrom: number; aTo: number; bFrom: number; bTo: number }[] = [];
  let ai = 0;
  let bi = 0;
  for (const run of [...runs, { aStart: a.length, bStart: b.length, count: 0 }]) {
    if (run.aStart > ai || run.bStart > bi) blocks.push({ aFrom: ai, aTo: run.aStart, bFrom: bi, bTo: run.bStart });
    ai = run.aStart + run.count;
    bi = run.bStart + run.count;
  }
  const hunks: Hunk[] = [];
  let current: Hunk | undefined;
  let aPos = 0;
  let bPos = 0;
  for (const block of blocks) {
    const startA = Math.max(block.aFrom - context, 0);
    if (current && startA <= aPos + context) {
      // close enough to the previous change: the shared lines in between join this hunk
      for (let i = aPos, j = bPos; i < block.aFrom; i++, j++) current.lines.push({ op: ' ', text: a[i]!, aLine: i, bLine: j });
    } else {
      if (current) closeHunk(current, a, aPos, bPos, context, hunks);
      const lead = block.aFrom - startA;
      current = { aStart: startA, aCount: 0, bStart: block.bFrom - lead, bCount: 0, lines: [] };
      for (let i = startA, j = block.bFrom - lead; i < block.aFrom; i++, j++) current.lines.push({ op: ' ', text: a[i]!, aLine: i, bLine: j });
    }
    for (let i = block.aFrom; i < block.aTo; i++) current.lines.push({ op: '-', text: a[i]!, aLine: i, bLine: block.bFrom });
    for (let j = block.bFrom; j < block.bTo; j++) current.lines.push({ op: '+', text: b[j]!, aLine: block.aTo, bLine: j });
    aPos = block.aTo;
    bPos = block.bTo;
  }
  if (current) closeHunk(current, a, aPos, bPos, context, hunks);
  return hunks;
}

function closeHunk(hunk: Hunk, a: readonly string[], aPos: number, bPos: number, context: number, out: Hunk[]): void {
  for (let i = aPos, j = bPos; i < Math.min(aPos + context, a.length); i++, j++) hunk.lines.push({ op: ' ', text: a[i]!, aLine: i, bLine: j });
  hunk.aCount = hunk.lines.filter((l) => l.op !== '+').length;
  hunk.bCount = hunk.lines.filter((l) => l.op !== '-').length;
  out.push(hunk);
}

/** `@@ -1,3 +1,4 @@` as diff(1) writes it (a zero-length side starts one line earlier). */
export function hunkHeader(h: Hunk): string {
  const side = (start: number, count: number) => (count === 0 ? `${start},0` : count === 1 ? `${start + 1}` : `${start + 1},${count}`);
  return `@@ -${side(h.aStart, h.aCount)} +${side(h.bStart, h.bCount)} @@`;
}

/** Plain unified diff text (what hooks and exports get). */
export function unifiedDiff(aText: string, bText: string, aLabel: string, bLabel: string, context = 3): string {
  const hunks = diffHunks(aText, bText, context);
  if (hunks.length === 0) return '';
  const out = [`--- ${aLabel}`, `+++ ${bLabel}`];
  for (const h of hunks) {
    out.push(hunkHeader(h));
    for (const l of h.lines) out.push(l.op + l.text);
  }
  return out.join('\n') + '\n';
}

/**
 * Hunks between two stored texts as they may be shown: with `mask`, secrets are masked. When the
 * masking is line-local, the raw texts are diffed and only the lines shown are masked (a 5 MB
 * config is then not masked twice in full; a line whose secret changed shows as changed, masked).
 */
export function shownHunks(aText: string, bText: string, context: number, mask?: { text: (t: string) => string; lineLocal: boolean }): Hunk[] {
  if (!mask) return diffHunks(aText, bText, context);
  if (!mask.lineLocal) return diffHunks(mask.text(aText), mask.text(bText), context);
  const hunks = diffHunks(aText, bText, context);
  for (const h of hunks) for (const l of h.lines) l.text = mask.text(l.text);
  return hunks;
}

export function formatHunks(hunks: Hunk[], aLabel: string, bLabel: string): string {
  if (hunks.length === 0) return '';
  const out = [`--- ${aLabel}`, `+++ ${bLabel}`];
  for (const h of hunks) {
    out.push(hunkHeader(h));
    for (const l of h.lines) out.push(l.op + l.text);
  }
  return out.join('\n') + '\n';
}
