import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { runCli, tempHome } from './helpers/cli.js';

/**
 * `netstacks mop run` from the built binary with http (token credential), a user-defined step
 * type and a log step fed by captures: the token reaches the server and nowhere else.
 */
const temp = tempHome('netstacks-mops-other-run-');
const home = join(temp.home, 'home');
const project = join(temp.home, 'project');
const TOKEN = 'bearer-9c4e1a77f0d2b5aa';
let server: Server;
let base: string;
const authorizations: (string | undefined)[] = [];

const run = (args: string[], options: { env?: Record<string, string | undefined>; input?: string } = {}) =>
  runCli(args, { home, cwd: project, input: options.input, env: { CI: undefined, ...options.env } });

beforeAll(async () => {
  mkdirSync(join(project, 'mops', 'step-types'), { recursive: true });
  mkdirSync(home, { recursive: true });
  server = createServer((request, response) => {
    authorizations.push(request.headers.authorization);
    const ok = request.headers.authorization === `Bearer ${TOKEN}`;
    response.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
    // echoes the header, as careless APIs do
    response.end(JSON.stringify(ok ? { status: 'ok', version: '7.1', you_sent: request.headers.authorization } : { status: 'denied' }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const added = await run(['credential', 'add', 'nms-token', '--type', 'token', '--token-stdin'], { input: `${TOKEN}\n` });
  expect(added.code, added.stderr).toBe(0);
  const login = await run(['credential', 'add', 'ops', '--username', 'ops', '--default', '--password-stdin'], { input: 'pw-not-used\n' });
  expect(login.code, login.stderr).toBe(0);
  expect((await run(['device', 'add', 'r1', '--host', '127.0.0.1', '--platform', 'cisco_ios', '--tag', 'other'])).code).toBe(0);
  writeFileSync(
    join(project, 'mops', 'step-types', 'nms_health.yaml'),
    `description: the NMS answers healthy
parameters:
  path: {type: string, default: /health}
steps:
  - id: probe
    type: http
    url: "${base}{{ params.path }}"
    auth: nms-token
    assert: ["status == 'ok'"]
    captures: {version: version, echoed: you_sent}
`,
  );
  writeFileSync(
    join(project, 'mops', 'nms.yaml'),
    `name: nms
description: http with a token credential, a user-defined type, captures into a log
targets: "tag:other"
steps:
  - id: health
    type: nms_health
    run_once: true
  - id: note
    type: log
    message: "NMS version {{ steps.health.captures.version }}"
`,
  );
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  temp.cleanup();
});

describe('http and user-defined steps in a MOP run', () => {
  it('validates, runs, sends the token, flows captures, and masks the token everywhere', async () => {
    const validated = await run(['mop', 'validate', 'mops/nms.yaml']);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);

    const result = await run(['mop', 'run', 'nms', '--yes', '--json']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(authorizations.at(-1)).toBe(`Bearer ${TOKEN}`);
    expect(result.stdout).toContain('NMS version 7.1');
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    const summary = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { executionId: string };

    const shown = await run(['mop', 'show-execution', summary.executionId, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('7.1');
    expect(shown.stdout).not.toContain(TOKEN);
    for (const file of ['netstacks.db', 'netstacks.db-wal']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(join(home, file));
      } catch {
        continue;
      }
      expect(bytes.includes(Buffer.from(TOKEN)), file).toBe(false);
    }
  });

  it('a wrong token fails the step with the status (exit 10)', async () => {
    const result = await run(['mop', 'run', 'nms', '--yes', '--json'], { env: { NETSTACKS_CREDENTIAL_NMS_TOKEN_TOKEN: 'not-the-token' } });
    expect(result.code, result.stderr).toBe(10);
    expect(result.stdout).toContain('status 401, expected 2xx');
    expect(result.stdout).not.toContain('not-the-token');
  });

  it('a user step given an unknown parameter is an invalid MOP naming it (exit 4)', async () => {
    writeFileSync(join(project, 'mops', 'bad.yaml'), 'name: bad\ntargets: "tag:other"\nsteps:\n  - id: h\n    type: nms_health\n    pth: /x\n');
    const result = await run(['mop', 'validate', 'mops/bad.yaml']);
    expect(result.code).toBe(4);
    expect(result.stdout + result.stderr).toMatch(/pth/);
  });

  it('an email step delivers through the SMTP settings from the built binary', async () => {
    const mails: string[] = [];
    const sink = new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, callback) {
        let raw = '';
        stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
        stream.on('end', () => (mails.push(raw), callback()));
      },
    });
    await new Promise<void>((done) => sink.listen(0, '127.0.0.1', done));
    try {
      const port = (sink.server.address() as AddressInfo).port;
      for (const [key, value] of [['email.smtp_host', '127.0.0.1'], ['email.smtp_port', String(port)], ['email.tls', 'none'], ['email.from', 'mops@example.net']]) {
        expect((await run(['settings', 'set', key!, value!])).code).toBe(0);
      }
      writeFileSync(join(project, 'mops', 'mail.yaml'), 'name: mail\ntargets: "tag:other"\nsteps:\n  - id: tell\n    type: email\n    run_once: true\n    to: noc@example.net\n    subject: "MOP {{ mop.name | default(\'mail\') }} done"\n    body: all good\n');
      const result = await run(['mop', 'run', 'mail', '--yes']);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatch(/^Subject: MOP \S+ done\r$/m);
      expect(mails[0]).toContain('all good');
    } finally {
      await new Promise<void>((done) => sink.close(() => done()));
    }
  });
});
