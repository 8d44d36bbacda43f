import { describe, expect, it } from 'vitest';
import type { Store } from '../src/store/store.js';
import { ContentReader } from '../src/backups/content-store.js';
import { recordSuccess } from '../src/backups/record.js';
import { diffHunks, maskHunkLines, shownHunks } from '../src/backups/line-diff.js';
import { storedHunks } from '../src/backups/stored-diff.js';
import { applyDeltaWithRuns } from '../src/backups/delta.js';
import { lineLocalMasking, maskSecrets } from '../src/backups/mask.js';
import { seededRandom, useTempStore } from './helpers/store.js';

/**
 * `backup diff` reads the newer of two versions from its delta against the older one and takes the
 * delta's copies as the common runs instead of diffing again. Whatever path a pair takes, the
 * hunks must be the ones a diff of the two texts gives.
 */
let store: Store;
useTempStore('netstacks-backup-diff-', (opened) => (store = opened));

function mutate(text: string, random: () => number): string {
  const lines = text.split('\n');
  for (let e = 0; e < 1 + Math.floor(random() * 8); e++) {
    const at = Math.floor(random() * lines.length);
    const kind = random();
    if (kind < 0.3) lines.splice(at, 0, `interface Loopback${Math.floor(random() * 1000)}`, ` description added ${e}`);
    else if (kind < 0.5) lines.splice(at, 1 + Math.floor(random() * 3));
    else if (kind < 0.7) lines[at] = `snmp-server community secret${Math.floor(random() * 100)} RO`;
    else if (kind < 0.9) lines[at] = `${lines[at] ?? ''} changed`;
    else lines.push('!');
  }
  return lines.join('\n');
}

describe('backup diff from stored versions', () => {
  it('gives the hunks of a diff of the texts for delta pairs, full copies, pairs out of order, masked or not', async () => {
    const random = seededRandom(3);
    let text = Array.from({ length: 600 }, (_, i) => (i % 9 === 0 ? '!' : i % 50 === 1 ? 'username admin secret 9 $9$abcdefgh' : ` ip route 10.${i % 250}.0.0 255.255.0.0 Null0`)).join('\n') + '\n';
    const versions: string[] = [];
    for (let v = 0; v < 24; v++) {
      if (v === 10) text = text.replace(/\n$/, '');
      else if (v === 11) text += '\n\n';
      else if (v > 0) text = mutate(text, random);
      versions.push(text);
    }
    const context = { store, reader: new ContentReader(store.db), fullEvery: 6, snapshotId: null, type: 'manual' as const, deviceIds: new Map<string, number>() };
    const ids: number[] = [];
    for (const config of versions) {
      await recordSuccess(context, 'd1', { platform: 'cisco_ios', format: 'native', config, facts: {} }, 1);
      const row = await store.db.selectFrom('backups').select('content_id').where('device', '=', 'd1').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
      ids.push(row.content_id!);
    }
    const rows = await store.db.selectFrom('backup_contents').select(['id', 'base_id', 'encoding']).execute();
    const deltaPairs = rows.filter((r) => r.encoding === 'br-delta').length;
    expect(deltaPairs).toBeGreaterThan(12);
    expect(rows.filter((r) => r.encoding === 'br-full').length).toBeGreaterThan(2);

    const mask = { text: (t: string) => maskSecrets(t, 'cisco_ios'), lineLocal: lineLocalMasking('cisco_ios') };
    expect(mask.lineLocal).toBe(true);
    let compared = 0;
    for (let i = 1; i < versions.length; i++) {
      for (const [from, to] of [[i - 1, i], [i, i - 1], [0, i]] as const) {
        for (const context of [0, 3]) {
          expect(await storedHunks(store.db, ids[from]!, ids[to]!, context), `${from}->${to} context ${context}`).toEqual(diffHunks(versions[from]!, versions[to]!, context));
          expect(await storedHunks(store.db, ids[from]!, ids[to]!, context, mask)).toEqual(shownHunks(versions[from]!, versions[to]!, context, mask));
          compared++;
        }
      }
    }
    expect(compared).toBe(23 * 3 * 2);
    // masked: the secrets never show, their changes still do
    const masked = (await storedHunks(store.db, ids[0]!, ids[23]!, 3, mask)).flatMap((h) => h.lines.map((l) => l.text));
    expect(masked.join('\n')).not.toMatch(/community secret\d/);
    expect(masked.join('\n')).not.toContain('$9$abcdefgh');
    expect(await storedHunks(store.db, ids[4]!, ids[4]!, 3)).toEqual([]);
  });

  it('reads the runs and lines out of a delta, and refuses copies outside the base', () => {
    const base = ['a', 'b', 'c', 'd'];
    expect(applyDeltaWithRuns(base, '=0,2\n+1\nx\n=3,1')).toEqual({ lines: ['a', 'b', 'x', 'd'], runs: [{ aStart: 0, bStart: 0, count: 2 }, { aStart: 3, bStart: 3, count: 1 }] });
    // copies that go backwards are no diff: no runs, the caller diffs the lines
    expect(applyDeltaWithRuns(base, '=2,2\n=0,2')).toEqual({ lines: ['c', 'd', 'a', 'b'], runs: null });
    expect(() => applyDeltaWithRuns(base, '=3,5')).toThrow(/outside a base of 4 lines/);
    expect(() => applyDeltaWithRuns(base, 'garbage')).toThrow(/corrupt delta/);
  });

  it('masks the shown lines in one pass, or line by line when a rule changes the line count', () => {
    const hunks = diffHunks('a\nsnmp-server community old RO\n', 'a\nsnmp-server community new RO\n', 1);
    maskHunkLines(hunks, { text: (t) => maskSecrets(t, 'cisco_ios'), lineLocal: true });
    expect(hunks[0]!.lines.map((l) => l.op + l.text)).toEqual([' a', '-snmp-server community <secret masked> RO', '+snmp-server community <secret masked> RO']);
    const joined = diffHunks('x\ny\n', 'x\nz\n', 1);
    maskHunkLines(joined, { text: (t) => t.replace(/\n/g, ' '), lineLocal: true });
    expect(joined[0]!.lines.map((l) => l.text)).toEqual(['x', 'y', 'z']);
  });
});
