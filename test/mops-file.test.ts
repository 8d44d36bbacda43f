import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { listMops, loadMop, registerStepType, validateMop, type MopIssue } from '../src/mops/engine/index.js';
import { parseMopText } from '../src/mops/file.js';
import { defineStep } from '../src/mops/steps/types.js';
import { tempHome } from './helpers/cli.js';

/** MOP files: every error names file, line and column; the checks past the schema. */
const temp = tempHome('netstacks-mop-file-');
const location = { cwd: temp.home, home: temp.home };
let off: () => void;

beforeAll(() => {
  mkdirSync(join(temp.home, 'mops'), { recursive: true });
  off = registerStepType(
    defineStep({
      name: 'probe_step',
      description: 'test',
      scope: 'any',
      readOnly: true,
      params: z.object({ count: z.number().int().optional(), text: z.string().optional() }).strict(),
      check: (params) => (params.text === 'missing-template' ? ["template 'missing-template' not found"] : []),
      run: async () => ({ status: 'passed' }),
    }),
  );
});
afterAll(() => {
  off();
  temp.cleanup();
});

function write(name: string, text: string): string {
  const file = join(temp.home, 'mops', name);
  writeFileSync(file, text);
  return file;
}

function issuesOf(text: string): MopIssue[] {
  return parseMopText(text, 'm.yaml').issues;
}

describe('MOP file errors carry file, line and column', () => {
  it('an unknown top-level key, with the nearest key suggested', () => {
    const [issue] = issuesOf('name: x\nstratgy: serial\nsteps:\n  - type: probe_step\n');
    expect(issue).toMatchObject({ file: 'm.yaml', line: 2, column: 1, path: 'stratgy', message: "unknown key 'stratgy'", hint: "did you mean 'strategy'?" });
  });

  it('a wrong value deep in the file points at the value', () => {
    const [issue] = issuesOf('name: x\nsettings:\n  max_visits: many\nsteps:\n  - type: probe_step\n');
    expect(issue).toMatchObject({ line: 3, column: 15, path: 'settings.max_visits' });
    expect(issue!.message).toMatch(/number/);
  });

  it('a step without a type points at the step', () => {
    const [issue] = issuesOf('name: x\nsteps:\n  - id: a\n    name: first\n');
    expect(issue).toMatchObject({ line: 3, column: 5, path: 'steps[0].type' });
  });

  it('a jump to an unknown step, with the nearest id', () => {
    const [issue] = issuesOf('name: x\nsteps:\n  - id: check\n    type: probe_step\n    on_failure: fixx\n  - id: fix\n    type: probe_step\n');
    expect(issue).toMatchObject({ line: 5, column: 17, path: 'steps[0].on_failure', message: "on_failure jumps to unknown step 'fixx'", hint: "did you mean 'fix'?" });
  });

  it('an unquoted {{ }} value gets the quoting hint', () => {
    const issues = issuesOf('name: x\nsteps:\n  - type: probe_step\n    text: {{ inputs.version }}\n');
    expect(issues[0]).toMatchObject({ line: 4, column: 11 });
    expect(issues[0]!.hint).toMatch(/must be quoted/);
  });

  it('a YAML syntax error', () => {
    const [issue] = issuesOf('name: x\nsteps:\n  - type: probe_step\n   bad: [1, 2\n');
    expect(issue!.line).toBeGreaterThanOrEqual(4);
    expect(issue!.column).toBeGreaterThan(0);
  });

  it('duplicate step ids and run_once jumps', () => {
    const issues = issuesOf('name: x\nsteps:\n  - { id: a, type: probe_step, run_once: true, on_success: b }\n  - { id: b, type: probe_step }\n  - { id: a, type: probe_step }\n');
    expect(issues.map((i) => [i.line, i.message])).toEqual([
      [5, "step id 'a' is used twice (first at steps[0])"],
      [3, "jumps into or out of a run_once step are not allowed ('a' → 'b')"],
    ]);
  });

  it('loadMop throws exit 4 naming the file and position', async () => {
    const file = write('broken.yaml', 'name: broken\nsteps:\n  - id: a\n    type: probe_step\n    retries: -1\n');
    await expect(loadMop('broken', location)).rejects.toMatchObject({ exitCode: 4, message: expect.stringContaining(`${file}:5:14: steps[0].retries`) });
  });
});

describe('mop validate: checks past the schema', () => {
  it('unknown step types, parameters, templates that do not parse, unknown or later steps read', async () => {
    const file = write(
      'checks.yaml',
      [
        'name: checks',
        'steps:',
        '  - id: first',
        '    type: probe_stepp', // 4
        '  - id: second',
        '    type: probe_step',
        '    count: many', // 7
        '    when: "steps.frist.status == \'passed\'"', // 8
        '  - id: third',
        '    type: probe_step',
        '    text: "{{ steps.fourth.output }}"', // 11
        '  - id: fourth',
        '    type: probe_step',
        '    text: "{{ broken | }}"', // 14
        '  - id: fifth',
        '    type: probe_step',
        '    count: "{{ steps.first.captures.n }}"', // 17: checked once rendered
        '    cuont: 1', // 18
        '  - id: sixth',
        '    type: probe_step',
        '    text: missing-template', // 21
        '',
      ].join('\n'),
    );
    const issues = await validateMop(file, location);
    const at = (line: number) => issues.filter((i) => i.line === line).map((i) => i.message);
    expect(at(4)).toEqual(["unknown step type 'probe_stepp'"]);
    expect(issues.find((i) => i.line === 4)?.hint).toBe("did you mean 'probe_step'?");
    expect(at(7)[0]).toMatch(/number/);
    expect(at(8)).toEqual(["unknown step 'frist'"]);
    expect(issues.filter((i) => i.line === 11).map((i) => [i.severity, i.message])).toEqual([['warning', "'fourth' has not run yet here unless a jump ran it first: only earlier steps can be read"]]);
    expect(at(14)[0]).toMatch(/^template does not parse/);
    expect(at(17)).toEqual([]);
    expect(at(18)).toEqual(["step type 'probe_step' has no parameter 'cuont'"]);
    expect(issues.find((i) => i.message === "template 'missing-template' not found")?.line).toBe(19);
    expect(issues.every((i) => i.file === file && i.column > 0)).toBe(true);
  });

  it('a valid MOP has no issues, and mop list shows it by name', async () => {
    write('good.yaml', 'name: good-one\ndescription: fine\ntargets: "role:core"\nstrategy: { type: canary, first: 1, batch: "25%", max_failures: 1 }\ninputs:\n  v: { type: string, default: "1" }\nsteps:\n  - { id: a, type: probe_step, text: "{{ v }}" }\n  - { id: b, type: probe_step, when: "steps.a.passed", count: 2 }\nrollback:\n  - { id: r, type: probe_step, text: "{{ steps.a.status }}" }\n');
    expect(await validateMop('good-one', location)).toEqual([]);
    const listing = listMops(location).find((m) => m.name === 'good-one');
    expect(listing).toMatchObject({ description: 'fine' });
    expect(listing?.error).toBeUndefined();
    expect(listMops(location).find((m) => m.name === 'broken')?.error).toMatch(/broken\.yaml:5:14/);
  });

  it('an unknown MOP name suggests the nearest (exit 3)', async () => {
    await expect(loadMop('good-on', location)).rejects.toMatchObject({ exitCode: 3, hint: "did you mean 'good-one'?" });
  });
});
