// Shared helpers for the bench scripts: run the built CLI, time runs, take medians.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
export const BIN = join(ROOT, 'bin', 'netstacks.js');

export function tempHome(prefix = 'netstacks-bench-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function benchEnv(home, extra = {}) {
  return { ...process.env, NETSTACKS_HOME: home, NETSTACKS_SECRETS_BACKEND: 'vault', NETSTACKS_MASTER_KEY: 'bench-master-key', NO_COLOR: '1', ...extra };
}

/** Runs a command synchronously and returns wall milliseconds; throws on a non-zero exit. */
export function timeRun(command, args, options = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...options });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && !options.allowFailure) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return { ms, stdout: result.stdout, stderr: result.stderr, status: result.status };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const fmt = (ms) => `${ms.toFixed(1)} ms`;

/**
 * Spawns a command and samples its peak RSS (VmHWM) from /proc while it runs.
 * Resolves with wall time, stdout, exit code and peak RSS in MB (null where /proc is absent).
 */
export function runWithPeakRss(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakKb = null;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const sample = () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const match = /VmHWM:\s+(\d+) kB/.exec(status);
        if (match) peakKb = Math.max(peakKb ?? 0, Number(match[1]));
      } catch {
        /* process gone */
      }
    };
    const timer = setInterval(sample, 20);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      resolvePromise({ ms, stdout, stderr, code, peakRssMb: peakKb === null ? null : peakKb / 1024 });
    });
  });
}
