import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NetstacksError, NetworkError } from '../core/errors.js';
import { homeFiles } from '../core/paths.js';
import type { SecretStore } from '../secrets/types.js';
import type { Store } from '../store/store.js';
import { sendControlRequest } from './control.js';
import { forgetLabHostKeys, registerLabDevices, trustLabHostKeys, unregisterLabDevices } from './inventory.js';
import { startLab, type StartLabOptions } from './lab.js';
import { DEFAULT_SEED } from './plan.js';
import { processAlive, readLabState, removeLabState, writeLabState, type LabState } from './state.js';
import type { LabHandle } from './types.js';

/**
 * The lab as a service of this NetStacks home: started in this process (foreground, or as the
 * child of `lab start --detach`), registered in the inventory, and found again through
 * <home>/lab/state.json by `lab status|stop|reset` in other processes.
 */
export interface ServedLab {
  handle: LabHandle;
  state: LabState;
  registered: { added: number; updated: number; removed: number };
  /** stops the devices, removes them from the inventory and deletes state.json */
  shutdown(): Promise<void>;
}

export class LabAlreadyRunningError extends NetstacksError {
  constructor(pid: number) {
    super('lab_running', `a lab is already running for this home (pid ${pid})`, { exit: 'conflict', hint: "stop it with 'netstacks lab stop'" });
  }
}

export async function serveLab(options: StartLabOptions & { home: string; store: Store; secrets: SecretStore; logFile?: string }): Promise<ServedLab> {
  const running = readLabState(options.home);
  if (running && running.pid !== process.pid && processAlive(running.pid)) throw new LabAlreadyRunningError(running.pid);
  const controlSocket = join(homeFiles.labDir(options.home), 'control.sock');
  const handle = await startLab({ ...options, controlSocket });
  let registered;
  try {
    registered = await registerLabDevices(options.store, options.secrets, handle.devices);
    trustLabHostKeys(
      homeFiles.knownHosts(options.home),
      handle.devices.map((d) => ({ host: d.host, port: d.port, key: handle.hostKey(d.name).normal })),
    );
  } catch (error) {
    await handle.stop();
    throw error;
  }
  const state: LabState = {
    pid: process.pid,
    port: handle.port,
    seed: options.seed ?? DEFAULT_SEED,
    startedAt: new Date().toISOString(),
    controlSocket,
    logFile: options.logFile,
    devices: handle.devices,
  };
  writeLabState(options.home, state);
  let stopped = false;
  return {
    handle,
    state,
    registered,
    shutdown: async () => {
      if (stopped) return;
      stopped = true;
      await handle.stop();
      await unregisterLabDevices(options.store);
      forgetLabHostKeys(homeFiles.knownHosts(options.home), handle.devices);
      removeLabState(options.home, process.pid);
    },
  };
}

export interface LabStatus {
  running: boolean;
  pid: number | null;
  port: number | null;
  startedAt: string | null;
  devices: LabState['devices'];
}

export function labStatus(home: string): LabStatus {
  const state = readLabState(home);
  if (!state) return { running: false, pid: null, port: null, startedAt: null, devices: [] };
  return { running: processAlive(state.pid), pid: state.pid, port: state.port, startedAt: state.startedAt, devices: state.devices };
}

/**
 * Starts `netstacks <args>` (the same `lab start` without --detach) as a background process and
 * waits until it has written state.json, i.e. is listening and registered.
 */
export async function startDetachedLab(options: { home: string; bin: string; args: string[]; timeoutMs?: number }): Promise<LabState> {
  const running = readLabState(options.home);
  if (running && processAlive(running.pid)) throw new LabAlreadyRunningError(running.pid);
  const labDir = homeFiles.labDir(options.home);
  mkdirSync(labDir, { recursive: true, mode: 0o700 });
  const logFile = join(labDir, 'lab.log');
  const log = openSync(logFile, 'w', 0o600);
  // a larger young generation: the lab makes short-lived strings (outputs, packets) by the
  // megabyte per second, and with the default it spent ~15% of its time in scavenges
  const child = spawn(process.execPath, ['--max-semi-space-size=32', options.bin, ...options.args], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...process.env, NETSTACKS_HOME: options.home, NETSTACKS_LAB_LOG: logFile },
  });
  closeSync(log);
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const state = readLabState(options.home);
    if (state && state.pid === child.pid) {
      child.unref();
      return state;
    }
    if (exited !== undefined) {
      const tail = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
      throw new NetworkError(`the lab process exited (code ${exited}) before it was ready${tail ? `:\n${tail}` : ''}`, `see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGTERM');
  throw new NetworkError('the lab did not become ready in time', `see ${logFile}`);
}

/** Stops a detached lab (SIGTERM, then SIGKILL after a grace period) and cleans up after it. */
export async function stopLab(home: string, store: Store): Promise<{ wasRunning: boolean; pid: number | null; removedDevices: string[] }> {
  const state = readLabState(home);
  let wasRunning = false;
  if (state && processAlive(state.pid) && state.pid !== process.pid) {
    wasRunning = true;
    process.kill(state.pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (processAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    if (processAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
  }
  const removedDevices = [...new Set([...(wasRunning && state ? state.devices.map((d) => d.name) : []), ...(await unregisterLabDevices(store))])];
  if (state) forgetLabHostKeys(homeFiles.knownHosts(home), state.devices);
  removeLabState(home);
  return { wasRunning, pid: state?.pid ?? null, removedDevices };
}

/** Restores default configs in a running lab through its control socket. */
export async function resetLab(home: string, devices?: string[]): Promise<{ reset: number }> {
  const state = readLabState(home);
  if (!state || !processAlive(state.pid)) throw new NetworkError('no lab is running for this home', "start one with 'netstacks lab start --detach'");
  const answer = await sendControlRequest(state.controlSocket, { op: 'reset', devices: devices?.length ? devices : undefined });
  if (!answer.ok) throw new NetworkError(`lab reset failed: ${answer.error}`);
  return { reset: answer.reset ?? 0 };
}
