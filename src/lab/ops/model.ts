import type { DeviceIdentity } from '../personality.js';
import { randInt, randomFor, pick } from '../rng.js';

/**
 * The operational side of a lab device (interfaces with counters, routes, BGP peers, LLDP
 * neighbours), one platform-neutral model that every platform's show commands render in their own
 * shape. It is derived from the running config (interfaces, addresses, descriptions, static routes,
 * BGP neighbours) plus seeded numbers, so a restart reproduces it; lab state hooks bend it.
 */

/** Run-time changes a test can make (`lab.setState(name, {...})`) to see MOP checks fail. */
export interface LabOperState {
  /** BGP neighbour addresses that are down (Idle/Active, no prefixes) */
  bgpDown?: string[];
  /** BGP neighbour addresses shut administratively (`neighbor … shutdown`): `Idle (Admin)`, no prefixes */
  bgpAdminDown?: string[];
  /** interface name → input error count (CRC errors follow it) */
  interfaceErrors?: Record<string, number>;
  /** prefixes (`172.16.0.0/24`) gone from every routing table */
  removedPrefixes?: string[];
  /** every ping fails (true) or only pings to these addresses */
  pingFail?: boolean | string[];
  /** interfaces (names as the device shows them) whose link is down */
  interfacesDown?: string[];
  /**
   * Junos: statements (set paths such as `snmp` or `system ntp`) that `load override|merge|replace|set
   * terminal` silently leaves out of the candidate: a loaded config that does not fully take, for
   * a restore's post-check to catch
   */
  loadIgnores?: string[];
}

/** What a platform's config says about one interface. */
export interface InterfaceFact {
  name: string;
  description?: string;
  shutdown: boolean;
  address?: string;
  prefixLength?: number;
  /** access VLAN of a switch port */
  vlan?: number;
  /** a management VRF the interface sits in (its routes stay out of the default table) */
  vrf?: string;
}

export interface DeviceFacts {
  interfaces: InterfaceFact[];
  bgp: { address: string; remoteAs: number; description?: string }[];
  staticRoutes: { prefix: string; length: number; nextHop: string }[];
  asn: number;
  routerId: string;
  /** platform has VRFs: a customer VRF with its own peer and routes is added */
  vrf?: { name: string; interface: string };
  /** link speed of ethernet ports in Mb/s */
  speed?: number;
}

export type InterfaceKind = 'ethernet' | 'loopback' | 'vlan' | 'mgmt' | 'other';

export interface LabInterface extends Omit<InterfaceFact, 'vrf'> {
  kind: InterfaceKind;
  adminUp: boolean;
  operUp: boolean;
  /** 12 hex digits */
  mac: string;
  speed: number;
  mtu: number;
  vrf: string;
  inPackets: number;
  outPackets: number;
  inBytes: number;
  outBytes: number;
  inErrors: number;
  outErrors: number;
  crc: number;
  inMulticast: number;
  inBroadcast: number;
  lastFlapSeconds: number;
}

export type RouteProtocol = 'connected' | 'local' | 'static' | 'ospf' | 'bgp';

export interface LabRoute {
  vrf: string;
  prefix: string;
  length: number;
  protocol: RouteProtocol;
  nextHop?: string;
  interface?: string;
  distance: number;
  metric: number;
  ageSeconds: number;
  /** BGP: the peer's AS */
  peerAs?: number;
}

export interface LabBgpPeer {
  vrf: string;
  address: string;
  remoteAs: number;
  description?: string;
  established: boolean;
  /** Idle, Active or Established */
  state: 'Established' | 'Idle' | 'Active' | 'Idle (Admin)';
  prefixesReceived: number;
  prefixesSent: number;
  msgRcvd: number;
  msgSent: number;
  upSeconds: number;
  flaps: number;
  tableVersion: number;
}

export interface LabLldpNeighbor {
  localInterface: string;
  neighborName: string;
  neighborInterface: string;
  chassisId: string;
  capabilities: string;
  mgmtAddress: string;
}

export interface OperationalView {
  hostname: string;
  routerId: string;
  localAs: number;
  interfaces: LabInterface[];
  routes: LabRoute[];
  bgp: LabBgpPeer[];
  lldp: LabLldpNeighbor[];
  vrfs: string[];
}

export const DEFAULT_VRF = 'default';

export function maskToLength(mask: string): number {
  return mask.split('.').reduce((n, octet) => n + (Number(octet) >>> 0).toString(2).replace(/0/g, '').length, 0);
}

export function lengthToMask(length: number): string {
  const bits = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return [24, 16, 8, 0].map((s) => (bits >>> s) & 0xff).join('.');
}

export function networkOf(address: string, length: number): string {
  const n = address.split('.').reduce((acc, o) => ((acc << 8) | Number(o)) >>> 0, 0);
  const net = length === 0 ? 0 : (n & ((0xffffffff << (32 - length)) >>> 0)) >>> 0;
  return [24, 16, 8, 0].map((s) => (net >>> s) & 0xff).join('.');
}

export function interfaceKind(name: string): InterfaceKind {
  if (/^(lo|loopback)/i.test(name)) return 'loopback';
  if (/^vlan/i.test(name)) return 'vlan';
  if (/^(mgmt|management|fxp0|MgmtEth|em0)/i.test(name)) return 'mgmt';
  if (/^(Gi|Te|Fa|Ethernet|ge-|xe-|et-|port|ethernet|eth|\d)/i.test(name)) return 'ethernet';
  return 'other';
}

/** `aa:bb:cc:dd:ee:ff` */
export function macColons(mac: string): string {
  return mac.match(/../g)?.join(':') ?? mac;
}

/** `aabb.ccdd.eeff` */
export function macDots(mac: string): string {
  return mac.match(/..../g)?.join('.') ?? mac;
}

const NEIGHBOR_NAMES = ['core-1', 'core-2', 'spine-1', 'spine-2', 'dist-a', 'dist-b', 'edge-1', 'border-2'];
const NEIGHBOR_PORTS = ['Ethernet1/{n}', 'GigabitEthernet0/{n}', 'ge-0/0/{n}', 'Ethernet{n}', 'TenGigE0/0/0/{n}'];

/** `Gi0/1` and `GigabitEthernet0/1` are the same port: the same numbers after a prefix of the name. */
export function sameInterface(a: string, b: string): boolean {
  const split = (name: string) => /^([a-z-]*)(.*)$/.exec(name.toLowerCase().replace(/\s+/g, '')) as RegExpExecArray;
  const [, wordA = '', restA = ''] = split(a);
  const [, wordB = '', restB = ''] = split(b);
  if (restA !== restB) return false;
  if (wordA === wordB) return true;
  return Math.min(wordA.length, wordB.length) >= 2 && (wordA.startsWith(wordB) || wordB.startsWith(wordA));
}

/** The device's operational state now: config facts, seeded numbers, and the state hooks. */
/** The MAC address of a device's interface number `i` (in config order). */
export function interfaceMac(id: DeviceIdentity, i: number): string {
  const macBase = (0x001c7300 + (id.index & 0xff)) >>> 0;
  return (macBase.toString(16).padStart(8, '0') + (0x1000 + i).toString(16).padStart(4, '0')).slice(-12);
}

export function buildView(id: DeviceIdentity, facts: DeviceFacts, ops: LabOperState = {}): OperationalView {
  const r = randomFor(id.seed, 'ops', id.name);
  const macBase = (0x001c7300 + (id.index & 0xff)) >>> 0;
  const errorsFor = (name: string) => Object.entries(ops.interfaceErrors ?? {}).find(([n]) => sameInterface(n, name))?.[1] ?? 0;
  const forcedDown = (name: string) => (ops.interfacesDown ?? []).some((n) => sameInterface(n, name));

  const interfaces: LabInterface[] = facts.interfaces.map((fact, i) => {
    const kind = interfaceKind(fact.name);
    const adminUp = !fact.shutdown;
    // Ports with an address or a description are cabled; about half of the others are not.
    const cabled = kind !== 'ethernet' || fact.address !== undefined || fact.description !== undefined || r() < 0.5;
    const operUp = adminUp && cabled && !forcedDown(fact.name);
    const traffic = operUp && kind !== 'loopback';
    const inPackets = traffic ? randInt(r, 100_000, 900_000_000) : 0;
    const outPackets = traffic ? randInt(r, 100_000, 900_000_000) : 0;
    const inErrors = errorsFor(fact.name);
    return {
      ...fact,
      kind,
      adminUp,
      operUp,
      mac: interfaceMac(id, i),
      speed: kind === 'ethernet' || kind === 'mgmt' ? (facts.speed ?? 1000) : 0,
      mtu: kind === 'loopback' ? 1514 : 1500,
      vrf: fact.vrf ?? DEFAULT_VRF,
      inPackets,
      outPackets,
      inBytes: inPackets * randInt(r, 80, 900),
      outBytes: outPackets * randInt(r, 80, 900),
      inErrors,
      outErrors: 0,
      crc: inErrors,
      inMulticast: traffic ? Math.floor(inPackets / randInt(r, 20, 60)) : 0,
      inBroadcast: traffic ? Math.floor(inPackets / randInt(r, 200, 900)) : 0,
      lastFlapSeconds: randInt(r, 3600, 90 * 86400),
    };
  });

  const down = new Set(ops.bgpDown ?? []);
  const adminDown = new Set(ops.bgpAdminDown ?? []);
  // a link taken down by the hook takes the sessions over it along
  const linkDown = (address: string) =>
    interfaces.some((i) => forcedDown(i.name) && i.address !== undefined && i.prefixLength !== undefined && networkOf(i.address, i.prefixLength) === networkOf(address, i.prefixLength));
  const bgp: LabBgpPeer[] = facts.bgp.map((peer, i) => {
    const established = !down.has(peer.address) && !adminDown.has(peer.address) && !linkDown(peer.address);
    return {
      vrf: DEFAULT_VRF,
      address: peer.address,
      remoteAs: peer.remoteAs,
      description: peer.description,
      established,
      state: established ? 'Established' : adminDown.has(peer.address) ? 'Idle (Admin)' : i % 2 === 0 ? 'Idle' : 'Active',
      prefixesReceived: established ? randInt(r, 2, 6) : 0,
      prefixesSent: randInt(r, 3, 8),
      msgRcvd: randInt(r, 1000, 99_999),
      msgSent: randInt(r, 1000, 99_999),
      upSeconds: established ? randInt(r, 2 * 86400, 80 * 86400) : 47 + i,
      flaps: randInt(r, 0, 3),
      tableVersion: randInt(r, 20, 400),
    };
  });

  const routes: LabRoute[] = [];
  const age = () => randInt(r, 3600, 60 * 86400);
  for (const intf of interfaces) {
    if (intf.address === undefined || intf.prefixLength === undefined || !intf.operUp || intf.vrf !== DEFAULT_VRF) continue;
    routes.push({ vrf: DEFAULT_VRF, prefix: networkOf(intf.address, intf.prefixLength), length: intf.prefixLength, protocol: 'connected', interface: intf.name, distance: 0, metric: 0, ageSeconds: age() });
    if (intf.prefixLength < 32) routes.push({ vrf: DEFAULT_VRF, prefix: intf.address, length: 32, protocol: 'local', interface: intf.name, distance: 0, metric: 0, ageSeconds: age() });
  }
  const viaInterface = (nextHop: string) =>
    interfaces.find((i) => i.address !== undefined && i.prefixLength !== undefined && networkOf(i.address, i.prefixLength) === networkOf(nextHop, i.prefixLength))?.name;
  for (const s of facts.staticRoutes) {
    routes.push({ vrf: DEFAULT_VRF, prefix: s.prefix, length: s.length, protocol: 'static', nextHop: s.nextHop, interface: viaInterface(s.nextHop), distance: 1, metric: 0, ageSeconds: age() });
  }
  const p2p = interfaces.filter((i) => i.kind === 'ethernet' && i.address !== undefined && i.operUp);
  p2p.slice(0, 2).forEach((intf, k) => {
    const peer = intf.address?.replace(/\.\d+$/, '.2') ?? '';
    for (let n = 0; n < randInt(r, 2, 4); n++) {
      routes.push({ vrf: DEFAULT_VRF, prefix: `10.${200 + k}.${(id.index * 8 + n) % 256}.0`, length: 24, protocol: 'ospf', nextHop: peer, interface: intf.name, distance: 110, metric: randInt(r, 2, 40), ageSeconds: age() });
    }
  });
  bgp.forEach((peer, k) => {
    for (let n = 0; n < peer.prefixesReceived; n++) {
      routes.push({ vrf: peer.vrf, prefix: `198.${18 + (k % 2)}.${(k * 16 + n) % 256}.0`, length: 24, protocol: 'bgp', nextHop: peer.address, interface: viaInterface(peer.address), distance: 20, metric: 0, ageSeconds: peer.upSeconds, peerAs: peer.remoteAs });
    }
  });

  const vrfs = [DEFAULT_VRF];
  if (facts.vrf) {
    const name = facts.vrf.name;
    vrfs.push(name);
    const net = `10.250.${id.index & 0xff}`;
    const address = `${net}.2`;
    const established = !down.has(address) && !forcedDown(facts.vrf.interface);
    const configured = interfaces.find((i) => i.name === facts.vrf?.interface);
    if (configured) configured.vrf = name;
    // platforms whose config carries no VRF (Linux) get the PE-CE interface here
    else interfaces.push({
      name: facts.vrf.interface, description: `${name} customer`, shutdown: false, address: `${net}.1`, prefixLength: 30, kind: interfaceKind(facts.vrf.interface), adminUp: true, operUp: !forcedDown(facts.vrf.interface),
      mac: (macBase.toString(16).padStart(8, '0') + 'ffff').slice(-12), speed: facts.speed ?? 1000, mtu: 1500, vrf: name, inPackets: 123_456, outPackets: 234_567, inBytes: 12_345_600, outBytes: 23_456_700,
      inErrors: errorsFor(facts.vrf.interface), outErrors: 0, crc: errorsFor(facts.vrf.interface), inMulticast: 1234, inBroadcast: 12, lastFlapSeconds: 86400 * 3,
    });
    bgp.push({ vrf: name, address, remoteAs: 65200, description: `${name.toLowerCase()}-ce`, established, state: established ? 'Established' : 'Idle', prefixesReceived: established ? 2 : 0, prefixesSent: 3, msgRcvd: 4242, msgSent: 4343, upSeconds: established ? 3 * 86400 + 4000 : 30, flaps: 0, tableVersion: 17 });
    if (!forcedDown(facts.vrf.interface)) {
      routes.push({ vrf: name, prefix: `${net}.0`, length: 30, protocol: 'connected', interface: facts.vrf.interface, distance: 0, metric: 0, ageSeconds: 86400 * 3 });
      routes.push({ vrf: name, prefix: `${net}.1`, length: 32, protocol: 'local', interface: facts.vrf.interface, distance: 0, metric: 0, ageSeconds: 86400 * 3 });
    }
    if (established) {
      for (let n = 0; n < 2; n++) routes.push({ vrf: name, prefix: `172.31.${(id.index * 2 + n) % 256}.0`, length: 24, protocol: 'bgp', nextHop: address, interface: facts.vrf.interface, distance: 20, metric: 0, ageSeconds: 3 * 86400 + 4000, peerAs: 65200 });
    }
  }

  const removed = new Set(ops.removedPrefixes ?? []);
  const kept = routes.filter((route) => !removed.has(`${route.prefix}/${route.length}`));
  kept.sort((a, b) => (a.vrf === b.vrf ? compareIp(a.prefix, b.prefix) || a.length - b.length : a.vrf === DEFAULT_VRF ? -1 : b.vrf === DEFAULT_VRF ? 1 : a.vrf.localeCompare(b.vrf)));

  const lldp: LabLldpNeighbor[] = interfaces
    .filter((i) => i.kind === 'ethernet' && i.operUp && i.vrf === DEFAULT_VRF && (i.address !== undefined || /uplink|core|firewall|peering|transit/.test(i.description ?? '')))
    .slice(0, 6)
    .map((intf, k) => {
      const rn = randomFor(id.seed, 'lldp', id.name, intf.name);
      const port = pick(rn, NEIGHBOR_PORTS).replace('{n}', String(randInt(rn, 1, 48)));
      return {
        localInterface: intf.name,
        neighborName: `${NEIGHBOR_NAMES[(id.index + k) % NEIGHBOR_NAMES.length]}`,
        neighborInterface: port,
        chassisId: `5c5e.ab${(id.index & 0xff).toString(16).padStart(2, '0')}.${(0x1000 + k * 0x101).toString(16)}`,
        capabilities: k % 3 === 2 ? 'B' : 'R',
        mgmtAddress: `10.${(id.index >> 8) & 0xff}.250.${10 + k}`,
      };
    });

  return { hostname: id.hostname, routerId: facts.routerId, localAs: facts.asn, interfaces, routes: kept, bgp, lldp, vrfs };
}

export function compareIp(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 4; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** Whether a ping to this address fails under the state hooks. */
export function pingFails(ops: LabOperState | undefined, target: string): boolean {
  if (!ops?.pingFail) return false;
  return ops.pingFail === true || ops.pingFail.includes(target);
}

/** 1d02h, 3w4d, 05:48:47 — Cisco's compact ages. */
export function ciscoAge(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (d >= 7) return `${Math.floor(d / 7)}w${d % 7}d`;
  if (d >= 1) return `${d}d${String(h).padStart(2, '0')}h`;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
