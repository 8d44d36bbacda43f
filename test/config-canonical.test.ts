import { describe, expect, it } from 'vitest';
import { configModelFor, formatVlanList, parseVlanList } from '../src/config/index.js';

/** Canonical forms per platform: what a template writes and what the device prints compare equal. */
const ios = configModelFor('cisco_ios');
const nxos = configModelFor('cisco_nxos');
const eos = configModelFor('arista_eos');
const xr = configModelFor('cisco_xr');
const comware = configModelFor('hp_comware');
const junos = configModelFor('juniper_junos');
const vyos = configModelFor('vyos');

describe('interface names', () => {
  it.each([
    [ios, 'interface Gi0/1', 'interface GigabitEthernet0/1'],
    [ios, 'interface gi 0/1', 'interface GigabitEthernet0/1'],
    [ios, 'interface Te1/0/1', 'interface TenGigabitEthernet1/0/1'],
    [ios, 'interface Po10', 'interface Port-channel10'],
    [ios, 'interface Fa0/1.100', 'interface FastEthernet0/1.100'],
    [ios, 'interface Twe1/0/1', 'interface TwentyFiveGigE1/0/1'],
    [ios, 'interface Tw1/0/1', 'interface TwoGigabitEthernet1/0/1'],
    [ios, 'ntp source Lo0', 'ntp source Loopback0'],
    [ios, 'ip route 0.0.0.0 0.0.0.0 Gi0/0 10.0.0.1', 'ip route 0.0.0.0 0.0.0.0 GigabitEthernet0/0 10.0.0.1'],
    [nxos, 'interface Eth1/1', 'interface Ethernet1/1'],
    [nxos, 'interface Po10', 'interface port-channel10'],
    [nxos, 'interface Port-channel10', 'interface port-channel10'],
    [nxos, 'interface Lo0', 'interface loopback0'],
    [eos, 'interface Et1', 'interface Ethernet1'],
    [eos, 'interface Po1', 'interface Port-Channel1'],
    [eos, 'interface Ma1', 'interface Management1'],
    [xr, 'interface Gi0/0/0/0', 'interface GigabitEthernet0/0/0/0'],
    [xr, 'interface Te0/0/0/1', 'interface TenGigE0/0/0/1'],
    [xr, 'interface Hu0/0/0/1', 'interface HundredGigE0/0/0/1'],
    [xr, 'interface BE10', 'interface Bundle-Ether10'],
    [xr, 'interface Mg0/RSP0/CPU0/0', 'interface MgmtEth0/RSP0/CPU0/0'],
    [comware, 'interface GE1/0/1', 'interface GigabitEthernet1/0/1'],
    [comware, 'interface XGE1/0/49', 'interface Ten-GigabitEthernet1/0/49'],
    [comware, 'interface Vlan-int10', 'interface Vlan-interface10'],
  ])('%#: %s compares as %s', (model, typed, printed) => {
    expect(model.canonical(typed)).toBe(model.canonical(printed));
    expect(model.canonical(typed)).toBe(printed);
  });

  it('leaves words that only look like interfaces alone', () => {
    for (const line of ['ip address 10.0.0.1 255.255.255.0', 'ipv6 address fe80::1 link-local', 'ntp authentication-key 1 md5', 'set dscp af11', 'snmp-server enable traps', 'logging host 10.0.0.5 vrf Mgmt-vrf'])
      expect(ios.canonical(line)).toBe(line);
  });

  it('an abbreviated interface section in a template is idempotent against the device form', () => {
    const running = 'interface GigabitEthernet0/1\n description uplink\n shutdown\ninterface Port-channel1\n description bundle\n';
    expect(ios.remediation(running, 'int gi0/1\n desc uplink\n shut\ninterface po1\n description bundle\n').commands).toEqual([]);
    expect(ios.missing(running, 'interface Gi0/1\n desc uplink\n')).toEqual([]);
    // a physical port reached by its abbreviation is still reset, never negated
    expect(ios.remediation(running, 'interface Gi0/3\n description new\n').rollback).toEqual(['default interface GigabitEthernet0/3']);
  });
});

describe('keyword abbreviations', () => {
  it.each([
    ['no shut', 'no shutdown'],
    ['shut', 'shutdown'],
    ['desc core link', 'description core link'],
    ['ip add 10.0.0.1 255.255.255.0', 'ip address 10.0.0.1 255.255.255.0'],
    ['sw mo access', 'switchport mode access'],
    ['sw acc vlan 10', 'switchport access vlan 10'],
    ['int Gi0/2', 'interface GigabitEthernet0/2'],
  ])('%s = %s', (typed, printed) => {
    expect(ios.canonical(typed)).toBe(printed);
  });

  it('does not expand a different command that starts the same way', () => {
    expect(ios.canonical('service timestamps log datetime')).toBe('service timestamps log datetime');
    expect(ios.canonical('ip domain-lookup')).toBe('ip domain-lookup');
  });
});

describe('ACL sequence numbers (EOS and NX-OS number entries typed without one)', () => {
  for (const [name, model, running] of [
    ['eos', eos, 'ip access-list MGMT\n   10 permit ip 10.0.0.0/8 any\n   20 deny ip any any log\n'],
    ['nxos', nxos, 'ip access-list MGMT\n  10 permit ip 10.0.0.0/8 any\n  20 deny ip any any log\n'],
  ] as const) {
    it(`${name}: an unnumbered intended ACL matches the numbered one`, () => {
      const intended = 'ip access-list MGMT\n permit ip 10.0.0.0/8 any\n deny ip any any log\n';
      expect(model.remediation(running, intended).commands).toEqual([]);
      expect(model.missing(running, intended)).toEqual([]);
      expect(model.missing(running, 'ip access-list MGMT\n permit ip 192.168.0.0/16 any\n')).toEqual([{ parents: ['ip access-list MGMT'], line: 'permit ip 192.168.0.0/16 any' }]);
    });
  }
});

describe('VLAN ranges', () => {
  it('parses and formats lists', () => {
    expect(parseVlanList('12,10-11,20')).toEqual([10, 11, 12, 20]);
    expect(formatVlanList([10, 11, 12, 20, 22, 23])).toBe('10-12,20,22-23');
    expect(parseVlanList('all')).toBeUndefined();
  });

  it('`vlan 10-12` is vlan 10, 11 and 12 (NX-OS prints a summary line, then named VLANs)', () => {
    const running = 'vlan 1,10-12\nvlan 10\n  name users\n';
    expect(nxos.remediation(running, 'vlan 10-12\n').commands).toEqual([]);
    expect(nxos.remediation(running, 'vlan 11-13\n').commands).toEqual(['vlan 13']);
    expect(nxos.missing(running, 'vlan 10\n  name users\nvlan 12\n')).toEqual([]);
    expect(nxos.missing(running, 'vlan 12-14\n')).toEqual([
      { parents: [], line: 'vlan 13' },
      { parents: [], line: 'vlan 14' },
    ]);
  });

  it('allowed-VLAN lists compare by their members', () => {
    const running = 'interface Ethernet1/1\n  switchport trunk allowed vlan 10-12,20\n';
    expect(nxos.remediation(running, 'interface Eth1/1\n  switchport trunk allowed vlan 20,10,11,12\n').commands).toEqual([]);
    expect(nxos.remediation(running, 'interface Eth1/1\n  switchport trunk allowed vlan 10-12\n').commands).toEqual(['interface Ethernet1/1', '  switchport trunk allowed vlan 10-12']);
    expect(nxos.missing(running, 'interface Eth1/1\n  switchport trunk allowed vlan add 11,20\n')).toEqual([]);
    expect(nxos.missing(running, 'interface Eth1/1\n  switchport trunk allowed vlan add 30\n')).toHaveLength(1);
  });

  it('`allowed vlan add N` is idempotent against the list the device prints, and rolled back with `remove`', () => {
    const running = 'interface Ethernet1/1\n  switchport trunk allowed vlan 10-12,20\n';
    expect(nxos.remediation(running, 'interface Eth1/1\n  switchport trunk allowed vlan add 11,20\n').commands).toEqual([]);
    const r = nxos.remediation(running, 'interface Eth1/1\n  switchport trunk allowed vlan add 30\n');
    expect(r.commands).toEqual(['interface Ethernet1/1', '  switchport trunk allowed vlan add 30']);
    expect(r.rollback).toEqual(['interface Ethernet1/1', '  switchport trunk allowed vlan remove 30']);
    // what a post-check looks up in the config the device prints afterwards
    const after = nxos.parse('interface Ethernet1/1\n  switchport trunk allowed vlan 10-12,20,30\n');
    const section = after.get(nxos.canonical('interface Eth1/1'))!;
    expect(section.get(nxos.canonical('switchport trunk allowed vlan add 30'))?.text).toBe('switchport trunk allowed vlan 10-12,20,30');
  });
});

describe('secrets the device shows hashed', () => {
  it.each([
    [ios, 'username admin privilege 15 secret 9 $9$abcdef', 'username admin privilege 15 secret Sup3r'],
    [ios, 'enable secret 9 $9$xyz', 'enable secret lab-enable'],
    [ios, 'line vty 0 4\n password 7 0822455D0A16\n', 'line vty 0 4\n password cisco\n'],
    [ios, 'router bgp 1\n neighbor 10.0.0.2 password 7 0822455D0A16\n', 'router bgp 1\n neighbor 10.0.0.2 password s3cret\n'],
    [ios, 'snmp-server community 7 0822455D0A16 RO\n', 'snmp-server community public RO\n'],
    [eos, 'username admin privilege 15 role network-admin secret sha512 $6$abc\n', 'username admin privilege 15 role network-admin secret s3cret\n'],
    [nxos, 'username admin password 5 $5$abc role network-admin\n', 'username admin password s3cret role network-admin\n'],
    [xr, 'username admin\n secret 10 $6$abc\n', 'username admin\n secret s3cret\n'],
    [junos, 'set system login user admin authentication encrypted-password "$6$abc"\n', 'set system login user admin authentication plain-text-password-value s3cret\n'],
    [junos, 'set protocols bgp group G neighbor 10.0.0.2 authentication-key "$9$abc"\n', 'set protocols bgp group G neighbor 10.0.0.2 authentication-key s3cret\n'],
    [configModelFor('fortinet'), 'config system admin\n    edit "admin"\n        set password ENC SH2abcdef\n    next\nend\n', 'config system admin\n    edit "admin"\n        set password s3cret\n    next\nend\n'],
    [vyos, "set system login user vyos authentication encrypted-password '$6$abc'\n", 'set system login user vyos authentication plaintext-password s3cret\n'],
  ])('%#: present by its key, never re-pushed', (model, running, intended) => {
    expect(model.missing(running, intended)).toEqual([]);
    expect(model.remediation(running, intended).commands).toEqual([]);
  });

  it('a lookup by key finds the hashed line the device prints (what a post-check does)', () => {
    const tree = ios.parse('snmp-server community 7 0822455D0A16 RO\nusername admin privilege 15 secret 9 $9$abc\n');
    expect(tree.get(ios.canonical('snmp-server community public RO'))?.text).toBe('snmp-server community 7 0822455D0A16 RO');
    expect(tree.get(ios.canonical('username admin privilege 15 secret s3cret'))).toBeDefined();
    expect(tree.get(ios.canonical('snmp-server community public RW'))).toBeUndefined();
  });

  it('two clear SNMP communities are two lines', () => {
    expect(ios.remediation('snmp-server community public RO\n', 'snmp-server community private RO\n').commands).toEqual(['snmp-server community private RO']);
    expect(ios.missing('snmp-server community public RO\n', 'snmp-server community private RO\n')).toHaveLength(1);
  });
});

describe('missing lines', () => {
  const running = 'hostname r1\ninterface GigabitEthernet0/1\n description uplink\nrouter bgp 65000\n neighbor 10.0.0.2 remote-as 65001\n address-family ipv4 unicast\n  neighbor 10.0.0.2 activate\n';

  it('lists missing lines with the sections above them, a missing section with all its lines', () => {
    const intended = 'router bgp 65000\n neighbor 10.0.0.2 remote-as 65001\n address-family ipv4 unicast\n  neighbor 10.0.0.2 activate\n  network 10.10.0.0 mask 255.255.255.0\ninterface Loopback9\n description x\n';
    expect(ios.missing(running, intended)).toEqual([
      { parents: ['router bgp 65000', 'address-family ipv4 unicast'], line: 'network 10.10.0.0 mask 255.255.255.0' },
      { parents: [], line: 'interface Loopback9' },
      { parents: ['interface Loopback9'], line: 'description x' },
    ]);
  });

  it('a negation is present when what it removes is absent, or printed as such', () => {
    expect(ios.missing(running, 'no ip domain-lookup\ninterface Gi0/1\n no shutdown\n')).toEqual([]);
    expect(ios.missing(running, 'no hostname r1\n')).toEqual([{ parents: [], line: 'no hostname r1' }]);
    expect(junos.missing('set system ntp server 10.0.0.1\n', 'delete system ntp server 10.0.0.2\n')).toEqual([]);
    expect(junos.missing('set system ntp server 10.0.0.1\n', 'delete system ntp\n')).toEqual([{ parents: [], line: 'delete system ntp' }]);
  });
});

describe('order across sections', () => {
  it('prefix-lists and ACLs before the route-maps that match them, route-maps before what applies them', () => {
    const intended = [
      'router bgp 65000',
      ' neighbor 10.0.0.2 route-map RM-IN in',
      'route-map RM-IN permit 10',
      ' match ip address prefix-list PL-IN',
      'ip prefix-list PL-IN seq 5 permit 10.0.0.0/8',
    ].join('\n');
    const r = ios.remediation('', intended);
    expect(r.commands.filter((c) => !c.startsWith(' '))).toEqual(['ip prefix-list PL-IN seq 5 permit 10.0.0.0/8', 'route-map RM-IN permit 10', 'router bgp 65000']);
    // rollback: the reference goes first, then the route-map, then the prefix-list it names
    expect(r.rollback.filter((c) => !c.startsWith(' '))).toEqual(['no router bgp 65000', 'no route-map RM-IN permit 10', 'no ip prefix-list PL-IN seq 5 permit 10.0.0.0/8']);
  });

  it('FortiOS: addresses before the groups and policies that use them, removed after them', () => {
    const fortios = configModelFor('fortinet');
    const intended = [
      'config firewall policy',
      '    edit 1',
      '        set srcaddr "GRP"',
      '    next',
      'end',
      'config firewall addrgrp',
      '    edit "GRP"',
      '        set member "H1"',
      '    next',
      'end',
      'config firewall address',
      '    edit "H1"',
      '        set subnet 10.0.0.1 255.255.255.255',
      '    next',
      'end',
    ].join('\n');
    const r = fortios.remediation('', intended, { mode: 'replace' });
    expect(r.commands.filter((c) => c.startsWith('config '))).toEqual(['config firewall address', 'config firewall addrgrp', 'config firewall policy']);
    expect(r.rollback.filter((c) => c.startsWith('config '))).toEqual(['config firewall policy', 'config firewall addrgrp', 'config firewall address']);
  });

  it('class-maps before the policy-maps that use them, and removed after them', () => {
    const r = ios.remediation('', 'policy-map P\n class C\n  police 1000000\nclass-map match-any C\n match access-group name A\nip access-list extended A\n permit ip any any\n', { mode: 'replace' });
    expect(r.commands.filter((c) => !c.startsWith(' '))).toEqual(['ip access-list extended A', 'class-map match-any C', 'policy-map P']);
    expect(r.rollback).toEqual(['no policy-map P', 'no class-map match-any C', 'no ip access-list extended A']);
  });

  it('an owned ACL that guards the VTY lines is changed in place, never removed and re-added', () => {
    const running = 'ip access-list standard MGMT\n permit 10.0.0.0 0.255.255.255\n deny any log\nline vty 0 4\n access-class MGMT in\n transport input ssh\n';
    const intended = 'ip access-list standard MGMT\n permit 192.168.0.0 0.0.255.255\n permit 10.0.0.0 0.255.255.255\n deny any log\n';
    const r = ios.remediation(running, intended, { owned: [['ip access-list standard MGMT']] });
    expect(r.commands).not.toContain('no ip access-list standard MGMT');
    expect(r.commands).toEqual(['ip access-list standard MGMT', ' permit 192.168.0.0 0.0.255.255']);
    // the same ACL without the VTY reference is an ordinary ordered section: re-created in order
    const plain = ios.remediation(running.replace(/line vty[^]*$/, ''), intended, { owned: [['ip access-list standard MGMT']] });
    expect(plain.commands[0]).toBe('no ip access-list standard MGMT');
  });

  it('numbered management entries: the new entry goes in before the old one goes out', () => {
    const running = 'ip access-list extended VTY\n 10 permit tcp 10.0.0.0 0.255.255.255 any eq 22\n 20 deny ip any any\nline vty 0 4\n access-class VTY in\n';
    const intended = 'ip access-list extended VTY\n 15 permit tcp 192.168.0.0 0.0.255.255 any eq 22\n 20 deny ip any any\n';
    const r = ios.remediation(running, intended, { owned: [['ip access-list extended VTY']] });
    expect(r.commands).toEqual(['ip access-list extended VTY', ' 15 permit tcp 192.168.0.0 0.0.255.255 any eq 22', ' no 10 permit tcp 10.0.0.0 0.255.255.255 any eq 22']);
    expect(ios.compare(ios.apply(running, r.push.join('\n')), ios.target(ios.parse(running), ios.parse(intended), { owned: [['ip access-list extended VTY']] }))).toEqual([]);
  });
});
