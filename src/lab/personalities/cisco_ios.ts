import { generateIos } from '../config/generate-ios-family.js';
import { ciscoTime, type DeviceIdentity } from '../personality.js';
import { bannerFor, IOS_PAGER, serialFor, uptimeFor } from './common.js';
import { caretError, iosLikePersonality, type IosLikeSpec } from './ios-like.js';
import { iosCommands } from '../ops/ios-family.js';
import { iosRevertCommands } from './safety-nets.js';

const IOS_INTERFACES: [RegExp, string][] = [
  [/^gi(g(abit(ethernet)?)?)?\s*/i, 'GigabitEthernet'],
  [/^te(n(gigabitethernet)?)?\s*/i, 'TenGigabitEthernet'],
  [/^fa(st(ethernet)?)?\s*/i, 'FastEthernet'],
  [/^lo(opback)?\s*/i, 'Loopback'],
  [/^vl(an)?\s*/i, 'Vlan'],
  [/^po(rt-channel)?\s*/i, 'Port-channel'],
  [/^tu(nnel)?\s*/i, 'Tunnel'],
];

export function canonicalInterface(typed: string, table: [RegExp, string][]): string {
  for (const [pattern, name] of table) {
    const m = pattern.exec(typed);
    if (m && /^\d/.test(typed.slice(m[0].length))) return name + typed.slice(m[0].length).replace(/\s+/g, '');
  }
  return typed;
}

function showVersion(id: DeviceIdentity, xe: boolean): string {
  const up = uptimeFor(id);
  const uptime = `${up.weeks} weeks, ${up.days} days, ${up.hours} hours, ${up.minutes} minutes`;
  if (xe) {
    return `Cisco IOS XE Software, Version 17.03.04a
Cisco IOS Software [Amsterdam], Virtual XE Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.3.4a, RELEASE SOFTWARE (fc3)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2021 by Cisco Systems, Inc.
Compiled Tue 20-Jul-21 04:59 by mcpre

ROM: IOS-XE ROMMON
${id.hostname} uptime is ${uptime}
Uptime for this control processor is ${uptime}
System returned to ROM by reload
System image file is "bootflash:packages.conf"
Last reload reason: reload

cisco CSR1000V (VXE) processor (revision VXE) with 2071829K/3075K bytes of memory.
Processor board ID ${serialFor(id, '9', 11)}
4 Gigabit Ethernet interfaces
32768K bytes of non-volatile configuration memory.
3978436K bytes of physical memory.

Configuration register is 0x2102
`;
  }
  return `Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.7(3)M8, RELEASE SOFTWARE (fc2)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2021 by Cisco Systems, Inc.
Compiled Thu 28-Jan-21 17:39 by prod_rel_team

ROM: System Bootstrap, Version 15.0(1r)M16, RELEASE SOFTWARE (fc1)

${id.hostname} uptime is ${uptime}
System returned to ROM by power-on
System image file is "flash0:c2900-universalk9-mz.SPA.157-3.M8.bin"
Last reload type: Normal Reload

Cisco CISCO2911/K9 (revision 1.0) with 483328K/40960K bytes of memory.
Processor board ID ${serialFor(id, 'FTX', 11)}
3 Gigabit Ethernet interfaces
DRAM configuration is 64 bits wide with parity enabled.
255K bytes of non-volatile configuration memory.
250880K bytes of ATA System CompactFlash 0 (Read/Write)

License Info:
License UDI:
Device#   PID                   SN
*1        CISCO2911/K9          ${serialFor(id, 'FTX', 11)}

Configuration register is 0x2102
`;
}

export function ciscoIosSpec(xe: boolean): IosLikeSpec {
  return {
    platform: xe ? 'cisco_xe' : 'cisco_ios',
    sshSoftware: 'Cisco-1.25',
    motd: (id) => bannerFor(id) + '\n',
    pager: IOS_PAGER,
    startPrivileged: false,
    enableWithPassword: true,
    prompt: { user: (h) => `${h}>`, privileged: (h) => `${h}#`, config: (h, m) => `${h}(${m})#` },
    pagingOff: ['terminal length 0'],
    errors: {
      invalid: caretError("% Invalid input detected at '^' marker."),
      ambiguous: (word) => `% Ambiguous command:  "${word}"\n`,
      incomplete: () => '% Incomplete command.\n',
    },
    style: { indent: ' ', sectionEnd: '!', groupSeparator: '!' },
    generate: (id) => generateIos(id, xe ? 'xe' : 'ios'),
    header: (id, state, body) => {
      const head = `!\n! Last configuration change at ${ciscoTime(state.lastChange)} by ${state.lastChangeBy}\n! NVRAM config last updated at ${ciscoTime(state.lastChange)} by ${state.lastChangeBy}\n!\n`;
      return `Building configuration...\n\nCurrent configuration : ${head.length + body.length + 4} bytes\n${head}`;
    },
    footer: 'end\n',
    submode: (line, depth) => {
      if (depth === 0) {
        if (line.startsWith('interface ')) return 'config-if';
        if (line.startsWith('router ')) return 'config-router';
        if (line.startsWith('line ')) return 'config-line';
        if (line.startsWith('ip access-list extended ')) return 'config-ext-nacl';
        if (line.startsWith('ip access-list standard ')) return 'config-std-nacl';
        if (/^vlan \d+$/.test(line)) return 'config-vlan';
        if (line.startsWith('route-map ')) return 'config-route-map';
        if (line.startsWith('vrf definition ')) return 'config-vrf';
        if (line.startsWith('class-map ')) return 'config-cmap';
        if (line.startsWith('policy-map ')) return 'config-pmap';
        if (line.startsWith('key chain ')) return 'config-keychain';
      }
      if (depth === 1 && line.startsWith('address-family ')) return 'config-router-af';
      return undefined;
    },
    commands: [
      { path: 'show version', run: (s) => showVersion(s.shell.id, xe) },
      {
        path: 'show inventory',
        run: (s) => `NAME: "Chassis", DESCR: "Cisco ${xe ? 'CSR1000V' : 'CISCO2911/K9'} Chassis"\nPID: ${xe ? 'CSR1000V' : 'CISCO2911/K9'}   , VID: V07  , SN: ${serialFor(s.shell.id, 'FTX', 11)}\n`,
      },
      ...iosCommands(),
      ...iosRevertCommands(),
    ],
    globalKeywords: [
      'hostname', 'interface', 'router', 'ip', 'ipv6', 'username', 'enable', 'snmp-server', 'ntp', 'logging', 'line', 'banner',
      'access-list', 'vlan', 'service', 'aaa', 'spanning-tree', 'clock', 'crypto', 'boot', 'version', 'vrf', 'route-map', 'class-map',
      'policy-map', 'control-plane', 'key', 'archive', 'errdisable', 'lldp', 'cdp', 'license', 'mac', 'radius-server', 'tacacs-server',
      'event', 'track', 'object-group', 'alias', 'file', 'login', 'memory', 'multilink', 'redundancy', 'vtp', 'wsma', 'username',
    ],
    configBanner: 'Enter configuration commands, one per line.  End with CNTL/Z.\n',
    interfaceName: (typed) => canonicalInterface(typed, IOS_INTERFACES),
    refusesPhysicalInterfaceRemoval: true,
  };
}

export const ciscoIos = iosLikePersonality(ciscoIosSpec(false));
export const ciscoXe = iosLikePersonality(ciscoIosSpec(true));
