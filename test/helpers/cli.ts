import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';

export const BIN = resolve(import.meta.dirname, '../../bin/netstacks.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  home: string;
  env?: Record<string, string | undefined>;
  input?: string;
  timeoutMs?: number;
  /** working folder of the CLI (default: this process's) */
  cwd?: string;
}

/**
 * Spawns the built binary against a temporary NETSTACKS_HOME. The vault backend with a fixed
 * master key is the default so tests never touch a real keychain unless they ask to.
 */
export function runCli(args: string[], options: CliOptions): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      NETSTACKS_HOME: options.home,
      NETSTACKS_SECRETS_BACKEND: 'vault',
      NETSTACKS_MASTER_KEY: 'test-master-key',
      NO_COLOR: '1',
      ...options.env,
    };
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key];
    const child = spawn(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A fresh NETSTACKS_HOME; call the returned cleanup in afterEach/afterAll. */
export function tempHome(prefix = 'netstacks-test-'): { home: string; cleanup: () => void } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  return { home, cleanup: () => rmSync(home, { recursive: true, force: true }) };
}

/** Run the CLI and parse stdout as JSON, failing loudly with stderr when it is not. */
export async function runJson<T = unknown>(args: string[], options: CliOptions): Promise<{ code: number; data: T; stderr: string }> {
  const result = await runCli([...args, '--json'], options);
  try {
    return { code: result.code, data: JSON.parse(result.stdout) as T, stderr: result.stderr };
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout}\nstderr: ${result.stderr}`);
  }
}

/**
 * The built CLI bound to one home, reading no ssh_config, with a minute per command: `cli` gives
 * the result, `json` adds `--json`, expects exit 0 and parses stdout.
 */
export function cliFor(home: string): { cli: (args: string[], input?: string) => Promise<CliResult>; json: <T>(args: string[]) => Promise<T> } {
  const cli = (args: string[], input?: string) => runCli(args, { home, ...(input !== undefined ? { input } : {}), env: { NETSTACKS_SSH_CONFIG: '/nonexistent' }, timeoutMs: 60_000 });
  async function json<T>(args: string[]): Promise<T> {
    const r = await cli([...args, '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  }
  return { cli, json };
}
