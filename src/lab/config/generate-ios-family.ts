import { paddedBytes, type DeviceIdentity } from '../personality.js';
import { pick, randInt, randomFor, type Random } from '../rng.js';

/**
 * Default running configs for the IOS-like platforms, generated from the device name and seed so
 * that every device differs but a restart reproduces the same text. Secrets are in the config on
 * purpose: transcript masking is tested against them.
 */
export const BIG_CONFIG_BYTES = 5_300_000;

const HEX = '0123456789ABCDEF';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./';

export function randomText(random: Random, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(random() * alphabet.length)];
  return out;
}

export function ipv4(random: Random, prefix: string): string {
  return `${prefix}.${randInt(random, 1, 254)}`;
}

export interface Generated {
  random: Random;
  /** the second octet pair unique per device, e.g. 10.<a>.<b>.x */
  net: (i: number) => string;
  loopback: string;
  asn: number;
  community: string;
  rwCommunity: string;
}

export function basics(id: DeviceIdentity): Generated {
  const random = randomFor(id.seed, 'config', id.name);
  const a = (id.index >> 8) & 0xff;
  const b = id.index & 0xff;
  return {
    random,
    net: (i) => `10.${(a * 16 + i) % 250}.${b}`,
    loopback: `192.0.${(id.index >> 8) + 2}.${(id.index & 0xff) || 1}`,
    asn: 65000 + (id.index % 500),
    community: `ro-${randomText(random, B64.slice(0, 62), 10)}`,
    rwCommunity: `rw-${randomText(random, B64.slice(0, 62), 12)}`,
  };
}

/** The customer VRF every routing platform carries: its PE-CE link and the CE's address. */
export function customerVrf(id: DeviceIdentity): { name: string; rd: string; local: string; peer: string; peerAs: number } {
  const net = `10.250.${id.index & 0xff}`;
  return { name: 'CUST-A', rd: `${65000 + (id.index % 500)}:100`, local: `${net}.1`, peer: `${net}.2`, peerAs: 65200 };
}

const DESCRIPTIONS = ['uplink to core', 'server rack A', 'printer', 'access point', 'to firewall', 'backup link', 'voice vlan', 'camera', 'spare', 'wan circuit'];
const SITES = ['Berlin DC1', 'Paris POP2', 'London Edge', 'NYC Lab', 'Tokyo R3', 'Sydney Core'];

function bigAcl(lines: string[], indentation: string, entry: (n: number) => string, header: (n: number) => string, bytes: number): void {
  let size = lines.reduce((sum, l) => sum + l.length + 1, 0);
  for (let acl = 1; size < bytes; acl++) {
    lines.push(header(acl));
    for (let n = 1; n <= 1000 && size < bytes; n++) {
      const line = indentation + entry(n);
      lines.push(line);
      size += line.length + 1;
    }
  }
}

function aclEntry(random: Random, n: number, seq: boolean): string {
  const action = random() < 0.8 ? 'permit' : 'deny';
  const proto = pick(random, ['tcp', 'udp', 'ip', 'icmp']);
  const src = `10.${randInt(random, 0, 255)}.${randInt(random, 0, 255)}.0 0.0.0.255`;
  const dst = `host 172.${randInt(random, 16, 31)}.${randInt(random, 0, 255)}.${randInt(random, 1, 254)}`;
  const port = proto === 'tcp' || proto === 'udp' ? ` eq ${pick(random, ['22', '80', '443', '161', '514', '123', '8443'])}` : '';
  return `${seq ? `${n * 10} ` : ''}${action} ${proto} ${src} ${dst}${port}`;
}

export function generateIos(id: DeviceIdentity, flavour: 'ios' | 'xe'): string {
  const g = basics(id);
  const r = g.random;
  const lines: string[] = [
    `version ${flavour === 'xe' ? '17.3' : '15.7'}`,
    'service timestamps debug datetime msec',
    'service timestamps log datetime msec',
    'service password-encryption',
    `hostname ${id.hostname}`,
    'boot-start-marker',
    'boot-end-marker',
    `logging buffered ${pick(r, ['16384', '32768', '65536'])}`,
    `enable secret 5 $1$${randomText(r, B64, 4)}$${randomText(r, B64, 22)}`,
    'aaa new-model',
    'aaa authentication login default local',
    'aaa authorization exec default local',
    'clock timezone UTC 0 0',
    'ip domain name lab.netstacks.test',
    `ip name-server ${g.net(250)}.53`,
    'ip ssh version 2',
    'ip cef',
    'no ip http server',
    'no ip http secure-server',
    `username admin privilege 15 password 7 ${randomText(r, HEX, 14)}`,
    `username netops privilege 15 secret 5 $1$${randomText(r, B64, 4)}$${randomText(r, B64, 22)}`,
    'spanning-tree mode rapid-pvst',
    'spanning-tree extend system-id',
  ];
  lines.push('interface Loopback0', ` description router-id`, ` ip address ${g.loopback} 255.255.255.255`);
  const ports = randInt(r, 24, 48);
  for (let i = 0; i < ports; i++) {
    lines.push(`interface GigabitEthernet0/${i}`);
    if (r() < 0.7) lines.push(` description ${pick(r, DESCRIPTIONS)}`);
    if (i < 4) {
      lines.push(` ip address ${g.net(i)}.1 255.255.255.0`);
      lines.push(' ip ospf network point-to-point');
    } else {
      lines.push(' switchport mode access', ` switchport access vlan ${pick(r, [10, 20, 30, 99])}`, ' spanning-tree portfast');
    }
    if (i >= 4 && r() < 0.3) lines.push(' shutdown');
    lines.push(' negotiation auto');
  }
  for (const vlan of [10, 20, 30, 99]) lines.push(`interface Vlan${vlan}`, ` description vlan ${vlan}`, ` ip address ${g.net(10 + vlan % 7)}.${vlan} 255.255.255.0`);
  const vrf = customerVrf(id);
  lines.push(`vrf definition ${vrf.name}`, ` rd ${vrf.rd}`, ' address-family ipv4', ' exit-address-family');
  lines.push('interface GigabitEthernet0/1.100', ` description ${vrf.name} customer`, ' encapsulation dot1Q 100', ` vrf forwarding ${vrf.name}`, ` ip address ${vrf.local} 255.255.255.252`);
  lines.push('router ospf 1', ` router-id ${g.loopback}`, ' passive-interface default', ' no passive-interface GigabitEthernet0/0');
  for (let i = 0; i < 4; i++) lines.push(` network ${g.net(i)}.0 0.0.0.255 area 0`);
  lines.push(`router bgp ${g.asn}`, ` bgp router-id ${g.loopback}`, ' bgp log-neighbor-changes');
  for (let i = 0; i < randInt(r, 2, 6); i++) lines.push(` neighbor ${g.net(i)}.2 remote-as ${65100 + i}`, ` neighbor ${g.net(i)}.2 description peer-${i}`);
  lines.push(' address-family ipv4');
  for (let i = 0; i < 4; i++) lines.push(`  network ${g.net(i)}.0 mask 255.255.255.0`);
  lines.push(' exit-address-family');
  lines.push(` address-family ipv4 vrf ${vrf.name}`, `  neighbor ${vrf.peer} remote-as ${vrf.peerAs}`, `  neighbor ${vrf.peer} activate`, ' exit-address-family');
  for (let i = 0; i < randInt(r, 8, 20); i++) lines.push(`ip route 172.${16 + (i % 16)}.${i}.0 255.255.255.0 ${g.net(0)}.254`);
  lines.push('ip access-list extended MGMT-IN');
  for (let i = 1; i <= randInt(r, 20, 40); i++) lines.push(` ${aclEntry(r, i, true)}`);
  lines.push('ip access-list standard SNMP-RO', ` permit ${g.net(250)}.0 0.0.0.255`, ' deny any log');
  for (let i = 0; i < 10; i++) lines.push(`access-list 10 permit 10.${i}.0.0 0.0.255.255`);
  lines.push(
    `snmp-server community ${g.community} RO SNMP-RO`,
    `snmp-server community ${g.rwCommunity} RW 10`,
    `snmp-server location ${pick(r, SITES)}`,
    'snmp-server contact noc@netstacks.test',
    `snmp-server host ${g.net(250)}.161 version 2c ${g.community}`,
    'snmp-server enable traps snmp linkdown linkup',
    `logging host ${g.net(250)}.514`,
    `ntp clock-period ${17179000 + randInt(r, 0, 999)}`,
    `ntp server ${g.net(250)}.123 prefer`,
    'ntp server 192.0.2.123',
    'ntp server 198.51.100.123',
    'line con 0',
    ' exec-timeout 15 0',
    ' logging synchronous',
    'line vty 0 4',
    ` password 7 ${randomText(r, HEX, 16)}`,
    ' transport input ssh',
    ' access-class 10 in',
    'line vty 5 15',
    ' transport input ssh',
  );
  if (paddedBytes(id, BIG_CONFIG_BYTES)) bigAcl(lines, ' ', (n) => aclEntry(r, n, true), (n) => `ip access-list extended BIG-ACL-${n}`, paddedBytes(id, BIG_CONFIG_BYTES));
  return lines.join('\n') + '\n';
}

export function generateNxos(id: DeviceIdentity): string {
  const g = basics(id);
  const r = g.random;
  const lines: string[] = [
    `hostname ${id.hostname}`,
    'feature ospf',
    'feature bgp',
    'feature interface-vlan',
    'feature lacp',
    'feature lldp',
    `username admin password 5 $5$${randomText(r, B64, 8)}$${randomText(r, B64, 43)} role network-admin`,
    `username netops password 5 $5$${randomText(r, B64, 8)}$${randomText(r, B64, 43)} role network-operator`,
    'ip domain-lookup',
    `snmp-server community ${g.community} group network-operator`,
    `snmp-server community ${g.rwCommunity} group network-admin`,
    `snmp-server location ${pick(r, SITES)}`,
    `ntp server ${g.net(250)}.123 use-vrf management`,
    'ntp server 192.0.2.123',
    `ip route 0.0.0.0/0 ${g.net(0)}.254`,
  ];
  for (const vlan of [1, 10, 20, 30, 99]) lines.push(`vlan ${vlan}`, ...(vlan > 1 ? [`  name VLAN${vlan}`] : []));
  lines.push('ip access-list MGMT-IN');
  for (let i = 1; i <= randInt(r, 20, 40); i++) lines.push(`  ${aclEntry(r, i, true).replace(/ 0\.0\.0\.255/, '/24').replace(/host /, '')}`);
  lines.push('vrf context management', `  ip route 0.0.0.0/0 ${g.net(250)}.1`);
  const vrf = customerVrf(id);
  lines.push(`vrf context ${vrf.name}`, `  rd ${vrf.rd}`);
  for (const vlan of [10, 20, 30]) lines.push(`interface Vlan${vlan}`, '  no shutdown', `  ip address ${g.net(vlan % 7)}.1/24`);
  lines.push('interface Vlan100', `  description ${vrf.name} customer`, '  no shutdown', `  vrf member ${vrf.name}`, `  ip address ${vrf.local}/30`);
  const ports = randInt(r, 32, 48);
  for (let i = 1; i <= ports; i++) {
    lines.push(`interface Ethernet1/${i}`);
    if (r() < 0.6) lines.push(`  description ${pick(r, DESCRIPTIONS)}`);
    if (i <= 4) lines.push('  no switchport', `  ip address ${g.net(i)}.1/30`, '  ip router ospf 1 area 0.0.0.0');
    else lines.push('  switchport', '  switchport mode access', `  switchport access vlan ${pick(r, [10, 20, 30])}`);
    if (r() < 0.2) lines.push('  shutdown');
  }
  lines.push('interface mgmt0', '  vrf member management', `  ip address ${g.net(250)}.${(id.index % 250) + 2}/24`);
  lines.push('interface loopback0', `  ip address ${g.loopback}/32`);
  lines.push('line console', 'line vty', '  exec-timeout 15');
  lines.push('router ospf 1', `  router-id ${g.loopback}`, `router bgp ${g.asn}`, `  router-id ${g.loopback}`, '  address-family ipv4 unicast');
  for (let i = 0; i < 3; i++) lines.push(`    network ${g.net(i)}.0/24`);
  for (let i = 0; i < randInt(r, 2, 5); i++) lines.push(`  neighbor ${g.net(i)}.2`, `    remote-as ${65100 + i}`, `    description peer-${i}`);
  lines.push(`  vrf ${vrf.name}`, `    neighbor ${vrf.peer}`, `      remote-as ${vrf.peerAs}`, '      address-family ipv4 unicast');
  if (paddedBytes(id, BIG_CONFIG_BYTES)) bigAcl(lines, '  ', (n) => aclEntry(r, n, true), (n) => `ip access-list BIG-ACL-${n}`, paddedBytes(id, BIG_CONFIG_BYTES));
  return lines.join('\n') + '\n';
}

export function generateXr(id: DeviceIdentity): string {
  const g = basics(id);
  const r = g.random;
  const lines: string[] = [
    `hostname ${id.hostname}`,
    'clock timezone UTC UTC',
    'logging console informational',
    `logging ${g.net(250)}.514 vrf default`,
    'domain name lab.netstacks.test',
    'username admin',
    ' group root-lr',
    ' group cisco-support',
    ` secret 10 $6$${randomText(r, B64, 8)}$${randomText(r, B64, 86)}`,
    'username netops',
    ' group netadmin',
    ` secret 5 $1$${randomText(r, B64, 4)}$${randomText(r, B64, 22)}`,
    'line default',
    ' exec-timeout 15 0',
    ' transport input ssh',
    `snmp-server community ${g.community} RO`,
    `snmp-server community ${g.rwCommunity} RW`,
    `snmp-server location ${pick(r, SITES)}`,
    'ntp',
    ` server ${g.net(250)}.123 prefer`,
    ' server 192.0.2.123',
    'ipv4 access-list MGMT-IN',
  ];
  for (let i = 1; i <= randInt(r, 20, 40); i++) lines.push(` ${aclEntry(r, i, true)}`);
  const vrf = customerVrf(id);
  lines.push(`vrf ${vrf.name}`, ' address-family ipv4 unicast', `  import route-target ${vrf.rd}`, `  export route-target ${vrf.rd}`);
  lines.push('interface Loopback0', ` ipv4 address ${g.loopback} 255.255.255.255`);
  lines.push('interface MgmtEth0/RSP0/CPU0/0', ` ipv4 address ${g.net(250)}.${(id.index % 250) + 2} 255.255.255.0`);
  const ports = randInt(r, 16, 32);
  for (let i = 0; i < ports; i++) {
    lines.push(`interface GigabitEthernet0/0/0/${i}`);
    if (r() < 0.6) lines.push(` description ${pick(r, DESCRIPTIONS)}`);
    if (i < 6) lines.push(` ipv4 address ${g.net(i)}.1 255.255.255.252`);
    else lines.push(' shutdown');
  }
  lines.push('router static', ' address-family ipv4 unicast');
  for (let i = 0; i < randInt(r, 5, 15); i++) lines.push(`  172.${16 + (i % 16)}.${i}.0/24 ${g.net(0)}.2`);
  lines.push('router ospf CORE', ` router-id ${g.loopback}`, ' area 0');
  for (let i = 0; i < 4; i++) lines.push(`  interface GigabitEthernet0/0/0/${i}`, '   network point-to-point');
  lines.push(`router bgp ${g.asn}`, ` bgp router-id ${g.loopback}`, ' address-family ipv4 unicast');
  for (let i = 0; i < randInt(r, 2, 5); i++) lines.push(` neighbor ${g.net(i)}.2`, `  remote-as ${65100 + i}`, `  description peer-${i}`, '  address-family ipv4 unicast', '   route-policy PASS in', '   route-policy PASS out');
  lines.push(` vrf ${vrf.name}`, `  rd ${vrf.rd}`, `  neighbor ${vrf.peer}`, `   remote-as ${vrf.peerAs}`, '   address-family ipv4 unicast', '    route-policy PASS in', '    route-policy PASS out');
  lines.push(`interface GigabitEthernet0/0/0/1.100`, ` description ${vrf.name} customer`, ` vrf ${vrf.name}`, ` ipv4 address ${vrf.local} 255.255.255.252`, ' encapsulation dot1q 100');
  lines.push('route-policy PASS', '  pass', 'end-policy');
  lines.push('ssh server v2', 'ssh server vrf default');
  if (paddedBytes(id, BIG_CONFIG_BYTES)) bigAcl(lines, ' ', (n) => aclEntry(r, n, true), (n) => `ipv4 access-list BIG-ACL-${n}`, paddedBytes(id, BIG_CONFIG_BYTES));
  return lines.join('\n') + '\n';
}

export function generateEos(id: DeviceIdentity): string {
  const g = basics(id);
  const r = g.random;
  const lines: string[] = [
    'transceiver qsfp default-mode 4x10G',
    'service routing protocols model multi-agent',
    `hostname ${id.hostname}`,
    'ip domain-name lab.netstacks.test',
    `ip name-server vrf MGMT ${g.net(250)}.53`,
    `ntp server vrf MGMT ${g.net(250)}.123 prefer`,
    'ntp server 192.0.2.123',
    `snmp-server location ${pick(r, SITES)}`,
    `snmp-server community ${g.community} ro`,
    `snmp-server community ${g.rwCommunity} rw`,
    'spanning-tree mode mstp',
    'aaa authorization exec default local',
    `enable password sha512 $6$${randomText(r, B64, 16)}$${randomText(r, B64, 86)}`,
    `username admin privilege 15 role network-admin secret sha512 $6$${randomText(r, B64, 16)}$${randomText(r, B64, 86)}`,
    `username netops privilege 15 role network-operator secret sha512 $6$${randomText(r, B64, 16)}$${randomText(r, B64, 86)}`,
  ];
  for (const vlan of [10, 20, 30, 99]) lines.push(`vlan ${vlan}`, `   name VLAN${vlan}`);
  const vrf = customerVrf(id);
  lines.push('vrf instance MGMT', `vrf instance ${vrf.name}`);
  const ports = randInt(r, 24, 52);
  for (let i = 1; i <= ports; i++) {
    lines.push(`interface Ethernet${i}`);
    if (r() < 0.6) lines.push(`   description ${pick(r, DESCRIPTIONS)}`);
    if (i <= 4) lines.push('   no switchport', `   ip address ${g.net(i)}.1/30`);
    else lines.push(`   switchport access vlan ${pick(r, [10, 20, 30])}`);
    if (r() < 0.2) lines.push('   shutdown');
  }
  lines.push('interface Loopback0', `   ip address ${g.loopback}/32`);
  lines.push('interface Vlan100', `   description ${vrf.name} customer`, `   vrf ${vrf.name}`, `   ip address ${vrf.local}/30`);
  lines.push('interface Management1', '   vrf MGMT', `   ip address ${g.net(250)}.${(id.index % 250) + 2}/24`);
  lines.push('ip access-list MGMT-IN');
  for (let i = 1; i <= randInt(r, 20, 40); i++) lines.push(`   ${aclEntry(r, i, true).replace(/ 0\.0\.0\.255/, '/24')}`);
  lines.push('ip routing', 'no ip routing vrf MGMT');
  for (let i = 0; i < randInt(r, 5, 15); i++) lines.push(`ip route 172.${16 + (i % 16)}.${i}.0/24 ${g.net(1)}.2`);
  lines.push(`ip route vrf MGMT 0.0.0.0/0 ${g.net(250)}.1`);
  lines.push(`router bgp ${g.asn}`, `   router-id ${g.loopback}`, '   maximum-paths 4 ecmp 4');
  for (let i = 0; i < randInt(r, 2, 5); i++) lines.push(`   neighbor ${g.net(i)}.2 remote-as ${65100 + i}`, `   neighbor ${g.net(i)}.2 description peer-${i}`);
  lines.push(`   vrf ${vrf.name}`, `      rd ${vrf.rd}`, `      neighbor ${vrf.peer} remote-as ${vrf.peerAs}`);
  lines.push(`ip routing vrf ${vrf.name}`);
  lines.push('router ospf 1', `   router-id ${g.loopback}`, `   network ${g.net(1)}.0/24 area 0.0.0.0`, '   max-lsa 12000');
  lines.push('management api http-commands', '   no shutdown', 'management ssh', '   idle-timeout 15');
  if (paddedBytes(id, BIG_CONFIG_BYTES)) bigAcl(lines, '   ', (n) => aclEntry(r, n, true), (n) => `ip access-list BIG-ACL-${n}`, paddedBytes(id, BIG_CONFIG_BYTES));
  return lines.join('\n') + '\n';
}

export function generateProcurve(id: DeviceIdentity): string {
  const g = basics(id);
  const r = g.random;
  const ports = randInt(r, 24, 48);
  const lines: string[] = [
    `hostname "${id.hostname}"`,
    'module 1 type j9727a',
    'console idle-timeout 900',
    'timesync sntp',
    'sntp unicast',
    `sntp server priority 1 ${g.net(250)}.123`,
    'time timezone 0',
    `ip default-gateway ${g.net(250)}.1`,
    'ip authorized-managers 10.0.0.0 255.0.0.0 access manager',
    'ip ssh',
    'no telnet-server',
    'no web-management',
    `snmp-server community "${g.community}" operator`,
    `snmp-server community "${g.rwCommunity}" manager unrestricted`,
    `snmp-server location "${pick(r, SITES)}"`,
    'snmp-server contact "noc@netstacks.test"',
    `logging ${g.net(250)}.514`,
    'ip access-list extended "MGMT-IN"',
  ];
  for (let i = 1; i <= randInt(r, 15, 30); i++) lines.push(`   ${aclEntry(r, i, true)}`);
  for (let i = 1; i <= ports; i++) {
    lines.push(`interface ${i}`);
    if (r() < 0.5) lines.push(`   name "${pick(r, DESCRIPTIONS)}"`);
    if (r() < 0.2) lines.push('   disable');
  }
  lines.push('vlan 1', '   name "DEFAULT_VLAN"', `   untagged 1-${ports}`, '   ip address dhcp-bootp');
  for (const vlan of [10, 20, 99]) lines.push(`vlan ${vlan}`, `   name "VLAN${vlan}"`, `   tagged ${ports - 1}-${ports}`, `   ip address ${g.net(vlan % 7)}.${vlan} 255.255.255.0`);
  lines.push('spanning-tree', 'spanning-tree priority 4');
  lines.push(`password manager user-name "admin" sha1 "${randomText(r, HEX, 40).toLowerCase()}"`, `password operator user-name "operator" sha1 "${randomText(r, HEX, 40).toLowerCase()}"`);
  if (paddedBytes(id, BIG_CONFIG_BYTES)) bigAcl(lines, '   ', (n) => aclEntry(r, n, true), (n) => `ip access-list extended "BIG-ACL-${n}"`, paddedBytes(id, BIG_CONFIG_BYTES));
  return lines.join('\n') + '\n';
}

export function generateAoscx(id: DeviceIdentity): string {
  const g = basics(id);
  const r = g.random;
  const lines: string[] = [
    `hostname ${id.hostname}`,
    `user admin group administrators password ciphertext AQBapX${randomText(r, B64.slice(0, 62), 120)}`,
    `user netops group operators password ciphertext AQBapY${randomText(r, B64.slice(0, 62), 120)}`,
    'clock timezone utc',
    `ntp server ${g.net(250)}.123 iburst`,
    'ntp enable',
    `snmp-server community ${g.community}`,
    `snmp-server system-location ${pick(r, SITES).replace(/ /g, '-')}`,
    'ssh server vrf mgmt',
    `logging ${g.net(250)}.514 vrf mgmt`,
    'access-list ip MGMT-IN',
  ];
  for (let i = 1; i <= randInt(r, 15, 30); i++) lines.push(`    ${aclEntry(r, i, true).replace(/ 0\.0\.0\.255/, '/255.255.255.0').replace(/host /, '').replace(/ eq /, ' eq ')}`);
  for (const vlan of [1, 10, 20, 99]) lines.push(`vlan ${vlan}`, ...(vlan > 1 ? [`    name VLAN${vlan}`] : []));
  lines.push('spanning-tree');
  lines.push('interface mgmt', '    no shutdown', `    ip static ${g.net(250)}.${(id.index % 250) + 2}/24`);
  const ports = randInt(r, 24, 48);
  for (let i = 1; i <= ports; i++) {
    lines.push(`interface 1/1/${i}`);
    lines.push(r() < 0.2 ? '    shutdown' : '    no shutdown');
    if (r() < 0.6) lines.push(`    description ${pick(r, DESCRIPTIONS)}`);
    if (i <= 2) lines.push('    routing', `    ip address ${g.net(i)}.1/30`);
    else lines.push('    no routing', `    vlan access ${pick(r, [10, 20, 99])}`);
  }
  lines.push('interface loopback 0', `    ip address ${g.loopback}/32`);
  for (const vlan of [10, 20]) lines.push(`interface vlan ${vlan}`, `    ip address ${g.net(vlan % 7)}.1/24`);
  const vrf = customerVrf(id);
  lines.push(`vrf ${vrf.name}`, `    rd ${vrf.rd}`);
  lines.push('interface vlan 100', `    description ${vrf.name} customer`, `    vrf attach ${vrf.name}`, `    ip address ${vrf.local}/30`);
  for (let i = 0; i < randInt(r, 4, 10); i++) lines.push(`ip route 172.${16 + (i % 16)}.${i}.0/24 ${g.net(1)}.2`);
  lines.push('router ospf 1', `    router-id ${g.loopback}`, '    area 0.0.0.0');
  lines.push('https-server vrf mgmt');
  if (paddedBytes(id, BIG_CONFIG_BYTES)) bigAcl(lines, '    ', (n) => aclEntry(r, n, true), (n) => `access-list ip BIG-ACL-${n}`, paddedBytes(id, BIG_CONFIG_BYTES));
  return lines.join('\n') + '\n';
}
