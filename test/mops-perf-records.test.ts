import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveStepTypes, stepTypeFolders } from '../src/mops/engine/step-types.js';
import type { StepResult } from '../src/mops/engine/types.js';
import { getExecution } from '../src/mops/engine/index.js';
import { parseMopText } from '../src/mops/file.js';
import { insertExecution, RecordWriter } from '../src/mops/records.js';
import { userStepTypeDirs } from '../src/mops/user-steps.js';
import { openSqliteStore } from '../src/store/store.js';
import { eventJson } from '../src/ui/mop-progress.js';
import { tempHome } from './helpers/cli.js';

/**
 * What the engine's faster paths (bench/mops-overhead.mjs) must keep: every step × device row in
 * order with its fields, device rows upserted, the JSON summary without repeated outputs.
 */
const temp = tempHome('netstacks-mop-perf-');
afterAll(() => temp.cleanup());

function stepResult(i: number): StepResult {
  return {
    stepId: `s${i % 20}`,
    name: 'command',
    type: 'command',
    device: `d${i % 7}`,
    status: i % 11 === 0 ? 'failed' : 'passed',
    phase: 'main',
    visit: 1,
    attempts: 1 + (i % 3),
    ...(i % 11 === 0 ? { message: `failure ${i}` } : {}),
    output: `output of row ${i}\n`.repeat(1 + (i % 4)),
    ...(i % 5 === 0 ? { captures: { n: i } } : {}),
    startedAt: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`,
    endedAt: '2026-01-01T00:01:00.000Z',
    durationMs: i,
  };
}

describe('MOP records written in batches', () => {
  it('keeps every step row in order with its fields, whatever the batch sizes, and upserts device rows', async () => {
    const store = await openSqliteStore(join(temp.home, 'netstacks.db'));
    try {
      await insertExecution(store, {
        id: 'perf0001', parentId: null, mop: 'm', mopPath: null, hash: 'h', dryRun: false, user: 'u', ciJob: null, inputs: {},
        devices: ['d0'], pid: process.pid, hostname: 'h', processStart: null, startedAt: '2026-01-01T00:00:00.000Z',
      });
      const writer = new RecordWriter(store, 'perf0001');
      const expected: StepResult[] = [];
      // 300 rows in one batch (256 + 32 + 8 + 4), then odd batches that reuse those statement shapes
      for (let d = 0; d < 7; d++) writer.push({ kind: 'device', device: `d${d}`, status: 'running', startedAt: '2026-01-01T00:00:00.000Z' });
      let i = 0;
      for (const size of [300, 37, 1, 256, 45]) {
        for (let k = 0; k < size; k++, i++) {
          expected.push(stepResult(i));
          writer.push({ kind: 'step', result: stepResult(i) });
        }
        await writer.flush();
      }
      for (let d = 0; d < 7; d++) writer.push({ kind: 'device', device: `d${d}`, status: d === 3 ? 'failed' : 'passed', message: `end ${d}`, startedAt: '2026-01-01T00:00:09.000Z', endedAt: '2026-01-01T00:02:00.000Z' });
      await writer.flush();

      const detail = await getExecution(store.db, 'perf0001');
      expect(detail?.steps).toHaveLength(expected.length);
      expect(detail?.steps).toEqual(expected);
      expect(detail?.deviceResults).toHaveLength(7);
      // the first row's start is kept; status, message and end come from the last
      expect(detail?.deviceResults[3]).toEqual({ device: 'd3', status: 'failed', message: 'end 3', startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:02:00.000Z' });
    } finally {
      await store.close();
    }
  });

  it('the --json summary line carries step counts, not the step results again', () => {
    const results = [stepResult(1), stepResult(2)];
    const line = eventJson({
      type: 'run-end',
      summary: {
        executionId: 'e', mop: 'm', hash: 'h', status: 'passed', exitCode: 0, dryRun: false, startedAt: 's', endedAt: 'e', durationMs: 1,
        runSteps: [stepResult(3)],
        devices: [{ device: 'd1', status: 'passed', steps: results, durationMs: 1 }],
        counts: { passed: 1, failed: 0, skipped: 0, total: 1 },
      },
    });
    expect(line).toMatchObject({ event: 'summary', status: 'passed', runSteps: 1, devices: [{ device: 'd1', status: 'passed', steps: 2 }] });
    expect(JSON.stringify(line)).not.toContain('output of row');
  });

  it('a MOP text parsed twice gives the same answer (parsed once)', () => {
    const text = 'name: twice\nsteps:\n  - id: a\n    type: log\n    message: hi\n';
    const first = parseMopText(text, join(temp.home, 'twice.yaml'));
    expect(first.mop?.name).toBe('twice');
    expect(parseMopText(text, join(temp.home, 'twice.yaml'))).toBe(first);
    expect(parseMopText(`${text}\n`, join(temp.home, 'twice.yaml'))).not.toBe(first);
  });

  it('looks for user-defined step types in the folders the loader reads, and loads them only when there are some', async () => {
    const location = { cwd: temp.home, home: temp.home, mopsDirs: [join(temp.home, 'extra')] };
    expect(stepTypeFolders(location)).toEqual(userStepTypeDirs(location));
    expect((await resolveStepTypes(location)).types.has('interface_up')).toBe(false);
    mkdirSync(join(temp.home, 'extra', 'step-types'), { recursive: true });
    writeFileSync(
      join(temp.home, 'extra', 'step-types', 'interface-up.yaml'),
      'name: interface_up\ndescription: an interface is up\nparameters:\n  interface: { type: string, required: true }\nsteps:\n  - type: command\n    command: "show interfaces {{ params.interface }}"\n',
    );
    const found = await resolveStepTypes(location);
    expect(found.issues).toEqual([]);
    expect(found.types.has('interface_up')).toBe(true);
  });
});
