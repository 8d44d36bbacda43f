import type { ParsedRecord } from '../../parse/index.js';
import { field, num, text, type ParsedOutput } from './fetch.js';
import type { InterfaceRecord } from './types.js';

/** The command that shows every interface with its state and counters. */
export function interfacesCommand(platform: string): string {
  switch (platform) {
    case 'cisco_ios':
    case 'cisco_xe':
    case 'cisco_xr':
    case 'arista_eos':
      return 'show interfaces';
    case 'cisco_nxos':
    case 'aruba_aoscx':
      return 'show interface';
    case 'juniper_junos':
      return 'show interfaces statistics';
    case 'linux':
      return 'ip -s link show';
    default:
      throw new Error(`no interface mapping for platform ${platform}`);
  }
}

/** Platforms whose interfaces are read from native JSON rather than TextFSM. */
export const INTERFACES_NATIVE = new Set(['arista_eos']);

const isUp = (value: string) => /^(up|connected)$/i.test(value.trim());

function speedMbps(value: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(?:bit|b\/s|bps)?/i.exec(value.replace(/\s+/g, ''));
  if (!m) return null;
  const factor: Record<string, number> = { '': 1, k: 1e-3, m: 1, g: 1000, t: 1e6 };
  return Number(m[1]) * (factor[m[2]!.toLowerCase()] ?? 1);
}

function fromTextFsm(platform: string, records: ParsedRecord[]): InterfaceRecord[] {
  return records
    .filter((r) => field(r, 'interface'))
    .map((r) => {
      const link = field(r, 'link_status', 'state');
      const admin = field(r, 'admin_state', 'link_admin');
      let isEnabled: boolean;
      let up: boolean;
      if (platform === 'linux') {
        // flags <BROADCAST,MULTICAST,UP,LOWER_UP>: UP is the admin state, LOWER_UP the link
        const flags = text(r.flags);
        isEnabled = /[<,]UP[,>]/.test(flags);
        up = /LOWER_UP/.test(flags) && isEnabled;
      } else {
        isEnabled = admin ? /^(up|enabled)$/i.test(admin) : !/admin/i.test(link);
        up = isUp(link) && field(r, 'protocol_status', 'link_status').toLowerCase() !== 'down';
      }
      const bandwidth = field(r, 'speed', 'bandwidth');
      return {
        interface: field(r, 'interface'),
        is_up: up,
        is_enabled: isEnabled,
        description: field(r, 'description', 'interface_desc'),
        mac_address: field(r, 'mac_address') || null,
        mtu: num(r.mtu),
        speed: bandwidth ? (/kbit/i.test(bandwidth) ? (num(bandwidth.split(/\s/)[0]) ?? 0) / 1000 : speedMbps(bandwidth)) : null,
        rx_packets: num(field(r, 'input_packets', 'rx_packets', 'rx_total_packets')),
        tx_packets: num(field(r, 'output_packets', 'tx_packets', 'tx_total_packets')),
        rx_errors: num(field(r, 'input_errors', 'rx_errors')),
        tx_errors: num(field(r, 'output_errors', 'tx_errors')),
        rx_crc_errors: num(field(r, 'crc', 'rx_crc_fcs', 'rx_crc_errors')),
      };
    });
}

/** EOS `show interfaces | json`. */
function fromEosJson(records: ParsedRecord[]): InterfaceRecord[] {
  const out: InterfaceRecord[] = [];
  for (const root of records as unknown as { interfaces?: Record<string, Record<string, unknown>> }[]) {
    for (const [name, i] of Object.entries(root.interfaces ?? {})) {
      const c = (i.interfaceCounters ?? {}) as Record<string, unknown>;
      const detail = (c.inputErrorsDetail ?? {}) as Record<string, unknown>;
      const sum = (...keys: string[]) => (keys.some((k) => typeof c[k] === 'number') ? keys.reduce((n, k) => n + (num(c[k]) ?? 0), 0) : null);
      out.push({
        interface: name,
        is_up: i.lineProtocolStatus === 'up',
        is_enabled: i.interfaceStatus !== 'disabled',
        description: typeof i.description === 'string' ? i.description : '',
        mac_address: typeof i.physicalAddress === 'string' ? i.physicalAddress : null,
        mtu: num(i.mtu),
        speed: typeof i.bandwidth === 'number' ? i.bandwidth / 1e6 : null,
        rx_packets: sum('inUcastPkts', 'inMulticastPkts', 'inBroadcastPkts'),
        tx_packets: sum('outUcastPkts', 'outMulticastPkts', 'outBroadcastPkts'),
        rx_errors: num(c.inTotalErrors),
        tx_errors: num(c.outErrors),
        rx_crc_errors: num(detail.fcsErrors),
      });
    }
  }
  return out;
}

export function mapInterfaces(platform: string, parsed: Pick<ParsedOutput, 'records' | 'source'>): InterfaceRecord[] {
  return parsed.source.kind === 'native' && platform === 'arista_eos' ? fromEosJson(parsed.records) : fromTextFsm(platform, parsed.records);
}
