/**
 * The Jinja2 network-template corpus (../shared/jinja-corpus): every case, in every environment it has an
 * expected output for, byte-identical. expected.default.txt is our `jinja2` environment.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { createEngine, type TemplateEnvName } from '../src/templates/engine/index.js';
import { yamlToPy } from '../src/templates/engine/yaml.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// ../shared beside the clone; a worktree under /work/wt/ looks one level further up
const corpus =
  [process.env.NETSTACKS_JINJA_CORPUS, resolve(repoRoot, '../shared/jinja-corpus'), resolve(repoRoot, '../../shared/jinja-corpus')].find(
    (p): p is string => !!p && existsSync(p),
  ) ?? resolve(repoRoot, '../shared/jinja-corpus');

const ENV_FILES: [TemplateEnvName, string][] = [
  ['jinja2', 'expected.default.txt'],
  ['trim', 'expected.trim.txt'],
  ['ansible', 'expected.ansible.txt'],
];

function caseDirs(): string[] {
  const out: string[] = [];
  for (const group of ['cases', 'ansible-filters/cases']) {
    const dir = join(corpus, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) out.push(join(dir, name));
  }
  return out;
}

function loadVars(dir: string): Record<string, unknown> {
  const doc = parseDocument(readFileSync(join(dir, 'vars.yaml'), 'utf8'), { version: '1.2', schema: 'core' });
  const v = yamlToPy(doc);
  return (v instanceof Map ? Object.fromEntries(v) : v ?? {}) as Record<string, unknown>;
}

const dirs = caseDirs();

describe('jinja corpus', () => {
  it('is present (24 cases)', () => {
    expect(dirs.length).toBe(24);
  });
  for (const dir of dirs) {
    const name = dir.slice(corpus.length + 1);
    for (const [env, file] of ENV_FILES) {
      if (!existsSync(join(dir, file))) continue;
      it(`${name} [${env}]`, () => {
        const engine = createEngine({ env, searchPaths: [dir] });
        const expected = readFileSync(join(dir, file), 'utf8');
        expect(engine.render('template.j2', loadVars(dir))).toBe(expected);
      });
    }
  }
});
