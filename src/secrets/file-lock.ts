import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SecretsError } from '../core/errors.js';

const STALE_AFTER_MS = 60_000;

/**
 * Run `fn` holding an exclusive lock file (created with O_EXCL). Processes on the same machine
 * wait their turn; a lock left by a process that died is taken over.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let fd: number | undefined;
  while (fd === undefined) {
    try {
      fd = openSync(lockPath, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SecretsError(`cannot create lock file ${lockPath}: ${(error as Error).message}`, undefined, error);
      }
      if (isStale(lockPath)) {
        removeQuietly(lockPath);
        continue;
      }
      if (Date.now() > deadline) {
        throw new SecretsError(`timed out waiting for lock ${lockPath}`, 'another netstacks process is writing secrets; if none is running, delete the lock file');
      }
      await sleep(15 + Math.random() * 35);
    }
  }
  try {
    writeSync(fd, `${process.pid}\n`);
    closeSync(fd);
    return await fn();
  } finally {
    removeQuietly(lockPath);
  }
}

function isStale(lockPath: string): boolean {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !processExists(pid)) return true;
    return Date.now() - statSync(lockPath).mtimeMs > STALE_AFTER_MS;
  } catch {
    return false;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
