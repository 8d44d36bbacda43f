import { createServer, type IncomingMessage, type Server } from 'node:http';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCredential, loadToken, updateCredential } from '../src/credentials/index.js';
import { approvalPrompt, approvalStep } from '../src/mops/steps/approval.js';
import { httpStep } from '../src/mops/steps/http.js';
import { builtinStepTypes } from '../src/mops/steps/index.js';
import { logStep } from '../src/mops/steps/log.js';
import { mopStep } from '../src/mops/steps/mop.js';
import { scriptStep } from '../src/mops/steps/script.js';
import { waitStep } from '../src/mops/steps/wait.js';
import { liteHarness, type LiteHarness } from './helpers/mop-step-context-lite.js';

const TOKEN = 'tok-3f9a1c7e5b2d8a64';
const EXAMPLE = resolve(import.meta.dirname, '../mops/scripts/example_check.py');
const PYTHON = '/usr/bin/python3';

let harness: LiteHarness;
let server: Server;
let base: string;
let scripts: string;
const seen: { method: string; url: string; authorization?: string; apiKey?: string; body: string }[] = [];

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((done) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => done(text));
  });
}

beforeAll(async () => {
  harness = await liteHarness();
  scripts = mkdtempSync(join(tmpdir(), 'netstacks-scripts-'));
  server = createServer((request, response) => {
    void readBody(request).then((body) => {
      seen.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, apiKey: request.headers['x-api-key'] as string | undefined, body });
      const send = (status: number, value: unknown, type = 'application/json') => {
        response.writeHead(status, { 'content-type': type });
        response.end(typeof value === 'string' ? value : JSON.stringify(value));
      };
      if (request.url === '/devices') return send(200, { count: 2, results: [{ name: 'r1', status: { value: 'active' } }, { name: 'r2', status: { value: 'planned' } }] });
      if (request.url === '/whoami') {
        // echoes the header back, as careless APIs do: the step's output must still come out masked
        if (request.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { detail: 'no token' });
        return send(200, { user: 'ci', seen: request.headers.authorization });
      }
      if (request.url === '/keyed') return send(request.headers['x-api-key'] === TOKEN ? 204 : 403, '');
      if (request.url === '/changes') return send(201, { id: 42, echo: JSON.parse(body || 'null') as unknown });
      if (request.url === '/html') return send(200, '<html>hi</html>', 'text/html');
      return send(404, { detail: 'not found' });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const ctx = await harness.context();
  await addCredential(ctx.store, ctx.env.secrets, { name: 'api-token', kind: 'token', token: TOKEN });
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  await harness.cleanup();
  rmSync(scripts, { recursive: true, force: true });
});

describe('registry', () => {
  it('registers the flow, http, email and script types with the seed names as aliases', () => {
    const types = builtinStepTypes();
    for (const name of ['wait', 'approval', 'manual_approval', 'http', 'api_call', 'webhook', 'email', 'script', 'custom_python', 'log', 'mop']) {
      expect(types.has(name), name).toBe(true);
    }
    expect(types.get('custom_python')!.name).toBe('script');
    expect(types.get('webhook')!.name).toBe('http');
  });
});

describe('wait', () => {
  it('waits the given seconds', async () => {
    const started = Date.now();
    const { outcome } = await harness.run(waitStep, { seconds: 0.2 });
    expect(outcome.status).toBe('passed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('ends at once when the run is aborted, and fails', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const { outcome } = await harness.run(waitStep, { seconds: 30 }, { controller });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/interrupted after 0\.\d s of a 30 s wait/);
  });

  it('refuses a negative or missing duration', () => {
    expect(waitStep.params.safeParse({ seconds: -1 }).success).toBe(false);
    expect(waitStep.params.safeParse({}).success).toBe(false);
    expect(waitStep.params.safeParse({ seconds: 1, second: 2 }).success).toBe(false);
  });
});

describe('approval', () => {
  it('fails without a TTY and says how to approve it in CI', async () => {
    const { outcome } = await harness.run(approvalStep, { message: 'Push to core?' }, { stepId: 'go_live' });
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toContain('--approve go_live');
  });

  it('passes when --approve names the step or says all, and not for another id', async () => {
    expect((await harness.run(approvalStep, {}, { stepId: 'go_live', options: { approve: ['other', 'go_live'], interactive: false } })).outcome.status).toBe('passed');
    expect((await harness.run(approvalStep, {}, { stepId: 'go_live', options: { approve: 'all', interactive: false } })).outcome.status).toBe('passed');
    expect((await harness.run(approvalStep, {}, { stepId: 'go_live', options: { approve: ['go'], interactive: false } })).outcome.status).toBe('failed');
  });

  it('under --dry-run does not block: it says what it would ask', async () => {
    const { outcome } = await harness.run(approvalStep, { message: 'Push?' }, { stepId: 'gate', dryRun: true });
    expect(outcome).toMatchObject({ status: 'passed', message: "would ask 'Push?' (approve it with --approve gate in CI)" });
  });

  it('asks on a terminal; yes passes and anything else fails', async () => {
    const original = approvalPrompt.read;
    const questions: string[] = [];
    try {
      approvalPrompt.read = (question) => (questions.push(question), Promise.resolve(questions.length === 1 ? 'yes' : 'n'));
      const options = { approve: [] as string[], interactive: true };
      expect((await harness.run(approvalStep, { message: 'Reload r1?' }, { options })).outcome.status).toBe('passed');
      const refused = await harness.run(approvalStep, { message: 'Reload r1?' }, { options });
      expect(refused.outcome).toMatchObject({ status: 'failed', message: expect.stringMatching(/refused/) });
      expect(questions[0]).toContain('Reload r1?');
    } finally {
      approvalPrompt.read = original;
    }
  });
});

describe('log and mop', () => {
  it('log writes its message into the record', async () => {
    const { outcome, ctx } = await harness.run(logStep, { message: 'window opened', level: 'warning' });
    expect(outcome.status).toBe('passed');
    expect(ctx.logs).toEqual(['warning: window opened']);
  });

  it('mop hands the sub-MOP to the engine and reports its verdict', async () => {
    const calls: unknown[] = [];
    const runSubMop = (reference: string, inputs: Record<string, unknown>) => (calls.push([reference, inputs]), Promise.resolve({ status: 'failed' as const }));
    const { outcome } = await harness.run(mopStep, { mop: 'ntp-check', inputs: { server: '10.0.0.1' } }, { runSubMop });
    expect(calls).toEqual([['ntp-check', { server: '10.0.0.1' }]]);
    expect(outcome).toMatchObject({ status: 'failed', message: "sub-MOP 'ntp-check' failed" });
    expect((await harness.run(mopStep, { mop: 'x' })).outcome.status).toBe('failed');
  });
});

describe('http', () => {
  it('checks the status and captures by JMESPath', async () => {
    const { outcome } = await harness.run(httpStep, {
      url: `${base}/devices`,
      captures: { count: 'count', active: "results[?status.value=='active'].name", first: 'results[0].name' },
      assert: ['count > `1`'],
    });
    expect(outcome.status).toBe('passed');
    expect(outcome.captures).toEqual({ count: 2, active: ['r1'], first: 'r1' });
    expect(outcome.data).toMatchObject({ status: 200 });
  });

  it('fails on an unexpected status, a false assertion, or a non-JSON answer to capture from', async () => {
    const missing = await harness.run(httpStep, { url: `${base}/nothing` });
    expect(missing.outcome).toMatchObject({ status: 'failed', message: `GET ${base}/nothing: status 404, expected 2xx` });
    const wrong = await harness.run(httpStep, { url: `${base}/devices`, expect_status: [201, 202] });
    expect(wrong.outcome.message).toContain('status 200, expected 201 or 202');
    const assertion = await harness.run(httpStep, { url: `${base}/devices`, assert: ['count > `5`'] });
    expect(assertion.outcome).toMatchObject({ status: 'failed', items: [{ item: 'count > `5`', ok: false }] });
    const html = await harness.run(httpStep, { url: `${base}/html`, captures: { x: 'a' } });
    expect(html.outcome.message).toMatch(/not JSON \(text\/html\)/);
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const refused = await harness.run(httpStep, { url: `http://127.0.0.1:${port}/` });
    expect(refused.outcome.message).toMatch(/connection refused/);
  });

  it('sends a JSON body with the expected status', async () => {
    const { outcome } = await harness.run(httpStep, { url: `${base}/changes`, method: 'post', body: { ticket: 'CHG-1', lines: 3 }, expect_status: 201, captures: { id: 'id' } });
    expect(outcome).toMatchObject({ status: 'passed', captures: { id: 42 }, changed: true });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ ticket: 'CHG-1', lines: 3 });
  });

  it('sends the bearer token from a token credential and masks it', async () => {
    const { outcome, ctx } = await harness.run(httpStep, { url: `${base}/whoami`, auth: 'api-token', captures: { seen: 'seen' } });
    expect(outcome.status).toBe('passed');
    expect(seen.at(-1)!.authorization).toBe(`Bearer ${TOKEN}`);
    expect(ctx.secretsAdded).toContain(TOKEN);
    const shown = ctx.mask(JSON.stringify(outcome));
    expect(shown).not.toContain(TOKEN);
    expect(shown).toContain('Bearer ********');
  });

  it('sends an API key in the named header', async () => {
    const { outcome } = await harness.run(httpStep, { url: `${base}/keyed`, auth: { credential: 'api-token', scheme: 'header', header: 'X-API-Key' }, expect_status: 204 });
    expect(outcome.status).toBe('passed');
    expect(seen.at(-1)!.apiKey).toBe(TOKEN);
  });

  it('takes the token from NETSTACKS_CREDENTIAL_<NAME>_TOKEN in CI, without the store', async () => {
    process.env.NETSTACKS_CREDENTIAL_CI_API_TOKEN = TOKEN;
    try {
      const { outcome } = await harness.run(httpStep, { url: `${base}/whoami`, auth: 'ci-api' });
      expect(outcome.status).toBe('passed');
    } finally {
      delete process.env.NETSTACKS_CREDENTIAL_CI_API_TOKEN;
    }
  });

  it('refuses inline secrets and bad JMESPath', () => {
    const inline = httpStep.params.safeParse({ url: `${base}/x`, headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(inline.success).toBe(false);
    expect(JSON.stringify(inline.error)).toContain('come from a credential');
    expect(httpStep.params.safeParse({ url: 'http://u:p@127.0.0.1/' }).success).toBe(false);
    const params = httpStep.params.parse({ url: `${base}/x`, captures: { x: 'results[?' } });
    expect(httpStep.check!(params, { cwd: '.', home: '.' })).toEqual([expect.stringMatching(/^capture 'x': /)]);
  });

  it('under --dry-run sends GET but only describes a POST', async () => {
    const before = seen.length;
    const post = await harness.run(httpStep, { url: `${base}/changes`, method: 'POST', body: { a: 1 } }, { dryRun: true });
    expect(post.outcome).toMatchObject({ status: 'passed', message: `would send POST ${base}/changes` });
    expect(seen.length).toBe(before);
    await harness.run(httpStep, { url: `${base}/devices` }, { dryRun: true });
    expect(seen.length).toBe(before + 1);
  });
});

describe('script', () => {
  function script(name: string, body: string): string {
    const file = join(scripts, name);
    writeFileSync(file, body);
    chmodSync(file, 0o755);
    return file;
  }

  it('runs the shipped Python example: passes, fails and captures', async () => {
    const pass = await harness.run(scriptStep, { path: EXAMPLE, interpreter: PYTHON, params: { version: '15.2(4)M7', minimum: '15.2' } });
    expect(pass.outcome).toMatchObject({ status: 'passed', captures: { version_ok: true, version_parts: [15, 2, 4, 7] } });
    const fail = await harness.run(scriptStep, { path: EXAMPLE, interpreter: PYTHON, params: { version: '12.4', minimum: '15.2' } });
    expect(fail.outcome).toMatchObject({ status: 'failed', message: 'the run: 12.4 is older than 15.2' });
  });

  it('gives the script its params and context as JSON on stdin', async () => {
    const echo = script('echo.sh', '#!/bin/sh\nINPUT=$(cat)\nprintf \'{"status": "passed", "captures": {"input": %s}}\' "$INPUT"\n');
    const { outcome } = await harness.run(scriptStep, { path: echo, params: { a: 1 } }, { stepId: 'probe', scope: { inputs: { site: 'ams' }, steps: { prev: { captures: { v: 'x' } } } } });
    expect(outcome.status).toBe('passed');
    expect(outcome.captures!.input).toMatchObject({ step: 'probe', params: { a: 1 }, inputs: { site: 'ams' }, steps: { prev: { captures: { v: 'x' } } }, dry_run: false });
  });

  it('fails clearly on output that is not JSON, a bad verdict, a non-zero exit, a missing file and a time limit', async () => {
    const chatty = script('chatty.sh', '#!/bin/sh\necho "all good, I think"\necho "trace here" >&2\n');
    const notJson = await harness.run(scriptStep, { path: chatty });
    expect(notJson.outcome.status).toBe('failed');
    expect(notJson.outcome.message).toBe(`script ${chatty} printed 'all good, I think' on stdout, not a JSON object; stderr: trace here`);

    const noVerdict = script('noverdict.sh', '#!/bin/sh\necho \'{"message": "hi"}\'\n');
    expect((await harness.run(scriptStep, { path: noVerdict })).outcome.message).toMatch(/not a step result .*"passed": true\|false/);

    const liar = script('liar.sh', '#!/bin/sh\necho \'{"passed": true}\'\nexit 3\n');
    expect((await harness.run(scriptStep, { path: liar })).outcome).toMatchObject({ status: 'failed', message: expect.stringContaining('exited 3 though it reported passed') });

    expect((await harness.run(scriptStep, { path: join(scripts, 'absent.py') })).outcome.message).toMatch(/: not found$/);

    const slow = script('slow.sh', '#!/bin/sh\nsleep 20\n');
    const started = Date.now();
    const timedOut = await harness.run(scriptStep, { path: slow, time_limit: 0.3 });
    expect(timedOut.outcome.message).toMatch(/still running after 0.3 s, stopped/);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('under --dry-run runs only scripts marked read_only', async () => {
    const marker = join(scripts, 'ran');
    const touch = script('touch.sh', `#!/bin/sh\ntouch ${marker}\necho '{"passed": true}'\n`);
    const skipped = await harness.run(scriptStep, { path: touch }, { dryRun: true });
    expect(skipped.outcome.message).toMatch(/^would run /);
    const ran = await harness.run(scriptStep, { path: touch, read_only: true }, { dryRun: true });
    expect(ran.outcome.status).toBe('passed');
  });
});

describe('token credentials (library)', () => {
  it('hold a token only, are never the default, and loadToken says what is wrong', async () => {
    const ctx = await harness.context();
    const { store, env } = ctx;
    await expect(addCredential(store, env.secrets, { name: 't1', kind: 'token', token: 'abc', password: 'pw' })).rejects.toThrow(/a token credential has no password/);
    await expect(addCredential(store, env.secrets, { name: 't2', kind: 'token' })).rejects.toThrow(/needs its token/);
    await expect(addCredential(store, env.secrets, { name: 't3', kind: 'token', token: 'abc', isDefault: true })).rejects.toThrow(/cannot be the default/);
    await addCredential(store, env.secrets, { name: 'login1', username: 'u', password: 'pw' });
    await expect(loadToken(store.db, env.secrets, 'login1')).rejects.toThrow("credential 'login1' holds no token");
    await expect(loadToken(store.db, env.secrets, 'api-tokn')).rejects.toThrow(/not found/);
    await updateCredential(store, env.secrets, 'api-token', { token: ' rotated-token \n' });
    expect(await loadToken(store.db, env.secrets, 'api-token')).toBe('rotated-token');
    await expect(updateCredential(store, env.secrets, 'api-token', { password: 'x' })).rejects.toThrow(/token credential: it has no password/);
    await updateCredential(store, env.secrets, 'api-token', { token: TOKEN });
  });
});
