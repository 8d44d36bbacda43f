import { word } from './fetch.js';
import type { PingRecord } from './types.js';

export interface PingOptions {
  source?: string;
  vrf?: string;
  /** probes to send (default 5) */
  count?: number;
}

/** The ping command in each platform's own syntax, with its VRF and source. */
export function pingCommand(platform: string, target: string, options: PingOptions = {}): string {
  const host = word(target, 'ping target');
  const vrf = options.vrf && options.vrf !== 'default' ? word(options.vrf, 'vrf') : undefined;
  const source = options.source ? word(options.source, 'ping source') : undefined;
  const count = options.count ?? 5;
  const parts: string[] = [];
  switch (platform) {
    case 'cisco_ios':
    case 'cisco_xe':
    case 'cisco_xr':
      parts.push('ping', ...(vrf ? ['vrf', vrf] : []), host, ...(count !== 5 ? ['repeat', String(count)] : []), ...(source ? ['source', source] : []));
      break;
    case 'arista_eos':
      parts.push('ping', ...(vrf ? ['vrf', vrf] : []), host, ...(count !== 5 ? ['repeat', String(count)] : []), ...(source ? ['source', source] : []));
      break;
    case 'cisco_nxos':
    case 'aruba_aoscx':
      parts.push('ping', host, ...(count !== 5 ? ['count', String(count)] : []), ...(vrf ? ['vrf', vrf] : []), ...(source ? ['source', source] : []));
      break;
    case 'juniper_junos':
      parts.push('ping', host, 'count', String(count), ...(vrf ? ['routing-instance', vrf] : []), ...(source ? ['source', source] : []), 'rapid');
      break;
    case 'linux':
      parts.push(...(vrf ? ['ip', 'vrf', 'exec', vrf] : []), 'ping', '-c', String(count), ...(source ? ['-I', source] : []), host);
      break;
    case 'fortinet':
      if (vrf || source) throw new Error('FortiOS pings take no vrf or source here (set them with execute ping-options)');
      parts.push('execute', 'ping', host);
      break;
    case 'paloalto_panos':
      if (vrf) throw new Error('PAN-OS pings take no vrf');
      parts.push('ping', ...(source ? ['source', source] : []), 'host', host);
      break;
    case 'hp_procurve':
      if (vrf) throw new Error('ProCurve pings take no vrf');
      parts.push('ping', host, ...(source ? ['source', source] : []));
      break;
    default:
      throw new Error(`no ping mapping for platform ${platform}`);
  }
  return parts.join(' ');
}

/**
 * A ping's output in any platform's words → counts: Cisco `Success rate is 80 percent (4/5)`,
 * Unix-style `5 packets transmitted, 4 (packets) received`, ProCurve `is alive`.
 */
export function parsePing(output: string, target: string, options: PingOptions = {}): PingRecord {
  let sent: number | undefined;
  let received: number | undefined;
  const cisco = /Success rate is (\d+) percent \((\d+)\/(\d+)\)/.exec(output);
  const unix = /(\d+) packets transmitted, (\d+) (?:packets )?received/.exec(output);
  if (cisco) {
    received = Number(cisco[2]);
    sent = Number(cisco[3]);
  } else if (unix) {
    sent = Number(unix[1]);
    received = Number(unix[2]);
  } else if (/ is alive/.test(output)) {
    sent = 1;
    received = 1;
  } else if (/Request timed out|timed out|100(\.0+)?% packet loss|Destination Host Unreachable/i.test(output)) {
    sent = options.count ?? 5;
    received = 0;
  } else {
    throw new Error(`cannot read the ping result for ${target}: ${output.trim().split('\n').pop() ?? 'no output'}`);
  }
  const rtt = /(?:min\/avg\/max(?:\/\w+)?) = ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(output);
  const rate = sent > 0 ? (received / sent) * 100 : 0;
  return {
    destination: target,
    source: options.source ?? null,
    vrf: options.vrf ?? null,
    probes_sent: sent,
    received,
    packet_loss: Math.round((100 - rate) * 100) / 100,
    success_rate: Math.round(rate * 100) / 100,
    rtt_min: rtt ? Number(rtt[1]) : null,
    rtt_avg: rtt ? Number(rtt[2]) : null,
    rtt_max: rtt ? Number(rtt[3]) : null,
  };
}
