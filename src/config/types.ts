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
}
