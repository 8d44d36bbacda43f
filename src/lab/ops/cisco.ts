import { bitsPerSecond, lines, routesIn, xrTimestamp } from './format.js';
import { ciscoAge, DEFAULT_VRF, macDots, type LabBgpPeer, type LabInterface, type LabRoute, type OperationalView } from './model.js';

/** IOS/IOS-XE, NX-OS and IOS-XR show commands over the operational model. */

const IOS_SHORT: [RegExp, string][] = [
  [/^GigabitEthernet/, 'Gi'],
  [/^TenGigabitEthernet/, 'Te'],
  [/^FastEthernet/, 'Fa'],
  [/^Ethernet/, 'Eth'],
  [/^Port-channel/, 'Po'],
  [/^TenGigE/, 'Te'],
  [/^Loopback/, 'Lo'],
];

export function shortName(name: string): string {
  for (const [re, short] of IOS_SHORT) if (re.test(name)) return name.replace(re, short);
  return name;
}

const physical = (i: LabInterface) => i.kind === 'ethernet' && !i.name.includes('.');

// ---------------------------------------------------------------- IOS / IOS-XE

export function iosInterfaceBrief(view: OperationalView): string {
  const rows = ['Interface                  IP-Address      OK? Method Status                Protocol'];
  for (const i of view.interfaces) {
    const address = i.address ?? 'unassigned';
    const status = i.adminUp ? (i.operUp ? 'up' : 'down') : 'administratively down';
    rows.push(`${i.name.padEnd(27)}${address.padEnd(16)}YES ${i.address ? 'manual' : 'unset '} ${status.padEnd(22)}${i.operUp ? 'up' : 'down'}`);
  }
  return lines(rows);
}

export function iosInterfaceStatus(view: OperationalView): string {
  const rows = ['', 'Port         Name               Status       Vlan       Duplex  Speed Type '];
  for (const i of view.interfaces.filter(physical)) {
    const status = !i.adminUp ? 'disabled' : i.operUp ? 'connected' : 'notconnect';
    const vlan = i.address ? 'routed' : String(i.vlan ?? 1);
    const duplex = i.operUp ? 'a-full' : 'auto';
    const speed = i.operUp ? `a-${i.speed}` : 'auto';
    rows.push(`${shortName(i.name).padEnd(13)}${(i.description ?? '').slice(0, 18).padEnd(19)}${status.padEnd(13)}${vlan.padEnd(11)}${duplex.padStart(6)} ${speed.padStart(6)} 10/100/1000BaseTX`);
  }
  return lines(rows);
}

export function iosInterfaces(view: OperationalView): string {
  const out: string[] = [];
  for (const i of view.interfaces) {
    const state = i.adminUp ? (i.operUp ? 'up' : 'down') : 'administratively down';
    const rate = bitsPerSecond(i.inPackets);
    out.push(`${i.name} is ${state}, line protocol is ${i.operUp ? 'up' : 'down'} `);
    out.push(i.kind === 'loopback' ? '  Hardware is Loopback' : `  Hardware is iGbE, address is ${macDots(i.mac)} (bia ${macDots(i.mac)})`);
    if (i.description) out.push(`  Description: ${i.description}`);
    if (i.address) out.push(`  Internet address is ${i.address}/${i.prefixLength}`);
    out.push(`  MTU ${i.mtu} bytes, BW ${i.speed ? i.speed * 1000 : 8000000} Kbit/sec, DLY ${i.kind === 'loopback' ? 5000 : 10} usec, `);
    out.push('     reliability 255/255, txload 1/255, rxload 1/255');
    out.push(`  Encapsulation ${i.kind === 'loopback' ? 'LOOPBACK' : 'ARPA'}, loopback not set`);
    out.push('  Keepalive set (10 sec)');
    if (i.kind !== 'loopback') {
      out.push(i.operUp ? `  Full Duplex, ${i.speed === 1000 ? '1Gbps' : `${i.speed}Mbps`}, media type is RJ45` : '  Auto-duplex, Auto-speed, media type is RJ45');
      out.push('  output flow-control is unsupported, input flow-control is unsupported');
      out.push('  ARP type: ARPA, ARP Timeout 04:00:00');
    }
    out.push(`  Last input ${i.operUp ? '00:00:01' : 'never'}, output ${i.operUp ? '00:00:00' : 'never'}, output hang never`);
    out.push('  Last clearing of "show interface" counters never');
    out.push('  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0');
    out.push('  Queueing strategy: fifo');
    out.push('  Output queue: 0/40 (size/max)');
    out.push(`  5 minute input rate ${rate} bits/sec, ${Math.floor(rate / 800)} packets/sec`);
    out.push(`  5 minute output rate ${rate} bits/sec, ${Math.floor(rate / 800)} packets/sec`);
    out.push(`     ${i.inPackets} packets input, ${i.inBytes} bytes, 0 no buffer`);
    out.push(`     Received ${i.inBroadcast} broadcasts (${i.inMulticast} IP multicasts)`);
    out.push('     0 runts, 0 giants, 0 throttles ');
    out.push(`     ${i.inErrors} input errors, ${i.crc} CRC, 0 frame, 0 overrun, 0 ignored`);
    out.push(`     0 watchdog, ${i.inMulticast} multicast, 0 pause input`);
    out.push(`     ${i.outPackets} packets output, ${i.outBytes} bytes, 0 underruns`);
    out.push(`     ${i.outErrors} output errors, 0 collisions, 1 interface resets`);
    out.push('     0 unknown protocol drops');
    out.push('     0 babbles, 0 late collision, 0 deferred');
    out.push('     0 lost carrier, 0 no carrier, 0 pause output');
    out.push('     0 output buffer failures, 0 output buffers swapped out');
  }
  return lines(out);
}

const IOS_CODES = `Codes: L - local, C - connected, S - static, R - RIP, M - mobile, B - BGP
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area 
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2
       i - IS-IS, su - IS-IS summary, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, * - candidate default, U - per-user static route
       o - ODR, P - periodic downloaded static route, H - NHRP, l - LISP
       a - application route
       + - replicated route, % - next hop override, p - overrides from PfR
`;

const IOS_CODE: Record<LabRoute['protocol'], string> = { connected: 'C', local: 'L', static: 'S', ospf: 'O', bgp: 'B' };

function classful(prefix: string): number {
  const first = Number(prefix.split('.')[0]);
  return first < 128 ? 8 : first < 192 ? 16 : 24;
}

function majorNet(prefix: string, length: number): string {
  const octets = prefix.split('.');
  return octets.map((o, i) => (i < length / 8 ? o : '0')).join('.');
}

function iosRouteText(route: LabRoute): string {
  if (route.protocol === 'connected' || route.protocol === 'local') return `${route.prefix}/${route.length} is directly connected, ${route.interface}`;
  const via = `[${route.distance}/${route.metric}] via ${route.nextHop}`;
  if (route.protocol === 'static') return `${route.prefix}/${route.length} ${via}`;
  return `${route.prefix}/${route.length} ${via}, ${ciscoAge(route.ageSeconds)}${route.protocol === 'ospf' && route.interface ? `, ${route.interface}` : ''}`;
}

export function iosRoutes(view: OperationalView, vrf = DEFAULT_VRF): string {
  const routes = routesIn(view, vrf);
  const def = routes.find((r) => r.length === 0);
  const out: string[] = [];
  if (vrf !== DEFAULT_VRF) out.push('', `Routing Table: ${vrf}`);
  out.push(IOS_CODES.trimEnd(), '', def ? `Gateway of last resort is ${def.nextHop} to network 0.0.0.0` : 'Gateway of last resort is not set', '');
  const groups = new Map<string, LabRoute[]>();
  for (const route of routes) {
    const length = classful(route.prefix);
    const key = route.length > length ? `${majorNet(route.prefix, length)}/${length}` : `${route.prefix}/${route.length}!`;
    groups.set(key, [...(groups.get(key) ?? []), route]);
  }
  for (const [key, members] of groups) {
    if (key.endsWith('!')) {
      for (const route of members) out.push(`${(IOS_CODE[route.protocol] + (route.length === 0 ? '*' : '')).padEnd(6)}${iosRouteText(route)}`);
      continue;
    }
    const masks = new Set(members.map((m) => m.length));
    out.push(masks.size === 1 ? `      ${key} is subnetted, ${members.length} subnets` : `      ${key} is variably subnetted, ${members.length} subnets, ${masks.size} masks`);
    for (const route of members) out.push(`${IOS_CODE[route.protocol].padEnd(9)}${iosRouteText(route)}`);
  }
  return lines(out);
}

function peersIn(view: OperationalView, vrf: string): LabBgpPeer[] {
  return view.bgp.filter((p) => p.vrf === vrf);
}

function tableVersion(peers: LabBgpPeer[]): number {
  return peers.reduce((n, p) => n + p.tableVersion, 1);
}

export function iosBgpSummary(view: OperationalView, vrf = DEFAULT_VRF): string {
  const peers = peersIn(view, vrf);
  const prefixes = peers.reduce((n, p) => n + p.prefixesReceived, 0) + 4;
  const version = tableVersion(peers);
  const out = [
    `BGP router identifier ${view.routerId}, local AS number ${view.localAs}`,
    `BGP table version is ${version}, main routing table version ${version}`,
    `${prefixes} network entries using ${prefixes * 144} bytes of memory`,
    `${prefixes} path entries using ${prefixes * 80} bytes of memory`,
    `${peers.length + 1}/${peers.length} BGP path/bestpath attribute entries using ${(peers.length + 1) * 144} bytes of memory`,
    `${peers.length} BGP AS-PATH entries using ${peers.length * 24} bytes of memory`,
    '0 BGP route-map cache entries using 0 bytes of memory',
    '0 BGP filter-list cache entries using 0 bytes of memory',
    `BGP using ${prefixes * 224 + (peers.length + 1) * 168} total bytes of memory`,
    `BGP activity ${prefixes + 2}/2 prefixes, ${prefixes + 2}/2 paths, scan interval 60 secs`,
    '',
    'Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd',
  ];
  for (const p of peers) {
    const state = p.established ? String(p.prefixesReceived) : p.state;
    out.push(`${p.address.padEnd(16)}4 ${String(p.remoteAs).padStart(12)} ${String(p.msgRcvd).padStart(7)} ${String(p.msgSent).padStart(7)} ${String(version).padStart(8)} ${'0'.padStart(4)} ${'0'.padStart(4)} ${ciscoAge(p.upSeconds).padEnd(8)} ${state.padStart(12)}`);
  }
  return lines(out);
}

const LLDP_CAPS = 'Capability codes:\n    (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device\n    (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other\n';

export function iosLldp(view: OperationalView): string {
  const out = [LLDP_CAPS, 'Device ID           Local Intf     Hold-time  Capability      Port ID'];
  for (const n of view.lldp) out.push(`${n.neighborName.padEnd(20)}${shortName(n.localInterface).padEnd(15)}${'120'.padEnd(11)}${n.capabilities.padEnd(16)}${n.neighborInterface}`);
  out.push('', `Total entries displayed: ${view.lldp.length}`, '');
  return lines(out);
}

// ---------------------------------------------------------------- NX-OS

const NX_LINE = '--------------------------------------------------------------------------------';

export function nxosInterfaceBrief(view: OperationalView): string {
  const out = ['', NX_LINE, 'Ethernet      VLAN    Type Mode   Status  Reason                 Speed     Port', 'Interface                                                                    Ch #', NX_LINE];
  for (const i of view.interfaces.filter(physical)) {
    const reason = !i.adminUp ? 'Administratively down' : i.operUp ? 'none' : 'Link not connected';
    const mode = i.address ? 'routed' : 'access';
    const speed = i.operUp ? `${i.speed / 1000}G(D)` : 'auto(D)';
    out.push(`${shortName(i.name).padEnd(14)}${(i.address ? '--' : String(i.vlan ?? 1)).padEnd(8)}eth  ${mode.padEnd(7)}${(i.operUp ? 'up' : 'down').padEnd(8)}${reason.padEnd(23)}${speed.padEnd(10)}--`);
  }
  const mgmt = view.interfaces.filter((i) => i.kind === 'mgmt');
  if (mgmt.length) {
    out.push('', NX_LINE, 'Port   VRF          Status IP Address                              Speed    MTU', NX_LINE);
    for (const i of mgmt) out.push(`${i.name.padEnd(7)}${'--'.padEnd(13)}${(i.operUp ? 'up' : 'down').padEnd(7)}${(i.address ?? '--').padEnd(40)}${String(i.speed).padEnd(9)}${i.mtu}`);
  }
  const vlans = view.interfaces.filter((i) => i.kind === 'vlan');
  if (vlans.length) {
    out.push('', '-------------------------------------------------------------------------------', 'Interface  Secondary VLAN(Type)                    Status Reason                 ', '-------------------------------------------------------------------------------');
    for (const i of vlans) out.push(`${i.name.padEnd(11)}${'--'.padEnd(40)}${(i.operUp ? 'up' : 'down').padEnd(7)}${i.operUp ? '--' : 'Administratively down'}`);
  }
  const loops = view.interfaces.filter((i) => i.kind === 'loopback');
  if (loops.length) {
    out.push('', NX_LINE, 'Interface     Status     Description', NX_LINE);
    for (const i of loops) out.push(`${shortName(i.name).padEnd(14)}${(i.operUp ? 'up' : 'down').padEnd(11)}${i.description ?? '--'}`);
  }
  out.push('');
  return lines(out);
}

export function nxosInterfaces(view: OperationalView): string {
  const out: string[] = [];
  for (const i of view.interfaces) {
    const reason = !i.adminUp ? ' (Administratively down)' : i.operUp ? '' : ' (Link not connected)';
    const rate = bitsPerSecond(i.inPackets);
    out.push(`${i.name} is ${i.operUp ? 'up' : 'down'}${reason}`);
    out.push(`admin state is ${i.adminUp ? 'up' : 'down'},${i.kind === 'ethernet' ? ' Dedicated Interface' : ''}`);
    out.push(i.kind === 'loopback' ? '  Hardware: Loopback' : `  Hardware: 100/1000/10000 Ethernet, address: ${macDots(i.mac)} (bia ${macDots(i.mac)})`);
    if (i.description) out.push(`  Description: ${i.description}`);
    if (i.address) out.push(`  Internet Address is ${i.address}/${i.prefixLength}`);
    out.push(`  MTU ${i.mtu} bytes, BW ${i.speed ? i.speed * 1000 : 8000000} Kbit , DLY 10 usec`);
    out.push('  reliability 255/255, txload 1/255, rxload 1/255');
    out.push('  Encapsulation ARPA, medium is broadcast');
    if (i.kind === 'ethernet') {
      out.push(i.address ? '  Port mode is routed' : '  Port mode is access');
      out.push(i.operUp ? `  full-duplex, ${i.speed / 1000} Gb/s, media type is 10G` : '  auto-duplex, auto-speed, media type is 10G');
      out.push('  Beacon is turned off', '  Auto-Negotiation is turned on  FEC mode is Auto', '  Input flow-control is off, output flow-control is off', '  Auto-mdix is turned off', '  Rate mode is dedicated', '  Switchport monitor is off ', '  EtherType is 0x8100 ', '  EEE (efficient-ethernet) : n/a');
      out.push(`  Last link flapped ${ciscoAge(i.lastFlapSeconds)}`);
    }
    out.push('  Last clearing of "show interface" counters never', '  1 interface resets');
    out.push(`  30 seconds input rate ${rate} bits/sec, ${Math.floor(rate / 800)} packets/sec`);
    out.push(`  30 seconds output rate ${rate} bits/sec, ${Math.floor(rate / 800)} packets/sec`);
    out.push('  RX');
    out.push(`    ${i.inPackets - i.inMulticast - i.inBroadcast} unicast packets  ${i.inMulticast} multicast packets  ${i.inBroadcast} broadcast packets`);
    out.push(`    ${i.inPackets} input packets  ${i.inBytes} bytes`);
    out.push('    0 jumbo packets  0 storm suppression bytes');
    out.push(`    0 runts  0 giants  ${i.crc} CRC  0 no buffer`);
    out.push(`    ${i.inErrors} input error  0 short frame  0 overrun   0 underrun  0 ignored`);
    out.push('    0 watchdog  0 bad etype drop  0 bad proto drop  0 if down drop', '    0 input with dribble  0 input discard', '    0 Rx pause');
    out.push('  TX');
    out.push(`    ${i.outPackets} unicast packets  0 multicast packets  0 broadcast packets`);
    out.push(`    ${i.outPackets} output packets  ${i.outBytes} bytes`);
    out.push('    0 jumbo packets');
    out.push(`    ${i.outErrors} output error  0 collision  0 deferred  0 late collision`);
    out.push('    0 lost carrier  0 no carrier  0 babble  0 output discard', '    0 Tx pause', '');
  }
  return lines(out);
}

function nxosVia(route: LabRoute, asn: number): string {
  const intf = route.interface ? `, ${shortName(route.interface)}` : '';
  const age = ciscoAge(route.ageSeconds);
  switch (route.protocol) {
    case 'connected':
      return `    *via ${route.prefix.replace(/\.0$/, '.1')}${intf}, [0/0], ${age}, direct`;
    case 'local':
      return `    *via ${route.prefix}${intf}, [0/0], ${age}, local`;
    case 'static':
      return `    *via ${route.nextHop}, [1/0], ${age}, static`;
    case 'ospf':
      return `    *via ${route.nextHop}${intf}, [110/${route.metric}], ${age}, ospf-1, intra`;
    case 'bgp':
      return `    *via ${route.nextHop}, [20/0], ${age}, bgp-${asn}, external, tag ${route.peerAs}`;
  }
}

export function nxosRoutes(view: OperationalView, vrf = DEFAULT_VRF): string {
  const vrfs = vrf === 'all' ? view.vrfs : [vrf];
  const out: string[] = [];
  for (const name of vrfs) {
    out.push(`IP Route Table for VRF "${name}"`, "'*' denotes best ucast next-hop", "'**' denotes best mcast next-hop", "'[x/y]' denotes [preference/metric]", "'%<string>' in via output denotes VRF <string>", '');
    for (const route of routesIn(view, name)) {
      out.push(`${route.prefix}/${route.length}, ubest/mbest: 1/0${route.protocol === 'connected' || route.protocol === 'local' ? ', attached' : ''}`);
      out.push(nxosVia(route, view.localAs));
    }
    out.push('');
  }
  return lines(out);
}

export function nxosBgpSummary(view: OperationalView, vrf = DEFAULT_VRF): string {
  const vrfs = vrf === 'all' ? view.vrfs : [vrf];
  const out: string[] = [];
  for (const name of vrfs) {
    const peers = peersIn(view, name);
    const version = tableVersion(peers);
    const prefixes = peers.reduce((n, p) => n + p.prefixesReceived, 0) + 3;
    out.push(
      `BGP summary information for VRF ${name}, address family IPv4 Unicast`,
      `BGP router identifier ${view.routerId}, local AS number ${view.localAs}`,
      `BGP table version is ${version}, IPv4 Unicast config peers ${peers.length}, capable peers ${peers.filter((p) => p.established).length}`,
      `${prefixes} network entries and ${prefixes} paths using ${prefixes * 240} bytes of memory`,
      `BGP attribute entries [${peers.length + 1}/${(peers.length + 1) * 164}], BGP AS path entries [${peers.length}/${peers.length * 6}]`,
      'BGP community entries [0/0], BGP clusterlist entries [0/0]',
      '',
      'Neighbor        V    AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd',
    );
    for (const p of peers) {
      const state = p.established ? String(p.prefixesReceived) : p.state;
      out.push(`${p.address.padEnd(16)}4 ${String(p.remoteAs).padStart(5)} ${String(p.msgRcvd).padStart(7)} ${String(p.msgSent).padStart(7)} ${String(version).padStart(8)} ${'0'.padStart(4)} ${'0'.padStart(4)} ${ciscoAge(p.upSeconds).padStart(8)} ${state}`);
    }
    out.push('');
  }
  return lines(out);
}

export function nxosLldp(view: OperationalView): string {
  const out = [
    'Capability codes:',
    '  (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device',
    '  (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other',
    'Device ID            Local Intf      Hold-time  Capability  Port ID  ',
  ];
  for (const n of view.lldp) out.push(`${n.neighborName.padEnd(21)}${shortName(n.localInterface).padEnd(16)}${'120'.padEnd(11)}${n.capabilities.padEnd(12)}${n.neighborInterface}`);
  out.push('', `Total entries displayed: ${view.lldp.length}`);
  return lines(out);
}

// ---------------------------------------------------------------- IOS-XR

export function xrInterfaceBrief(view: OperationalView): string {
  const out = ['', xrTimestamp(), '', 'Interface                      IP-Address      Status          Protocol Vrf-Name'];
  for (const i of view.interfaces) {
    const status = !i.adminUp ? 'Shutdown' : i.operUp ? 'Up' : 'Down';
    out.push(`${i.name.padEnd(31)}${(i.address ?? 'unassigned').padEnd(16)}${status.padEnd(16)}${(i.operUp ? 'Up' : 'Down').padEnd(9)}${i.vrf} `);
  }
  return lines(out);
}

export function xrInterfaces(view: OperationalView): string {
  const out = [xrTimestamp()];
  for (const i of view.interfaces) {
    const state = !i.adminUp ? 'administratively down' : i.operUp ? 'up' : 'down';
    const rate = bitsPerSecond(i.inPackets);
    out.push(`${i.name} is ${state}, line protocol is ${!i.adminUp ? 'administratively down' : i.operUp ? 'up' : 'down'} `);
    out.push('  Interface state transitions: 1');
    out.push(i.kind === 'loopback' ? '  Hardware is Loopback interface(s)' : `  Hardware is GigabitEthernet, address is ${macDots(i.mac)} (bia ${macDots(i.mac)})`);
    if (i.description) out.push(`  Description: ${i.description}`);
    out.push(i.address ? `  Internet address is ${i.address}/${i.prefixLength}` : '  Internet address is Unknown');
    out.push(`  MTU ${i.kind === 'loopback' ? 1500 : 1514} bytes, BW ${i.speed ? i.speed * 1000 : 0} Kbit${i.speed ? ` (Max: ${i.speed * 1000} Kbit)` : ''}`);
    out.push('     reliability 255/255, txload 0/255, rxload 0/255');
    out.push(`  Encapsulation ${i.kind === 'loopback' ? 'Loopback' : 'ARPA'},`);
    if (i.kind !== 'loopback') {
      out.push(`  Full-duplex, ${i.speed}Mb/s, link type is force-up`, '  output flow control is off, input flow control is off', '  Carrier delay (up) is 10 msec', '  loopback not set,');
      out.push(`  Last link flapped ${ciscoAge(i.lastFlapSeconds)}`, '  ARP type ARPA, ARP timeout 04:00:00');
    }
    out.push(`  Last input ${i.operUp ? '00:00:00' : 'never'}, output ${i.operUp ? '00:00:00' : 'never'}`);
    out.push('  Last clearing of "show interface" counters never');
    out.push(`  5 minute input rate ${rate} bits/sec, ${Math.floor(rate / 800)} packets/sec`);
    out.push(`  5 minute output rate ${rate} bits/sec, ${Math.floor(rate / 800)} packets/sec`);
    out.push(`     ${i.inPackets} packets input, ${i.inBytes} bytes, 0 total input drops`);
    out.push('     0 drops for unrecognized upper-level protocol');
    out.push(`     Received ${i.inBroadcast} broadcast packets, ${i.inMulticast} multicast packets`);
    out.push('              0 runts, 0 giants, 0 throttles, 0 parity');
    out.push(`     ${i.inErrors} input errors, ${i.crc} CRC, 0 frame, 0 overrun, 0 ignored, 0 abort`);
    out.push(`     ${i.outPackets} packets output, ${i.outBytes} bytes, 0 total output drops`);
    out.push('     Output 0 broadcast packets, 0 multicast packets');
    out.push(`     ${i.outErrors} output errors, 0 underruns, 0 applique, 0 resets`);
    out.push('     0 output buffer failures, 0 output buffers swapped out', '     1 carrier transitions', '');
  }
  return lines(out);
}

const XR_CODES = `Codes: C - connected, S - static, R - RIP, B - BGP, (>) - Diversion path
       D - EIGRP, EX - EIGRP external, O - OSPF, IA - OSPF inter area
       N1 - OSPF NSSA external type 1, N2 - OSPF NSSA external type 2
       E1 - OSPF external type 1, E2 - OSPF external type 2, E - EGP
       i - ISIS, L1 - IS-IS level-1, L2 - IS-IS level-2
       ia - IS-IS inter area, su - IS-IS summary null, * - candidate default
       U - per-user static route, o - ODR, L - local, G  - DAGR, l - LISP
       A - access/subscriber, a - Application route
       M - mobile route, r - RPL, t - Traffic Engineering, (!) - FRR Backup path`;

export function xrRoutes(view: OperationalView, vrf = DEFAULT_VRF): string {
  const routes = routesIn(view, vrf);
  const def = routes.find((r) => r.length === 0);
  const out = ['', xrTimestamp(), '', XR_CODES, '', def ? `Gateway of last resort is ${def.nextHop} to network 0.0.0.0` : 'Gateway of last resort is not set', ''];
  for (const route of routes) {
    const code = (IOS_CODE[route.protocol] + (route.length === 0 ? '*' : '')).padEnd(5);
    const age = ciscoAge(route.ageSeconds);
    if (route.protocol === 'connected' || route.protocol === 'local') out.push(`${code}${route.prefix}/${route.length} is directly connected, ${age}, ${route.interface}`);
    else out.push(`${code}${route.prefix}/${route.length} [${route.protocol === 'bgp' ? 20 : route.distance}/${route.metric}] via ${route.nextHop}, ${age}${route.protocol === 'ospf' && route.interface ? `, ${route.interface}` : ''}`);
  }
  out.push('');
  return lines(out);
}

function xrPeerRows(peers: LabBgpPeer[], version: number): string[] {
  const out = ['Neighbor        Spk    AS MsgRcvd MsgSent   TblVer  InQ OutQ  Up/Down  St/PfxRcd'];
  for (const p of peers) {
    const state = p.established ? String(p.prefixesReceived) : p.state;
    out.push(`${p.address.padEnd(16)}${'0'.padStart(3)} ${String(p.remoteAs).padStart(5)} ${String(p.msgRcvd).padStart(7)} ${String(p.msgSent).padStart(7)} ${String(version).padStart(8)} ${'0'.padStart(4)} ${'0'.padStart(4)} ${ciscoAge(p.upSeconds).padStart(8)} ${state.padStart(10)}`);
  }
  return out;
}

export function xrBgpSummary(view: OperationalView): string {
  const peers = peersIn(view, DEFAULT_VRF);
  const v = tableVersion(peers);
  return lines([
    '', xrTimestamp(),
    `BGP router identifier ${view.routerId}, local AS number ${view.localAs}`,
    'BGP generic scan interval 60 secs', 'Non-stop routing is enabled', 'BGP table state: Active',
    `Table ID: 0xe0000000   RD version: ${v}`, `BGP main routing table version ${v}`, 'BGP NSR Initial initsync version 4 (Reached)', 'BGP NSR/ISSU Sync-Group versions 0/0', 'BGP scan interval 60 secs',
    '', 'BGP is operating in STANDALONE mode.', '', '',
    'Process       RcvTblVer   bRIB/RIB   LabelVer  ImportVer  SendTblVer  StandbyVer',
    `Speaker        ${String(v).padStart(8)} ${String(v).padStart(10)} ${String(v).padStart(10)} ${String(v).padStart(10)} ${String(v).padStart(11)} ${'0'.padStart(11)}`,
    '', ...xrPeerRows(peers, v), '',
  ]);
}

export function xrBgpVrfSummary(view: OperationalView, vrf: string): string {
  const out = ['', xrTimestamp(), ''];
  const names = vrf === 'all' ? view.vrfs.filter((v) => v !== DEFAULT_VRF) : [vrf];
  names.forEach((name, n) => {
    const peers = peersIn(view, name);
    const v = tableVersion(peers);
    out.push(
      `VRF: ${name}`, '-'.repeat(`VRF: ${name}`.length), `BGP VRF ${name}, state: Active`, `BGP Route Distinguisher: ${view.routerId}:${n + 1}`, `VRF ID: 0x6000000${n + 2}`,
      `BGP router identifier ${view.routerId}, local AS number ${view.localAs}`, 'Non-stop routing is enabled', 'BGP table state: Active', `Table ID: 0xe000001${n + 1}   RD version: ${v}`, `BGP main routing table version ${v}`,
      'BGP NSR Initial initsync version 4 (Reached)', 'BGP NSR/ISSU Sync-Group versions 0/0', '', 'BGP is operating in STANDALONE mode.', '', '',
      'Process       RcvTblVer   bRIB/RIB   LabelVer  ImportVer  SendTblVer  StandbyVer',
      `Speaker        ${String(v).padStart(8)} ${String(v).padStart(10)} ${String(v).padStart(10)} ${String(v).padStart(10)} ${String(v).padStart(11)} ${String(v).padStart(11)}`,
      '', ...xrPeerRows(peers, v), '',
    );
  });
  return lines(out);
}

export function xrLldp(view: OperationalView): string {
  const out = [xrTimestamp(), 'Capability codes:', '        (R) Router, (B) Bridge, (T) Telephone, (C) DOCSIS Cable Device', '        (W) WLAN Access Point, (P) Repeater, (S) Station, (O) Other', '', 'Device ID       Local Intf          Hold-time  Capability     Port ID'];
  for (const n of view.lldp) out.push(`${n.neighborName.padEnd(16)}${shortName(n.localInterface).replace(/^Gi/, 'Gi').padEnd(20)}${'120'.padEnd(11)}${n.capabilities.padEnd(15)}${n.neighborInterface}`);
  out.push('', `Total entries displayed: ${view.lldp.length}`, '');
  return lines(out);
}
