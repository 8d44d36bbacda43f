import type { ParsedRecord } from '../../parse/index.js';
import { field, num, text, word, type ParsedOutput } from './fetch.js';
import type { RouteRecord } from './types.js';

/** The IPv4 routing table command per platform, for the default VRF or a named one. */
export function routesCommand(platform: string, vrf: string | undefined): string {
  const v = vrf && vrf !== 'default' ? word(vrf, 'vrf') : undefined;
  switch (platform) {
    case 'cisco_ios':
    case 'cisco_xe':
    case 'cisco_nxos':
    case 'arista_eos':
    case 'aruba_aoscx':
      return v ? `show ip route vrf ${v}` : 'show ip route';
    case 'cisco_xr':
      return v ? `show route vrf ${v}` : 'show route';
    case 'juniper_junos':
      return v ? `show route table ${v}.inet.0` : 'show route table inet.0';
    case 'linux':
      return v ? `ip route show vrf ${v}` : 'ip route show';
    case 'paloalto_panos':
      return v ? `show routing route virtual-router ${v}` : 'show routing route';
    case 'fortinet':
    case 'hp_procurve':
      if (v) throw new Error(`${platform} routing checks read the global table only (no vrf)`);
      return platform === 'fortinet' ? 'get router info routing-table all' : 'show ip route';
    default:
      throw new Error(`no routing mapping for platform ${platform}`);
  }
}

export const ROUTES_NATIVE = new Set(['arista_eos']);

const PROTOCOLS: Record<string, string> = {
  c: 'connected',
  direct: 'connected',
  connected: 'connected',
  l: 'local',
  local: 'local',
  s: 'static',
  static: 'static',
  b: 'bgp',
  bgp: 'bgp',
  ebgp: 'bgp',
  ibgp: 'bgp',
  o: 'ospf',
  ospf: 'ospf',
  'o ia': 'ospf',
  'o e1': 'ospf',
  'o e2': 'ospf',
  d: 'eigrp',
  i: 'isis',
  r: 'rip',
  kernel: 'kernel',
};

/** Protocol names in one vocabulary (IOS letters, Junos `Direct`, EOS `eBGP` → connected, bgp, …). */
export function protocolName(raw: string): string | null {
  const t = raw.trim();
  if (!t) return null;
  const key = /^[A-Za-z]( [A-Za-z]\w?)?$/.test(t) && t.length <= 4 ? t.toLowerCase() : t.toLowerCase().split(/[\s-]/)[0]!;
  return PROTOCOLS[key] ?? PROTOCOLS[key[0] === 'o' ? 'o' : key] ?? key;
}

function prefixOf(r: ParsedRecord): string {
  const destination = field(r, 'destination');
  if (destination) return destination;
  const network = field(r, 'network');
  if (network === 'default') return '0.0.0.0/0';
  if (network.includes('/')) return network;
  const length = field(r, 'prefix_length');
  return network ? `${network}/${length || '32'}` : '';
}

function fromTextFsm(records: ParsedRecord[], vrf: string): RouteRecord[] {
  const out: RouteRecord[] = [];
  for (const r of records) {
    const prefix = prefixOf(r);
    if (!prefix) continue;
    const protocol = protocolName(field(r, 'protocol', 'type'));
    const hop = field(r, 'next_hop', 'nexthop_ip', 'gateway');
    const table = text(r.table);
    const recordVrf = table ? (table === 'inet.0' ? 'default' : table.replace(/\.inet\.0$/, '')) : text(r.vrf) || text(r.virtual_router) || vrf;
    out.push({
      vrf: recordVrf,
      prefix,
      protocol,
      next_hop: protocol === 'connected' || protocol === 'local' || !/^\d+\.\d+\.\d+\.\d+$/.test(hop) ? null : hop,
      outgoing_interface: field(r, 'interface', 'nexthop_if') || (text(r.vlan) ? `vlan${text(r.vlan)}` : '') || null,
      preference: num(field(r, 'distance', 'preference')),
      metric: num(r.metric),
    });
  }
  return out;
}

/** EOS `show ip route [vrf X] | json`. */
function fromEosJson(records: ParsedRecord[]): RouteRecord[] {
  const out: RouteRecord[] = [];
  for (const root of records as unknown as { vrfs?: Record<string, { routes?: Record<string, Record<string, unknown>> }> }[]) {
    for (const [vrfName, v] of Object.entries(root.vrfs ?? {})) {
      for (const [prefix, route] of Object.entries(v.routes ?? {})) {
        const protocol = protocolName(String(route.routeType ?? ''));
        const vias = (route.vias as Record<string, unknown>[] | undefined) ?? [{}];
        for (const via of vias.length ? vias : [{}]) {
          out.push({
            vrf: vrfName,
            prefix,
            protocol,
            next_hop: typeof via.nexthopAddr === 'string' ? via.nexthopAddr : null,
            outgoing_interface: typeof via.interface === 'string' ? via.interface : null,
            preference: num(route.preference),
            metric: num(route.metric),
          });
        }
      }
    }
  }
  return out;
}

export function mapRoutes(platform: string, parsed: Pick<ParsedOutput, 'records' | 'source'>, vrf = 'default'): RouteRecord[] {
  return parsed.source.kind === 'native' && platform === 'arista_eos' ? fromEosJson(parsed.records) : fromTextFsm(parsed.records, vrf);
}
