import { generateNxos } from '../config/generate-ios-family.js';
import { ciscoTime, type DeviceIdentity } from '../personality.js';
import { bannerFor, IOS_PAGER, serialFor, uptimeFor } from './common.js';
import { canonicalInterface } from './cisco_ios.js';
import { caretError, iosLikePersonality } from './ios-like.js';
import { nxosCommands, nxosVersionJson } from '../ops/ios-family.js';
import { nxosCheckpointCommands } from './safety-nets.js';

const NXOS_INTERFACES: [RegExp, string][] = [
  [/^e(th(ernet)?)?\s*/i, 'Ethernet'],
  [/^lo(opback)?\s*/i, 'loopback'],
  [/^vl(an)?\s*/i, 'Vlan'],
  [/^po(rt-channel)?\s*/i, 'port-channel'],
];

function showVersion(id: DeviceIdentity): string {
  const up = uptimeFor(id);
  return `Cisco Nexus Operating System (NX-OS) Software
TAC support: http://www.cisco.com/tac
Copyright (C) 2002-2022, Cisco and/or its affiliates.
All rights reserved.

Software
  BIOS: version 05.45
  NXOS: version 9.3(10)
  BIOS compile time:  04/14/2022
  NXOS image file is: bootflash:///nxos.9.3.10.bin
  NXOS compile time:  5/20/2022 12:00:00 [05/21/2022 05:29:13]

Hardware
  cisco Nexus9000 C93180YC-EX chassis
  Intel(R) Xeon(R) CPU  @ 1.80GHz with 24632984 kB of memory.
  Processor Board ID ${serialFor(id, 'FDO', 11)}

  Device name: ${id.hostname}
  bootflash:   53298520 kB

Kernel uptime is ${up.weeks * 7 + up.days} day(s), ${up.hours} hour(s), ${up.minutes} minute(s), 12 second(s)
`;
}

export const ciscoNxos = iosLikePersonality({
  platform: 'cisco_nxos',
  sshSoftware: 'OpenSSH_8.3',
  motd: (id) => `${bannerFor(id)}Cisco Nexus Operating System (NX-OS) Software\nTAC support: http://www.cisco.com/tac\nCopyright (C) 2002-2022, Cisco and/or its affiliates.\n`,
  pager: IOS_PAGER,
  startPrivileged: true,
  enableWithPassword: false,
  prompt: { user: (h) => `${h}#`, privileged: (h) => `${h}#`, config: (h, m) => `${h}(${m})#` },
  pagingOff: ['terminal length 0', 'terminal pager 0'],
  errors: {
    invalid: caretError("% Invalid command at '^' marker."),
    ambiguous: caretError("% Ambiguous command at '^' marker."),
    incomplete: () => '% Incomplete command at \'^\' marker.\n',
  },
  style: { indent: '  ', sectionEnd: '' },
  generate: generateNxos,
  header: (id, state) =>
    `\n!Command: show running-config\n!Running configuration last done at: ${ciscoTime(state.lastChange)}\n!Time: ${ciscoTime(new Date())}\n\nversion 9.3(10) Bios:version 05.45\n`,
  footer: '\n',
  submode: (line, depth) => {
    if (depth === 0) {
      if (line.startsWith('interface ')) return 'config-if';
      if (line.startsWith('router ')) return 'config-router';
      if (line.startsWith('ip access-list ')) return 'config-acl';
      if (/^vlan \d+$/.test(line)) return 'config-vlan';
      if (line.startsWith('vrf context ')) return 'config-vrf';
      if (line.startsWith('line ')) return 'config-line';
      if (line.startsWith('route-map ')) return 'config-route-map';
    }
    if (depth === 1 && (line.startsWith('address-family ') || line.startsWith('neighbor '))) return line.startsWith('neighbor') ? 'config-router-neighbor' : 'config-router-af';
    if (depth === 2 && line.startsWith('address-family ')) return 'config-router-neighbor-af';
    return undefined;
  },
  commands: [
    { path: 'show version', run: (s) => showVersion(s.shell.id), json: nxosVersionJson },
    ...nxosCommands(),
    ...nxosCheckpointCommands(),
    { path: 'show hostname', run: (s) => `${s.shell.id.hostname}\n` },
    { path: 'copy running-config startup-config', run: () => '[########################################] 100%\nCopy complete, now saving to disk (please wait)...\nCopy complete.\n' },
  ],
  globalKeywords: [
    'hostname', 'interface', 'router', 'ip', 'ipv6', 'username', 'snmp-server', 'ntp', 'logging', 'line', 'banner', 'vlan', 'feature',
    'spanning-tree', 'clock', 'vrf', 'route-map', 'class-map', 'policy-map', 'control-plane', 'key', 'lldp', 'cdp', 'license',
    'mac', 'radius-server', 'tacacs-server', 'aaa', 'boot', 'system', 'switchname', 'copp', 'rmon', 'vpc', 'hardware', 'cli',
  ],
  interfaceName: (typed) => canonicalInterface(typed, NXOS_INTERFACES),
  refusesPhysicalInterfaceRemoval: true,
  numbersAclEntries: true,
});
