import { createConnection, createServer } from 'node:net';
import { existsSync, mkdirSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LabHandle, LabOperState } from './types.js';

/**
 * The lab's control channel: a unix socket (<home>/lab/control.sock) taking one JSON request per
 * line and answering one JSON line. Requests: {"op":"reset","devices"?:[...]}, {"op":"status"},
 * {"op":"setState","device":"ios-1","state":{"bgpDown":["10.0.0.2"]}},
 * {"op":"dropOnce","device":"ios-1","afterConfigLines":3} (the one-shot drop fault).
 * A device's own CLI also accepts `lab-reset` (that device) and `lab-reset-all`.
 */
export interface ControlServer {
  close(): Promise<void>;
}

export type ControlRequest =
  | { op: 'reset'; devices?: string[] }
  | { op: 'status' }
  | { op: 'setState'; device: string; state: LabOperState }
  | { op: 'dropOnce'; device: string; afterConfigLines: number };
export type ControlResponse = { ok: true; reset?: number; devices?: number; port?: number } | { ok: false; error: string };

export async function startControlServer(path: string, lab: LabHandle): Promise<ControlServer> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  if (existsSync(path)) unlinkSync(path);
  const server = createServer((socket) => {
    let buffer = '';
    socket.on('error', () => undefined);
    socket.on('data', (data) => {
      buffer += data.toString();
      let newline = buffer.indexOf('\n');
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        socket.write(JSON.stringify(answer(line, lab)) + '\n');
        newline = buffer.indexOf('\n');
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          if (existsSync(path)) unlinkSync(path);
          resolve();
        }),
      ),
  };
}

function answer(line: string, lab: LabHandle): ControlResponse {
  try {
    const request = JSON.parse(line) as ControlRequest;
    if (request.op === 'reset') {
      lab.reset(request.devices);
      return { ok: true, reset: request.devices?.length ?? lab.devices.length };
    }
    if (request.op === 'setState') {
      lab.setState(request.device, request.state);
      return { ok: true };
    }
    if (request.op === 'dropOnce') {
      lab.dropOnce(request.device, { afterConfigLines: request.afterConfigLines });
      return { ok: true };
    }
    if (request.op === 'status') return { ok: true, devices: lab.devices.length, port: lab.port };
    return { ok: false, error: `unknown op` };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Sends one request to a running lab's control socket. */
export function sendControlRequest(path: string, request: ControlRequest, timeoutMs = 5000): Promise<ControlResponse> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`lab control socket ${path} did not answer`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(JSON.stringify(request) + '\n'));
    socket.on('data', (data) => {
      buffer += data.toString();
      if (buffer.includes('\n')) {
        clearTimeout(timer);
        socket.end();
        resolve(JSON.parse(buffer.slice(0, buffer.indexOf('\n'))) as ControlResponse);
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
