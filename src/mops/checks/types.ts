/**
 * Normalised records the MOP checks read, one schema per check in the shape of NAPALM's getters
 * (flattened to one record per item so `compare` can key them). Every platform mapper
 * (src/mops/checks/*.ts) produces exactly these fields; a value the platform does not show is null.
 * docs/mops.md ("Step types: device") documents them for MOP authors.
 */

/** NAPALM get_bgp_neighbors, one record per peer: `{vrf: {peers: {ip: {...}}}}` flattened. */
export interface BgpNeighborRecord {
  vrf: string;
  neighbor: string;
  remote_as: number | null;
  local_as: number | null;
  router_id: string | null;
  description: string | null;
  /** established */
  is_up: boolean;
  /** false when administratively down (shutdown) */
  is_enabled: boolean;
  /** lower case: established, idle, active, connect, opensent, openconfirm, or admin-down */
  state: string;
  uptime: string | null;
  received_prefixes: number | null;
  accepted_prefixes: number | null;
  sent_prefixes: number | null;
}

/** NAPALM get_interfaces + get_interfaces_counters, one record per interface. */
export interface InterfaceRecord {
  interface: string;
  /** operational (line protocol) state */
  is_up: boolean;
  /** administrative state */
  is_enabled: boolean;
  description: string;
  mac_address: string | null;
  mtu: number | null;
  /** Mb/s where shown */
  speed: number | null;
  rx_packets: number | null;
  tx_packets: number | null;
  rx_errors: number | null;
  tx_errors: number | null;
  rx_crc_errors: number | null;
}

/** NAPALM get_route_to, one record per prefix and next hop. */
export interface RouteRecord {
  vrf: string;
  /** CIDR, e.g. 10.0.0.0/24 */
  prefix: string;
  protocol: string | null;
  /** null for connected routes */
  next_hop: string | null;
  outgoing_interface: string | null;
  preference: number | null;
  metric: number | null;
}

/** NAPALM ping's `success` block, one record per target. */
export interface PingRecord {
  destination: string;
  source: string | null;
  vrf: string | null;
  probes_sent: number;
  /** replies received */
  received: number;
  /** percent lost, 0–100 */
  packet_loss: number;
  /** percent answered, 0–100 */
  success_rate: number;
  rtt_min: number | null;
  rtt_avg: number | null;
  rtt_max: number | null;
}

export type CheckRecord = BgpNeighborRecord | InterfaceRecord | RouteRecord | PingRecord;
