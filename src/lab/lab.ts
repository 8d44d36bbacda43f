import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { NetworkError, NotFoundError, ValidationError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import { HostKeyStore } from './hostkeys.js';
import { DeviceRuntime, prepareLabSsh2 } from './device.js';
import { personalityFor } from './personalities/index.js';
import { DEFAULT_SEED, planLab } from './plan.js';
import { validateFault } from './plan.js';
import { startControlServer, type ControlServer } from './control.js';
import type { LabDevice, LabHandle, LabOptions } from './types.js';

export interface StartLabOptions extends LabOptions {
  /** milliseconds in a "minute" for `commit confirmed` (default 60000; tests shorten it) */
  minuteMs?: number;
  /** lines per page before the pager prompt (default 24) */
  pageLines?: number;
  /** how long a device takes to reload: it drops new connections that long (default 5000 ms) */
  reloadMs?: number;
}

/**
 * Starts the simulated devices: one TCP listener per device address on the shared port, each
 * handing its connections to that device's ssh2 Server. Configs are generated at start (big ones
 * on first use).
 */
export async function startLab(options: StartLabOptions = {}): Promise<LabHandle> {
  const seed = options.seed ?? DEFAULT_SEED;
  const devices = planLab(options);
  await prepareLabSsh2();
  const labDir = options.home ? join(options.home, 'lab') : undefined;
  const hostKeys = new HostKeyStore(labDir, seed);
  const runtimes = new Map<string, DeviceRuntime>();
  const bigSet = new Set(options.bigConfigDevices ?? []);
  const control = (runtime: DeviceRuntime, line: string): string | undefined => {
    if (line === 'lab-reset') {
      runtime.reset();
      return 'lab: configuration restored to defaults\n';
    }
    if (line === 'lab-reset-all') {
      for (const r of runtimes.values()) r.reset();
      return `lab: ${runtimes.size} devices restored to defaults\n`;
    }
    return undefined;
  };
  const context = { hostKeys, minuteMs: options.minuteMs ?? 60_000, pageLines: options.pageLines ?? 24, reloadMs: options.reloadMs ?? 5000, control };
  devices.forEach((device, index) => {
    const id = {
      name: device.name,
      hostname: device.name,
      platform: device.platform,
      seed,
      index,
      host: device.host,
      bigConfig: Boolean(options.bigConfig) || bigSet.has(device.name),
      ...(options.configBytes ? { configBytes: options.configBytes } : {}),
      ops: {},
    };
    runtimes.set(device.name, new DeviceRuntime(device, id, personalityFor(device.platform), context));
  });

  const listeners: Server[] = [];
  let port = options.port ?? devices[0]?.port ?? 2022;
  const listen = (runtime: DeviceRuntime) =>
    new Promise<void>((resolve, reject) => {
      const server = createServer({ noDelay: true }, (socket) => runtime.accept(socket));
      server.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          new NetworkError(
            `lab device ${runtime.device.name} cannot listen on ${runtime.device.host}:${port}: ${error.code ?? error.message}`,
            error.code === 'EADDRINUSE' ? `is another lab running? try 'netstacks lab stop' or --port` : undefined,
            error,
          ),
        );
      });
      server.listen({ host: runtime.device.host, port, backlog: 511 }, () => {
        server.removeAllListeners('error');
        server.on('error', () => undefined);
        resolve();
      });
      listeners.push(server);
    });

  const active = [...runtimes.values()].filter((r) => !r.device.faults.some((f) => f === 'refused'));
  try {
    if (port === 0 && active[0]) {
      // Port 0: let the first listener pick, then the others share its port.
      await listen(active[0]);
      const address = listeners[0]?.address();
      port = typeof address === 'object' && address ? address.port : port;
      await Promise.all(active.slice(1).map(listen));
    } else {
      await Promise.all(active.map(listen));
    }
  } catch (error) {
    await Promise.all(listeners.map((l) => new Promise((r) => l.close(r))));
    throw error;
  }
  for (const device of devices) device.port = port;
  // Every device's normal key now, so `hostKey()` is cheap and new keys reach the cache file once.
  for (const r of runtimes.values()) r.hostKeys();
  hostKeys.flush();
  for (const r of active) r.prepare();

  const listenerOf = new Map<string, Server>();
  active.forEach((r, i) => listenerOf.set(r.device.name, listeners[i] as Server));

  let controlServer: ControlServer | undefined;
  const runtime = (name: string): DeviceRuntime => {
    const found = runtimes.get(name);
    if (!found) throw new NotFoundError('lab device', name, nearest(name, [...runtimes.keys()]));
    return found;
  };

  const handle: LabHandle = {
    port,
    devices,
    runningConfig: (name) => runtime(name).runningConfig(),
    reset: (names) => {
      for (const name of names ?? [...runtimes.keys()]) runtime(name).reset();
    },
    setFaults: async (name, faults) => {
      const r = runtime(name);
      faults.forEach((f) => validateFault(f, `faults for ${name}`));
      const wasRefused = r.device.faults.includes('refused');
      r.setFaults([...faults]);
      r.hostKeys();
      hostKeys.flush();
      const refused = faults.includes('refused');
      if (refused && !wasRefused) {
        const listener = listenerOf.get(name);
        listenerOf.delete(name);
        r.closeConnections();
        if (listener) await new Promise((resolve) => listener.close(resolve));
      } else if (!refused && wasRefused) {
        await listen(r);
        listenerOf.set(name, listeners[listeners.length - 1] as Server);
      }
    },
    setState: (name, state) => {
      const id = runtime(name).id;
      id.ops = { ...id.ops, ...structuredClone(state) };
    },
    operState: (name) => structuredClone(runtime(name).id.ops ?? {}),
    dropOnce: (name, options) => {
      if (!Number.isInteger(options.afterConfigLines) || options.afterConfigLines < 1) {
        throw new ValidationError(`dropOnce: afterConfigLines must be a whole number of at least 1 (got ${options.afterConfigLines})`);
      }
      runtime(name).pendingDrop = { afterConfigLines: options.afterConfigLines };
    },
    hostKey: (name) => runtime(name).hostKeys(),
    connections: (name) => runtime(name).connectionCount,
    stop: async () => {
      await controlServer?.close();
      for (const r of runtimes.values()) r.closeConnections();
      await Promise.all([...listenerOf.values()].map((l) => new Promise((resolve) => l.close(resolve))));
    },
  };

  const socketPath = options.controlSocket === false ? undefined : (options.controlSocket ?? (labDir ? join(labDir, 'control.sock') : undefined));
  if (socketPath) {
    // A home path too long for a unix socket (~107 bytes) only costs `lab reset` from other
    // processes; typing `lab-reset` on a device still works.
    controlServer = await startControlServer(socketPath, handle).catch(() => undefined);
  }
  return handle;
}

export type { LabDevice };
