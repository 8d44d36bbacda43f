import { generateAoscx } from '../config/generate-ios-family.js';
import type { DeviceIdentity } from '../personality.js';
import { bannerFor, serialFor } from './common.js';
import { iosLikePersonality } from './ios-like.js';
import { aoscxCommands } from '../ops/ios-family.js';

function showVersion(id: DeviceIdentity): string {
  return `-----------------------------------------------------------------------------
ArubaOS-CX
(c) Copyright 2017-2022 Hewlett Packard Enterprise Development LP
-----------------------------------------------------------------------------
Version      : FL.10.10.1000
Build Date   : 2022-06-14 10:33:25 UTC
Build ID     : ArubaOS-CX:FL.10.10.1000:2c8d0b6c2a3c:202206141000
Build SHA    : 2c8d0b6c2a3c4b6e8f0a1b2c3d4e5f60718293a4
Hot Patches  :
Active Image : primary

Service OS Version : FL.01.09.0003
BIOS Version       : FL.01.0002
Serial Number      : ${serialFor(id, 'SG0', 10)}
`;
}

export const arubaAoscx = iosLikePersonality({
  platform: 'aruba_aoscx',
  sshSoftware: 'OpenSSH_8.4',
  motd: (id) => `${bannerFor(id)}Last login: 2026-11-27 06:58:11 from 127.0.0.1\nUser "netstacks" has logged in 12 times in the past 30 days\n`,
  pager: { prompt: '--MORE--', erase: '\r        \r' },
  startPrivileged: true,
  enableWithPassword: false,
  prompt: { user: (h) => `${h}#`, privileged: (h) => `${h}#`, config: (h, m) => `${h}(${m})#` },
  pagingOff: ['no page'],
  errors: {
    invalid: (line, column) => `Invalid input: ${line.slice(column).split(/\s+/)[0] ?? ''}\n`,
    ambiguous: (word) => `Ambiguous command: ${word}\n`,
    incomplete: () => '% Command incomplete.\n',
  },
  style: { indent: '    ', sectionEnd: '', nestedEnd: undefined },
  keepNoShutdown: true,
  generate: generateAoscx,
  header: () => 'Current configuration:\n!\n!Version ArubaOS-CX FL.10.10.1000\n!export-password: default\n',
  footer: '',
  submode: (line, depth) => {
    if (depth !== 0) return undefined;
    if (/^interface vlan /.test(line)) return 'config-if-vlan';
    if (line.startsWith('interface ')) return 'config-if';
    const vlan = /^vlan (\d+)$/.exec(line);
    if (vlan) return `config-vlan-${vlan[1]}`;
    const router = /^router (\S+) (\S+)/.exec(line);
    if (router) return `config-${router[1]}-${router[2]}`;
    if (line.startsWith('access-list ip ')) return 'config-acl-ip';
    return undefined;
  },
  commands: [
    { path: 'show version', run: (s) => showVersion(s.shell.id) },
    ...aoscxCommands(),
    {
      path: 'write memory',
      run: (s) => {
        s.state.startup = s.state.config.map((n) => ({ ...n }));
        return 'Copying configuration: [Success]\n';
      },
    },
    { path: 'page', run: (s) => void (s.shell.paging = true) },
  ],
  globalKeywords: [
    'hostname', 'interface', 'ip', 'ipv6', 'vlan', 'snmp-server', 'ntp', 'clock', 'logging', 'user', 'spanning-tree', 'ssh', 'https-server',
    'router', 'access-list', 'aaa', 'radius-server', 'tacacs-server', 'lldp', 'banner', 'vsf', 'vsx', 'qos', 'lacp', 'mirror', 'system',
  ],
  interfaceName: (typed) => typed.replace(/^vlan\s*(\d+)$/i, 'vlan $1').replace(/^lo(opback)?\s*(\d+)$/i, 'loopback $2'),
});
