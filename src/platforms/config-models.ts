import type { ConfigModelRules } from '../config/types.js';

/**
 * Configuration-model rules (src/config) per platform family: which lines are single-valued,
 * which sections are ordered or referred to, and how a line is negated. Data only.
 */

/**
 * Rewrites before lines are compared (canonical forms beyond interface names and keywords).
 * EOS and NX-OS number ACL entries typed without a number: entries compare by their body.
 */
const IOS_CANONICAL: ConfigModelRules['canonical'] = [{ pattern: '^\\d+ (?=(?:permit|deny|remark) )', replace: '' }];

/** Interface names as each OS prints them, preferred first where an abbreviation is ambiguous. */
const IOS_INTERFACES = [
  'GigabitEthernet',
  'TenGigabitEthernet',
  'FastEthernet',
  'FortyGigabitEthernet',
  'TwoGigabitEthernet',
  'TwentyFiveGigE',
  'FiveGigabitEthernet',
  'HundredGigE',
  'AppGigabitEthernet',
  'Ethernet',
  'Port-channel',
  'Loopback',
  'Vlan',
  'Tunnel',
  'Serial',
  'Null',
  'BDI',
  'Dialer',
];
const NXOS_INTERFACES = ['Ethernet', 'port-channel', 'loopback', 'Vlan', 'mgmt', 'Tunnel', 'nve', 'Null'];
const EOS_INTERFACES = ['Ethernet', 'Port-Channel', 'Management', 'Loopback', 'Vlan', 'Vxlan', 'Tunnel', 'Null'];
const XR_INTERFACES = [
  'GigabitEthernet',
  'TenGigE=Te',
  'TwentyFiveGigE=TF',
  'FortyGigE=Fo',
  'HundredGigE=Hu',
  'FourHundredGigE=FH',
  'Bundle-Ether=BE',
  'MgmtEth=Mg',
  'Loopback',
  'tunnel-ip',
  'Null',
  'BVI',
];
const COMWARE_INTERFACES = [
  'GigabitEthernet=GE',
  'Ten-GigabitEthernet=XGE',
  'M-GigabitEthernet=MGE',
  'Vlan-interface=Vlan-int,Vlanif',
  'LoopBack',
  'Bridge-Aggregation=BAGG',
  'NULL',
];

/** Command phrases devices print in full, whatever abbreviation the template used. */
const IOS_KEYWORDS = [
  'interface',
  'description:4',
  'shutdown:4',
  'ip address',
  'ipv6 address',
  'switchport:2',
  'switchport:2 mode:2',
  'switchport:2 access:3 vlan',
  'switchport:2 trunk:2 allowed:2 vlan',
  'switchport:2 trunk:2 native:3 vlan',
  'switchport:2 trunk:2 encapsulation:3',
  'channel-group',
  'hostname',
  'spanning-tree',
];

/** Lines carrying a VLAN list, and lines that stand for one VLAN each. */
const VLAN_LISTS = ['^(switchport trunk allowed vlan )(\\S+)$', '^(switchport trunk allowed vlan (?:add|remove|except) )(\\S+)$', '^(vlan )(\\S+)$'];
const VLAN_RANGES = ['^(vlan )([\\d,-]+)$'];

/** Definitions that refer to other definitions: route-maps and class-maps, then policy-maps. */
const IOS_DEFINITION_TIERS = ['^(?:route-map|class-map|route-policy) ', '^policy-map '];

/** Management access: the VTY lines and management interfaces, and the ACLs they apply. */
const IOS_MANAGEMENT = {
  sections: [
    '^line (?:vty|con|aux|default)',
    '^interface (?:mgmt\\d|Management\\d|MgmtEth|GigabitEthernet0$|FastEthernet0$|M-GigabitEthernet)',
    '^management (?:ssh|api|telnet)',
    '^ssh server',
    '^(?:control-plane)',
  ],
  references: ['(?:^|\\s)access-class (?:ipv4 |ipv6 )?(\\S+)', '^ip access-group (\\S+)', '^(?:ipv4 |ipv6 )?access-group (?:ipv4 |ipv6 )?(\\S+)', '^access-list (?:ipv4 |ipv6 )?(\\S+)'],
};

/** Values the device shows hashed (`secret 9 …`): a line is present when its key is there. */
const IOS_SECRETS = [
  '^(username \\S+(?: privilege \\d+)? (?:secret|password))\\s',
  '^(enable (?:secret|password))\\s',
  '^(neighbor \\S+ password)\\s',
  '^(key-string)\\s',
  '^((?:tacacs|radius)-server key)\\s',
  '^(key \\d+)\\s',
  '^(username \\S+(?: privilege \\d+| role \\S+)* (?:secret|password))\\s',
  // `line vty` and XR's username sections: `password 7 0822…`, `secret 10 $6$…`
  '^(password|secret)(?: \\d+| encrypted)? \\S+$',
  '^(ntp authentication-key \\d+ md5)\\s',
  '^(ip ospf (?:authentication-key|message-digest-key \\d+ md5))\\s',
  '^(crypto isakmp key) \\S+(?: (.*))?$',
  '^(pre-shared-key|authentication-key)\\s',
];

/**
 * Lines whose value is their name as well (an SNMP community): two clear values are two lines, but
 * a clear value and a hashed one (`snmp-server community 7 0822…`) with the same rest are one.
 */
const IOS_HASHED_SECRETS = ['^(snmp-server community) (?:(?:0|7|8|encrypted|clear) )?\\S+(?: (.*))?$'];

/** Junos and VyOS print `encrypted-password "$6$…"` and `$9$…` keys for what a template types in clear. */
const SET_SECRETS = [
  '^(set system login user \\S+ authentication) (?:encrypted-password|plain-text-password-value|plaintext-password) ',
  '^(set .* (?:authentication-key|secret|pre-shared-key (?:ascii-text|hexadecimal)|encrypted-password|simple-password)) ',
];

const IOS_OVERWRITE = [
  '^(description) ',
  '^(hostname) ',
  '^(ip address) \\S+(?: \\S+)?$',
  '^(ipv4 address) \\S+ \\S+$',
  '^(?:no )?(shutdown)$',
  '^(mtu|ip mtu|speed|duplex|bandwidth|load-interval) ',
  '^(switchport mode|switchport access vlan|switchport trunk native vlan) ',
  '^(switchport trunk allowed vlan) (?!add |remove |except )',
  '^(name) ',
  '^(bgp router-id|router-id|rd) ',
  '^(neighbor \\S+ (?:remote-as|description|update-source|ebgp-multihop)) ',
  '^(remote-as|update-source) ',
  '^(ip domain[- ]name|ip domain name|logging source-interface|snmp-server location|snmp-server contact|spanning-tree mode) ',
  '^(exec-timeout|transport input|timers bgp) ',
];

/** Referred to by name from interfaces, neighbours and policies. */
const IOS_DEFINITIONS = [
  '^ip access-list ',
  '^ipv6 access-list ',
  '^access-list ',
  '^ip prefix-list ',
  '^ipv6 prefix-list ',
  '^route-map ',
  '^object-group ',
  '^class-map ',
  '^policy-map ',
  '^ip community-list ',
  '^ip as-path access-list ',
];

const IOS_ORDERED = ['^ip access-list standard ', '^ip access-list extended ', '^ipv6 access-list ', '^route-map ', '^policy-map '];

const IOS_IGNORE = ['^!', '^end$', '^exit$', '^exit-address-family$', '^Building configuration', '^Current configuration'];

/** `no interface X` is refused on a physical port; `default interface X` empties it. */
const PHYSICAL_INTERFACE_RESET = [
  {
    match: '^interface (?:GigabitEthernet|FastEthernet|TenGigabitEthernet|TwentyFiveGigE|FortyGigabitEthernet|HundredGigE|Ethernet)[\\d/]+$',
    command: 'default {line}',
  },
];

export function iosFamilyModel(extra: Partial<ConfigModelRules> = {}): ConfigModelRules {
  return {
    syntax: 'indent',
    negation: 'no ',
    indent: 1,
    exit: 'exit',
    ignore: IOS_IGNORE,
    overwrite: IOS_OVERWRITE,
    ordered: IOS_ORDERED,
    definitions: IOS_DEFINITIONS,
    reset: PHYSICAL_INTERFACE_RESET,
    canonical: IOS_CANONICAL,
    secrets: IOS_SECRETS,
    hashedSecrets: IOS_HASHED_SECRETS,
    interfaces: IOS_INTERFACES,
    keywords: IOS_KEYWORDS,
    vlanLists: VLAN_LISTS,
    vlanRanges: VLAN_RANGES,
    definitionTiers: IOS_DEFINITION_TIERS,
    management: IOS_MANAGEMENT,
    ...extra,
  };
}

/** IOS XR accepts `no interface X` on a physical port (it resets it), and ends blocks with `!`. */
// RPL blocks (`route-policy … end-policy`, `prefix-set … end-set`) stay in the intended order: their
// closing line is a line of its own in this model, so they are not moved as definitions
export const XR_MODEL: ConfigModelRules = iosFamilyModel({ reset: [], interfaces: XR_INTERFACES, definitions: [...IOS_DEFINITIONS, '^ipv4 access-list '] });

/**
 * Canonical-form data that differs between platforms sharing a model (NX-OS prints `port-channel10`
 * and `loopback0`, EOS `Port-Channel1` and `Management1`): laid over the platform's model rules
 * by `configModelFor`.
 */
export const PLATFORM_CANONICAL: Record<string, Partial<ConfigModelRules>> = {
  cisco_nxos: { interfaces: NXOS_INTERFACES },
  arista_eos: { interfaces: EOS_INTERFACES },
};

export const PROCURVE_MODEL: ConfigModelRules = iosFamilyModel({
  reset: [],
  overwrite: [...IOS_OVERWRITE, '^(?:dis|en)(able)$', '^(untagged vlan) '],
  ignore: [...IOS_IGNORE, '^Running configuration:$', '^;'],
});

export const COMWARE_MODEL: ConfigModelRules = {
  syntax: 'indent',
  negation: 'undo ',
  indent: 1,
  exit: 'quit',
  ignore: ['^#', '^return$', '^quit$'],
  overwrite: [
    '^(description) ',
    '^(sysname) ',
    '^(name) ',
    '^(ip address) \\S+ \\S+$',
    '^(port link-mode) ',
    '^(port access vlan) ',
    '^(?:undo )?(shutdown)$',
  ],
  ordered: ['^acl (?:number|advanced|basic) ', '^route-policy '],
  definitions: ['^acl ', '^ip prefix-list ', '^route-policy '],
  definitionTiers: ['^route-policy '],
  interfaces: COMWARE_INTERFACES,
  secrets: ['^(password (?:cipher|simple|hash))\\s', '^(local-user \\S+ password)\\s'],
};

/** Junos, VyOS and PAN-OS in set form: commits are atomic, so definitions need no ordering. */
export function setModel(overwrite: string[], extra: Partial<ConfigModelRules> = {}): ConfigModelRules {
  return {
    syntax: 'set',
    verbs: { set: 'set', delete: 'delete' },
    minDeleteDepth: 2,
    ignore: ['^#', '^## '],
    overwrite,
    ...extra,
  };
}

export const JUNOS_MODEL = setModel(
  [
    '^(set (?:.* )?description) ',
    '^(set system host-name) ',
    '^(set (?:.* )?peer-as) ',
    '^(set (?:.* )?local-as) ',
    '^(set (?:.* )?type) (?:internal|external)$',
    '^(set routing-options (?:router-id|autonomous-system)) ',
    '^(set (?:.* )?mtu) ',
    '^(set (?:.* )?(?:location|contact|domain-name|time-zone|vlan-id|encapsulation|speed|class|uid)) ',
  ],
  { secrets: SET_SECRETS },
);

export const VYOS_MODEL = setModel(
  ['^(set (?:.* )?description) ', '^(set system host-name) ', '^(set (?:.* )?remote-as) ', '^(set (?:.* )?router-id) ', '^(set (?:.* )?mtu) '],
  { secrets: SET_SECRETS },
);

export const PANOS_MODEL = setModel(['^(set (?:.* )?description) ', '^(set deviceconfig system hostname) '], { minDeleteDepth: 3 });

export const FORTIOS_MODEL: ConfigModelRules = {
  syntax: 'fortios',
  ignore: ['^#', '^next$', '^end$'],
  // every `set` names one setting: a new value replaces the old
  overwrite: ['^(set \\S+)'],
  // objects that policies and routes refer to: created before them, deleted after them
  definitions: ['^config firewall (?:address|address6|addrgrp|addrgrp6|service custom|service group|schedule \\S+|ippool|vip)$', '^config router (?:prefix-list|prefix-list6|access-list|access-list6|aspath-list|community-list|route-map)$'],
  definitionTiers: ['^config firewall (?:addrgrp|addrgrp6|service group)$|^config router route-map$'],
  // FortiOS prints `set password ENC …` for what a template sets in clear
  secrets: ['^(set (?:password|passwd|psksecret|secret|key|auth-password|priv-password|md5-key))(?: ENC)? \\S'],
};
