/**
 * How a platform's configuration is structured and changed: the data the config model needs to
 * parse a running config into a tree and to compute the commands between two trees (after
 * hier_config's per-platform options). Patterns are regular-expression sources.
 */
export type ConfigSyntax = 'indent' | 'set' | 'fortios';

export interface ConfigModelRules {
  /**
   * 'indent': sections by indentation (IOS family, ProCurve, Comware, AOS-CX);
   * 'set': one `set a b c` line per leaf (Junos set form, VyOS, PAN-OS; Junos braces are read too);
   * 'fortios': `config` / `edit` / `set` blocks closed by `next` / `end`.
   */
  syntax: ConfigSyntax;
  /** indent syntax: the word that negates a line ('no ' on IOS, 'undo ' on Comware) */
  negation?: string;
  /** set syntax: the verbs that add and remove a path */
  verbs?: { set: string; delete: string };
  /** spaces a level when commands are rendered */
  indent?: number;
  /** command that leaves a section when commands are pushed ('exit', 'quit') */
  exit?: string;
  /** whole lines that carry no configuration (comments, `end`, `Building configuration...`) */
  ignore?: string[];
  /**
   * Single-valued commands: a new line with the same key replaces the old one in place, so the
   * old one is not negated. The key is capture group 1, else the whole match.
   */
  overwrite?: string[];
  /** sections whose children's order matters (ACLs without sequence numbers, route-map bodies) */
  ordered?: string[];
  /**
   * Top-level sections that other lines refer to (prefix-lists, route-maps, ACLs): added before
   * anything else and removed after everything else, so a reference never points at nothing.
   */
  definitions?: string[];
  /**
   * Sections that cannot be negated and are reset instead (physical interfaces: `default
   * interface X`, because `no interface X` is refused). `{line}` is the section's line.
   */
  reset?: { match: string; command: string }[];
  /** set syntax: the fewest words after the verb a one-line subtree delete may name */
  minDeleteDepth?: number;
  /** rewrites applied to a line before it is compared (interface abbreviations, `no shut`) */
  canonical?: { pattern: string; replace: string }[];
  /** lines whose value the device shows hashed: present when the part before the value matches */
  secrets?: string[];
  /**
   * Lines whose secret value is also what tells them apart (an SNMP community): compared by text,
   * but a line the device shows hashed (`7 …`, `8 …`, `encrypted …`, `$…$`) matches an intended
   * clear one with the same rest. Group 1 is the part before the value, group 2 what follows it.
   */
  hashedSecrets?: string[];
  /**
   * Interface names as the device prints them, preferred first (`GigabitEthernet`, `Port-channel`):
   * any unambiguous abbreviation in a line (`Gi0/1`, `gi 0/1`, `Po10`) compares as the full name.
   */
  interfaces?: string[];
  /**
   * Command phrases the device prints in full (`description`, `ip address`, `shutdown`): a line
   * that starts with abbreviations of their words (`desc`, `ip add`, `no shut`; 3 letters at least,
   * or as given after a colon: `switchport:2`) compares as the full phrase.
   */
  keywords?: string[];
  /**
   * Lines whose capture group 2 is a VLAN list (`switchport trunk allowed vlan 10-12,20`): compared
   * as the sorted list with ranges (`10,11,12` = `10-12`). Group 1 is the part before it.
   */
  vlanLists?: string[];
  /**
   * Top-level lines that stand for one line per VLAN (`vlan 10-12`, NX-OS's `vlan 1,10-12`): read
   * as `vlan 10`, `vlan 11`, `vlan 12`. Group 1 is the part before the list, group 2 the list.
   */
  vlanRanges?: string[];
  /**
   * Definitions that refer to other definitions, in tiers (`route-map` refers to prefix-lists,
   * `policy-map` to class-maps): a later tier is added after an earlier one and removed before it.
   * A definition matching none of them is tier 0.
   */
  definitionTiers?: string[];
  /**
   * Where management access lives: `sections` that carry it themselves (`line vty`, the management
   * interface), and `references`, patterns inside those sections whose group 1 names a definition
   * (`access-class (\S+)`). Such sections and the definitions they name are never negated and
   * re-added (that would cut the session); they are changed in place.
   */
  management?: { sections: string[]; references: string[] };
}
