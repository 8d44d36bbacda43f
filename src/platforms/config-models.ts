import type { ConfigModelRules } from '../config/types.js';

/**
 * Configuration-model rules (src/config) per platform family: which lines are single-valued,
 * which sections are ordered or referred to, and how a line is negated. Data only.
 */

/** Interface abbreviations and `no shut`, rewritten before lines are compared. */
const IOS_CANONICAL: ConfigModelRules['canonical'] = [
  { pattern: '^interface Gi(?=\\d)', replace: 'interface GigabitEthernet' },
  { pattern: '^interface Te(?=\\d)', replace: 'interface TenGigabitEthernet' },
  { pattern: '^interface Fa(?=\\d)', replace: 'interface FastEthernet' },
  { pattern: '^interface (?:Eth|Et)(?=\\d)', replace: 'interface Ethernet' },
  { pattern: '^interface Lo(?=\\d)', replace: 'interface Loopback' },
  { pattern: '^interface Po(?=\\d)', replace: 'interface Port-channel' },
  { pattern: '^interface (?:Vl|vlan)(?=\\d)', replace: 'interface Vlan' },
  { pattern: '^(no )?shut$', replace: '$1shutdown' },
  // EOS and NX-OS number ACL entries typed without a number: compare entries by their body
  { pattern: '^\\d+ (?=(?:permit|deny|remark) )', replace: '' },
];

/** Values the device shows hashed (`secret 9 …`): a line is present when its key is there. */
const IOS_SECRETS = [
  '^(username \\S+(?: privilege \\d+)? (?:secret|password))\\s',
  '^(enable (?:secret|password))\\s',
  '^(neighbor \\S+ password)\\s',
  '^(key-string)\\s',
  '^((?:tacacs|radius)-server key)\\s',
  '^(key \\d+)\\s',
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
    ...extra,
  };
}

/** IOS XR accepts `no interface X` on a physical port (it resets it), and ends blocks with `!`. */
export const XR_MODEL: ConfigModelRules = iosFamilyModel({ reset: [] });

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
  canonical: [
    { pattern: '^interface GE(?=\\d)', replace: 'interface GigabitEthernet' },
    { pattern: '^interface Vlan-int(?=\\d)', replace: 'interface Vlan-interface' },
  ],
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

export const JUNOS_MODEL = setModel([
  '^(set (?:.* )?description) ',
  '^(set system host-name) ',
  '^(set (?:.* )?peer-as) ',
  '^(set (?:.* )?local-as) ',
  '^(set (?:.* )?type) (?:internal|external)$',
  '^(set routing-options (?:router-id|autonomous-system)) ',
  '^(set (?:.* )?mtu) ',
  '^(set (?:.* )?(?:location|contact|domain-name|time-zone|vlan-id|encapsulation|speed|class|uid)) ',
]);

export const VYOS_MODEL = setModel([
  '^(set (?:.* )?description) ',
  '^(set system host-name) ',
  '^(set (?:.* )?remote-as) ',
  '^(set (?:.* )?router-id) ',
  '^(set (?:.* )?mtu) ',
]);

export const PANOS_MODEL = setModel(['^(set (?:.* )?description) ', '^(set deviceconfig system hostname) '], { minDeleteDepth: 3 });

export const FORTIOS_MODEL: ConfigModelRules = {
  syntax: 'fortios',
  ignore: ['^#', '^next$', '^end$'],
  // every `set` names one setting: a new value replaces the old
  overwrite: ['^(set \\S+)'],
};
