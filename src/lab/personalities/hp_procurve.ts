import { generateProcurve } from '../config/generate-ios-family.js';
import type { DeviceIdentity } from '../personality.js';
import { bannerFor, serialFor, uptimeFor } from './common.js';
import { iosLikePersonality } from './ios-like.js';
import { procurveCommands } from '../ops/ios-family.js';

function showSystem(id: DeviceIdentity): string {
  const up = uptimeFor(id);
  return `
 Status and Counters - General System Information

  System Name        : ${id.hostname}
  System Contact     : noc@netstacks.test
  System Location    : lab

  MAC Age Time (sec) : 300

  Time Zone          : 0
  Daylight Time Rule : None

  Software revision  : WB.16.10.0012        Base MAC Addr      : 9457a5-${(id.index & 0xffffff).toString(16).padStart(6, '0')}
  ROM Version        : WB.16.03            Serial Number      : ${serialFor(id, 'SG', 10)}

  Up Time            : ${String(up.weeks * 7 + up.days).padEnd(3)} days             Memory   - Total   : 330,219,520
  CPU Util (%)       : 3                               Free    : 174,346,240

  IP Mgmt  - Pkts Rx : 1,204,337            Packet   - Total   : 6750
             Pkts Tx : 982,114              Buffers    Free    : 5086
                                                       Lowest  : 3416
                                                       Missed  : 0
`;
}

export const hpProcurve = iosLikePersonality({
  platform: 'hp_procurve',
  sshSoftware: 'Mocana SSH 6.3',
  motd: (id) =>
    `\nHP J9727A 2920-24G-PoE+ Switch\nSoftware revision WB.16.10.0012\n\n(C) Copyright 2020 Hewlett Packard Enterprise Development LP\n\n                   RESTRICTED RIGHTS LEGEND\n${bannerFor(id)}\nWe'd like to keep you up to date about:\n  * Software feature updates\n  * New product announcements\n  * Special events\n\n`,
  pressAnyKey: 'Press any key to continue',
  pager: { prompt: '-- MORE --, next page: Space, next line: Enter, quit: Control-C', erase: '\r                                                                \r' },
  startPrivileged: false,
  enableWithPassword: true,
  prompt: { user: (h) => `${h}>`, privileged: (h) => `${h}#`, config: (h, m) => `${h}(${m})#` },
  pagingOff: ['no page'],
  errors: {
    invalid: (line, column) => `Invalid input: ${line.slice(column).split(/\s+/)[0] ?? ''}\n`,
    ambiguous: (word) => `Ambiguous input: ${word}\n`,
    incomplete: (line) => `Incomplete input: ${line}\n`,
  },
  style: { indent: '   ', sectionEnd: '', childEnd: 'exit' },
  generate: generateProcurve,
  header: () => `\nRunning configuration:\n\n; J9727A Configuration Editor; Created on release #WB.16.10.0012\n; Ver #14:41.44.00.04.19.02.13.98.82.34.61.18.28.f3.84.9c.63.ff.37.27:05\n`,
  footer: '',
  submode: (line, depth) => {
    if (depth !== 0) return undefined;
    const intf = /^interface (\S+)$/.exec(line);
    if (intf) return `eth-${intf[1]}`;
    const vlan = /^vlan (\d+)$/.exec(line);
    if (vlan) return `vlan-${vlan[1]}`;
    if (line.startsWith('ip access-list ')) return 'config-ext-nacl';
    return undefined;
  },
  commands: [
    {
      path: 'show version',
      run: () => 'Image stamp:    /ws/swbuildm/rel_ukiah_qaoff/code/build/bom(swbuildm_rel_ukiah_qaoff_rel_ukiah)\n                Jun 24 2020 10:50:31\n                WB.16.10.0012\n                1084\nBoot Image:     Primary\n',
    },
    { path: 'show system', run: (s) => showSystem(s.shell.id) },
    ...procurveCommands(),
    { path: 'write memory', privileged: true, run: (s) => void (s.state.startup = s.state.config.map((n) => ({ ...n }))) },
    { path: 'page', run: (s) => void (s.shell.paging = true) },
  ],
  globalKeywords: [
    'hostname', 'interface', 'ip', 'ipv6', 'vlan', 'snmp-server', 'sntp', 'timesync', 'time', 'logging', 'password', 'spanning-tree',
    'module', 'console', 'telnet-server', 'web-management', 'aaa', 'radius-server', 'lldp', 'trunk', 'no', 'crypto', 'include-credentials',
    'banner', 'tftp', 'qos', 'igmp', 'loop-protect', 'dhcp-snooping', 'mirror-port', 'stack', 'power-over-ethernet', 'router',
  ],
  interfaceName: (typed) => typed.replace(/^ethernet\s*/i, ''),
});
