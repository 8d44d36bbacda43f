import { bitsPerSecond, junosAge, lines, parts, routesIn } from './format.js';
import { DEFAULT_VRF, macColons, networkOf, type LabInterface, type LabRoute, type OperationalView } from './model.js';

/** Junos show commands, text and `| display json` (every value wrapped as [{"data": ...}]). */

const tableName = (vrf: string) => (vrf === DEFAULT_VRF ? 'inet.0' : `${vrf}.inet.0`);
const physicals = (view: OperationalView) => view.interfaces.filter((i) => !i.name.includes('.'));
const unitsOf = (view: OperationalView, phys: LabInterface): LabInterface[] => {
  const units = view.interfaces.filter((i) => i.name.startsWith(`${phys.name}.`));
  return phys.address ? [{ ...phys, name: `${phys.name}.0` }, ...units] : units;
};
const linkUp = (i: LabInterface) => (i.operUp ? 'up' : 'down');

export function junosTerse(view: OperationalView): string {
  const out = ['Interface               Admin Link Proto    Local                 Remote'];
  for (const p of physicals(view)) {
    out.push(`${p.name.padEnd(24)}${(p.adminUp ? 'up' : 'down').padEnd(6)}${linkUp(p)}`);
    for (const u of unitsOf(view, p)) {
      const local = u.kind === 'loopback' ? `${u.address}` : `${u.address}/${u.prefixLength}`;
      out.push(`${u.name.padEnd(24)}${(u.adminUp ? 'up' : 'down').padEnd(6)}${linkUp(u).padEnd(5)}inet     ${local.padEnd(22)}${u.kind === 'loopback' ? '--> 0/0' : ''}`.trimEnd());
    }
  }
  return lines(out);
}

export function junosInterfaces(view: OperationalView, statistics: boolean): string {
  const out: string[] = [];
  physicals(view).forEach((p, n) => {
    const state = !p.adminUp ? 'Administratively down' : 'Enabled';
    const bps = bitsPerSecond(p.inPackets);
    out.push(`Physical interface: ${p.name}, ${state}, Physical link is ${p.operUp ? 'Up' : 'Down'}`);
    out.push(`  Interface index: ${148 + n}, SNMP ifIndex: ${526 + n}`);
    if (p.description) out.push(`  Description: ${p.description}`);
    if (p.kind === 'loopback') out.push('  Type: Loopback, Media type: Unspecified, Link-level type: Unspecified, MTU: Unlimited');
    else out.push(`  Link-level type: Ethernet, MTU: ${p.mtu + 14}, LAN-PHY mode, Speed: ${p.speed}mbps, BPDU Error: None, Loop Detect PDU Error: None, Loopback: Disabled, Source filtering: Disabled, Flow control: Enabled, Auto-negotiation: Enabled, Remote fault: Online`);
    out.push(`  Device flags   : Present Running${p.operUp ? '' : ' Down'}`, `  Interface flags: ${p.adminUp ? '' : 'Down '}SNMP-Traps Internal: 0x4000`, '  Link flags     : None');
    if (p.kind !== 'loopback') out.push(`  Current address: ${macColons(p.mac)}, Hardware address: ${macColons(p.mac)}`);
    const flapped = new Date(Date.now() - p.lastFlapSeconds * 1000);
    out.push(`  Last flapped   : ${flapped.toISOString().replace('T', ' ').slice(0, 19)} UTC (${junosAge(p.lastFlapSeconds)} ago)`);
    if (statistics) out.push('  Statistics last cleared: Never');
    out.push(`  Input rate     : ${bps} bps (${Math.floor(bps / 800)} pps)`, `  Output rate    : ${bps} bps (${Math.floor(bps / 800)} pps)`);
    if (statistics) out.push(`  Input errors: ${p.inErrors}, Output errors: ${p.outErrors}`);
    out.push('  Active alarms  : None', '  Active defects : None', '  Interface transmit statistics: Disabled', '');
    for (const u of unitsOf(view, p)) {
      out.push(`  Logical interface ${u.name} (Index ${332 + n}) (SNMP ifIndex ${527 + n})`);
      out.push(`    Flags: ${u.operUp ? 'Up' : 'Down'} SNMP-Traps 0x4004000 Encapsulation: ENET2`);
      out.push(`    Input packets : ${u.inPackets}`, `    Output packets: ${u.outPackets}`);
      out.push('    Protocol inet, MTU: 1500', '      Flags: Sendbcast-pkt-to-re', '      Addresses, Flags: Is-Preferred Is-Primary');
      if (u.address && u.prefixLength !== undefined) out.push(`        Destination: ${networkOf(u.address, u.prefixLength)}/${u.prefixLength}, Local: ${u.address}`);
      out.push('');
    }
  });
  return lines(out);
}

const JUNOS_PROTO: Record<LabRoute['protocol'], string> = { connected: 'Direct', local: 'Local', static: 'Static', ospf: 'OSPF', bgp: 'BGP' };
const JUNOS_PREF: Record<LabRoute['protocol'], number> = { connected: 0, local: 0, static: 5, ospf: 10, bgp: 170 };
const unitName = (name?: string) => (name && !name.includes('.') ? `${name}.0` : (name ?? ''));

export function junosRoutes(view: OperationalView, table?: string): string {
  const vrfs = table ? view.vrfs.filter((v) => tableName(v) === table) : view.vrfs;
  const out: string[] = [];
  for (const vrf of vrfs) {
    const routes = routesIn(view, vrf);
    out.push('', `${tableName(vrf)}: ${routes.length} destinations, ${routes.length} routes (${routes.length} active, 0 holddown, 0 hidden)`, '+ = Active Route, - = Last Active, * = Both', '');
    for (const r of routes) {
      const dest = `${r.prefix}/${r.length}`.padEnd(19);
      const metric = r.protocol === 'ospf' ? `, metric ${r.metric}` : r.protocol === 'bgp' ? ', localpref 100' : '';
      out.push(`${dest}*[${JUNOS_PROTO[r.protocol]}/${JUNOS_PREF[r.protocol]}] ${junosAge(r.ageSeconds)}${metric}`);
      if (r.protocol === 'bgp') out.push(`                      AS path: ${r.peerAs} I, validation-state: unverified`);
      if (r.protocol === 'connected') out.push(`                    >  via ${unitName(r.interface)}`);
      else if (r.protocol === 'local') out.push(`                       Local via ${unitName(r.interface)}`);
      else out.push(`                    >  to ${r.nextHop} via ${unitName(r.interface)}`);
    }
  }
  return lines(out);
}

function bgpAge(seconds: number): string {
  if (seconds < 60) return String(seconds);
  const p = parts(seconds);
  const clock = `${p.hours}:${String(p.minutes).padStart(2, '0')}:${String(p.seconds).padStart(2, '0')}`;
  if (p.weeks > 0) return `${p.weeks}w${p.days}d ${clock}`;
  if (p.days > 0) return `${p.days}d ${clock}`;
  return clock;
}

export function junosBgpSummary(view: OperationalView, instance?: string): string {
  const peers = view.bgp.filter((p) => !instance || p.vrf === instance);
  const down = peers.filter((p) => !p.established).length;
  const out = ['Threading mode: BGP I/O', 'Default eBGP mode: advertise - accept, receive - accept', `Groups: ${new Set(peers.map((p) => p.vrf)).size} Peers: ${peers.length} Down peers: ${down}`];
  out.push('Table          Tot Paths  Act Paths Suppressed    History Damp State    Pending');
  for (const vrf of view.vrfs.filter((v) => !instance || v === instance)) {
    const count = peers.filter((p) => p.vrf === vrf).reduce((n, p) => n + p.prefixesReceived, 0);
    out.push(tableName(vrf), `${String(count).padStart(24)}${String(count).padStart(11)}${'0'.padStart(11)}${'0'.padStart(11)}${'0'.padStart(11)}${'0'.padStart(11)}`);
  }
  out.push('Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...');
  for (const p of peers) {
    const state = p.established ? 'Establ' : p.state;
    out.push(`${p.address.padEnd(22)}${String(p.remoteAs).padStart(5)} ${String(p.msgRcvd).padStart(10)} ${String(p.msgSent).padStart(10)} ${'0'.padStart(7)} ${String(p.flaps).padStart(7)} ${bgpAge(p.upSeconds).padStart(11)} ${state}`);
    if (p.established) out.push(`  ${tableName(p.vrf)}: ${p.prefixesReceived}/${p.prefixesReceived}/${p.prefixesReceived}/0`);
  }
  return lines(out);
}

export function junosLldp(view: OperationalView): string {
  const out = ['Local Interface    Parent Interface    Chassis Id          Port info          System Name'];
  for (const n of view.lldp) out.push(`${n.localInterface.padEnd(19)}${'-'.padEnd(20)}${macColons(n.chassisId.replace(/\./g, '')).padEnd(20)}${(n.neighborInterface + ' ').padEnd(19)}${n.neighborName}`);
  return lines(out);
}

// ---------------------------------------------------------------- | display json

type Data = [{ data: string; attributes?: Record<string, string> }];
const d = (value: string | number, attributes?: Record<string, string>): Data => [attributes ? { data: String(value), attributes } : { data: String(value) }];
const json = (value: unknown) => JSON.stringify(value, null, 4) + '\n';

export function junosVersionJson(view: OperationalView): string {
  return json({
    'software-information': [{
      'host-name': d(view.hostname), 'product-model': d('mx240'), 'product-name': d('mx240'), 'junos-version': d('21.4R3.15'),
      'package-information': [
        { name: d('os-kernel'), comment: d('JUNOS OS Kernel 64-bit  [20230120.e1b5b1b_builder_stable_12]') },
        { name: d('junos-routing'), comment: d('JUNOS Routing Software Suite [21.4R3.15]') },
      ],
    }],
  });
}

export function junosInterfacesJson(view: OperationalView, terse: boolean): string {
  const physical = physicals(view).map((p) => {
    const logical = unitsOf(view, p).map((u) => ({
      name: d(u.name), 'admin-status': d(u.adminUp ? 'up' : 'down'), 'oper-status': d(linkUp(u)),
      ...(terse ? {} : { 'traffic-statistics': [{ 'input-packets': d(u.inPackets), 'output-packets': d(u.outPackets) }] }),
      'address-family': [{ 'address-family-name': d('inet'), 'interface-address': [{ 'ifa-local': d(`${u.address}${u.kind === 'loopback' ? '' : `/${u.prefixLength}`}`) }] }],
    }));
    return {
      name: d(p.name), 'admin-status': d(p.adminUp ? 'up' : 'down'), 'oper-status': d(linkUp(p)),
      ...(terse
        ? {}
        : {
            description: p.description ? d(p.description) : undefined, speed: d(`${p.speed}mbps`), mtu: d(p.mtu + 14), 'current-physical-address': d(macColons(p.mac)),
            'traffic-statistics': [{ 'input-bytes': d(p.inBytes), 'input-packets': d(p.inPackets), 'output-bytes': d(p.outBytes), 'output-packets': d(p.outPackets) }],
            'input-error-list': [{ 'input-errors': d(p.inErrors), 'input-drops': d(0), 'framing-errors': d(p.crc), 'input-runts': d(0), 'input-discards': d(0) }],
            'output-error-list': [{ 'output-errors': d(p.outErrors), 'carrier-transitions': d(1), 'output-drops': d(0) }],
          }),
      'logical-interface': logical.length ? logical : undefined,
    };
  });
  return json({ 'interface-information': [{ 'physical-interface': physical }] });
}

export function junosRoutesJson(view: OperationalView, table?: string): string {
  const vrfs = table ? view.vrfs.filter((v) => tableName(v) === table) : view.vrfs;
  return json({
    'route-information': [{
      'route-table': vrfs.map((vrf) => {
        const routes = routesIn(view, vrf);
        return {
          'table-name': d(tableName(vrf)), 'destination-count': d(routes.length), 'total-route-count': d(routes.length), 'active-route-count': d(routes.length),
          rt: routes.map((r) => ({
            'rt-destination': d(`${r.prefix}/${r.length}`),
            'rt-entry': [{
              'active-tag': d('*'), 'protocol-name': d(JUNOS_PROTO[r.protocol]), preference: d(JUNOS_PREF[r.protocol]), age: d(junosAge(r.ageSeconds), { 'junos:seconds': String(r.ageSeconds) }),
              ...(r.protocol === 'ospf' ? { metric: d(r.metric) } : {}),
              ...(r.protocol === 'bgp' ? { 'as-path': d(`${r.peerAs} I`), 'local-preference': d(100) } : {}),
              nh: [{ ...(r.nextHop ? { to: d(r.nextHop) } : {}), via: d(unitName(r.interface)), 'selected-next-hop': [null] }],
            }],
          })),
        };
      }),
    }],
  });
}

export function junosLldpJson(view: OperationalView): string {
  return json({
    'lldp-neighbors-information': [{
      'lldp-neighbor-information': view.lldp.map((n) => ({
        'lldp-local-port-id': d(n.localInterface), 'lldp-local-parent-interface-name': d('-'), 'lldp-remote-chassis-id-subtype': d('Mac address'),
        'lldp-remote-chassis-id': d(macColons(n.chassisId.replace(/\./g, ''))), 'lldp-remote-port-id-subtype': d('Interface name'), 'lldp-remote-port-id': d(n.neighborInterface), 'lldp-remote-system-name': d(n.neighborName),
      })),
    }],
  });
}

export function junosBgpSummaryJson(view: OperationalView, instance?: string): string {
  const peers = view.bgp.filter((p) => !instance || p.vrf === instance);
  return json({
    'bgp-information': [{
      'group-count': d(new Set(peers.map((p) => p.vrf)).size), 'peer-count': d(peers.length), 'down-peer-count': d(peers.filter((p) => !p.established).length),
      'bgp-peer': peers.map((p) => ({
        'peer-address': d(p.address), 'peer-as': d(p.remoteAs), 'input-messages': d(p.msgRcvd), 'output-messages': d(p.msgSent), 'route-queue-count': d(0), 'flap-count': d(p.flaps),
        'elapsed-time': d(bgpAge(p.upSeconds), { 'junos:seconds': String(p.upSeconds) }), 'peer-state': d(p.established ? 'Established' : p.state),
        ...(p.description ? { description: d(p.description) } : {}),
        ...(p.established ? { 'bgp-rib': [{ name: d(tableName(p.vrf)), 'active-prefix-count': d(p.prefixesReceived), 'received-prefix-count': d(p.prefixesReceived), 'accepted-prefix-count': d(p.prefixesReceived), 'suppressed-prefix-count': d(0) }] } : {}),
      })),
    }],
  });
}
