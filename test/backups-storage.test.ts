import { describe, expect, it } from 'vitest';
import type { Store } from '../src/store/store.js';
import { currentProcess } from '../src/locks/index.js';
import { ContentReader, diffHunks, markInterruptedRuns, sha256 } from '../src/backups/index.js';
import { commonRuns } from '../src/backups/line-diff.js';
import { applyDelta, encodeDelta } from '../src/backups/delta.js';
import { recordSuccess } from '../src/backups/record.js';
import { seededRandom, useTempStore } from './helpers/store.js';

/** Storage without devices: delta chains, full copies, dedup, byte-exact reads, diffs, recovery. */
let store: Store;
useTempStore('netstacks-backup-store-', (opened) => (store = opened));

function mutate(text: string, random: () => number): string {
  const lines = text.split('\n');
  const edits = 1 + Math.floor(random() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(random() * lines.length);
    const kind = random();
    if (kind < 0.3) lines.splice(at, 0, `interface Gi0/${Math.floor(random() * 1000)}`, ` description added ${e}`);
    else if (kind < 0.55) lines.splice(at, 1 + Math.floor(random() * 3));
    else if (kind < 0.85) lines[at] = `${lines[at] ?? ''} changed`;
    else lines.push(`trailing ${Math.floor(random() * 100)}`);
  }
  return lines.join('\n');
}

/** Rebuilds the new text from the old one and the hunks: a diff that applies is a correct diff. */
function applyHunks(a: string, hunks: ReturnType<typeof diffHunks>): string {
  const old = a.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let pos = 0;
  for (const h of hunks) {
    while (pos < h.aStart) out.push(old[pos++]!);
    for (const l of h.lines) {
      if (l.op === ' ') {
        expect(old[pos]).toBe(l.text);
        out.push(old[pos++]!);
      } else if (l.op === '-') {
        expect(old[pos]).toBe(l.text);
        pos++;
      } else out.push(l.text);
    }
  }
  while (pos < old.length) out.push(old[pos++]!);
  return out.join('\n');
}

describe('backup storage', () => {
  it('reads every version of a long history back byte for byte, from deltas with periodic full copies', async () => {
    const random = seededRandom(42);
    let text = Array.from({ length: 1500 }, (_, i) => (i % 7 === 0 ? '!' : ` line ${i} permit tcp any host 10.0.${i % 250}.1 eq 443`)).join('\n') + '\n';
    const versions: string[] = [];
    for (let v = 0; v < 60; v++) {
      if (v === 20) text = versions[5]!; // back to an old version: its content is stored already
      else if (v === 30) text = text.replace(/\n$/, ''); // no final newline
      else if (v === 31) text = text.replace(/\n/g, '\r\n'); // CRLF everywhere
      else if (v === 40) text = ''; // empty
      else if (v > 0 && v % 9 !== 0) text = mutate(text, random); // every 9th: unchanged
      versions.push(text);
    }
    const context = { store, reader: new ContentReader(store.db), fullEvery: 5, snapshotId: null, type: 'manual' as const, deviceIds: new Map<string, number>() };
    const ids: number[] = [];
    for (const config of versions) {
      const stored = await recordSuccess(context, 'r1', { platform: 'cisco_ios', format: 'native', config, facts: {} }, 1);
      ids.push(stored.backupId);
    }
    const rows = await store.db.selectFrom('backups').innerJoin('backup_contents', 'backup_contents.id', 'backups.content_id').select(['backups.id', 'backup_contents.id as cid', 'hash', 'encoding', 'depth']).where('device', '=', 'r1').orderBy('backups.id').execute();
    expect(rows).toHaveLength(versions.length);
    const fresh = new ContentReader(store.db, 1); // no useful cache: every read walks its chain
    for (let i = 0; i < versions.length; i++) {
      const text = await fresh.text(rows[i]!.cid);
      expect(text === versions[i], `version ${i}`).toBe(true);
      expect(rows[i]!.hash).toBe(sha256(versions[i]!));
    }
    const contents = await store.db.selectFrom('backup_contents').select(['encoding', 'depth']).execute();
    expect(contents.filter((c) => c.encoding === 'br-delta').length).toBeGreaterThan(20);
    expect(contents.filter((c) => c.encoding === 'br-full').length).toBeGreaterThan(5);
    expect(Math.max(...contents.map((c) => c.depth))).toBeLessThan(5);
    // the revert to version 5 and the unchanged versions added rows but no content
    expect(new Set(rows.map((r) => r.cid)).size).toBe(contents.length);
    expect(rows[20]!.cid).toBe(rows[5]!.cid);
  });

  it('round-trips deltas on edge cases', () => {
    for (const [a, b] of [
      ['', ''],
      ['', 'x\n'],
      ['x\n', ''],
      ['a\nb\nc', 'a\nb\nc\n'],
      ['a\n\n\nb\n', '\n\na\nb'],
      ['same\n', 'same\n'],
      ['=1,2\n+3\n', '+3\n=1,2\n'],
    ] as const) {
      expect(applyDelta(a, encodeDelta(a, b))).toBe(b);
    }
  });

  it('diffs into hunks that turn the old text into the new one', () => {
    const random = seededRandom(7);
    let a = Array.from({ length: 400 }, (_, i) => `line ${i}`).join('\n') + '\n';
    for (let round = 0; round < 30; round++) {
      const b = mutate(a, random);
      const hunks = diffHunks(a, b, 3);
      expect(applyHunks(a, hunks)).toBe(b.replace(/\n$/, ''));
      for (const h of hunks) expect(h.lines.some((l) => l.op !== ' ')).toBe(true);
      a = b;
    }
    expect(diffHunks('x\ny\n', 'x\ny\n')).toEqual([]);
  });

  it('patience anchors: configs with repeated lines and moved blocks still diff into valid, increasing runs', () => {
    const random = seededRandom(11);
    const vocabulary = ['!', ' no shutdown', ' shutdown', ' description uplink', 'end'];
    const config = (n: number) => Array.from({ length: n }, (_, i) => (random() < 0.5 ? vocabulary[Math.floor(random() * vocabulary.length)]! : `interface Gi0/${i}`));
    for (let round = 0; round < 40; round++) {
      const a = config(300);
      const b = [...a];
      for (let k = 0; k < 20; k++) {
        const at = Math.floor(random() * b.length);
        const pick = random();
        if (pick < 0.3) b.splice(at, 1);
        else if (pick < 0.6) b.splice(at, 0, vocabulary[k % vocabulary.length]!);
        else b.splice(at, 0, ...b.splice(Math.floor(random() * b.length), 5));
      }
      const runs = commonRuns(a, b);
      let ai = 0;
      let bi = 0;
      for (const run of runs) {
        expect(run.aStart >= ai && run.bStart >= bi && run.count > 0).toBe(true);
        for (let k = 0; k < run.count; k++) expect(a[run.aStart + k]).toBe(b[run.bStart + k]);
        ai = run.aStart + run.count;
        bi = run.bStart + run.count;
      }
      const at = a.join('\n') + '\n';
      const bt = b.join('\n') + '\n';
      expect(applyHunks(at, diffHunks(at, bt, 3))).toBe(b.join('\n'));
      expect(applyDelta(at, encodeDelta(at, bt))).toBe(bt);
    }
  });

  it('marks runs of dead processes interrupted and leaves live ones alone', async () => {
    const me = currentProcess();
    const row = (pid: number, processStart: string | null) => ({
      type: 'manual',
      selection: null,
      status: 'running',
      total: 3,
      success: 0,
      failed: 0,
      skipped: 0,
      changed: 0,
      pid,
      hostname: me.hostname,
      process_start: processStart,
      started_at: new Date().toISOString(),
      finished_at: null,
    });
    const dead = await store.db.insertInto('backup_snapshots').values(row(2 ** 22 + 12345, null)).returning('id').executeTakeFirstOrThrow();
    const live = await store.db.insertInto('backup_snapshots').values(row(me.pid, me.processStart)).returning('id').executeTakeFirstOrThrow();
    // our pid but another start time: a recycled pid, so the run's process is gone
    const recycled = await store.db.insertInto('backup_snapshots').values(row(me.pid, '1')).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('backups').values({ device: 'r9', snapshot_id: dead.id, type: 'manual', status: 'ok', changed: 1, format: 'native', created_at: new Date().toISOString(), device_id: null, platform: null, error: null, content_id: null, facts_id: null, unsaved: null, duration_ms: null }).execute();

    const marked = await markInterruptedRuns(store);
    expect(marked.sort()).toEqual([dead.id, recycled.id].sort());
    const states = await store.db.selectFrom('backup_snapshots').select(['id', 'status', 'success', 'finished_at']).where('id', 'in', [dead.id, live.id, recycled.id]).execute();
    const byId = new Map(states.map((s) => [s.id, s]));
    expect(byId.get(dead.id)).toMatchObject({ status: 'interrupted', success: 1 });
    expect(byId.get(dead.id)!.finished_at).not.toBeNull();
    expect(byId.get(live.id)!.status).toBe('running');
    expect(byId.get(recycled.id)!.status).toBe('interrupted');
    expect(await markInterruptedRuns(store)).toEqual([]);
  });
});
