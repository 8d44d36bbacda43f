import { paddedBytes, type DeviceIdentity } from '../personality.js';
import { pick, randInt } from '../rng.js';
import { basics, BIG_CONFIG_BYTES, customerVrf, randomText } from './generate-ios-family.js';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./';
const SITES = ['Berlin DC1', 'Paris POP2', 'London Edge', 'NYC Lab', 'Tokyo R3', 'Sydney Core'];

/** Junos default config as set lines (without the `set`). */
export function generateJunos(id: DeviceIdentity): string[] {
  const g = basics(id);
  const r = g.random;
  const lines: string[] = [
    `system host-name ${id.hostname}`,
    'system time-zone UTC',
    `system root-authentication encrypted-password "$6$${randomText(r, B64, 8)}$${randomText(r, B64, 86)}"`,
    'system login user admin uid 2000',
    'system login user admin class super-user',
    `system login user admin authentication encrypted-password "$6$${randomText(r, B64, 8)}$${randomText(r, B64, 86)}"`,
    'system login user netops uid 2001',
    'system login user netops class operator',
    `system login user netops authentication encrypted-password "$6$${randomText(r, B64, 8)}$${randomText(r, B64, 86)}"`,
    'system services ssh root-login deny',
    'system services netconf ssh',
    `system domain-name lab.netstacks.test`,
    `system name-server ${g.net(250)}.53`,
    'system syslog user * any emergency',
    'system syslog file messages any notice',
    'system syslog file interactive-commands interactive-commands any',
    `system syslog host ${g.net(250)}.514 any warning`,
    `system ntp server ${g.net(250)}.123 prefer`,
    'system ntp server 192.0.2.123',
    `snmp location "${pick(r, SITES)}"`,
    'snmp contact "noc@netstacks.test"',
    `snmp community ${g.community} authorization read-only`,
    `snmp community ${g.rwCommunity} authorization read-write`,
    'chassis aggregated-devices ethernet device-count 4',
  ];
  const ports = randInt(r, 10, 24);
  for (let i = 0; i < ports; i++) {
    const name = `ge-0/0/${i}`;
    if (r() < 0.6) lines.push(`interfaces ${name} description "${pick(r, ['uplink to core', 'customer A', 'peering', 'transit', 'spare'])}"`);
    if (i < 6) lines.push(`interfaces ${name} unit 0 family inet address ${g.net(i)}.1/30`);
    else if (r() < 0.3) lines.push(`interfaces ${name} disable`);
    else lines.push(`interfaces ${name} unit 0 family ethernet-switching interface-mode access`);
  }
  lines.push(`interfaces lo0 unit 0 family inet address ${g.loopback}/32`);
  lines.push(`interfaces fxp0 unit 0 family inet address ${g.net(250)}.${(id.index % 250) + 2}/24`);
  lines.push(`routing-options router-id ${g.loopback}`, `routing-options autonomous-system ${g.asn}`);
  for (let i = 0; i < randInt(r, 4, 12); i++) lines.push(`routing-options static route 172.${16 + (i % 16)}.${i}.0/24 next-hop ${g.net(0)}.2`);
  for (let i = 0; i < 4; i++) lines.push(`protocols ospf area 0.0.0.0 interface ge-0/0/${i}.0 interface-type p2p`);
  lines.push('protocols ospf area 0.0.0.0 interface lo0.0 passive');
  lines.push('protocols bgp group EBGP type external');
  for (let i = 0; i < randInt(r, 2, 5); i++) lines.push(`protocols bgp group EBGP neighbor ${g.net(i)}.2 peer-as ${65100 + i}`, `protocols bgp group EBGP neighbor ${g.net(i)}.2 description peer-${i}`);
  const vrf = customerVrf(id);
  lines.push(`interfaces ge-0/0/1 vlan-tagging`, `interfaces ge-0/0/1 unit 100 description "${vrf.name} customer"`, 'interfaces ge-0/0/1 unit 100 vlan-id 100', `interfaces ge-0/0/1 unit 100 family inet address ${vrf.local}/30`);
  lines.push(`routing-instances ${vrf.name} instance-type vrf`, `routing-instances ${vrf.name} interface ge-0/0/1.100`, `routing-instances ${vrf.name} route-distinguisher ${vrf.rd}`, `routing-instances ${vrf.name} vrf-target target:${vrf.rd}`);
  lines.push(`routing-instances ${vrf.name} protocols bgp group CE type external`, `routing-instances ${vrf.name} protocols bgp group CE neighbor ${vrf.peer} peer-as ${vrf.peerAs}`);
  lines.push('protocols lldp interface all');
  lines.push('policy-options prefix-list MGMT 10.0.0.0/8', 'policy-options prefix-list MGMT 192.168.0.0/16');
  lines.push('policy-options policy-statement EXPORT-LO0 term 1 from interface lo0.0', 'policy-options policy-statement EXPORT-LO0 term 1 then accept');
  for (let i = 1; i <= randInt(r, 10, 25); i++) {
    lines.push(`firewall family inet filter PROTECT-RE term T${i} from source-address 10.${randInt(r, 0, 255)}.${randInt(r, 0, 255)}.0/24`);
    lines.push(`firewall family inet filter PROTECT-RE term T${i} from protocol ${pick(r, ['tcp', 'udp'])}`);
    lines.push(`firewall family inet filter PROTECT-RE term T${i} then ${r() < 0.8 ? 'accept' : 'discard'}`);
  }
  const padTo = paddedBytes(id, BIG_CONFIG_BYTES);
  if (padTo) {
    let size = lines.reduce((s, l) => s + l.length + 1, 0);
    for (let i = 0; size < padTo; i++) {
      const line = `firewall family inet filter BIG-${Math.floor(i / 1000)} term T${i} from source-address 10.${(i >> 16) & 0xff}.${(i >> 8) & 0xff}.${i & 0xff}/32`;
      lines.push(line);
      size += line.length + 1;
    }
  }
  return lines;
}

/** PAN-OS default config as set lines. */
export function generatePanos(id: DeviceIdentity): string[] {
  const g = basics(id);
  const r = g.random;
  const lines: string[] = [
    `deviceconfig system hostname ${id.hostname}`,
    `deviceconfig system ip-address ${g.net(250)}.${(id.index % 250) + 2}`,
    'deviceconfig system netmask 255.255.255.0',
    `deviceconfig system default-gateway ${g.net(250)}.1`,
    'deviceconfig system timezone UTC',
    `deviceconfig system ntp-servers primary-ntp-server ntp-server-address ${g.net(250)}.123`,
    `deviceconfig system dns-setting servers primary ${g.net(250)}.53`,
    `mgt-config users admin phash $1$${randomText(r, B64, 8)}$${randomText(r, B64, 22)}`,
    'mgt-config users admin permissions role-based superuser yes',
    `mgt-config users netops phash $1$${randomText(r, B64, 8)}$${randomText(r, B64, 22)}`,
    `deviceconfig system snmp-setting access-setting version v2c snmp-community-string ${g.community}`,
  ];
  for (let i = 1; i <= randInt(r, 4, 8); i++) lines.push(`network interface ethernet ethernet1/${i} layer3 ip 10.${i}.${id.index & 0xff}.1/24`);
  lines.push('zone trust network layer3 ethernet1/2', 'zone untrust network layer3 ethernet1/1');
  for (let i = 1; i <= randInt(r, 10, 30); i++) {
    lines.push(`address host-${i} ip-netmask 10.${randInt(r, 0, 255)}.${randInt(r, 0, 255)}.${randInt(r, 1, 254)}/32`);
  }
  for (let i = 1; i <= randInt(r, 8, 20); i++) {
    const rule = `rulebase security rules rule-${i}`;
    lines.push(`${rule} from trust`, `${rule} to untrust`, `${rule} source host-${i}`, `${rule} destination any`, `${rule} application ${pick(r, ['ssl', 'web-browsing', 'dns', 'ssh', 'any'])}`, `${rule} action ${r() < 0.8 ? 'allow' : 'deny'}`);
  }
  return lines;
}
