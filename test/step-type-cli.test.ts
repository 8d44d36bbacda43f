import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runJson, tempHome } from './helpers/cli.js';

const ROOT = resolve(import.meta.dirname, '..');

describe('step-type CLI', () => {
  let home: string;
  let cleanup: () => void;
  let project: string;
  beforeAll(() => {
    ({ home, cleanup } = tempHome('netstacks-steptype-cli-'));
    project = join(home, 'project');
    mkdirSync(join(project, 'mops', 'step-types'), { recursive: true });
    writeFileSync(
      join(project, 'mops', 'step-types', 'notify.yaml'),
      'description: tell the NOC\nparameters:\n  text: {type: string, required: true, description: what to say}\n  level: {type: string, enum: [info, warning], default: info}\nsteps:\n  - type: log\n    message: "{{ params.text }}"\n    level: "{{ params.level }}"\n',
    );
    writeFileSync(join(project, 'mops', 'step-types', 'broken.yaml'), 'steps:\n  - type: wiat\n    seconds: 1\n');
  });
  afterAll(() => cleanup());

  it('lists built-in and user-defined types, warning about bad files with file:line:col', async () => {
    const result = await runCli(['step-type', 'list'], { home, cwd: project });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^http\s+built-in\s+api_call, webhook\s+any\s+no\s+an HTTP request/m);
    expect(result.stdout).toMatch(/^script\s+built-in\s+custom_python\s/m);
    expect(result.stdout).toMatch(/^notify\s+mops\/step-types\/notify\.yaml\s+any\s+yes\s+tell the NOC$/m);
    expect(result.stderr).toContain("broken.yaml:2:11: steps[0].type: unknown built-in step type 'wiat'");
    const json = await runJson<{ name: string; source: string }[]>(['step-type', 'list'], { home, cwd: project });
    expect(json.data.map((t) => t.name)).toEqual(expect.arrayContaining(['wait', 'approval', 'http', 'email', 'script', 'log', 'mop', 'notify']));
  });

  it("shows a type's parameters: built-in from its schema, user-defined with what it expands into", async () => {
    const http = await runJson<{ aliases: string[]; parameters: { name: string; required: boolean; default?: unknown }[] }>(['step-type', 'show', 'api_call'], { home, cwd: project });
    expect(http.data.aliases).toEqual(['api_call', 'webhook']);
    expect(http.data.parameters.find((p) => p.name === 'url')).toMatchObject({ required: true });
    expect(http.data.parameters.find((p) => p.name === 'request_timeout')).toMatchObject({ required: false, default: 30 });
    const user = await runCli(['step-type', 'show', 'notify'], { home, cwd: project });
    expect(user.code, user.stderr).toBe(0);
    expect(user.stdout).toMatch(/^text\s+string\s+yes\s+what to say$/m);
    expect(user.stdout).toMatch(/^level\s+string\s+"info"\s+info, warning$/m);
    expect(user.stdout).toContain('expands into:\n  - type: log\n    message: "{{ params.text }}"');
    const missing = await runCli(['step-type', 'show', 'notfy'], { home, cwd: project });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("did you mean 'notify'?");
  });

  it('validates files: ok, or every error with file:line:col and exit 4', async () => {
    const good = await runCli(['step-type', 'validate', 'mops/step-types/notify.yaml', join(ROOT, 'mops/step-types/api_health.yaml')], { home, cwd: project });
    expect(good.code, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain("mops/step-types/notify.yaml: ok (step type 'notify')");
    const bad = await runCli(['step-type', 'validate', 'mops/step-types/broken.yaml'], { home, cwd: project });
    expect(bad.code).toBe(4);
    expect(bad.stdout).toContain("mops/step-types/broken.yaml:2:11: steps[0].type: unknown built-in step type 'wiat' (did you mean 'wait'?)");
    const json = await runJson<{ valid: boolean; issues: { line: number; column: number }[] }[]>(['step-type', 'validate', 'mops/step-types/broken.yaml'], { home, cwd: project });
    expect(json.code).toBe(4);
    expect(json.data[0]).toMatchObject({ valid: false, issues: [{ line: 2, column: 11 }] });
  });
});

describe('token credentials', () => {
  let home: string;
  let cleanup: () => void;
  beforeAll(() => ({ home, cleanup } = tempHome('netstacks-token-cli-')));
  afterAll(() => cleanup());
  const TOKEN = 'nbx-7d1f0c9e2a5b4b83';

  it('adds a token credential from stdin, shows it without the token, and refuses login-only options', async () => {
    const added = await runCli(['credential', 'add', 'netbox-api', '--type', 'token', '--token-stdin'], { home, input: `${TOKEN}\n` });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout + added.stderr).not.toContain(TOKEN);
    const shown = await runJson<{ kind: string; hasToken: boolean; username: string }>(['credential', 'show', 'netbox-api'], { home });
    expect(shown.data).toMatchObject({ kind: 'token', hasToken: true, username: '' });
    const list = await runCli(['credential', 'list'], { home });
    expect(list.stdout).toMatch(/^netbox-api\s+token\s/m);
    const withUser = await runCli(['credential', 'add', 'x', '--type', 'token', '--username', 'u', '--token-stdin'], { home, input: 'abc\n' });
    expect(withUser.code).toBe(2);
    const noUser = await runCli(['credential', 'add', 'y', '--password-stdin'], { home, input: 'pw\n' });
    expect(noUser.code).toBe(2);
    expect(noUser.stderr).toContain('--username');
    const asDefault = await runCli(['credential', 'set-default', 'netbox-api'], { home });
    expect(asDefault.code).toBe(4);
  });

  it('replaces the token with edit --token-stdin; the database never holds it', async () => {
    const edited = await runCli(['credential', 'edit', 'netbox-api', '--token-stdin'], { home, input: 'second-token-value\n' });
    expect(edited.code, edited.stderr).toBe(0);
    const { readFileSync } = await import('node:fs');
    const db = readFileSync(join(home, 'netstacks.db'));
    expect(db.includes(Buffer.from(TOKEN))).toBe(false);
    expect(db.includes(Buffer.from('second-token-value'))).toBe(false);
  });
});
