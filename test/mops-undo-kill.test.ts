import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { configModelFor } from '../src/config/index.js';
import { BIN, runCli, tempHome } from './helpers/cli.js';
import { registerLabInHome } from './helpers/lab.js';

/**
 * Issue 9: "a killed run keeps its computed rollback, so `mop rollback EXECUTION` can undo a
 * half-pushed change later". A `mop run` is killed with SIGKILL while its config step is pushing
 * (the lab device answers each line slowly); the next command marks it interrupted, and
 * `mop rollback ID --yes` brings the device's config back to what it was.
 */
const temp = tempHome('netstacks-mop-undo-kill-');
const project = join(temp.home, 'project');
let lab: LabHandle;
const ios = configModelFor('cisco_ios');
const cliEnv = { CI: 'true' };
const run = (args: string[]) => runCli(args, { home: temp.home, cwd: project, env: cliEnv, timeoutMs: 60_000 });
const LINES = Array.from({ length: 12 }, (_, i) => `ntp server 192.0.2.${150 + i}`);

beforeAll(async () => {
  lab = await startLab({ devices: 1, platforms: ['cisco_ios'], quirks: false, port: 0, firstAddress: '127.0.95.1', controlSocket: false });
  mkdirSync(join(project, 'mops'), { recursive: true });
  await registerLabInHome(lab, temp.home);
  writeFileSync(
    join(project, 'mops', 'slow-ntp.yaml'),
    `name: slow-ntp
targets: [ios-1]
steps:
  - id: ntp
    type: config
    lines:
${LINES.map((l) => `      - ${l}`).join('\n')}
  - { id: settle, type: wait, seconds: 60 }
`,
  );
}, 30_000);

afterAll(async () => {
  await lab?.stop();
  temp.cleanup();
});

/** resolves when check() is true, polling; rejects after timeoutMs */
async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('kill -9 mid-push, then mop rollback', () => {
  it('the killed run is interrupted, keeps its undo, and mop rollback restores the config', async () => {
    const before = lab.runningConfig('ios-1');
    for (const l of LINES) expect(before).not.toContain(l);
    // each line the device reads takes 250 ms: the push lasts seconds
    await lab.setFaults('ios-1', ['latency:250']);

    const child = spawn(process.execPath, [BIN, 'mop', 'run', 'mops/slow-ntp.yaml', '--yes', '--json'], {
      cwd: project,
      env: { ...process.env, ...cliEnv, NETSTACKS_HOME: temp.home, NETSTACKS_SECRETS_BACKEND: 'vault', NETSTACKS_MASTER_KEY: 'test-master-key', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    try {
      // mid-push: the first line is in the running config, the last is not yet
      await until(() => lab.runningConfig('ios-1').includes(LINES[0]!), 30_000, `the first line on the device (stdout ${stdout}, stderr ${stderr})`);
      expect(lab.runningConfig('ios-1')).not.toContain(LINES.at(-1)!);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await lab.setFaults('ios-1', []);
    const half = lab.runningConfig('ios-1');
    expect(half).toContain(LINES[0]);
    expect(half).not.toContain(LINES.at(-1)!);

    const started = stdout.split('\n').find((l) => l.includes('"executionId"'));
    expect(started, stdout).toBeDefined();
    const id = (JSON.parse(started!) as { executionId: string }).executionId;

    // the next command marks it interrupted; its config step still carries the undo
    const shown = await run(['mop', 'show-execution', id, '--json']);
    expect(shown.code, shown.stderr).toBe(0);
    const detail = JSON.parse(shown.stdout) as { status: string; exitCode: number; steps: Array<{ stepId: string; status: string; undo?: string[] }> };
    expect(detail.status).toBe('interrupted');
    expect(detail.exitCode).toBe(130);
    const ntp = detail.steps.find((s) => s.stepId === 'ntp');
    expect(ntp?.undo).toEqual(LINES.map((l) => `no ${l}`));

    const dry = await run(['mop', 'rollback', id, '--dry-run']);
    expect(dry.code, dry.stderr + dry.stdout).toBe(0);
    expect(lab.runningConfig('ios-1')).toContain(LINES[0]);

    const done = await run(['mop', 'rollback', id, '--yes']);
    expect(done.code, done.stderr + done.stdout).toBe(0);
    expect(done.stdout).toMatch(/rollback of execution \S+: 1 device\(s\) ok, 0 failed/);
    expect(ios.compare(ios.parse(lab.runningConfig('ios-1')), ios.parse(before))).toEqual([]);
  }, 90_000);
});
