import { xrConfigCommands, xrExclusiveCommands } from './safety-nets.js';
import { generateXr } from '../config/generate-ios-family.js';
import { ciscoTime, type DeviceIdentity } from '../personality.js';
import { bannerFor, IOS_PAGER, uptimeFor } from './common.js';
import { xrTimestamp } from '../ops/format.js';
import { canonicalInterface } from './cisco_ios.js';
import { caretError, iosLikePersonality } from './ios-like.js';
import { xrCommands } from '../ops/ios-family.js';

const XR_INTERFACES: [RegExp, string][] = [
  [/^gi(g(abit(ethernet)?)?)?\s*/i, 'GigabitEthernet'],
  [/^te(n(gige)?)?\s*/i, 'TenGigE'],
  [/^lo(opback)?\s*/i, 'Loopback'],
  [/^be(\s|ndle-ether)?\s*/i, 'Bundle-Ether'],
];

const location = 'RP/0/RSP0/CPU0';

function showVersion(id: DeviceIdentity): string {
  const up = uptimeFor(id);
  return `${xrTimestamp()}
Cisco IOS XR Software, Version 7.3.2
Copyright (c) 2013-2021 by Cisco Systems, Inc.

Build Information:
 Built By     : ingunawa
 Built On     : Wed Oct 13 20:00:00 PDT 2021
 Built Host   : iox-ucs-017
 Workspace    : /auto/srcarchive17/prod/7.3.2/asr9k-x64/ws
 Version      : 7.3.2
 Location     : /opt/cisco/XR/packages/
 Label        : 7.3.2

cisco ASR9K () processor
System uptime is ${up.weeks} weeks, ${up.days} days, ${up.hours} hours, ${up.minutes} minutes
`;
}

export const ciscoXr = iosLikePersonality({
  platform: 'cisco_xr',
  sshSoftware: 'Cisco-2.0',
  motd: (id) => bannerFor(id) + '\n',
  pager: IOS_PAGER,
  startPrivileged: true,
  enableWithPassword: false,
  prompt: { user: (h) => `${location}:${h}#`, privileged: (h) => `${location}:${h}#`, config: (h, m) => `${location}:${h}(${m})#` },
  pagingOff: ['terminal length 0'],
  errors: {
    invalid: caretError("% Invalid input detected at '^' marker."),
    ambiguous: caretError("% Ambiguous command at '^' marker."),
    incomplete: () => "% Incomplete command.\n",
  },
  style: { indent: ' ', sectionEnd: '!', nestedEnd: '!' },
  generate: generateXr,
  header: (_id, state) => `Building configuration...\n!! IOS XR Configuration 7.3.2\n!! Last configuration change at ${ciscoTime(state.lastChange)} by ${state.lastChangeBy}\n!\n`,
  footer: 'end\n',
  candidate: true,
  submode: (line, depth) => {
    if (depth === 0) {
      if (line.startsWith('interface ')) return 'config-if';
      if (line.startsWith('router ospf')) return 'config-ospf';
      if (line.startsWith('router bgp')) return 'config-bgp';
      if (line.startsWith('router static')) return 'config-static';
      if (line.startsWith('router ')) return 'config-router';
      if (line.startsWith('ipv4 access-list ')) return 'config-ipv4-acl';
      if (line.startsWith('username ')) return 'config-un';
      if (line.startsWith('line ')) return 'config-line';
      if (line === 'ntp') return 'config-ntp';
      if (line.startsWith('route-policy ')) return 'config-rpl';
    }
    if (depth >= 1 && (line.startsWith('address-family ') || line.startsWith('neighbor ') || line.startsWith('area ') || line.startsWith('interface '))) {
      return `config-${line.split(' ')[0]?.replace('address-family', 'af').replace('neighbor', 'bgp-nbr').replace('interface', 'ospf-ar-if')}`;
    }
    return undefined;
  },
  commands: [
    { path: 'show version', run: (s) => showVersion(s.shell.id) },
    ...xrCommands(),
    ...xrExclusiveCommands(),
    { path: 'rollback configuration last <n>', privileged: true, run: (s, a) => s.rollbackLast(Number(a[0])) },
    { path: 'show configuration commit list', run: (s) => `SNo. Label/ID              User      Line                Client      Time Stamp\n~~~~ ~~~~~~~~              ~~~~      ~~~~                ~~~~~~      ~~~~~~~~~~\n1    ${s.state.commitCount}            ${s.state.lastChangeBy.padEnd(9)} vty0:node0_RSP0_CPU0 CLI         ${ciscoTime(s.state.lastChange)}\n` },
  ],
  globalKeywords: [
    'hostname', 'interface', 'router', 'ipv4', 'ipv6', 'username', 'snmp-server', 'ntp', 'logging', 'line', 'banner', 'vrf',
    'route-policy', 'prefix-set', 'community-set', 'as-path-set', 'class-map', 'policy-map', 'control-plane', 'key', 'lldp', 'cdp',
    'clock', 'domain', 'ssh', 'telnet', 'aaa', 'tacacs-server', 'radius-server', 'taskgroup', 'usergroup', 'group', 'l2vpn', 'mpls',
    'multicast-routing', 'hw-module', 'call-home', 'netconf-yang', 'grpc', 'telemetry', 'end-policy', 'end-set', 'explicit-path',
  ],
  configBanner: '',
  configCommands: xrConfigCommands(),
  interfaceName: (typed) => canonicalInterface(typed, XR_INTERFACES),
});
