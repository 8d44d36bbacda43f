import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { homeFiles } from '../core/paths.js';
import type { LabDevice } from './types.js';

/** What a running lab leaves in <home>/lab/state.json for `lab status|stop|reset` in other processes. */
export interface LabState {
  pid: number;
  port: number;
  seed: number;
  startedAt: string;
  controlSocket: string;
  /** the log file of a detached lab */
  logFile?: string;
  devices: LabDevice[];
}

export function readLabState(home: string): LabState | undefined {
  const file = homeFiles.labState(home);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

export function writeLabState(home: string, state: LabState): void {
  const file = homeFiles.labState(home);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
}

export function removeLabState(home: string, pid?: number): void {
  const current = readLabState(home);
  if (pid !== undefined && current && current.pid !== pid) return;
  rmSync(homeFiles.labState(home), { force: true });
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
