import type { IosCommand, IosLikeSession } from '../personalities/ios-like.js';
import { serialFor, uptimeFor } from '../personalities/common.js';
import * as cisco from './cisco.js';
import * as eos from './eos.js';
import { iosLikeFacts } from './facts.js';
import { ciscoAge, buildView, DEFAULT_VRF, interfaceMac, macDots, type OperationalView } from './model.js';
import * as other from './others.js';

/** The operational show commands of the IOS-like platforms, wired to the model. */

export function viewOf(s: IosLikeSession): OperationalView {
  // the hostname follows the running config, as the prompt does
  return { ...buildView(s.shell.id, iosLikeFacts(s.state.config, s.shell.id), s.shell.id.ops), hostname: s.host };
}

function uptimeSeconds(s: IosLikeSession): number {
  const up = uptimeFor(s.shell.id);
  return ((up.weeks * 7 + up.days) * 24 + up.hours) * 3600 + up.minutes * 60;
}

/** A VRF argument the device knows, or an error text in the platform's words. */
function withVrf(s: IosLikeSession, vrf: string | undefined, render: (view: OperationalView, vrf: string) => string, unknown: (vrf: string) => string): string {
  const view = viewOf(s);
  const name = vrf ?? DEFAULT_VRF;
  if (name !== 'all' && !view.vrfs.includes(name)) return unknown(name);
  return render(view, name);
}

const iosNoVrf = (vrf: string) => `% IP routing table ${vrf} does not exist\n`;
const iosNoBgpVrf = (vrf: string) => `% VRF ${vrf} does not exist\n`;

export function iosCommands(): IosCommand[] {
  return [
    { path: 'show ip interface brief', run: (s) => cisco.iosInterfaceBrief(viewOf(s)) },
    { path: 'show interfaces status', run: (s) => cisco.iosInterfaceStatus(viewOf(s)) },
    { path: 'show interfaces', run: (s) => cisco.iosInterfaces(viewOf(s)) },
    { path: 'show ip route', run: (s) => cisco.iosRoutes(viewOf(s)) },
    { path: 'show ip route vrf <vrf>', run: (s, a) => withVrf(s, a[0], cisco.iosRoutes, iosNoVrf) },
    { path: 'show ip bgp summary', run: (s) => cisco.iosBgpSummary(viewOf(s)) },
    { path: 'show bgp ipv4 unicast summary', run: (s) => cisco.iosBgpSummary(viewOf(s)) },
    { path: 'show ip bgp vpnv4 vrf <vrf> summary', run: (s, a) => withVrf(s, a[0], cisco.iosBgpSummary, iosNoBgpVrf) },
    { path: 'show bgp vpnv4 unicast vrf <vrf> summary', run: (s, a) => withVrf(s, a[0], cisco.iosBgpSummary, iosNoBgpVrf) },
    { path: 'show lldp neighbors', run: (s) => cisco.iosLldp(viewOf(s)) },
  ];
}

const nxNoVrf = (vrf: string) => `% VRF ${vrf} not found\n`;

export function nxosCommands(): IosCommand[] {
  const bgp = (vrf?: string): Pick<IosCommand, 'run' | 'json'> => ({
    run: (s, a) => withVrf(s, vrf ?? a[0], cisco.nxosBgpSummary, nxNoVrf),
    json: (s, a) => withVrf(s, vrf ?? a[0], nxosBgpJson, nxNoVrf),
  });
  const routes = (vrf?: string): Pick<IosCommand, 'run' | 'json'> => ({
    run: (s, a) => withVrf(s, vrf ?? a[0], cisco.nxosRoutes, nxNoVrf),
    json: (s, a) => withVrf(s, vrf ?? a[0], nxosRoutesJson, nxNoVrf),
  });
  return [
    { path: 'show interface brief', run: (s) => cisco.nxosInterfaceBrief(viewOf(s)), json: (s) => nxosBriefJson(viewOf(s)) },
    { path: 'show interface', run: (s) => cisco.nxosInterfaces(viewOf(s)), json: (s) => nxosInterfacesJson(viewOf(s)) },
    { path: 'show ip route', ...routes(DEFAULT_VRF) },
    { path: 'show ip route vrf <vrf>', ...routes() },
    { path: 'show ip bgp summary', ...bgp(DEFAULT_VRF) },
    { path: 'show ip bgp summary vrf <vrf>', ...bgp() },
    { path: 'show bgp ipv4 unicast summary', ...bgp(DEFAULT_VRF) },
    { path: 'show bgp ipv4 unicast summary vrf <vrf>', ...bgp() },
    { path: 'show bgp vrf <vrf> ipv4 unicast summary', ...bgp() },
    { path: 'show bgp vrf <vrf> summary', ...bgp() },
    { path: 'show lldp neighbors', run: (s) => cisco.nxosLldp(viewOf(s)), json: (s) => nxosLldpJson(viewOf(s)) },
  ];
}

export function xrCommands(): IosCommand[] {
  const brief = (s: IosLikeSession) => cisco.xrInterfaceBrief(viewOf(s));
  const route = (s: IosLikeSession, a: string[]) => withVrf(s, a[0], cisco.xrRoutes, (v) => `% VRF ${v} not found\n`);
  const global = (s: IosLikeSession) => cisco.xrRoutes(viewOf(s));
  const summary = (s: IosLikeSession) => cisco.xrBgpSummary(viewOf(s));
  const vrfSummary = (s: IosLikeSession, a: string[]) => withVrf(s, a[0], cisco.xrBgpVrfSummary, (v) => `% BGP instance 'default': VRF ${v} not found\n`);
  return [
    { path: 'show ip interface brief', run: brief },
    { path: 'show ipv4 interface brief', run: brief },
    { path: 'show interfaces', run: (s) => cisco.xrInterfaces(viewOf(s)) },
    { path: 'show route', run: global },
    { path: 'show route ipv4', run: global },
    { path: 'show route ipv4 unicast', run: global },
    { path: 'show ip route', run: global },
    { path: 'show route vrf <vrf>', run: route },
    { path: 'show route vrf <vrf> ipv4', run: route },
    { path: 'show route vrf <vrf> ipv4 unicast', run: route },
    { path: 'show bgp summary', run: summary },
    { path: 'show bgp ipv4 unicast summary', run: summary },
    { path: 'show ip bgp summary', run: summary },
    { path: 'show bgp vrf <vrf> summary', run: vrfSummary },
    { path: 'show bgp vrf <vrf> ipv4 unicast summary', run: vrfSummary },
    { path: 'show lldp neighbors', run: (s) => cisco.xrLldp(viewOf(s)) },
  ];
}

const eosNoVrf = (vrf: string) => `% VRF ${vrf} not found\n`;

export const eosVersionJson = (s: IosLikeSession) => eos.eosVersionJson(viewOf(s), serialFor(s.shell.id, 'JPE', 11), uptimeSeconds(s));

export function eosCommands(): IosCommand[] {
  const routes = (vrf?: string): Pick<IosCommand, 'run' | 'json'> => ({
    run: (s, a) => withVrf(s, vrf ?? a[0], eos.eosRoutes, eosNoVrf),
    json: (s, a) => withVrf(s, vrf ?? a[0], eos.eosRoutesJson, eosNoVrf),
  });
  const bgp = (vrf?: string): Pick<IosCommand, 'run' | 'json'> => ({
    run: (s, a) => withVrf(s, vrf ?? a[0], eos.eosBgpSummary, eosNoVrf),
    json: (s, a) => withVrf(s, vrf ?? a[0], eos.eosBgpSummaryJson, eosNoVrf),
  });
  return [
    { path: 'show interfaces status', run: (s) => eos.eosInterfaceStatus(viewOf(s)), json: (s) => eos.eosInterfaceStatusJson(viewOf(s)) },
    { path: 'show interfaces', run: (s) => eos.eosInterfaces(viewOf(s)), json: (s) => eos.eosInterfacesJson(viewOf(s)) },
    { path: 'show ip route', ...routes(DEFAULT_VRF) },
    { path: 'show ip route vrf <vrf>', ...routes() },
    { path: 'show ip bgp summary', ...bgp(DEFAULT_VRF) },
    { path: 'show ip bgp summary vrf <vrf>', ...bgp() },
    { path: 'show bgp ipv4 unicast summary', ...bgp(DEFAULT_VRF) },
    { path: 'show bgp ipv4 unicast summary vrf <vrf>', ...bgp() },
    { path: 'show lldp neighbors', run: (s) => eos.eosLldp(viewOf(s)), json: (s) => eos.eosLldpJson(viewOf(s)) },
  ];
}

export function procurveCommands(): IosCommand[] {
  return [
    { path: 'show interfaces brief', run: (s) => other.procurveInterfacesBrief(viewOf(s)) },
    { path: 'show interfaces', run: (s) => other.procurveInterfaces(viewOf(s)) },
    { path: 'show ip route', run: (s) => other.procurveRoutes(viewOf(s)) },
    { path: 'show lldp info remote-device', run: (s) => other.procurveLldp(viewOf(s)) },
  ];
}

export function aoscxCommands(): IosCommand[] {
  const routes = (s: IosLikeSession, vrf: string | undefined) => withVrf(s, vrf, other.aoscxRoutes, (v) => `VRF ${v} does not exist.\n`);
  const bgp = (s: IosLikeSession, vrf: string | undefined) => withVrf(s, vrf, other.aoscxBgpSummary, (v) => `VRF ${v} does not exist.\n`);
  return [
    {
      path: 'show system',
      // with an interface configured, its MAC comes without building the operational view of a
      // (50 KB) config; without one, the view decides (a VRF may add one)
      run: (s) => {
        const configured = s.state.config.some((n) => /^interface (.+)$/.test(n.text));
        const view = configured ? { hostname: s.host, interfaces: [{ mac: interfaceMac(s.shell.id, 0) }] } : viewOf(s);
        return other.aoscxSystem(view, serialFor(s.shell.id, 'SG0', 10), uptimeSeconds(s));
      },
    },
    { path: 'show interface brief', run: (s) => other.aoscxInterfaceBrief(viewOf(s)) },
    { path: 'show interface', run: (s) => other.aoscxInterfaces(viewOf(s)) },
    { path: 'show ip route', run: (s) => routes(s, DEFAULT_VRF) },
    { path: 'show ip route vrf <vrf>', run: (s, a) => routes(s, a[0]) },
    { path: 'show ip route all-vrfs', run: (s) => routes(s, 'all') },
    { path: 'show bgp all summary', run: (s) => bgp(s, DEFAULT_VRF) },
    { path: 'show bgp ipv4 unicast summary', run: (s) => bgp(s, DEFAULT_VRF) },
    { path: 'show bgp vrf <vrf> all summary', run: (s, a) => bgp(s, a[0]) },
    { path: 'show bgp all-vrfs all summary', run: (s) => bgp(s, 'all') },
    { path: 'show lldp neighbor-info', run: (s) => other.aoscxLldp(viewOf(s)) },
  ];
}

// ---------------------------------------------------------------- NX-OS | json

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

export function nxosVersionJson(s: IosLikeSession): string {
  const uptime = uptimeSeconds(s);
  const days = Math.floor(uptime / 86400);
  return json({
    header_str: 'Cisco Nexus Operating System (NX-OS) Software', bios_ver_str: '05.45', kickstart_ver_str: '9.3(10)', nxos_ver_str: '9.3(10)', bios_cmpl_time: '04/14/2022',
    nxos_image_file: 'bootflash:///nxos.9.3.10.bin', nxos_cmpl_time: '5/20/2022 12:00:00 [05/21/2022 05:29:13]', chassis_id: 'Nexus9000 C93180YC-EX chassis',
    cpu_name: 'Intel(R) Xeon(R) CPU  @ 1.80GHz', memory: 24632984, mem_type: 'kB', proc_board_id: serialFor(s.shell.id, 'FDO', 11), host_name: s.host,
    bootflash_size: 53298520, kern_uptm_days: days, kern_uptm_hrs: Math.floor((uptime % 86400) / 3600), kern_uptm_mins: Math.floor((uptime % 3600) / 60), kern_uptm_secs: 12,
    rr_reason: 'Reset Requested by CLI command reload', rr_sys_ver: '9.3(10)', manufacturer: 'Cisco Systems, Inc.',
  });
}

function nxosBriefJson(view: OperationalView): string {
  return json({
    TABLE_interface: {
      ROW_interface: view.interfaces.map((i) =>
        i.kind === 'ethernet'
          ? { interface: i.name, vlan: i.address ? '--' : String(i.vlan ?? 1), type: 'eth', portmode: i.address ? 'routed' : 'access', state: i.operUp ? 'up' : 'down', state_rsn_desc: !i.adminUp ? 'Administratively down' : i.operUp ? 'none' : 'Link not connected', speed: i.operUp ? `${i.speed / 1000}G` : 'auto', ratemode: 'D' }
          : { interface: i.name, state: i.operUp ? 'up' : 'down', ip_addr: i.address, speed: String(i.speed), mtu: i.mtu },
      ),
    },
  });
}

function nxosInterfacesJson(view: OperationalView): string {
  return json({
    TABLE_interface: {
      ROW_interface: view.interfaces.map((i) => ({
        interface: i.name, state: i.operUp ? 'up' : 'down', state_rsn_desc: !i.adminUp ? 'Administratively down' : i.operUp ? undefined : 'Link not connected', admin_state: i.adminUp ? 'up' : 'down',
        eth_hw_desc: i.kind === 'loopback' ? 'Loopback' : '100/1000/10000 Ethernet', eth_hw_addr: macDots(i.mac), desc: i.description,
        eth_ip_addr: i.address, eth_ip_mask: i.prefixLength, eth_mtu: String(i.mtu), eth_bw: i.speed * 1000, eth_speed: i.operUp ? `${i.speed / 1000} Gb/s` : 'auto-speed',
        eth_inpkts: i.inPackets, eth_inbytes: i.inBytes, eth_inucast: i.inPackets - i.inMulticast - i.inBroadcast, eth_inmcast: i.inMulticast, eth_inbcast: i.inBroadcast,
        eth_runts: 0, eth_giants: 0, eth_crc: i.crc, eth_inerr: i.inErrors, eth_outpkts: i.outPackets, eth_outbytes: i.outBytes, eth_outerr: i.outErrors, eth_coll: 0,
        eth_link_flapped: ciscoAge(i.lastFlapSeconds),
      })),
    },
  });
}

function nxosLldpJson(view: OperationalView): string {
  return json({
    TABLE_nbor: {
      ROW_nbor: view.lldp.map((n) => ({ chassis_type: 'Mac Address', chassis_id: n.chassisId, l_port_id: cisco.shortName(n.localInterface), hold_time: 120, system_capability: n.capabilities, enabled_capability: n.capabilities, port_type: 'Interface Name', port_id: n.neighborInterface, mgmt_addr_type: 'IPV4', mgmt_addr: n.mgmtAddress, sys_name: n.neighborName })),
    },
    neigh_count: view.lldp.length,
  });
}

function nxosRoutesJson(view: OperationalView, vrf: string): string {
  const vrfs = vrf === 'all' ? view.vrfs : [vrf];
  return json({
    TABLE_vrf: {
      ROW_vrf: vrfs.map((name) => ({
        'vrf-name-out': name,
        TABLE_addrf: {
          ROW_addrf: [{
            addrf: 'ipv4',
            TABLE_prefix: {
              ROW_prefix: view.routes.filter((r) => r.vrf === name).map((r) => ({
                ipprefix: `${r.prefix}/${r.length}`, 'ucast-nhops': '1', 'mcast-nhops': '0', attached: r.protocol === 'connected' || r.protocol === 'local' ? 'true' : 'false',
                TABLE_path: {
                  ROW_path: [{
                    ipnexthop: r.nextHop ?? (r.protocol === 'local' ? r.prefix : r.prefix.replace(/\.0$/, '.1')), ifname: r.interface ? cisco.shortName(r.interface) : undefined, uptime: `P${Math.floor(r.ageSeconds / 86400)}D`,
                    pref: String(r.protocol === 'static' ? 1 : r.protocol === 'ospf' ? 110 : r.protocol === 'bgp' ? 20 : 0), metric: String(r.metric),
                    clientname: r.protocol === 'connected' ? 'direct' : r.protocol === 'ospf' ? 'ospf-1' : r.protocol === 'bgp' ? `bgp-${view.localAs}` : r.protocol, ubest: 'true',
                  }],
                },
              })),
            },
          }],
        },
      })),
    },
  });
}

function nxosBgpJson(view: OperationalView, vrf: string): string {
  const vrfs = vrf === 'all' ? view.vrfs : [vrf];
  return json({
    TABLE_vrf: {
      ROW_vrf: vrfs.map((name) => {
        const peers = view.bgp.filter((p) => p.vrf === name);
        return {
          'vrf-name-out': name, 'vrf-router-id': view.routerId, 'vrf-local-as': String(view.localAs),
          TABLE_af: { ROW_af: [{ 'af-id': '1', TABLE_saf: { ROW_saf: [{ safi: '1', 'af-name': 'IPv4 Unicast', configuredpeers: String(peers.length), capablepeers: String(peers.filter((p) => p.established).length) }] } }] },
          TABLE_neighbor: {
            ROW_neighbor: peers.map((p) => ({
              neighborid: p.address, neighborversion: '4', msgrecvd: String(p.msgRcvd), msgsent: String(p.msgSent), neighbortableversion: String(p.tableVersion), inq: '0', outq: '0',
              neighboras: String(p.remoteAs), time: ciscoAge(p.upSeconds), state: p.established ? 'Established' : p.state, prefixreceived: String(p.prefixesReceived),
            })),
          },
        };
      }),
    },
  });
}
