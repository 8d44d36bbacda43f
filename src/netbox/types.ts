/** The parts of a NetBox `/api/dcim/devices/` result that sync reads (NetBox 3.x and 4.x). */
export interface NetboxRef {
  id?: number;
  name?: string | null;
  slug?: string | null;
}

export interface NetboxIp {
  address?: string | null;
}

export interface NetboxDevice {
  id: number;
  name: string | null;
  device_type?: (NetboxRef & { model?: string | null; manufacturer?: NetboxRef | null }) | null;
  /** NetBox 4 */
  role?: NetboxRef | null;
  /** NetBox 3 */
  device_role?: NetboxRef | null;
  platform?: NetboxRef | null;
  site?: NetboxRef | null;
  primary_ip?: NetboxIp | null;
  primary_ip4?: NetboxIp | null;
  primary_ip6?: NetboxIp | null;
  tags?: Array<NetboxRef | string> | null;
}

export interface NetboxPage {
  count?: number;
  next: string | null;
  results: NetboxDevice[];
}
