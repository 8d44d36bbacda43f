import type { OperationEnv } from '../../operations/types.js';
import type { DeviceSession } from '../../session/types.js';
import { bgpCommand, BGP_NATIVE, mapBgp } from './bgp.js';
import { runParsed } from './fetch.js';
import { interfacesCommand, INTERFACES_NATIVE, mapInterfaces } from './interfaces.js';
import { parsePing, pingCommand, type PingOptions } from './ping.js';
import { mapRoutes, routesCommand, ROUTES_NATIVE } from './routes.js';
import type { BgpNeighborRecord, InterfaceRecord, PingRecord, RouteRecord } from './types.js';

export type { BgpNeighborRecord, InterfaceRecord, PingRecord, RouteRecord, CheckRecord } from './types.js';
export { mapBgp, bgpState, bgpCommand } from './bgp.js';
export { mapInterfaces, interfacesCommand } from './interfaces.js';
export { mapRoutes, routesCommand, protocolName } from './routes.js';
export { parsePing, pingCommand, type PingOptions } from './ping.js';
export { runParsed, type ParsedOutput } from './fetch.js';

/**
 * NAPALM-style getters over a live session: the platform's command, parsed (native JSON where the
 * platform has it and the mapper reads it, TextFSM otherwise), mapped to one normalised schema.
 * Each returns the records and the raw output (for the step's record).
 */
export interface Got<T> {
  records: T[];
  command: string;
  output: string;
}

export async function getBgpNeighbors(env: OperationEnv, session: DeviceSession, vrf = 'default'): Promise<Got<BgpNeighborRecord>> {
  const platform = session.platform.name;
  const command = bgpCommand(platform, vrf);
  // `Idle (Admin)` (IOS), `Shut (Admin)` (NX-OS): one word for templates that expect one there
  const parsed = await runParsed(env, session, command, { native: BGP_NATIVE.has(platform), prepare: (text) => text.replace(/\b(Idle|Shut) \(Admin\)/g, '$1(Admin)') });
  const records = mapBgp(platform, parsed, vrf).filter((r) => r.vrf === vrf);
  return { records, command: parsed.sent, output: parsed.output };
}

export async function getInterfaces(env: OperationEnv, session: DeviceSession): Promise<Got<InterfaceRecord>> {
  const platform = session.platform.name;
  const command = interfacesCommand(platform);
  const parsed = await runParsed(env, session, command, { native: INTERFACES_NATIVE.has(platform) });
  return { records: mapInterfaces(platform, parsed), command: parsed.sent, output: parsed.output };
}

export async function getRoutes(env: OperationEnv, session: DeviceSession, vrf = 'default'): Promise<Got<RouteRecord>> {
  const platform = session.platform.name;
  const command = routesCommand(platform, vrf);
  const parsed = await runParsed(env, session, command, { native: ROUTES_NATIVE.has(platform) });
  return { records: mapRoutes(platform, parsed, vrf), command: parsed.sent, output: parsed.output };
}

export async function ping(session: DeviceSession, target: string, options: PingOptions = {}): Promise<Got<PingRecord>> {
  const command = pingCommand(session.platform.name, target, options);
  let output: string;
  try {
    output = (await session.send(command, { timeoutMs: 60_000 })).output;
  } catch (error) {
    // Linux ping exits 1 when nothing answers; the session reports it as a command error carrying what it said
    const said = (error as { deviceMessage?: string }).deviceMessage;
    if (typeof said !== 'string') throw error;
    output = said;
  }
  return { records: [parsePing(output, target, options)], command, output };
}
