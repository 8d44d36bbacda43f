import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { openSqliteStore } from '../src/store/store.js';
import { homeFiles } from '../src/core/paths.js';
import { configModelFor } from '../src/config/index.js';
import { getExecution, listExecutions } from '../src/mops/engine/index.js';
import { BIN, tempHome } from './helpers/cli.js';
import { registerLabInHome } from './helpers/lab.js';

/**
 * The interactive prompts, answered through a real pseudo-terminal (Python's stdlib `pty`): an
 * `approval` step answered yes and no, the confirmation of `mop run` without `--yes` answered yes
 * and no, and `deploy`'s confirmation answered no. The driver waits for each prompt's text before
 * typing the answer (no fixed sleeps); CI variables are cleared so the CLI sees a person's terminal
 * (ink draws live, as it does for them).
 */
const temp = tempHome('netstacks-tty-');
const project = join(temp.home, 'project');
let lab: LabHandle;
const ios = configModelFor('cisco_ios');

/** Spawns argv under a pty; each step waits for `expect` (a regex over the output, ANSI stripped) then types `send`. */
const DRIVER = String.raw`
import fcntl, json, os, pty, re, select, signal, struct, sys, termios, time
spec = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 160, 0, 0))
    os.chdir(spec['cwd'])
    os.execve(spec['argv'][0], spec['argv'], spec['env'])
ansi = re.compile(r'\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\x1b[=>78]')
out = b''
pos = 0
answered = 0
timed_out = None
deadline = time.time() + spec['timeout']
step_deadline = time.time() + spec['stepTimeout']
def text():
    return ansi.sub('', out.decode('utf8', 'replace')).replace('\r', '')
while True:
    now = time.time()
    if now > deadline or (answered < len(spec['steps']) and now > step_deadline):
        timed_out = answered
        os.kill(pid, signal.SIGKILL)
        break
    ready, _, _ = select.select([fd], [], [], 0.05)
    if ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b''
        if not data:
            break
        out += data
    if answered < len(spec['steps']):
        step = spec['steps'][answered]
        m = re.search(step['expect'], text()[pos:])
        if m:
            pos += m.end()
            os.write(fd, step['send'].encode())
            answered += 1
            step_deadline = time.time() + spec['stepTimeout']
_, status = os.waitpid(pid, 0)
print(json.dumps({'code': os.waitstatus_to_exitcode(status), 'output': text(), 'answered': answered, 'timedOut': timed_out}))
`;

interface PtyResult {
  code: number;
  output: string;
  answered: number;
  timedOut: number | null;
}

function childEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  // ink (is-in-ci) draws only its last frame when CI-style variables are set: a person's terminal has none
  for (const k of Object.keys(env)) if (k === 'CI' || k.startsWith('CI_') || ['CONTINUOUS_INTEGRATION', 'BUILD_NUMBER', 'RUN_ID', 'GITHUB_ACTIONS'].includes(k)) delete env[k];
  return { ...env, TERM: 'xterm-256color', NETSTACKS_HOME: temp.home, NETSTACKS_SECRETS_BACKEND: 'vault', NETSTACKS_MASTER_KEY: 'test-master-key', NO_COLOR: '1' };
}

/** `netstacks <args>` on a pseudo-terminal, answering each prompt as it appears. */
function onTerminal(args: string[], steps: Array<{ expect: string; send: string }>): Promise<PtyResult> {
  const spec = { argv: [process.execPath, BIN, ...args], cwd: project, env: childEnv(), steps, timeout: 90, stepTimeout: 45 };
  return new Promise((done, fail) => {
    const py = spawn('/usr/bin/python3', ['-c', DRIVER, JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    py.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    py.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    py.on('error', fail);
    py.on('close', () => {
      try {
        const result = JSON.parse(stdout) as PtyResult;
        if (result.timedOut !== null) fail(new Error(`no prompt matching ${steps[result.timedOut]?.expect ?? '(end)'} came; the terminal showed:\n${result.output}`));
        else done(result);
      } catch {
        fail(new Error(`pty driver failed: ${stderr}${stdout}`));
      }
    });
  });
}

async function executions() {
  const store = await openSqliteStore(homeFiles.database(temp.home));
  try {
    const list = await listExecutions(store.db);
    return { list, latest: list[0] ? await getExecution(store.db, list[0].id) : undefined };
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  lab = await startLab({ devices: 1, platforms: ['cisco_ios'], quirks: false, port: 0, firstAddress: '127.0.96.1', controlSocket: false });
  mkdirSync(join(project, 'mops'), { recursive: true });
  mkdirSync(join(project, 'tpl', 'cisco_ios'), { recursive: true });
  await registerLabInHome(lab, temp.home);
  writeFileSync(
    join(project, 'mops', 'gated.yaml'),
    `name: gated
targets: [ios-1]
steps:
  - id: gate
    type: approval
    message: Push the NTP server now?
  - id: ntp
    type: config
    lines: [ntp server 192.0.2.201]
`,
  );
  writeFileSync(join(project, 'mops', 'plain.yaml'), 'name: plain\ntargets: [ios-1]\nsteps:\n  - { id: ntp, type: config, lines: [ntp server 192.0.2.202] }\n');
  writeFileSync(join(project, 'tpl', 'cisco_ios', 'lines.j2'), '{% for line in lines %}\n{{ line }}\n{% endfor %}\n');
  writeFileSync(join(project, 'logging.yaml'), 'name: logging\nservices:\n  - name: lines\n    template: cisco_ios/lines\n    targets: [ios-1]\n    variables: { lines: [logging host 10.66.9.1] }\n');
}, 30_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

const same = (a: string, b: string) => expect(ios.compare(ios.parse(a), ios.parse(b))).toEqual([]);

describe('approval step on a terminal', () => {
  it('answered yes: the gate passes, the change is pushed, the record says who approved it', async () => {
    const r = await onTerminal(['mop', 'run', 'gated', '--yes'], [{ expect: String.raw`Push the NTP server now\? for ios-1 \[step gate\] \(yes/no\): `, send: 'yes\r' }]);
    expect(r.code, r.output).toBe(0);
    expect(lab.runningConfig('ios-1')).toContain('ntp server 192.0.2.201');
    const { latest } = await executions();
    expect(latest).toMatchObject({ mop: 'gated', status: 'passed', exitCode: 0 });
    const gate = latest!.steps.find((s) => s.stepId === 'gate');
    expect(gate).toMatchObject({ status: 'passed', message: expect.stringMatching(/^approved by \S+$/) });
    expect(gate?.output).toMatch(/approval 'gate' for ios-1 given on the terminal by \S+/);
    lab.reset();
  });

  it('answered no: the gate fails, nothing is pushed, the run exits 10', async () => {
    const before = lab.runningConfig('ios-1');
    const r = await onTerminal(['mop', 'run', 'gated', '--yes'], [{ expect: String.raw`Push the NTP server now\? for ios-1 \[step gate\] \(yes/no\): `, send: 'no\r' }]);
    expect(r.code, r.output).toBe(10);
    expect(r.output).toMatch(/approval refused by \S+/);
    same(lab.runningConfig('ios-1'), before);
    expect(lab.runningConfig('ios-1')).not.toContain('ntp server 192.0.2.201');
    const { latest } = await executions();
    expect(latest).toMatchObject({ mop: 'gated', status: 'failed', exitCode: 10 });
    expect(latest!.steps.find((s) => s.stepId === 'gate')).toMatchObject({ status: 'failed', message: expect.stringMatching(/^approval refused by \S+$/) });
    expect(latest!.steps.find((s) => s.stepId === 'ntp')).toBeUndefined();
  });
});

describe('the confirmation of mop run without --yes', () => {
  const PROMPT = String.raw`mop plain will change devices \(steps ntp\) on ios-1\. Run it\? \[y/N\] `;

  it('answered no: not run, nothing recorded, nothing pushed', async () => {
    const before = lab.runningConfig('ios-1');
    const count = (await executions()).list.length;
    const r = await onTerminal(['mop', 'run', 'plain'], [{ expect: PROMPT, send: 'n\r' }]);
    expect(r.code, r.output).toBe(2);
    expect(r.output).toMatch(/not run/);
    same(lab.runningConfig('ios-1'), before);
    expect((await executions()).list.length).toBe(count);
  });

  it('answered yes: the run goes ahead and pushes', async () => {
    const r = await onTerminal(['mop', 'run', 'plain'], [{ expect: PROMPT, send: 'y\r' }]);
    expect(r.code, r.output).toBe(0);
    expect(lab.runningConfig('ios-1')).toContain('ntp server 192.0.2.202');
    const { latest } = await executions();
    expect(latest).toMatchObject({ mop: 'plain', status: 'passed' });
    expect(latest!.steps.find((s) => s.stepId === 'ntp')).toMatchObject({ status: 'passed', pushed: ['ntp server 192.0.2.202'] });
    lab.reset();
  });
});

describe('the confirmation of deploy', () => {
  it('answered no: nothing is pushed', async () => {
    const before = lab.runningConfig('ios-1');
    const r = await onTerminal(['deploy', 'logging.yaml', '--templates', join(project, 'tpl')], [{ expect: String.raw`deploy stack 'logging' to 1 device\(s\) \(0 unchanged\)\? \[y/N\] `, send: 'n\r' }]);
    expect(r.output).toMatch(/nothing deployed/);
    // declined: nothing done, exit 2 as for mop run's "not run" and a refusal without --yes
    expect(r.code, r.output).toBe(2);
    expect(r.output).toMatch(/plan: 1 device\(s\) changing/);
    same(lab.runningConfig('ios-1'), before);
    expect(lab.runningConfig('ios-1')).not.toContain('logging host 10.66.9.1');
  });
});

describe('the confirmation of device rm', () => {
  it('answered no: the device stays, exit 2', async () => {
    const r = await onTerminal(['device', 'rm', 'ios-1'], [{ expect: String.raw`remove device 'ios-1' with its override and group memberships\? \[y/N\] `, send: 'n\r' }]);
    expect(r.output).toMatch(/nothing removed/);
    expect(r.code, r.output).toBe(2);
    const store = await openSqliteStore(homeFiles.database(temp.home));
    try {
      const row = await store.db.selectFrom('devices').select('name').where('name', '=', 'ios-1').executeTakeFirst();
      expect(row?.name).toBe('ios-1');
    } finally {
      await store.close();
    }
  });
});
