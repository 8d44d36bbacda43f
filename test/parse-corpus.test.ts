import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadIndex, matchIndexRow, parseWithTemplates, rowTemplates } from '../src/parse/clitable.js';

// ntc-templates' own conformance cases: tests/<platform>/<command>/*.raw with the records in *.yml.
// The template comes from the corpus index exactly as upstream's tests pick it: platform = folder,
// command = command folder with '_' read as a space, first matching index row.
const repoRoot = resolve(import.meta.dirname, '..');
// shared/ sits beside the clone (CI, /work/main); a git worktree is one level deeper
const corpus = [resolve(repoRoot, '../shared'), resolve(repoRoot, '../../shared')]
  .map((dir) => join(dir, 'textfsm-corpus'))
  .find((dir) => existsSync(dir)) ?? join(resolve(repoRoot, '../shared'), 'textfsm-corpus');
const templatesDir = join(corpus, 'templates');
const testsDir = join(corpus, 'tests');

interface Case {
  platform: string;
  command: string;
  raw: string;
  yml: string;
}

function cases(): Map<string, Case[]> {
  const byPlatform = new Map<string, Case[]>();
  for (const platform of readdirSync(testsDir).sort()) {
    const list: Case[] = [];
    for (const commandDir of readdirSync(join(testsDir, platform)).sort()) {
      const dir = join(testsDir, platform, commandDir);
      for (const file of readdirSync(dir).sort()) {
        if (!file.endsWith('.raw')) continue;
        const yml = join(dir, file.replace(/\.raw$/, '.yml'));
        if (existsSync(yml)) list.push({ platform, command: commandDir.replace(/_/g, ' '), raw: join(dir, file), yml });
      }
    }
    byPlatform.set(platform, list);
  }
  return byPlatform;
}

/** undefined when the case passes, else what differs (first differing record). */
function check(c: Case): string | undefined {
  const index = loadIndex(templatesDir);
  const row = matchIndexRow(index, { Platform: c.platform, Command: c.command });
  if (!row) return `no index row for ${c.platform} / '${c.command}'`;
  let records;
  try {
    records = parseWithTemplates(rowTemplates(index, row), readFileSync(c.raw, 'utf8'));
  } catch (error) {
    return `${(error as Error).message}`;
  }
  const expected = (parseYaml(readFileSync(c.yml, 'utf8')) as { parsed_sample?: unknown[] } | null)?.parsed_sample ?? [];
  if (isDeepStrictEqual(records, expected)) return undefined;
  const n = Math.max(records.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (!isDeepStrictEqual(records[i], expected[i])) {
      return `${records.length} records, expected ${expected.length}; first difference at record ${i} (template ${row.templates.join(':')}):\n  got:      ${JSON.stringify(records[i])}\n  expected: ${JSON.stringify(expected[i])}`;
    }
  }
  return 'records differ';
}

const available = existsSync(join(templatesDir, 'index'));
const summary: string[] = [];
let total = 0;
let passed = 0;

describe.runIf(available)('ntc-templates corpus conformance', () => {
  for (const [platform, list] of available ? cases() : []) {
    it(`${platform}: ${list.length} cases`, () => {
      const failures: string[] = [];
      for (const c of list) {
        const problem = check(c);
        if (problem) failures.push(`${c.raw.slice(testsDir.length + 1)}: ${problem}`);
      }
      total += list.length;
      passed += list.length - failures.length;
      summary.push(`${platform.padEnd(24)} ${list.length - failures.length}/${list.length}`);
      expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
    });
  }
  afterAll(() => {
    process.stdout.write(`\ntextfsm corpus per platform:\n${summary.join('\n')}\ntextfsm corpus: ${passed}/${total} cases pass\n`);
  });
});

it.skipIf(available)('corpus present', () => {
  // CI keeps shared/ beside the clone; without it the conformance suite cannot run
  expect.fail(`textfsm corpus not found at ${corpus}`);
});
