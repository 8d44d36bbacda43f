import { describe, expect, it } from 'vitest';
import { configModelFor } from '../src/config/index.js';

const ios = configModelFor('cisco_ios');
const junos = configModelFor('juniper_junos');
const fortios = configModelFor('fortinet');

const RUNNING = `hostname r1
interface GigabitEthernet0/1
 description old
 ip address 10.0.0.1 255.255.255.0
 ip ospf cost 10
 no shutdown
router bgp 65001
 neighbor 10.0.0.2 remote-as 65002
 address-family ipv4
  neighbor 10.0.0.2 activate
ip access-list extended MGMT
 10 permit tcp 10.0.0.0 0.0.0.255 any eq 22
 20 deny ip any any
ntp server 10.0.0.10
ntp server 10.0.0.11
`;

describe('merge mode (the default): only what the intended config says', () => {
  it('a template that sets one description touches nothing else on that interface', () => {
    const r = ios.remediation(RUNNING, 'interface GigabitEthernet0/1\n description new\n');
    expect(r.commands).toEqual(['interface GigabitEthernet0/1', ' description new']);
    expect(r.rollback).toEqual(['interface GigabitEthernet0/1', ' description old']);
  });

  it('interface abbreviations and `no shut` compare equal to the device form', () => {
    expect(ios.remediation(RUNNING, 'interface Gi0/1\n no shut\n description old\n').commands).toEqual([]);
  });

  it('adds a BGP neighbour inside an address family at any depth', () => {
    const r = ios.remediation(RUNNING, 'router bgp 65001\n neighbor 10.0.0.3 remote-as 65003\n address-family ipv4\n  neighbor 10.0.0.3 activate\n');
    expect(r.commands).toEqual(['router bgp 65001', ' neighbor 10.0.0.3 remote-as 65003', ' address-family ipv4', '  neighbor 10.0.0.3 activate']);
    expect(r.push).toEqual(['router bgp 65001', ' neighbor 10.0.0.3 remote-as 65003', ' address-family ipv4', '  neighbor 10.0.0.3 activate', '  exit', ' exit']);
    expect(r.rollback).toEqual(['router bgp 65001', ' no neighbor 10.0.0.3 remote-as 65003', ' address-family ipv4', '  no neighbor 10.0.0.3 activate']);
  });

  it('removes lines deployed before and no longer rendered (stale), and only those', () => {
    const r = ios.remediation(RUNNING, 'ntp server 10.0.0.10\n', { stale: [['ntp server 10.0.0.11']] });
    expect(r.commands).toEqual(['no ntp server 10.0.0.11']);
    const nested = ios.remediation(RUNNING, '', { stale: [['interface GigabitEthernet0/1', 'ip ospf cost 10']] });
    expect(nested.commands).toEqual(['interface GigabitEthernet0/1', ' no ip ospf cost 10']);
  });

  it('an owned section is made exactly the intended one', () => {
    const r = ios.remediation(RUNNING, 'ip access-list extended MGMT\n 10 permit tcp 10.0.0.0 0.0.0.255 any eq 22\n 15 permit tcp 10.1.0.0 0.0.0.255 any eq 22\n', {
      owned: [['ip access-list extended MGMT']],
    });
    // entries are placed by sequence number, so the section is changed in place, never re-created
    expect(r.commands).toEqual(['ip access-list extended MGMT', ' no 20 deny ip any any', ' 15 permit tcp 10.1.0.0 0.0.0.255 any eq 22']);
  });

  it('an owned line prefix (`ntp server`) makes those lines exactly the intended ones', () => {
    const r = ios.remediation(RUNNING, 'ntp server 10.0.0.12\n', { owned: [['ntp server']] });
    expect(r.commands).toEqual(['no ntp server 10.0.0.10', 'no ntp server 10.0.0.11', 'ntp server 10.0.0.12']);
  });

  it('replace mode removes whatever the intended config lacks, whole sections with one negation', () => {
    const r = ios.remediation(RUNNING, 'hostname r1\n', { mode: 'replace' });
    expect(r.commands).toEqual(['default interface GigabitEthernet0/1', 'no router bgp 65001', 'no ntp server 10.0.0.10', 'no ntp server 10.0.0.11', 'no ip access-list extended MGMT']);
  });
});

describe('ordering', () => {
  it('a definition is added before the lines that refer to it, and removed after them', () => {
    const intended = 'interface GigabitEthernet0/2\n ip access-group EDGE in\nip access-list extended EDGE\n 10 permit ip any any\n';
    const r = ios.remediation('', intended, { mode: 'replace' });
    expect(r.commands).toEqual(['ip access-list extended EDGE', ' 10 permit ip any any', 'interface GigabitEthernet0/2', ' ip access-group EDGE in']);
    expect(r.rollback).toEqual(['default interface GigabitEthernet0/2', 'no ip access-list extended EDGE']);
  });

  it('an unnumbered ordered section whose order changes is replaced whole', () => {
    const running = 'ip access-list standard A\n permit 10.0.0.1\n deny any\n';
    const intended = 'ip access-list standard A\n permit 10.0.0.2\n permit 10.0.0.1\n deny any\n';
    const r = ios.remediation(running, intended, { mode: 'replace' });
    expect(r.commands).toEqual(['no ip access-list standard A', 'ip access-list standard A', ' permit 10.0.0.2', ' permit 10.0.0.1', ' deny any']);
    expect(ios.compare(ios.apply(running, r.push.join('\n')), ios.parse(intended))).toEqual([]);
  });
});

describe('parsing', () => {
  it('keeps a multi-line banner as one line and skips comments and `end`', () => {
    const tree = ios.parse('!\nbanner motd ^C\nAuthorised # access > only\n^C\nhostname r1\nend\n');
    expect(tree.children.map((c) => c.text)).toEqual(['banner motd ^C\nAuthorised # access > only\n^C', 'hostname r1']);
    expect(ios.remediation('hostname r1\n', 'hostname r1\nbanner motd ^C\nhello\n^C\n', { mode: 'replace' }).rollback).toEqual(['no banner motd']);
  });

  it('reads IOS-XR `!`-terminated blocks', () => {
    const xr = configModelFor('cisco_xr');
    const tree = xr.parse('router bgp 1\n neighbor 10.0.0.2\n  remote-as 2\n !\n!\nntp\n server 10.0.0.1\n!\n');
    expect(xr.render(tree)).toEqual(['router bgp 1', ' neighbor 10.0.0.2', '  remote-as 2', 'ntp', ' server 10.0.0.1']);
  });

  it('reads Junos brace configs as set lines, and deletes a removed subtree once', () => {
    const braces = 'system {\n    host-name j1;\n    ntp {\n        server 10.0.0.1;\n        server 10.0.0.2;\n    }\n}\n';
    const r = junos.remediation(braces, 'set system host-name j2\n', { mode: 'replace' });
    expect(r.commands).toEqual(['delete system ntp', 'set system host-name j2']);
  });

  it('hashed secrets count as present when their key is there', () => {
    const r = ios.remediation('username admin privilege 15 secret 9 $9$abc\n', 'username admin privilege 15 secret s3cret\n');
    expect(r.commands).toEqual([]);
  });

  it('FortiOS: edits close with next, tables with end, entries are deleted by name', () => {
    const running = 'config system interface\n    edit "port1"\n        set description "a"\n    next\n    edit "port2"\n    next\nend\n';
    const r = fortios.remediation(running, 'config system interface\n    edit "port1"\n        set description "b"\n    next\nend\n', { mode: 'replace' });
    expect(r.commands).toEqual(['config system interface', '    delete "port2"', '    edit "port1"', '        set description "b"', '    next', 'end']);
  });
});

describe('platforms without a model', () => {
  it('linux refuses clearly', () => {
    expect(() => configModelFor('linux')).toThrow(/has no configuration model/);
  });
});
