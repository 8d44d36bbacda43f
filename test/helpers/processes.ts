import { afterAll } from 'vitest';

/** Whether a process with this pid exists (signal 0). */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A list to push the pids of processes a test starts onto: after the file's tests, those still
 * alive are killed (SIGKILL), so a failed test leaves no daemon behind.
 */
export function killedAfterAll(): number[] {
  const pids: number[] = [];
  afterAll(() => {
    for (const pid of pids) {
      if (!alive(pid)) continue;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone meanwhile
      }
    }
  });
  return pids;
}
