import { bitsPerSecond, lines, parts, rate, routesIn } from './format.js';
import { ciscoAge, DEFAULT_VRF, macDots, type LabInterface, type LabRoute, type OperationalView } from './model.js';

/** Arista EOS show commands, text and `| json`. */

export function eosShort(name: string): string {
  return name.replace(/^Ethernet/, 'Et').replace(/^Management/, 'Ma').replace(/^Port-Channel/, 'Po').replace(/^Loopback/, 'Lo');
}

const statusOf = (i: LabInterface) => (!i.adminUp ? 'disabled' : i.operUp ? 'connected' : 'notconnect');
const ports = (view: OperationalView) => view.interfaces.filter((i) => i.kind === 'ethernet' || i.kind === 'mgmt');

export function eosInterfaceStatus(view: OperationalView): string {
  const out = ['Port       Name               Status       Vlan     Duplex Speed  Type            Flags Encapsulation'];
  for (const i of ports(view)) {
    const vlan = i.address ? 'routed' : String(i.vlan ?? 1);
    const speed = i.operUp ? (i.speed >= 1000 ? `${i.speed / 1000}G` : `${i.speed}M`) : 'auto';
    out.push(`${eosShort(i.name).padEnd(11)}${(i.description ?? '').slice(0, 18).padEnd(19)}${statusOf(i).padEnd(13)}${vlan.padEnd(9)}${(i.operUp ? 'full' : 'auto').padEnd(7)}${speed.padEnd(7)}${i.kind === 'mgmt' ? '10/100/1000' : '10GBASE-T'}`);
  }
  return lines(out);
}

function longUptime(seconds: number): string {
  const p = parts(seconds);
  return `${p.weeks} weeks, ${p.days} days, ${p.hours} hours, ${p.minutes} minutes, ${p.seconds} seconds`;
}

export function eosInterfaces(view: OperationalView): string {
  const out: string[] = [];
  for (const i of view.interfaces) {
    const state = !i.adminUp ? 'administratively down' : i.operUp ? 'up' : 'down';
    const bps = bitsPerSecond(i.inPackets);
    out.push(`${i.name} is ${state}, line protocol is ${i.operUp ? 'up' : 'down'} (${statusOf(i)})`);
    out.push(i.kind === 'loopback' ? '  Hardware is Loopback' : `  Hardware is Ethernet, address is ${macDots(i.mac)} (bia ${macDots(i.mac)})`);
    if (i.description) out.push(`  Description: ${i.description}`);
    if (i.address) out.push(`  Internet address is ${i.address}/${i.prefixLength}`, '  Broadcast address is 255.255.255.255');
    out.push(`  ${i.address ? 'IP MTU' : 'Ethernet MTU'} ${i.mtu} bytes${i.speed ? `, BW ${i.speed * 1000} kbit` : ''}`);
    if (i.kind === 'loopback') {
      out.push(`  Up ${longUptime(i.lastFlapSeconds)}`);
      continue;
    }
    out.push(i.operUp ? `  Full-duplex, ${i.speed / 1000}Gb/s, auto negotiation: off, uni-link: n/a` : '  Unknown-duplex, Unknown-speed, auto negotiation: off, uni-link: n/a');
    out.push(i.operUp ? `  Up ${longUptime(i.lastFlapSeconds)}` : `  Down ${longUptime(i.lastFlapSeconds)}`);
    out.push('  Loopback Mode : None', '  3 link status changes since last clear', '  Last clearing of "show interface" counters never');
    out.push(`  5 minutes input rate ${rate(bps)} (0.0% with framing overhead), ${Math.floor(bps / 800)} packets/sec`);
    out.push(`  5 minutes output rate ${rate(bps)} (0.0% with framing overhead), ${Math.floor(bps / 800)} packets/sec`);
    out.push(`     ${i.inPackets} packets input, ${i.inBytes} bytes`);
    out.push(`     Received ${i.inBroadcast} broadcasts, ${i.inMulticast} multicast`);
    out.push('     0 runts, 0 giants');
    out.push(`     ${i.inErrors} input errors, ${i.crc} CRC, 0 alignment, 0 symbol, 0 input discards`);
    out.push('     0 PAUSE input');
    out.push(`     ${i.outPackets} packets output, ${i.outBytes} bytes`);
    out.push('     Sent 0 broadcasts, 0 multicast');
    out.push(`     ${i.outErrors} output errors, 0 collisions`);
    out.push('     0 late collision, 0 deferred, 0 output discards', '     0 PAUSE output');
  }
  return lines(out);
}

const EOS_CODES = `Codes: C - connected, S - static, K - kernel, 
       O - OSPF, IA - OSPF inter area, E1 - OSPF external type 1,
       E2 - OSPF external type 2, N1 - OSPF NSSA external type 1,
       N2 - OSPF NSSA external type2, B - Other BGP Routes,
       B I - iBGP, B E - eBGP, R - RIP, I L1 - IS-IS level 1,
       I L2 - IS-IS level 2, O3 - OSPFv3, A B - BGP Aggregate,
       A O - OSPF Summary, NG - Nexthop Group Static Route,
       V - VXLAN Control Service, M - Martian,
       DH - DHCP client installed default route,
       DP - Dynamic Policy Route, L - VRF Leaked,
       G  - gRIBI, RC - Route Cache Route`;

const EOS_CODE: Record<LabRoute['protocol'], string> = { connected: 'C', local: 'C', static: 'S', ospf: 'O', bgp: 'B E' };
const EOS_DISTANCE: Record<LabRoute['protocol'], number> = { connected: 0, local: 0, static: 1, ospf: 110, bgp: 200 };

const eosRoutesIn = (view: OperationalView, vrf: string) => routesIn(view, vrf).filter((r) => r.protocol !== 'local');

export function eosRoutes(view: OperationalView, vrf = DEFAULT_VRF): string {
  const routes = eosRoutesIn(view, vrf);
  const def = routes.find((r) => r.length === 0);
  const out = ['', `VRF: ${vrf}`, EOS_CODES, '', def ? `Gateway of last resort:\n S*       0.0.0.0/0 [1/0] via ${def.nextHop}` : 'Gateway of last resort is not set', ''];
  for (const route of routes) {
    if (route.length === 0) continue;
    const code = ` ${EOS_CODE[route.protocol].padEnd(8)} ${route.prefix}/${route.length}`;
    if (route.protocol === 'connected') out.push(`${code} is directly connected, ${route.interface}`);
    else out.push(`${code} [${EOS_DISTANCE[route.protocol]}/${route.metric}] via ${route.nextHop}, ${route.interface ?? 'Ethernet1'}`);
  }
  out.push('');
  return lines(out);
}

export function eosBgpSummary(view: OperationalView, vrf = DEFAULT_VRF): string {
  const names = vrf === 'all' ? view.vrfs : [vrf];
  const out: string[] = [];
  for (const name of names) {
    out.push(`BGP summary information for VRF ${name}`, `Router identifier ${view.routerId}, local AS number ${view.localAs}`, 'Neighbor Status Codes: m - Under maintenance');
    out.push('  Description              Neighbor         V AS           MsgRcvd   MsgSent  InQ OutQ  Up/Down State   PfxRcd PfxAcc');
    for (const p of view.bgp.filter((b) => b.vrf === name)) {
      const state = p.established ? 'Estab' : p.state.replace(' (Admin)', '(Admin)');
      const pfx = p.established ? String(p.prefixesReceived) : '';
      out.push(`  ${(p.description ?? '').padEnd(24)} ${p.address.padEnd(16)} 4 ${String(p.remoteAs).padEnd(12)} ${String(p.msgRcvd).padStart(8)} ${String(p.msgSent).padStart(9)} ${'0'.padStart(4)} ${'0'.padStart(4)} ${ciscoAge(p.upSeconds).padStart(8)} ${state.padEnd(7)} ${pfx.padEnd(6)} ${pfx}`.trimEnd());
    }
  }
  return lines(out);
}

export function eosLldp(view: OperationalView): string {
  const out = [
    'Last table change time   : 0:42:17 ago', `Number of table inserts  : ${view.lldp.length}`, 'Number of table deletes  : 0', 'Number of table drops    : 0', 'Number of table age-outs : 0', '',
    'Port          Neighbor Device ID       Neighbor Port ID    TTL', '---------- ------------------------ ---------------------- ---',
  ];
  for (const n of view.lldp) out.push(`${eosShort(n.localInterface).padEnd(14)}${n.neighborName.padEnd(25)}${n.neighborInterface.padEnd(20)}120`);
  return lines(out);
}

// ---------------------------------------------------------------- | json

const json = (value: unknown) => JSON.stringify(value, null, 4) + '\n';

export function eosVersionJson(view: OperationalView, serial: string, uptimeSeconds: number): string {
  return json({
    mfgName: 'Arista', modelName: 'DCS-7050TX-64-R', hardwareRevision: '01.11', serialNumber: serial, systemMacAddress: macColons12(view.interfaces[0]?.mac ?? '001c73000000'),
    hwMacAddress: macColons12(view.interfaces[0]?.mac ?? '001c73000000'), configMacAddress: '00:00:00:00:00:00', version: '4.28.3M', architecture: 'x86_64',
    internalVersion: '4.28.3M-28837868.4283M', internalBuildId: '9ed7a4b1-4a3c-4b12-8b0a-0f6d4c1c2a11', imageFormatVersion: '3.0', imageOptimization: 'Default',
    bootupTimestamp: Math.floor(Date.now() / 1000) - uptimeSeconds, uptime: uptimeSeconds, memTotal: 8099732, memFree: 5892232, isIntlVersion: false,
  });
}

function macColons12(mac: string): string {
  return mac.match(/../g)?.join(':') ?? mac;
}

export function eosInterfaceStatusJson(view: OperationalView): string {
  const statuses: Record<string, unknown> = {};
  for (const i of ports(view)) {
    statuses[i.name] = {
      description: i.description ?? '', linkStatus: statusOf(i), bandwidth: i.speed * 1_000_000, interfaceType: i.kind === 'mgmt' ? '10/100/1000' : '10GBASE-T',
      duplex: i.operUp ? 'duplexFull' : 'duplexUnknown', autoNegotiateActive: false,
      vlanInformation: i.address ? { interfaceMode: 'routed', interfaceForwardingModel: 'routed' } : { interfaceMode: 'bridged', vlanId: i.vlan ?? 1, interfaceForwardingModel: 'bridged' },
    };
  }
  return json({ interfaceStatuses: statuses });
}

export function eosInterfacesJson(view: OperationalView): string {
  const interfaces: Record<string, unknown> = {};
  for (const i of view.interfaces) {
    interfaces[i.name] = {
      name: i.name, description: i.description ?? '', interfaceStatus: statusOf(i), lineProtocolStatus: i.operUp ? 'up' : 'down', hardware: i.kind === 'loopback' ? 'loopback' : 'ethernet',
      physicalAddress: macColons12(i.mac), burnedInAddress: macColons12(i.mac), mtu: i.mtu, bandwidth: i.speed * 1_000_000, forwardingModel: i.address ? 'routed' : 'bridged',
      interfaceAddress: i.address ? [{ primaryIp: { address: i.address, maskLen: i.prefixLength }, secondaryIps: {}, secondaryIpsOrderedList: [] }] : [],
      interfaceCounters: {
        inOctets: i.inBytes, inUcastPkts: i.inPackets - i.inMulticast - i.inBroadcast, inMulticastPkts: i.inMulticast, inBroadcastPkts: i.inBroadcast, inDiscards: 0, inTotalErrors: i.inErrors,
        outOctets: i.outBytes, outUcastPkts: i.outPackets, outMulticastPkts: 0, outBroadcastPkts: 0, outDiscards: 0, outErrors: i.outErrors,
        inputErrorsDetail: { runtFrames: 0, giantFrames: 0, fcsErrors: i.crc, alignmentErrors: 0, symbolErrors: 0, rxPause: 0 },
        outputErrorsDetail: { collisions: 0, lateCollisions: 0, deferredTransmissions: 0, txPause: 0 },
        linkStatusChanges: 3, totalInErrors: i.inErrors, totalOutErrors: i.outErrors,
      },
    };
  }
  return json({ interfaces });
}

export function eosRoutesJson(view: OperationalView, vrf = DEFAULT_VRF): string {
  const names = vrf === 'all' ? view.vrfs : [vrf];
  const vrfs: Record<string, unknown> = {};
  for (const name of names) {
    const routes: Record<string, unknown> = {};
    for (const r of eosRoutesIn(view, name)) {
      routes[`${r.prefix}/${r.length}`] = {
        hardwareProgrammed: true, routeType: r.protocol === 'bgp' ? 'eBGP' : r.protocol === 'ospf' ? 'OSPF' : r.protocol === 'static' ? 'static' : 'connected', routeLeaked: false, kernelProgrammed: true,
        preference: EOS_DISTANCE[r.protocol], metric: r.metric, directlyConnected: r.protocol === 'connected',
        vias: r.protocol === 'connected' ? [{ interface: r.interface, interfaceDescription: '' }] : [{ nexthopAddr: r.nextHop, interface: r.interface ?? 'Ethernet1' }],
      };
    }
    vrfs[name] = { routingDisabled: false, allRoutesProgrammedHardware: true, allRoutesProgrammedKernel: true, defaultRouteState: 'notSet', routes };
  }
  return json({ vrfs });
}

export function eosLldpJson(view: OperationalView): string {
  return json({
    tablesLastChangeTime: Date.now() / 1000 - 2537, tablesAgeOuts: 0, tablesInserts: view.lldp.length, tablesDeletes: 0, tablesDrops: 0,
    lldpNeighbors: view.lldp.map((n) => ({ port: eosShort(n.localInterface), neighborDevice: n.neighborName, neighborPort: n.neighborInterface, ttl: 120 })),
  });
}

export function eosBgpSummaryJson(view: OperationalView, vrf = DEFAULT_VRF): string {
  const names = vrf === 'all' ? view.vrfs : [vrf];
  const vrfs: Record<string, unknown> = {};
  for (const name of names) {
    const peers: Record<string, unknown> = {};
    for (const p of view.bgp.filter((b) => b.vrf === name)) {
      peers[p.address] = {
        description: p.description ?? '', version: 4, msgReceived: p.msgRcvd, msgSent: p.msgSent, inMsgQueue: 0, outMsgQueue: 0, asn: String(p.remoteAs),
        prefixAccepted: p.prefixesReceived, prefixReceived: p.prefixesReceived, upDownTime: Date.now() / 1000 - p.upSeconds, underMaintenance: false,
        peerState: p.established ? 'Established' : p.state.replace(' (Admin)', ''), peerStateIdleReason: p.established ? undefined : p.state.endsWith('(Admin)') ? 'Admin' : 'NoIf',
      };
    }
    vrfs[name] = { routerId: view.routerId, asn: String(view.localAs), peers, vrf: name };
  }
  return json({ vrfs });
}
