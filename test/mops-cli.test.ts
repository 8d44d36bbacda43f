import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { runCli, runJson, tempHome } from './helpers/cli.js';

/**
 * `netstacks mop …` from the built binary, without devices to reach: log, wait, approval and script
 * steps never open a session. Validation positions, listing, confirmation and approval without a
 * TTY, exit codes, history and records, and secrets masked in JSON, JUnit and the store.
 */

const temp = tempHome('netstacks-mops-cli-');
const home = join(temp.home, 'home');
const project = join(temp.home, 'project');
const extra = join(temp.home, 'shared-mops');
const SECRET = 'hunter2-Sup3r-s3cret';

function write(path: string, text: string): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const run = (args: string[], env: Record<string, string | undefined> = {}) => runCli(args, { home, cwd: project, env: { CI: undefined, ...env } });

beforeAll(async () => {
  mkdirSync(home, { recursive: true });
  mkdirSync(project, { recursive: true });
  const credential = await runCli(['credential', 'add', 'ops', '--username', 'ops', '--default', '--password-stdin'], { home, cwd: project, input: 'pw-not-used\n' });
  expect(credential.code, credential.stderr).toBe(0);
  for (const name of ['r1', 'r2']) {
    const added = await run(['device', 'add', name, '--host', '127.0.0.1', '--platform', 'cisco_ios', '--tag', 'mopcli']);
    expect(added.code, added.stderr).toBe(0);
  }
  write(
    join(project, 'mops', 'gate.yaml'),
    `name: gate
description: an approval gate between two log lines
targets: "tag:mopcli"
steps:
  - id: before
    type: log
    message: "before on {{ device.name }}"
  - id: approve_change
    type: approval
    message: go ahead?
  - id: after
    type: log
    message: after
`,
  );
  write(
    join(project, 'mops', 'secret.yaml'),
    `name: secret-input
description: a secret input logged and handed to a script
targets: "tag:mopcli"
inputs:
  token:
    type: string
    required: true
    secret: true
steps:
  - id: show
    type: log
    message: "token is {{ token }}"
  - id: judge
    type: script
    interpreter: ${JSON.stringify(process.execPath)}
    path: ${JSON.stringify(write(join(project, 'scripts', 'fail.mjs'), "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const i=JSON.parse(s);console.log(JSON.stringify({status:'failed',message:'rejected '+i.inputs.token,output:'saw '+i.inputs.token}))});\n"))}
    read_only: true
    continue_on_error: true
  - id: last
    type: log
    message: still ran
`,
  );
  write(join(extra, 'elsewhere.yaml'), 'name: elsewhere\ndescription: from the mops setting\ntargets: "tag:mopcli"\nsteps:\n  - type: log\n    message: hi\n');
});

afterAll(() => temp.cleanup());

describe('mop validate', () => {
  it('names file, line and column of every issue and exits 4', async () => {
    const file = write(
      join(project, 'bad.yaml'),
      [
        'name: bad', //                                  1
        'targets: "tag:mopcli"', //                      2
        'stragety: serial', //                           3  unknown key
        'steps:', //                                     4
        '  - id: one', //                                5
        '    type: log', //                              6
        '    message: hi', //                            7
        '    on_failure: tow', //                        8  unknown jump target
        '  - id: two', //                                9
        '    type: lgo', //                              10 unknown step type
        '    message: "{{ steps.nope.output }}"', //     11 unknown step in a template
        '',
      ].join('\n'),
    );
    const r = await run(['mop', 'validate', file]);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toContain(`${file}:3:1: stragety: unknown key 'stragety'`);
    expect(r.stderr).toContain("hint: did you mean 'strategy'?");
    // the structure (jumps) is checked with the schema; step types and templates once it holds
    const jump = write(join(project, 'bad-jump.yaml'), readFileSync(file, 'utf8').replace('stragety: serial\n', ''));
    const second = await run(['mop', 'validate', jump]);
    expect(second.code).toBe(4);
    expect(second.stderr).toContain(`${jump}:7:17: steps[0].on_failure: on_failure jumps to unknown step 'tow'`);
    expect(second.stderr).toContain("hint: did you mean 'two'?");
    const types = write(join(project, 'bad-types.yaml'), readFileSync(jump, 'utf8').replace('    on_failure: tow\n', ''));
    const third = await run(['mop', 'validate', types]);
    expect(third.code).toBe(4);
    expect(third.stderr).toContain(`${types}:8:11: steps[1].type: unknown step type 'lgo'`);
    expect(third.stderr).toContain("did you mean 'log'?");
    expect(third.stderr).toMatch(new RegExp(`${types}:9:14: .*unknown step 'nope'`));
    const json = await runJson<{ valid: boolean; issues: Array<{ line: number; column: number; message: string }> }>(['mop', 'validate', types], { home, cwd: project });
    expect(json.code).toBe(4);
    expect(json.data.valid).toBe(false);
    expect(json.data.issues.map((i) => [i.line, i.column])).toEqual(expect.arrayContaining([[8, 11], [9, 14]]));
  });

  it('hints at quoting an unquoted {{ }}, and passes a good file', async () => {
    const file = write(join(project, 'unquoted.yaml'), 'name: q\ntargets: "tag:mopcli"\nsteps:\n  - type: log\n    message: {{ who }}\n');
    const r = await run(['mop', 'validate', file]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`${file}:5:14`);
    expect(r.stderr).toMatch(/hint: a value that starts with '\{\{' must be quoted/);
    const ok = await run(['mop', 'validate', 'mops/gate.yaml']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/gate\.yaml: valid \(3 step\(s\), 0 rollback step\(s\)\)/);
  });
});

describe('mop list and show', () => {
  it("lists ./mops and the folders of the 'mops' setting; show prints the steps", async () => {
    const set = await run(['settings', 'set', 'mops', extra]);
    expect(set.code, set.stderr).toBe(0);
    const list = await runJson<Array<{ name: string; path: string }>>(['mop', 'list'], { home, cwd: project });
    expect(list.data.map((m) => m.name)).toEqual(['gate', 'secret-input', 'elsewhere']);
    const show = await runJson<{ name: string; steps: Array<{ id: string; type: string }> }>(['mop', 'show', 'elsewhere'], { home, cwd: project });
    expect(show.code).toBe(0);
    expect(show.data.steps).toMatchObject([{ id: 'step1', type: 'log' }]);
    const human = await run(['mop', 'show', 'gate']);
    expect(human.stdout).toMatch(/approve_change\s+approval/);
    const missing = await run(['mop', 'show', 'gat']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("did you mean 'gate'?");
  });
});

describe('mop run: confirmation, approvals and exit codes', () => {
  it('an approval gate without a TTY fails the device (exit 10); --yes does not answer it; --approve does', async () => {
    const refused = await run(['mop', 'run', 'gate', '--yes']);
    expect(refused.code, refused.stderr).toBe(10);
    expect(refused.stdout).toMatch(/failed\s+r1\s+approve_change \(approval\).*--approve approve_change/);
    expect(refused.stdout).not.toMatch(/passed\s+r1\s+after/);
    const approved = await run(['mop', 'run', 'gate', '--approve', 'approve_change']);
    expect(approved.code, approved.stderr + approved.stdout).toBe(0);
    expect(approved.stdout).toMatch(/passed\s+r2\s+after \(log\)/);
    expect(approved.stdout).toMatch(/mop gate passed: 2 devices: 2 passed, 0 failed/);
  });

  it('a MOP with change steps is refused without a TTY and without --yes (exit 2), and nothing is recorded', async () => {
    const before = await runJson<unknown[]>(['mop', 'history', 'secret-input'], { home, cwd: project });
    const r = await run(['mop', 'run', 'secret-input', '--var', `token=${SECRET}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('changes devices (steps judge)');
    expect(r.stderr).toContain('--yes');
    const after = await runJson<unknown[]>(['mop', 'history', 'secret-input'], { home, cwd: project });
    expect(after.data.length).toBe(before.data.length);
  });

  it('a failure under continue_on_error still exits 10; the secret input never shows in JSON, JUnit, history or the store', async () => {
    const junit = join(temp.home, 'report.xml');
    const r = await run(['mop', 'run', 'secret-input', '--var', `token=${SECRET}`, '--yes', '--json', '--junit', junit]);
    expect(r.code, r.stderr).toBe(10);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = lines.at(-1)!;
    expect(summary.event).toBe('summary');
    expect(summary.exitCode).toBe(10);
    const steps = lines.filter((l) => l.event === 'step');
    expect(steps.filter((s) => s.stepId === 'last').map((s) => s.status)).toEqual(['passed', 'passed']);
    expect(steps.filter((s) => s.stepId === 'judge').every((s) => s.status === 'failed' && s.ignoredFailure === true)).toBe(true);
    expect(r.stdout).not.toContain(SECRET);
    expect(r.stderr).not.toContain(SECRET);

    const xml = readFileSync(junit, 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toContain(SECRET);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml) as { testsuites: Record<string, string> };
    expect(parsed.testsuites).toMatchObject({ '@tests': '6', '@failures': '2', '@skipped': '0' });

    const id = String(summary.executionId);
    const shown = await run(['mop', 'show-execution', id.slice(0, 8), '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const detail = JSON.parse(shown.stdout) as { status: string; inputs: Record<string, unknown>; steps: unknown[] };
    expect(detail.status).toBe('failed');
    expect(detail.steps).toHaveLength(6);
    expect(shown.stdout).not.toContain(SECRET);
    const human = await run(['mop', 'show-execution', id]);
    expect(human.stdout).toMatch(/judge\s+script\s+failed \(ignored\)/);
    expect(human.stdout).not.toContain(SECRET);
    const history = await run(['mop', 'history']);
    expect(history.stdout).toMatch(new RegExp(`${id.slice(0, 8)}\\s+secret-input\\s+failed\\s+10\\s+2`));
    // the store file itself (and its WAL) holds no trace of it
    for (const file of ['netstacks.db', 'netstacks.db-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(home, file));
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from(SECRET)), file).toBe(false);
    }
  });

  it('an unknown execution exits 3 and names history', async () => {
    const r = await run(['mop', 'show-execution', 'zzzzzz']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("netstacks mop history");
  });
});
