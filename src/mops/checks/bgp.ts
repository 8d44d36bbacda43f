import type { ParsedRecord } from '../../parse/index.js';
import { field, junosData, num, text, word, type ParsedOutput } from './fetch.js';
import type { BgpNeighborRecord } from './types.js';

/** The BGP summary command per platform, for the default VRF or a named one. */
export function bgpCommand(platform: string, vrf: string | undefined): string {
  const v = vrf && vrf !== 'default' ? word(vrf, 'vrf') : undefined;
  switch (platform) {
    case 'cisco_ios':
    case 'cisco_xe':
      return v ? `show ip bgp vpnv4 vrf ${v} summary` : 'show ip bgp summary';
    case 'cisco_nxos':
    case 'arista_eos':
      return v ? `show ip bgp summary vrf ${v}` : 'show ip bgp summary';
    case 'cisco_xr':
      return v ? `show bgp vrf ${v} summary` : 'show bgp summary';
    case 'juniper_junos':
      return v ? `show bgp summary instance ${v}` : 'show bgp summary';
    case 'linux':
      return v ? `vtysh -c "show bgp vrf ${v} summary"` : 'vtysh -c "show ip bgp summary"';
    case 'aruba_aoscx':
      return v ? `show bgp vrf ${v} all summary` : 'show bgp all summary';
    case 'fortinet':
      if (v) throw new Error('FortiOS BGP checks read the global table only (no vrf)');
      return 'get router info bgp summary';
    case 'paloalto_panos':
      if (v) throw new Error('PAN-OS BGP checks read the default virtual router only (no vrf)');
      return 'show routing protocol bgp summary';
    default:
      throw new Error(`no BGP mapping for platform ${platform}`);
  }
}

/** Platforms whose BGP summary is read from native JSON rather than TextFSM. */
export const BGP_NATIVE = new Set(['arista_eos', 'juniper_junos']);

const STATES: Record<string, string> = {
  establ: 'established',
  estab: 'established',
  established: 'established',
  idle: 'idle',
  active: 'active',
  connect: 'connect',
  opensent: 'opensent',
  openconfirm: 'openconfirm',
};

/** A device's state word, lower case; `(Admin)`, `Shut`, `Admin` and `Idle (Admin)` mean administratively down. */
export function bgpState(raw: string): { state: string; is_enabled: boolean } {
  const t = raw.trim();
  if (/admin|^shut/i.test(t)) return { state: 'admin-down', is_enabled: false };
  const key = t.toLowerCase().replace(/[^a-z]/g, '');
  return { state: STATES[key] ?? (key || 'unknown'), is_enabled: true };
}

function neighbor(base: Partial<BgpNeighborRecord> & { neighbor: string; vrf: string; state: string; is_enabled: boolean }): BgpNeighborRecord {
  return {
    vrf: base.vrf,
    neighbor: base.neighbor,
    remote_as: base.remote_as ?? null,
    local_as: base.local_as ?? null,
    router_id: base.router_id ?? null,
    description: base.description ?? null,
    is_up: base.state === 'established',
    is_enabled: base.is_enabled,
    state: base.state,
    uptime: base.uptime ?? null,
    received_prefixes: base.received_prefixes ?? null,
    accepted_prefixes: base.accepted_prefixes ?? null,
    sent_prefixes: base.sent_prefixes ?? null,
  };
}

/** TextFSM records of any platform's BGP summary → normalised neighbours. */
function fromTextFsm(platform: string, records: ParsedRecord[], vrf: string): BgpNeighborRecord[] {
  const out: BgpNeighborRecord[] = [];
  for (const r of records) {
    const address = field(r, 'bgp_neighbor', 'bgp_neigh', 'peer_ip', 'neighbour', 'neighbor');
    if (!address) continue;
    // one column carries either the prefix count (established) or the state (IOS, XR, NX-OS, FRR, FortiOS)
    const combined = field(r, 'state_or_prefixes_received', 'state_pfxrcd');
    const stateWord = field(r, 'state', 'admin_status') || combined;
    const established = /^\d+$/.test(combined) || /^establ/i.test(stateWord);
    const { state, is_enabled } = established ? { state: 'established', is_enabled: true } : bgpState(field(r, 'admin_status').toLowerCase() === 'down' ? 'admin' : stateWord);
    const received = established ? (num(r.received) ?? num(r.state_pfxrcd) ?? num(r.state_or_prefixes_received) ?? num(r.accepted_pfx)) : null;
    const table = text(r.table);
    const recordVrf = table ? (table === 'inet.0' ? 'default' : table.replace(/\.inet\.0$/, '')) : text(r.vrf) || text(r.virtual_router) || vrf;
    out.push(
      neighbor({
        vrf: recordVrf === 'all' ? vrf : recordVrf,
        neighbor: address,
        remote_as: num(field(r, 'neighbor_as', 'neigh_as', 'peer_as', 'remote_as')),
        local_as: num(r.local_as),
        router_id: text(r.router_id) || null,
        description: text(r.description) || (platform === 'paloalto_panos' ? text(r.neighbor_name) || null : null),
        state,
        is_enabled,
        uptime: text(r.up_down) || null,
        received_prefixes: received,
        accepted_prefixes: established ? (num(r.accepted) ?? num(r.state_pfxacc) ?? num(r.accepted_pfx) ?? received) : null,
        sent_prefixes: num(r.prefixes_sent) ?? num(r.advertised_pfx),
      }),
    );
  }
  return out;
}

/**
 * Neighbour lines the templates skip: an administratively down peer prints `Idle (Admin)` (IOS),
 * `Shut (Admin)` (NX-OS) or `Idle(Admin)` (EOS) where the templates expect one word.
 */
function adminDownLines(output: string, seen: Set<string>, vrf: string): BgpNeighborRecord[] {
  const out: BgpNeighborRecord[] = [];
  for (const line of output.split('\n')) {
    const m = /^\s*(?:\S+\s+)??(\d+\.\d+\.\d+\.\d+)\s+\d\s+(\d+)\s.*\b(?:Idle ?\(Admin\)|Shut ?\(Admin\)|Admin)\s*$/i.exec(line);
    if (!m || seen.has(m[1]!)) continue;
    seen.add(m[1]!);
    out.push(neighbor({ vrf, neighbor: m[1]!, remote_as: Number(m[2]), state: 'admin-down', is_enabled: false }));
  }
  return out;
}

/** EOS `show ip bgp summary | json`. */
function fromEosJson(records: ParsedRecord[]): BgpNeighborRecord[] {
  const out: BgpNeighborRecord[] = [];
  for (const root of records as unknown as { vrfs?: Record<string, { routerId?: string; asn?: string; peers?: Record<string, Record<string, unknown>> }> }[]) {
    for (const [vrfName, v] of Object.entries(root.vrfs ?? {})) {
      for (const [address, p] of Object.entries(v.peers ?? {})) {
        const { state, is_enabled } = bgpState(String(p.peerState ?? '') + (p.peerStateIdleReason === 'Admin' ? ' admin' : ''));
        const up = state === 'established';
        out.push(
          neighbor({
            vrf: vrfName,
            neighbor: address,
            remote_as: num(p.asn),
            local_as: num(v.asn),
            router_id: v.routerId ?? null,
            description: typeof p.description === 'string' && p.description ? p.description : null,
            state,
            is_enabled,
            received_prefixes: up ? num(p.prefixReceived) : null,
            accepted_prefixes: up ? num(p.prefixAccepted) : null,
          }),
        );
      }
    }
  }
  return out;
}

/** Junos `show bgp summary | display json` (values wrapped as [{data}]). */
export function fromJunosJson(records: ParsedRecord[]): BgpNeighborRecord[] {
  const out: BgpNeighborRecord[] = [];
  for (const root of records as unknown as Record<string, unknown>[]) {
    for (const info of (root['bgp-information'] as Record<string, unknown>[] | undefined) ?? []) {
      for (const p of (info['bgp-peer'] as Record<string, unknown>[] | undefined) ?? []) {
        const rib = ((p['bgp-rib'] as Record<string, unknown>[] | undefined) ?? [])[0];
        const table = rib ? String(junosData(rib.name)) : '';
        const { state, is_enabled } = bgpState(String(junosData(p['peer-state']) ?? ''));
        const up = state === 'established';
        out.push(
          neighbor({
            vrf: table ? (table === 'inet.0' ? 'default' : table.replace(/\.inet\.0$/, '')) : 'default',
            neighbor: String(junosData(p['peer-address'])).split('+')[0]!,
            remote_as: num(junosData(p['peer-as'])),
            state,
            is_enabled,
            received_prefixes: up && rib ? num(junosData(rib['received-prefix-count'])) : null,
            accepted_prefixes: up && rib ? num(junosData(rib['accepted-prefix-count'])) : null,
          }),
        );
      }
    }
  }
  return out;
}

/** Normalised neighbours from a parsed BGP summary, whatever parsed it. */
export function mapBgp(platform: string, parsed: Pick<ParsedOutput, 'records' | 'output' | 'source'>, vrf = 'default'): BgpNeighborRecord[] {
  let records: BgpNeighborRecord[];
  if (parsed.source.kind === 'native') records = platform === 'juniper_junos' ? fromJunosJson(parsed.records) : fromEosJson(parsed.records);
  else {
    records = fromTextFsm(platform, parsed.records, vrf);
    records.push(...adminDownLines(parsed.output, new Set(records.map((r) => r.neighbor)), vrf));
  }
  return records;
}
