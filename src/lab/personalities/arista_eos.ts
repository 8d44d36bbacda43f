import { generateEos } from '../config/generate-ios-family.js';
import type { DeviceIdentity } from '../personality.js';
import { bannerFor, serialFor, uptimeFor } from './common.js';
import { canonicalInterface } from './cisco_ios.js';
import { iosLikePersonality } from './ios-like.js';
import { eosCommands, eosVersionJson } from '../ops/ios-family.js';
import { eosSessionCommands, eosSessionConfigCommands } from './safety-nets.js';

const EOS_INTERFACES: [RegExp, string][] = [
  [/^et(h(ernet)?)?\s*/i, 'Ethernet'],
  [/^ma(nagement)?\s*/i, 'Management'],
  [/^lo(opback)?\s*/i, 'Loopback'],
  [/^vl(an)?\s*/i, 'Vlan'],
  [/^po(rt-channel)?\s*/i, 'Port-Channel'],
];

function showVersion(id: DeviceIdentity): string {
  const up = uptimeFor(id);
  return `Arista DCS-7050TX-64-R
Hardware version: 01.11
Serial number: ${serialFor(id, 'JPE', 11)}
Hardware MAC address: 001c.73${(id.index & 0xff).toString(16).padStart(2, '0')}.2a${((id.index >> 8) & 0xff).toString(16).padStart(2, '0')}
System MAC address: 001c.73${(id.index & 0xff).toString(16).padStart(2, '0')}.2a${((id.index >> 8) & 0xff).toString(16).padStart(2, '0')}

Software image version: 4.28.3M
Architecture: x86_64
Internal build version: 4.28.3M-28837868.4283M
Internal build ID: 9ed7a4b1-4a3c-4b12-8b0a-0f6d4c1c2a11
Image format version: 3.0
Image optimization: Default

Uptime: ${up.weeks} weeks, ${up.days} days, ${up.hours} hours and ${up.minutes} minutes
Total memory: 8099732 kB
Free memory: 5892232 kB

`;
}

function eosSubmode(line: string, depth: number): string | undefined {
  if (depth === 0) {
    const intf = /^interface (\S+)$/.exec(line);
    if (intf) {
      const short = (intf[1] as string).replace(/^Ethernet/, 'Et').replace(/^Management/, 'Ma').replace(/^Loopback/, 'Lo').replace(/^Port-Channel/, 'Po');
      return `config-if-${short}`;
    }
    const router = /^router (\S+)/.exec(line);
    if (router) return `config-router-${router[1]}`;
    const acl = /^ip access-list (\S+)$/.exec(line);
    if (acl) return `config-acl-${acl[1]}`;
    const vlan = /^vlan (\d+)$/.exec(line);
    if (vlan) return `config-vlan-${vlan[1]}`;
    if (line.startsWith('management ')) return `config-mgmt-${line.split(' ')[1]}`;
    if (line.startsWith('vrf instance ')) return `config-vrf-${line.split(' ')[2]}`;
    if (line.startsWith('route-map ')) return 'config-route-map';
  }
  if (depth === 1 && line.startsWith('address-family ')) return `config-router-bgp-af`;
  return undefined;
}

export const aristaEos = iosLikePersonality({
  platform: 'arista_eos',
  sshSoftware: 'OpenSSH_8.7',
  motd: (id) => bannerFor(id) + 'Last login: Fri Nov 27 06:58:11 2026 from 127.0.0.1\n',
  pager: { prompt: ' --More-- ', erase: '\r          \r' },
  startPrivileged: false,
  enableWithPassword: true,
  prompt: { user: (h) => `${h}>`, privileged: (h) => `${h}#`, config: (h, m) => `${h}(${m})#` },
  pagingOff: ['terminal length 0'],
  errors: {
    invalid: () => "% Invalid input\n",
    ambiguous: () => '% Ambiguous command\n',
    incomplete: () => '% Incomplete command\n',
  },
  style: { indent: '   ', sectionEnd: '!', groupSeparator: '!' },
  generate: generateEos,
  header: (id) => `! Command: show running-config\n! device: ${id.hostname} (DCS-7050TX-64, EOS-4.28.3M)\n!\n! boot system flash:/EOS-4.28.3M.swi\n!\n`,
  footer: 'end\n',
  submode: eosSubmode,
  commands: [
    { path: 'show version', run: (s) => showVersion(s.shell.id), json: eosVersionJson },
    ...eosCommands(),
    ...eosSessionCommands(),
    { path: 'show hostname', run: (s) => `Hostname: ${s.shell.id.hostname}\nFQDN:     ${s.shell.id.hostname}.lab.netstacks.test\n` },
  ],
  globalKeywords: [
    'hostname', 'interface', 'router', 'ip', 'ipv6', 'username', 'enable', 'snmp-server', 'ntp', 'logging', 'vlan', 'service',
    'aaa', 'spanning-tree', 'clock', 'management', 'vrf', 'route-map', 'transceiver', 'daemon', 'event-handler', 'lldp', 'banner',
    'queue-monitor', 'mlag', 'peer-filter', 'prefix-list', 'radius-server', 'tacacs-server', 'errdisable', 'mac', 'system', 'alias',
  ],
  interfaceName: (typed) => canonicalInterface(typed, EOS_INTERFACES),
  refusesPhysicalInterfaceRemoval: true,
  numbersAclEntries: true,
  configCommands: eosSessionConfigCommands(),
});
