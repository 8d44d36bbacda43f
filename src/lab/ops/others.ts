import { commas, lines, parts, routesIn, two } from './format.js';
import { ciscoAge, DEFAULT_VRF, lengthToMask, macColons, type LabInterface, type LabRoute, type OperationalView } from './model.js';

/** FortiOS, PAN-OS, ProCurve, AOS-CX and Linux show commands over the operational model. */

// ---------------------------------------------------------------- FortiOS

export function fortiInterfacePhysical(view: OperationalView): string {
  const out = ['== [onboard]'];
  for (const i of view.interfaces) {
    out.push(`        ==[${i.name}]`, '                mode: static');
    out.push(`                ip: ${i.address ?? '0.0.0.0'} ${i.prefixLength !== undefined ? lengthToMask(i.prefixLength) : '0.0.0.0'}`, '                ipv6: ::/0');
    out.push(`                status: ${i.operUp ? 'up' : 'down'}`, `                speed: ${i.operUp ? `${i.speed}Mbps (Duplex: full)` : 'n/a'}`);
  }
  return lines(out);
}

export function fortiNic(view: OperationalView, name: string): string | undefined {
  const i = view.interfaces.find((x) => x.name === name);
  if (!i) return undefined;
  return lines([
    `Name:            ${i.name}`, 'Driver:          virtio_net', 'Version:         1.0.0', 'Bus:             0000:00:03.0',
    `Hwaddr:          ${macColons(i.mac)}`, `Permanent Hwaddr:${macColons(i.mac)}`,
    `State:           ${i.adminUp ? 'up' : 'down'}`, `Link:            ${i.operUp ? 'up' : 'down'}`, 'Mtu:             1500',
    `Supported:       `, 'Advertised:      ', 'Auto:            disabled', `Speed:           ${i.operUp ? `${i.speed}Mbps Full Duplex` : 'Unknown'}`,
    `Rx packets:      ${i.inPackets}`, `Rx bytes:        ${i.inBytes}`, 'Rx compressed:   0', 'Rx dropped:      0', `Rx errors:       ${i.inErrors}`,
    '  Rx Length err: 0', '  Rx Buf overflow: 0', `  Rx Crc err:    ${i.crc}`, '  Rx Frame err:  0', '  Rx Fifo overrun: 0', '  Rx Missed packets: 0',
    `Tx packets:      ${i.outPackets}`, `Tx bytes:        ${i.outBytes}`, 'Tx compressed:   0', 'Tx dropped:      0', `Tx errors:       ${i.outErrors}`,
    '  Tx Aborted err: 0', '  Tx Carrier err: 0', '  Tx Fifo overrun: 0', '  Tx Heartbeat err: 0', '  Tx Window err: 0',
    `Multicasts:      ${i.inMulticast}`, 'Collisions:      0',
  ]);
}

const FORTI_CODE: Record<LabRoute['protocol'], string> = { connected: 'C', local: 'C', static: 'S', ospf: 'O', bgp: 'B' };

export function fortiRoutes(view: OperationalView): string {
  const out = [
    'Codes: K - kernel, C - connected, S - static, R - RIP, B - BGP', '       O - OSPF, IA - OSPF inter area', '       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2',
    '       E1 - OSPF external type 1, E2 - OSPF external type 2', '       i - IS-IS, L1 - IS-IS level-1, L2 - IS-IS level-2, ia - IS-IS inter area', '       * - candidate default', '',
    'Routing table for VRF=0',
  ];
  for (const r of routesIn(view, DEFAULT_VRF).filter((x) => x.protocol !== 'local')) {
    const code = (FORTI_CODE[r.protocol] + (r.length === 0 ? '*' : '')).padEnd(8);
    if (r.protocol === 'connected') out.push(`${code}${r.prefix}/${r.length} is directly connected, ${r.interface}`);
    else if (r.protocol === 'static') out.push(`${code}${r.prefix}/${r.length} [10/0] via ${r.nextHop}, ${r.interface ?? 'port1'}, [1/0]`);
    else out.push(`${code}${r.prefix}/${r.length} [${r.distance}/${r.metric}] via ${r.nextHop}, ${r.interface ?? 'port1'}, ${ciscoAge(r.ageSeconds)}`);
  }
  out.push('');
  return lines(out);
}

export function fortiBgpSummary(view: OperationalView): string {
  const peers = view.bgp.filter((p) => p.vrf === DEFAULT_VRF);
  const version = peers.reduce((n, p) => n + p.tableVersion, 1);
  const out = [
    `BGP router identifier ${view.routerId}, local AS number ${view.localAs}`, `BGP table version is ${version}`, `${peers.length} BGP AS-PATH entries`, '0 BGP community entries', '',
    'Neighbor        V         AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd',
  ];
  for (const p of peers) {
    const state = p.established ? String(p.prefixesReceived).padStart(8) : p.state;
    out.push(`${p.address.padEnd(15)} 4 ${String(p.remoteAs).padStart(10)} ${String(p.msgRcvd).padStart(7)} ${String(p.msgSent).padStart(7)} ${String(version).padStart(8)} ${'0'.padStart(4)} ${'0'.padStart(4)} ${ciscoAge(p.upSeconds).padStart(8)} ${state}`);
  }
  out.push('', `Total number of neighbors ${peers.length}`, '');
  return lines(out);
}

/** `diagnose lldprx neighbor [summary]`: one line per neighbour, as FortiOS prints it. */
export function fortiLldp(view: OperationalView): string {
  const upper = (mac: string) => macColons(mac.replace(/\./g, '')).toUpperCase();
  return lines(
    view.lldp.map((n, k) => {
      const index = view.interfaces.findIndex((i) => i.name === n.localInterface) + 3;
      return `${k + 1} port '${n.localInterface}' ${index} mac ${upper(n.chassisId.replace(/.$/, 'f'))} chassis ${upper(n.chassisId)} port '${n.neighborInterface}' system '${n.neighborName}'`;
    }),
  );
}

// ---------------------------------------------------------------- PAN-OS

export function panosInterfaceAll(view: OperationalView): string {
  const hw = view.interfaces.filter((i) => i.kind === 'ethernet');
  const out = [`total configured hardware interfaces: ${hw.length}`, '', 'name                    id    speed/duplex/state/fec        mac address', '-'.repeat(80)];
  hw.forEach((i, n) => out.push(`${i.name.padEnd(24)}${String(16 + n).padEnd(6)}${`${i.operUp ? i.speed : 'ukn'}/${i.operUp ? 'full' : 'ukn'}/${i.operUp ? 'up' : 'down'}/auto`.padEnd(30)}${macColons(i.mac)}`));
  out.push('', 'aggregation groups: 0', '', '', `total configured logical interfaces: ${hw.length}`, '', 'name                id    vsys zone             forwarding               tag    address', '------------------- ----- ---- ---------------- ------------------------ ------ ------------------');
  hw.forEach((i, n) => out.push(`${i.name.padEnd(20)}${String(16 + n).padEnd(6)}${'1'.padEnd(5)}${(n === 0 ? 'untrust' : n === 1 ? 'trust' : '').padEnd(17)}${'vr:default'.padEnd(25)}${'0'.padEnd(7)}${i.address ? `${i.address}/${i.prefixLength}` : 'N/A'}`));
  out.push('');
  return lines(out);
}

export function panosInterface(view: OperationalView, name: string): string | undefined {
  const i = view.interfaces.find((x) => x.name === name);
  if (!i) return undefined;
  const rule = '-'.repeat(80);
  const id = 16 + view.interfaces.indexOf(i);
  return lines([
    rule, `Name: ${i.name}, ID: ${id}`, 'Link status:', `  Runtime link speed/duplex/state: ${i.operUp ? `${i.speed}/full/up` : 'unknown/unknown/down'}`, '  Configured link speed/duplex/state: auto/auto/auto',
    'MAC address:', `  Port MAC address ${macColons(i.mac)}`, 'Operation mode: layer3', 'Untagged sub-interface support: no', rule,
    `Name: ${i.name}, ID: ${id}`, 'Operation mode: layer3', 'Virtual router default', 'Interface MTU 1500', `Interface IP address: ${i.address ? `${i.address}/${i.prefixLength}` : 'N/A'}`,
    'Interface management profile: N/A', 'Service configured:', `Zone: ${id === 16 ? 'untrust' : 'trust'}, virtual system: vsys1`, 'Adjust TCP MSS: no', 'Policing: no', rule,
    'Physical port counters read from MAC:', rule,
    `rx-broadcast                  ${i.inBroadcast}`, `rx-bytes                      ${i.inBytes}`, `rx-multicast                  ${i.inMulticast}`, `rx-unicast                    ${i.inPackets - i.inBroadcast - i.inMulticast}`,
    'tx-broadcast                  0', `tx-bytes                      ${i.outBytes}`, 'tx-multicast                  0', `tx-unicast                    ${i.outPackets}`, rule,
    'Hardware interface counters read from CPU:', rule,
    `bytes received                ${i.inBytes}`, `bytes transmitted             ${i.outBytes}`, `packets received              ${i.inPackets}`, `packets transmitted           ${i.outPackets}`,
    `receive errors                ${i.inErrors}`, `transmit errors               ${i.outErrors}`, 'receive drops                 0', 'transmit drops                0', rule,
  ]);
}

const PANOS_FLAGS: Record<LabRoute['protocol'], string> = { connected: 'A C', local: 'A H', static: 'A S', ospf: 'A Oi', bgp: 'A B' };

export function panosRoutes(view: OperationalView): string {
  const out = [
    'flags: A:active, ?:loose, C:connect, H:host, S:static, ~:internal, R:rip, O:ospf, B:bgp, ', '       Oi:ospf intra-area, Oo:ospf inter-area, O1:ospf ext-type-1, O2:ospf ext-type-2, E:ecmp, M:multicast', '', '',
    'VIRTUAL ROUTER: default (id 1)', '  ==========',
    'destination                                 nexthop                                 metric flags      age   interface          next-AS    ',
  ];
  for (const r of routesIn(view, DEFAULT_VRF)) {
    const nexthop = r.nextHop ?? (r.protocol === 'local' ? '0.0.0.0' : r.prefix.replace(/\.0$/, '.1'));
    const metric = r.protocol === 'bgp' ? '' : String(r.protocol === 'static' ? 10 : r.metric);
    const age = r.protocol === 'bgp' || r.protocol === 'ospf' ? String(r.ageSeconds) : '';
    out.push(`${`${r.prefix}/${r.length}`.padEnd(44)}${nexthop.padEnd(40)}${metric.padEnd(7)}${PANOS_FLAGS[r.protocol].padEnd(11)}${(age ? `${age} ` : '').padEnd(6)}${(r.interface ?? '').padEnd(19)}${r.protocol === 'bgp' ? r.peerAs : ''}`);
  }
  out.push(`total routes shown: ${routesIn(view, DEFAULT_VRF).length}`, '');
  return lines(out);
}

export function panosBgpSummary(view: OperationalView): string {
  const peers = view.bgp.filter((p) => p.vrf === DEFAULT_VRF);
  const out = [
    '  ==========', `  router id:                     ${view.routerId}`, '  virtual router:                default', '  reject default route:          yes', '  redist default route:          no',
    '  Install BGP routes:            yes', '  Graceful Restart:              supported', '  AS size:                       2', `  Local AS:                      ${view.localAs}`, '  Local member AS:               0',
    '  Cluster id:                    0.0.0.0', '  Default local preference:      100', '  Always compare MED:            no', '  Aggregate regardless MED:      yes', '  Deterministic MED processing:  yes',
    '  Accept ORF:                    no', '  Accept CISCO style prefix:     yes', '  mp-bgp-enable:                 yes', '  afi-safi-ipv4-unicast:         yes',
    `  rib-out entries:               current ${peers.length * 4}, peak ${peers.length * 4 + 1} `,
  ];
  for (const p of peers) {
    out.push(`    peer ${p.description ?? p.address}: AS ${p.remoteAs}, ${p.established ? 'Established' : p.state}, IP ${p.address}`);
    out.push(`      bgpAfiIpv4/unicast pfx:    Accepted pfx: ${p.prefixesReceived}, Advertised pfx: ${p.prefixesSent}`);
  }
  out.push('');
  return lines(out);
}

export function panosLldp(view: OperationalView): string {
  const out: string[] = [];
  view.lldp.forEach((n, k) => {
    out.push('Local information:', `Index ${20 + k}`, `Local interface: ${n.localInterface}`, `Local Port ID: ${n.localInterface.split('/').pop()}`, 'Neighbor information:', '');
    out.push('Chassis type: MAC address', `Chassis ID: ${macColons(n.chassisId.replace(/\./g, ''))}`, 'Port type: Interface name', `Port ID: ${n.neighborInterface}`, `Port description: ${n.neighborInterface}`, 'TTL: 120');
    out.push(`System name: ${n.neighborName}`, 'System description: Lab network device', 'System capabilities:', 'Supported: B, R,', `Enabled: ${n.capabilities}, `);
    out.push('Management address type: ipv4', `Management address: ${n.mgmtAddress}`, '', '');
  });
  return lines(out);
}

// ---------------------------------------------------------------- ProCurve

const procurvePorts = (view: OperationalView) => view.interfaces.filter((i) => /^\d+$/.test(i.name));

export function procurveInterfacesBrief(view: OperationalView): string {
  const out = ['', ' Status and Counters - Port Status', '', '                   | Intrusion                           MDI  Flow', '  Port  Type       | Alert     Enabled Status Mode       Mode Ctrl', '  ----- ---------- + --------- ------- ------ ---------- ---- ----'];
  for (const i of procurvePorts(view)) {
    out.push(`  ${i.name.padEnd(6)}${'100/1000T'.padEnd(11)}| No        ${(i.adminUp ? 'Yes' : 'No').padEnd(8)}${(i.operUp ? 'Up' : 'Down').padEnd(7)}${(i.operUp ? '1000FDx' : '1000FDx').padEnd(11)}${(i.operUp ? 'MDIX' : 'Auto').padEnd(5)}off`);
  }
  out.push('');
  return lines(out);
}

export function procurveInterfaces(view: OperationalView): string {
  const out = ['', ' Status and Counters - Port Counters', '', '                                                                 Flow Bcast', '  Port         Total Bytes    Total Frames   Errors Rx Drops Tx  Ctrl Limit', '  ------------ -------------- -------------- --------- --------- ---- -----'];
  for (const i of procurvePorts(view)) {
    out.push(`  ${i.name.padEnd(13)}${`${commas(i.inBytes + i.outBytes)} `.padEnd(15)}${`${commas(i.inPackets + i.outPackets)} `.padEnd(15)}${`${commas(i.inErrors)} `.padEnd(10)}${'0'.padEnd(10)}off  0`);
  }
  out.push('');
  return lines(out);
}

export function procurveRoutes(view: OperationalView): string {
  const out = ['', '                                IP Route Entries', '', '  Destination        Gateway         VLAN Type      Sub-Type   Metric     Dist.', '  ------------------ --------------- ---- --------- ---------- ---------- -----'];
  const vlanOf = (i?: string) => /VLAN(\d+)/.exec(i ?? '')?.[1] ?? '';
  for (const r of routesIn(view, DEFAULT_VRF).filter((x) => x.protocol === 'connected' || x.protocol === 'static')) {
    const gateway = r.protocol === 'connected' ? (r.interface ?? '') : (r.nextHop ?? '');
    out.push(`  ${`${r.prefix}/${r.length}`.padEnd(19)}${gateway.padEnd(16)}${vlanOf(r.interface).padEnd(5)}${r.protocol.padEnd(10)}${''.padEnd(11)}${String(r.protocol === 'static' ? 1 : 1).padEnd(11)}${r.protocol === 'static' ? 1 : 0}`);
  }
  out.push('  127.0.0.0/8        reject               static               0          0', '  127.0.0.1/32                            connected            1          0', '');
  return lines(out);
}

export function procurveLldp(view: OperationalView): string {
  const out = ['', ' LLDP Remote Devices Information', '', '  LocalPort | ChassisId          PortId             PortDescr SysName           ', '  --------- + ------------------ ------------------ --------- ------------------'];
  for (const n of view.lldp) {
    const chassis = n.chassisId.replace(/\./g, '');
    out.push(`  ${n.localInterface.padEnd(10)}| ${`${chassis.slice(0, 6)}-${chassis.slice(6)}`.padEnd(19)}${n.neighborInterface.slice(0, 18).padEnd(19)}${n.neighborInterface.slice(0, 9).padEnd(10)}${n.neighborName}`);
  }
  out.push('');
  return lines(out);
}

// ---------------------------------------------------------------- AOS-CX

export function aoscxInterfaceBrief(view: OperationalView): string {
  const rule = '-'.repeat(104);
  const out = [rule, 'Port      Native  Mode   Type           Enabled Status  Reason                  Speed   Description', '          VLAN                                                                  (Mb/s)', rule];
  for (const i of view.interfaces.filter((x) => x.kind === 'ethernet' && !x.name.includes('.'))) {
    const reason = !i.adminUp ? 'Administratively down' : i.operUp ? '' : 'Waiting for link';
    out.push(`${i.name.padEnd(10)}${(i.address ? '--' : String(i.vlan ?? 1)).padEnd(8)}${(i.address ? 'routed' : 'access').padEnd(7)}${'1GbT'.padEnd(15)}${(i.adminUp ? 'yes' : 'no').padEnd(8)}${(i.operUp ? 'up' : 'down').padEnd(8)}${reason.padEnd(24)}${(i.operUp ? String(i.speed) : '--').padEnd(8)}${i.description ?? '--'}`);
  }
  return lines(out);
}

export function aoscxInterfaces(view: OperationalView): string {
  const out: string[] = [];
  for (const i of view.interfaces.filter((x) => x.kind !== 'mgmt')) {
    out.push(`Interface ${i.name} is ${i.operUp ? 'up' : 'down'} `, ` Admin state is ${i.adminUp ? 'up' : 'down'}`);
    if (!i.operUp) out.push(` State information: ${i.adminUp ? 'Waiting for link' : 'Administratively down'}`);
    out.push(' Link transitions: 1', ` Description: ${i.description ?? ''}`, ` Hardware: Ethernet, MAC Address: ${macColons(i.mac)} `, ` MTU ${i.mtu} `, ' Type 1GbT', ' Full-duplex ', ' qos trust none');
    out.push(` Speed ${i.operUp ? i.speed : 0} Mb/s `, ' Auto-negotiation is on', ' Flow-control: off ', ' Error-control: off ');
    if (i.address) out.push(` IPv4 address ${i.address}/${i.prefixLength}`);
    else if (i.kind === 'ethernet') out.push(' VLAN Mode: access', ` Access VLAN: ${i.vlan ?? 1}`);
    out.push(' Rx', `  ${String(i.inPackets).padStart(11)} total packets  ${String(i.inBytes).padStart(19)} total bytes`);
    out.push(`  ${String(i.inPackets - i.inMulticast - i.inBroadcast).padStart(11)}   unicast packets`, `  ${String(i.inMulticast).padStart(11)}   multicast packets`, `  ${String(i.inBroadcast).padStart(11)}   broadcast packets`);
    out.push(`  ${String(i.inErrors).padStart(11)} errors                           0 dropped`, `  ${String(i.crc).padStart(11)} CRC/FCS`);
    out.push(' Tx', `  ${String(i.outPackets).padStart(11)} total packets  ${String(i.outBytes).padStart(19)} total bytes`);
    out.push(`  ${String(i.outPackets).padStart(11)}   unicast packets`, `  ${'0'.padStart(11)}   multicast packets`, `  ${'0'.padStart(11)}   broadcast packets`);
    out.push(`  ${String(i.outErrors).padStart(11)} errors                           0 dropped`, `  ${'0'.padStart(11)} collision`, '');
  }
  return lines(out);
}

export function aoscxRoutes(view: OperationalView, vrf: string): string {
  const vrfs = vrf === 'all' ? view.vrfs : [vrf];
  const out = ['', 'Displaying ipv4 routes selected for forwarding', '', "'[x/y]' denotes [distance/metric]", ''];
  for (const name of vrfs) {
    for (const r of routesIn(view, name)) {
      out.push(`${r.prefix}/${r.length}, vrf ${name}`);
      const via = r.protocol === 'connected' || r.protocol === 'local' ? r.interface : r.nextHop;
      out.push(`\tvia  ${via},  [${r.protocol === 'connected' || r.protocol === 'local' ? 0 : r.distance}/${r.metric}],  ${r.protocol}`);
    }
  }
  return lines(out);
}

function aoscxAge(seconds: number): string {
  const p = parts(seconds);
  if (p.weeks > 0) return `${two(p.hours)}h:${two(p.weeks)}w:${two(p.days)}d`;
  if (p.days > 0) return `${two(p.minutes)}m:${two(p.hours)}h:${two(p.days)}d`;
  return `${two(p.hours)}h:${two(p.minutes)}m:${two(p.seconds)}s`;
}

export function aoscxBgpSummary(view: OperationalView, vrf: string): string {
  const vrfs = vrf === 'all' ? view.vrfs : [vrf];
  const out: string[] = [];
  for (const name of vrfs) {
    const peers = view.bgp.filter((p) => p.vrf === name);
    out.push(`VRF : ${name}`, 'BGP Summary', '-----------');
    out.push(` Local AS               : ${String(view.localAs).padEnd(12)} BGP Router Identifier  : ${view.routerId}`, ` Peers                  : ${String(peers.length).padEnd(12)} Log Neighbor Changes   : No`, ' Cfg. Hold Time         : 180          Cfg. Keep Alive        : 60', '');
    out.push('Address-family : IPv4 Unicast', '-----------------------------', ' Neighbor        Remote-AS MsgRcvd MsgSent   Up/Down Time State        AdminStatus');
    for (const p of peers) out.push(` ${p.address.padEnd(16)}${String(p.remoteAs).padEnd(10)}${String(p.msgRcvd).padEnd(8)}${String(p.msgSent).padEnd(8)}${aoscxAge(p.upSeconds).padEnd(13)}${(p.established ? 'Established' : p.state).padEnd(14)}Up`);
    out.push('', 'Address-family : IPv6 Unicast', '-----------------------------', '');
  }
  return lines(out);
}

export function aoscxLldp(view: OperationalView): string {
  const out = [
    '', 'LLDP Neighbor Information', '=========================', '', `Total Neighbor Entries          : ${view.lldp.length}`, 'Total Neighbor Entries Deleted  : 0', 'Total Neighbor Entries Dropped  : 0', 'Total Neighbor Entries Aged-Out : 0', '',
    'LOCAL-PORT  CHASSIS-ID         PORT-ID                    PORT-DESC                  TTL      SYS-NAME', '-'.repeat(102),
  ];
  for (const n of view.lldp) out.push(`${n.localInterface.padEnd(12)}${macColons(n.chassisId.replace(/\./g, '')).padEnd(19)}${n.neighborInterface.padEnd(27)}${n.neighborInterface.padEnd(27)}${'120'.padEnd(9)}${n.neighborName}`);
  out.push('');
  return lines(out);
}

/** `show system` needs only the hostname and the first interface's MAC, not the whole view. */
export function aoscxSystem(view: Pick<OperationalView, 'hostname'> & { interfaces: readonly Pick<OperationalView['interfaces'][number], 'mac'>[] }, serial: string, uptimeSeconds: number): string {
  const p = parts(uptimeSeconds);
  return lines([
    `Hostname           : ${view.hostname}`, 'System Description : FL.10.10.1000', 'System Contact     : noc@netstacks.test', 'System Location    : lab', '', 'Vendor             : Aruba',
    'Product Name       : JL668A 6300F 48G CL4 PoE 4SFP56 Swch', `Chassis Serial Nbr : ${serial}`, `Base MAC Address   : ${(view.interfaces[0]?.mac ?? '').replace(/^(.{6})/, '$1-')}`, 'ArubaOS-CX Version : FL.10.10.1000', '',
    'Time Zone          : UTC', '', `Up Time            : ${p.weeks} weeks, ${p.days} days, ${p.hours} hours, ${p.minutes} minutes`, 'CPU Util (%)       : 4', 'Memory Usage (%)   : 23', '',
  ]);
}

// ---------------------------------------------------------------- Linux

const linuxKind = (i: LabInterface) => (i.kind === 'loopback' ? 'loopback' : 'ether');

function linuxHeader(i: LabInterface, n: number): string[] {
  const flags = i.kind === 'loopback' ? 'LOOPBACK,UP,LOWER_UP' : i.adminUp ? (i.operUp ? 'BROADCAST,MULTICAST,UP,LOWER_UP' : 'NO-CARRIER,BROADCAST,MULTICAST,UP') : 'BROADCAST,MULTICAST';
  const state = i.kind === 'loopback' ? 'UNKNOWN' : i.operUp ? 'UP' : 'DOWN';
  const qdisc = i.kind === 'loopback' ? 'noqueue' : i.adminUp ? 'fq_codel' : 'noop';
  return [
    `${n + 1}: ${i.name}: <${flags}> mtu ${i.kind === 'loopback' ? 65536 : 1500} qdisc ${qdisc}${i.vrf !== DEFAULT_VRF ? ` master ${i.vrf}` : ''} state ${state} ${i.kind === 'loopback' ? '' : 'mode DEFAULT '}group default ${i.kind === 'loopback' ? '' : 'qlen 1000'}`.replace(/ +$/, '').replace('  ', ' '),
    `    link/${linuxKind(i)} ${i.kind === 'loopback' ? '00:00:00:00:00:00 brd 00:00:00:00:00:00' : `${macColons(i.mac)} brd ff:ff:ff:ff:ff:ff`}`,
  ];
}

export function linuxLink(view: OperationalView, stats: boolean): string {
  const out: string[] = [];
  view.interfaces.forEach((i, n) => {
    out.push(...linuxHeader(i, n));
    if (stats) {
      out.push('    RX:  bytes packets errors dropped  missed   mcast           ', `    ${String(i.inBytes).padStart(10)} ${String(i.inPackets).padStart(7)} ${String(i.inErrors).padStart(6)} ${'0'.padStart(7)} ${'0'.padStart(7)} ${String(i.inMulticast).padStart(7)} `);
      out.push('    TX:  bytes packets errors dropped carrier collsns           ', `    ${String(i.outBytes).padStart(10)} ${String(i.outPackets).padStart(7)} ${String(i.outErrors).padStart(6)} ${'0'.padStart(7)} ${'0'.padStart(7)} ${'0'.padStart(7)} `);
    }
  });
  return lines(out);
}

export function linuxAddress(view: OperationalView): string {
  const out: string[] = [];
  view.interfaces.forEach((i, n) => {
    out.push(...linuxHeader(i, n).map((l) => l.replace(' mode DEFAULT', '')));
    if (i.address) {
      const scope = i.kind === 'loopback' ? 'host' : 'global';
      out.push(`    inet ${i.address}/${i.prefixLength} ${i.kind === 'loopback' ? '' : `brd ${i.address.replace(/\.\d+$/, '.255')} `}scope ${scope} ${i.name}`, '       valid_lft forever preferred_lft forever');
    }
  });
  return lines(out);
}

export function linuxRoutes(view: OperationalView, vrf = DEFAULT_VRF): string {
  const out: string[] = [];
  for (const r of routesIn(view, vrf)) {
    const dev = r.interface ?? 'eth0';
    const intf = view.interfaces.find((i) => i.name === dev);
    if (r.protocol === 'static' && r.length === 0) out.push(`default via ${r.nextHop} dev ${dev} onlink `);
    else if (r.protocol === 'static') out.push(`${r.prefix}/${r.length} via ${r.nextHop} dev ${dev} `);
    else if (r.protocol === 'connected' && intf?.kind !== 'loopback') out.push(`${r.prefix}/${r.length} dev ${dev} proto kernel scope link src ${intf?.address} `);
    else if (r.protocol === 'bgp') out.push(`${r.prefix}/${r.length} via ${r.nextHop} dev ${dev} proto bgp metric 20 `);
  }
  return lines(out);
}

/** FRR's compact ages: 01w2d03h, 1d02h03m, 03:04:05. */
function frrAge(seconds: number): string {
  const p = parts(seconds);
  if (p.weeks > 0) return `${two(p.weeks)}w${p.days}d${two(p.hours)}h`;
  if (p.days > 0) return `${p.days}d${two(p.hours)}h${two(p.minutes)}m`;
  return `${two(p.hours)}:${two(p.minutes)}:${two(p.seconds)}`;
}

/** FRR `vtysh -c 'show ip bgp summary'` / `show bgp vrf NAME|all summary`. */
export function frrBgpSummary(view: OperationalView, vrf: string): string {
  const names = vrf === 'all' ? view.vrfs : [vrf];
  const out: string[] = [];
  names.forEach((name, n) => {
    const peers = view.bgp.filter((p) => p.vrf === name);
    const version = peers.reduce((sum, p) => sum + p.tableVersion, 1);
    out.push('', `IPv4 Unicast Summary (VRF ${name}):`, `BGP router identifier ${view.routerId}, local AS number ${view.localAs} vrf-id ${n}`, `BGP table version ${version}`);
    out.push(`RIB entries ${peers.length * 6 + 3}, using ${(peers.length * 6 + 3) * 184} bytes of memory`, `Peers ${peers.length}, using ${peers.length * 723} KiB of memory`, '');
    out.push('Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc');
    for (const p of peers) {
      const state = p.established ? String(p.prefixesReceived) : p.state;
      out.push(`${p.address.padEnd(16)}4 ${String(p.remoteAs).padStart(10)} ${String(p.msgRcvd).padStart(9)} ${String(p.msgSent).padStart(9)} ${'0'.padStart(8)} ${'0'.padStart(4)} ${'0'.padStart(4)} ${frrAge(p.upSeconds).padStart(8)} ${state.padStart(12)} ${String(p.established ? p.prefixesSent : 0).padStart(8)} ${p.description ?? 'N/A'}`);
    }
    out.push('', `Total number of neighbors ${peers.length}`);
  });
  return lines(out);
}

export function linuxLldp(view: OperationalView): string {
  const out = ['-------------------------------------------------------------------------------', 'LLDP neighbors:', '-------------------------------------------------------------------------------'];
  for (const n of view.lldp) {
    out.push(`Interface:    ${n.localInterface}, via: LLDP, RID: 1, Time: 12 days, 03:04:05`, '  Chassis:     ', `    ChassisID:    mac ${macColons(n.chassisId.replace(/\./g, ''))}`, `    SysName:      ${n.neighborName}`);
    out.push('  Port:        ', `    PortID:       ifname ${n.neighborInterface}`, `    PortDescr:    ${n.neighborInterface}`, '    TTL:          120', '-------------------------------------------------------------------------------');
  }
  return lines(out);
}
