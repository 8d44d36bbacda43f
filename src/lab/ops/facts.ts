import { basics } from '../config/generate-ios-family.js';
import type { ConfigNode } from '../config/lines.js';
import type { DeviceIdentity } from '../personality.js';
import type { LabPlatform } from '../types.js';
import { maskToLength, type DeviceFacts, type InterfaceFact } from './model.js';

/** Reads interfaces, static routes and BGP neighbours out of each config style. */

const child = (node: ConfigNode, prefix: string) => node.children.find((c) => c.text.startsWith(prefix));

function addressOf(text: string | undefined): { address?: string; prefixLength?: number } {
  if (!text) return {};
  const slash = /(\d+\.\d+\.\d+\.\d+)\/(\d+)/.exec(text);
  if (slash) return { address: slash[1], prefixLength: Number(slash[2]) };
  const mask = /(\d+\.\d+\.\d+\.\d+) (\d+\.\d+\.\d+\.\d+)/.exec(text);
  if (mask) return { address: mask[1], prefixLength: maskToLength(mask[2] as string) };
  return {};
}

const VRF_FOR: Partial<Record<LabPlatform, { name: string; interface: string }>> = {
  cisco_ios: { name: 'CUST-A', interface: 'GigabitEthernet0/1.100' },
  cisco_xe: { name: 'CUST-A', interface: 'GigabitEthernet0/1.100' },
  cisco_nxos: { name: 'CUST-A', interface: 'Vlan100' },
  cisco_xr: { name: 'CUST-A', interface: 'GigabitEthernet0/0/0/1.100' },
  arista_eos: { name: 'CUST-A', interface: 'Vlan100' },
  juniper_junos: { name: 'CUST-A', interface: 'ge-0/0/1.100' },
  aruba_aoscx: { name: 'CUST-A', interface: 'vlan100' },
  linux: { name: 'CUST-A', interface: 'eth3' },
};

const SPEED: Partial<Record<LabPlatform, number>> = { cisco_nxos: 10000, arista_eos: 10000, cisco_xr: 1000, aruba_aoscx: 1000 };

function base(id: DeviceIdentity): Pick<DeviceFacts, 'asn' | 'routerId' | 'vrf' | 'speed'> {
  const g = basics(id);
  return { asn: g.asn, routerId: g.loopback, vrf: VRF_FOR[id.platform], speed: SPEED[id.platform] };
}

/** IOS, IOS-XE, NX-OS, IOS-XR, EOS, ProCurve and AOS-CX: the indented config tree. */
export function iosLikeFacts(config: ConfigNode[], id: DeviceIdentity): DeviceFacts {
  const interfaces: InterfaceFact[] = [];
  const procurve = id.platform === 'hp_procurve';
  for (const node of config) {
    const intf = /^interface (.+)$/.exec(node.text);
    if (intf) {
      const name = intf[1] as string;
      const description = child(node, 'description ')?.text.slice('description '.length) ?? child(node, 'name ')?.text.slice(5).replace(/"/g, '');
      const address = addressOf(node.children.find((c) => /^(ip|ipv4) (address|static) \d/.test(c.text))?.text);
      const vlan = /(?:switchport access vlan|vlan access) (\d+)/.exec(node.children.map((c) => c.text).join('\n'));
      const vrfLine = node.children.find((c) => /^vrf (member |forwarding |attach )?\S+$/.test(c.text));
      interfaces.push({
        // AOS-CX configures `interface vlan 10` but shows `vlan10`
        name: id.platform === 'aruba_aoscx' ? name.replace(/^(vlan|loopback) (\d+)$/, '$1$2') : name,
        description,
        shutdown: node.children.some((c) => c.text === 'shutdown' || c.text === 'disable'),
        ...address,
        vlan: vlan ? Number(vlan[1]) : undefined,
        vrf: vrfLine ? vrfLine.text.split(' ').pop() : undefined,
      });
    }
    const vlan = /^vlan (\d+)$/.exec(node.text);
    if (procurve && vlan) {
      const address = addressOf(child(node, 'ip address ')?.text);
      if (address.address) interfaces.push({ name: `VLAN${vlan[1]}`, description: child(node, 'name ')?.text.slice(5).replace(/"/g, ''), shutdown: false, ...address });
    }
  }
  const staticRoutes: DeviceFacts['staticRoutes'] = [];
  const addStatic = (text: string) => {
    const m = /^(\d+\.\d+\.\d+\.\d+)(?:\/(\d+)| (\d+\.\d+\.\d+\.\d+)) (\d+\.\d+\.\d+\.\d+)$/.exec(text);
    if (m) staticRoutes.push({ prefix: m[1] as string, length: m[2] !== undefined ? Number(m[2]) : maskToLength(m[3] as string), nextHop: m[4] as string });
  };
  for (const node of config) {
    if (node.text.startsWith('ip route ') && !node.text.startsWith('ip route vrf ')) addStatic(node.text.slice('ip route '.length));
    if (node.text.startsWith('ip default-gateway ')) staticRoutes.push({ prefix: '0.0.0.0', length: 0, nextHop: node.text.split(' ')[2] as string });
    if (node.text === 'router static') for (const af of node.children) for (const route of af.children) addStatic(route.text);
  }
  const bgp: DeviceFacts['bgp'] = [];
  const router = config.find((n) => n.text.startsWith('router bgp '));
  for (const line of router?.children ?? []) {
    const flat = /^neighbor (\S+) remote-as (\d+)$/.exec(line.text);
    if (flat) bgp.push({ address: flat[1] as string, remoteAs: Number(flat[2]) });
    const desc = /^neighbor (\S+) description (.+)$/.exec(line.text);
    if (desc) {
      const peer = bgp.find((p) => p.address === desc[1]);
      if (peer) peer.description = desc[2];
    }
    const nested = /^neighbor (\d+\.\d+\.\d+\.\d+)$/.exec(line.text);
    if (nested) {
      const as = child(line, 'remote-as ')?.text.split(' ')[1];
      bgp.push({ address: nested[1] as string, remoteAs: Number(as ?? 0), description: child(line, 'description ')?.text.slice('description '.length) });
    }
  }
  // AOS-CX configs carry no BGP; its peers come from the seed so the command still has rows.
  if (id.platform === 'aruba_aoscx' && bgp.length === 0) seededPeers(id, bgp);
  return { ...base(id), interfaces, staticRoutes, bgp };
}

function seededPeers(id: DeviceIdentity, into: DeviceFacts['bgp']): void {
  const g = basics(id);
  for (let i = 1; i <= 2; i++) into.push({ address: `${g.net(i)}.2`, remoteAs: 65100 + i, description: `peer-${i}` });
}

/** Junos set lines (without `set`). */
export function junosFacts(lines: string[], id: DeviceIdentity): DeviceFacts {
  const byName = new Map<string, InterfaceFact>();
  const get = (name: string) => {
    let fact = byName.get(name);
    if (!fact) byName.set(name, (fact = { name, shutdown: false }));
    return fact;
  };
  const staticRoutes: DeviceFacts['staticRoutes'] = [];
  const bgp: DeviceFacts['bgp'] = [];
  for (const line of lines) {
    let m = /^interfaces (\S+) (?:unit ([1-9]\d*) )?(.*)$/.exec(line);
    if (m) {
      // unit 0 stands for the port itself; other units are interfaces of their own (ge-0/0/1.100)
      const fact = get(m[2] ? `${m[1]}.${m[2]}` : (m[1] as string));
      const rest = m[3] as string;
      if (rest.startsWith('description ')) fact.description = rest.slice(12).replace(/"/g, '');
      if (rest === 'disable') fact.shutdown = true;
      const a = /family inet address (\S+)/.exec(rest);
      if (a) Object.assign(fact, addressOf(a[1]));
      continue;
    }
    m = /^routing-instances (\S+) interface (\S+)$/.exec(line);
    if (m) get(m[2] as string).vrf = m[1];
    m = /^routing-options static route (\S+)\/(\d+) next-hop (\S+)$/.exec(line);
    if (m) staticRoutes.push({ prefix: m[1] as string, length: Number(m[2]), nextHop: m[3] as string });
    m = /^protocols bgp group \S+ neighbor (\S+) (peer-as|description) (.+)$/.exec(line);
    if (m) {
      let peer = bgp.find((p) => p.address === m?.[1]);
      if (!peer) bgp.push((peer = { address: m[1] as string, remoteAs: 0 }));
      if (m[2] === 'peer-as') peer.remoteAs = Number(m[3]);
      else peer.description = (m[3] as string).replace(/"/g, '');
    }
  }
  const interfaces = [...byName.values()].map((f) => (f.name === 'fxp0' ? { ...f, vrf: 'mgmt_junos' } : f));
  return { ...base(id), interfaces, staticRoutes, bgp };
}

/** PAN-OS set lines: layer-3 ethernet interfaces; peers from the seed. */
export function panosFacts(lines: string[], id: DeviceIdentity): DeviceFacts {
  const interfaces: InterfaceFact[] = [];
  for (const line of lines) {
    const m = /^network interface ethernet (\S+) layer3 ip (\S+)$/.exec(line);
    if (m) interfaces.push({ name: m[1] as string, shutdown: false, ...addressOf(m[2]) });
  }
  const first = interfaces[0]?.address?.replace(/\.\d+$/, '.254');
  const staticRoutes = first ? [{ prefix: '0.0.0.0', length: 0, nextHop: first }] : [];
  const bgp: DeviceFacts['bgp'] = interfaces.slice(0, 2).map((intf, i) => ({ address: intf.address?.replace(/\.\d+$/, '.2') ?? '', remoteAs: 65100 + i, description: `peer-${i}` }));
  return { ...base(id), interfaces, staticRoutes, bgp };
}

/** FortiOS `config system interface` entries and `router static`; peers from the seed. */
export function fortiFacts(sections: { path: string; entries: { id: string; settings: [string, string][] }[] }[], id: DeviceIdentity): DeviceFacts {
  const setting = (entry: { settings: [string, string][] }, key: string) => entry.settings.find(([k]) => k === key)?.[1];
  const interfaces: InterfaceFact[] = (sections.find((s) => s.path === 'system interface')?.entries ?? []).map((entry) => ({
    name: entry.id.replace(/"/g, ''),
    description: setting(entry, 'alias')?.replace(/"/g, ''),
    shutdown: setting(entry, 'status') === 'down',
    ...addressOf(setting(entry, 'ip')),
  }));
  const staticRoutes: DeviceFacts['staticRoutes'] = [];
  for (const entry of sections.find((s) => s.path === 'router static')?.entries ?? []) {
    const dst = addressOf(setting(entry, 'dst'));
    const gateway = setting(entry, 'gateway');
    if (dst.address && gateway) staticRoutes.push({ prefix: dst.address, length: dst.prefixLength ?? 32, nextHop: gateway });
  }
  const bgp: DeviceFacts['bgp'] = interfaces.slice(0, 3).map((intf, i) => ({ address: intf.address?.replace(/\.\d+$/, '.2') ?? '', remoteAs: 65100 + i }));
  return { ...base(id), interfaces, staticRoutes, bgp };
}

/** A Debian host: lo, eth0 from /etc/network/interfaces, a second NIC and an unused one. */
export function linuxFacts(interfacesFile: string, id: DeviceIdentity): DeviceFacts {
  const address = addressOf(/address (\S+)/.exec(interfacesFile)?.[1]);
  const gateway = /gateway (\S+)/.exec(interfacesFile)?.[1];
  const g = basics(id);
  const interfaces: InterfaceFact[] = [
    { name: 'lo', shutdown: false, address: '127.0.0.1', prefixLength: 8 },
    { name: 'eth0', shutdown: false, description: 'uplink', ...address },
    { name: 'eth1', shutdown: false, description: 'storage', address: `${g.net(2)}.${(id.index % 250) + 2}`, prefixLength: 24 },
    { name: 'eth2', shutdown: true },
  ];
  // FRR (`vtysh`) peers with the routers on both connected subnets.
  const bgp = interfaces
    .filter((i) => i.address && i.name !== 'lo')
    .map((i, n) => ({ address: (i.address as string).replace(/\.\d+$/, '.1'), remoteAs: 65100 + n, description: `rtr-${n}` }));
  return { ...base(id), interfaces, staticRoutes: gateway ? [{ prefix: '0.0.0.0', length: 0, nextHop: gateway }] : [], bgp };
}
