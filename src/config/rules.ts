import { chain, interfaceRewrite, keywordRewrite, parseVlanList, vlanListRewrite, vlanRangeExpander } from './canonical.js';
import { HASHED, type Lookup } from './tree.js';
import type { ConfigModelRules, ConfigSyntax } from './types.js';

/** A platform's config rules with their patterns compiled once. */
export interface CompiledRules {
  readonly syntax: ConfigSyntax;
  readonly negation: string;
  readonly verbs: { set: string; delete: string };
  readonly indent: number;
  readonly exit: string | undefined;
  readonly minDeleteDepth: number;
  isIgnored(line: string): boolean;
  /** the comparison key of a line */
  keyOf(line: string): string;
  /** the key a single-valued line overwrites, or undefined */
  overwriteKey(line: string): string | undefined;
  isOrdered(line: string): boolean;
  isDefinition(line: string): boolean;
  /** the command that resets a section which cannot be negated, or undefined */
  resetCommand(line: string): string | undefined;
  /** the section a reset command empties (`default interface X` → `interface X`), or undefined */
  resetTarget(command: string): string | undefined;
  /** a line whose value may be shown hashed: its key without the value, or undefined */
  hashedKey(line: string): string | undefined;
  /** set on parsed trees: the child that stands for a key no child has (see `Lookup`) */
  lookup: Lookup;
  /** the lines a VLAN-range line stands for (`vlan 10-12` → `vlan 10`, `vlan 11`, `vlan 12`), or undefined */
  expandRange(line: string): string[] | undefined;
  /** a definition's tier: 0 for one that refers to nothing, higher for route-maps, policy-maps */
  definitionTier(line: string): number;
  /** a section that carries management access by itself (`line vty`, the management interface) */
  isManagementSection(line: string): boolean;
  /** the definition names a line inside a management section refers to (`access-class MGMT in` → MGMT) */
  managementReferences(line: string): string[];
}

const cache = new WeakMap<ConfigModelRules, CompiledRules>();

/** `… vlan add 30,40`: adds to a VLAN list (and is taken back with `… vlan remove 30,40`) */
export const VLAN_ADD = /^(.*\bvlan) add (\S+)$/;

function compileAll(patterns: string[] | undefined): RegExp[] {
  return (patterns ?? []).map((p) => new RegExp(p));
}

/** One regex that matches where any of `patterns` does: most lines fail it in one test. */
function anyOf(patterns: readonly { source: string }[]): RegExp {
  return patterns.length ? new RegExp(patterns.map((p) => `(?:${p.source})`).join('|')) : /$^/;
}

/** Results per line, kept until the map grows past a bound (a daemon runs for months). */
function memoize<T>(compute: (line: string) => T): (line: string) => T {
  const memo = new Map<string, T>();
  return (line) => {
    const hit = memo.get(line);
    if (hit !== undefined || memo.has(line)) return hit as T;
    if (memo.size > 200_000) memo.clear();
    const value = compute(line);
    memo.set(line, value);
    return value;
  };
}

export function compileRules(rules: ConfigModelRules): CompiledRules {
  const cached = cache.get(rules);
  if (cached) return cached;
  const ignore = compileAll(rules.ignore);
  const overwrite = compileAll(rules.overwrite);
  const ordered = compileAll(rules.ordered);
  const definitions = compileAll(rules.definitions);
  const canonical = (rules.canonical ?? []).map((c) => ({ pattern: new RegExp(c.pattern), replace: c.replace }));
  const secrets = compileAll(rules.secrets);
  const resets = (rules.reset ?? []).map((r) => ({ match: new RegExp(r.match), command: r.command }));
  const resetPrefixes = resets.map((r) => r.command.split('{line}')[0] ?? '').filter((p) => p !== '');
  const verbs = rules.verbs ?? { set: 'set', delete: 'delete' };

  const anyCanonical = anyOf(canonical.map((c) => c.pattern));
  const anySecret = anyOf(secrets);
  const anyOverwrite = anyOf(overwrite);
  const negation = rules.negation ?? 'no ';
  // canonical forms (src/config/canonical.ts): keywords first, so `int gi0/1` is an interface line
  const rewrite = chain([keywordRewrite(rules.keywords, negation), interfaceRewrite(rules.interfaces), vlanListRewrite(rules.vlanLists)]);
  const tiers = compileAll(rules.definitionTiers);
  const hashed = compileAll(rules.hashedSecrets);
  const managementSections = compileAll(rules.management?.sections);
  const managementRefs = (rules.management?.references ?? []).map((p) => new RegExp(p, 'g'));
  const keyOf = memoize((line: string): string => {
    let key = rewrite(line);
    if (anyCanonical.test(key)) for (const c of canonical) key = key.replace(c.pattern, c.replace);
    if (anySecret.test(key)) {
      for (const s of secrets) {
        const m = s.exec(key);
        // group 2, where a pattern has it, is what follows the secret and still tells lines apart
        if (m) return (m[1] ?? m[0]) + ' <secret>' + (m[2] ? ` ${m[2]}` : '');
      }
    }
    return key;
  });
  const hashedKey = memoize((line: string): string | undefined => {
    for (const re of hashed) {
      const m = re.exec(line);
      if (m) return `${m[1]} <secret>${m[2] ? ` ${m[2]}` : ''}`;
    }
    return undefined;
  });
  const lookup: Lookup = (parent, key) => {
    const alias = hashedKey(key);
    if (alias !== undefined) {
      // a clear value and the hashed form the device prints are one line
      const isHashed = HASHED.test(key);
      return parent.children.find((c) => HASHED.test(c.text) !== isHashed && hashedKey(c.text) === alias);
    }
    // `switchport trunk allowed vlan add 30` is in place when the allowed list holds 30
    const add = VLAN_ADD.exec(key);
    if (!add) return undefined;
    const wanted = parseVlanList(add[2]!);
    if (!wanted) return undefined;
    const prefix = `${add[1]} `;
    return parent.children.find((c) => {
      if (!c.key.startsWith(prefix)) return false;
      const have = parseVlanList(c.key.slice(prefix.length));
      return have !== undefined && wanted.every((id) => have.includes(id));
    });
  };
  const compiled: CompiledRules = {
    syntax: rules.syntax,
    negation,
    verbs,
    indent: rules.indent ?? 1,
    exit: rules.exit,
    minDeleteDepth: rules.minDeleteDepth ?? 2,
    isIgnored: (line) => ignore.some((re) => re.test(line)),
    keyOf,
    overwriteKey: memoize((line: string): string | undefined => {
      const key = keyOf(line);
      if (!anyOverwrite.test(key)) return undefined;
      for (const re of overwrite) {
        const m = re.exec(key);
        if (m) return m[1] ?? m[0];
      }
      return undefined;
    }),
    isOrdered: (line) => ordered.some((re) => re.test(line)),
    isDefinition: (line) => definitions.some((re) => re.test(line)),
    resetCommand: (line) => {
      // `interface Gi0/2` is reset as `default interface GigabitEthernet0/2`
      const full = resets.some((r) => r.match.test(line)) ? line : keyOf(line);
      const reset = resets.find((r) => r.match.test(full));
      return reset ? reset.command.replace('{line}', full) : undefined;
    },
    resetTarget: (command) => {
      const prefix = resetPrefixes.find((p) => command.startsWith(p));
      return prefix === undefined ? undefined : command.slice(prefix.length);
    },
    hashedKey,
    lookup,
    expandRange: vlanRangeExpander(rules.vlanRanges),
    definitionTier: (line) => {
      const tier = tiers.findIndex((re) => re.test(line));
      return tier + 1;
    },
    isManagementSection: (line) => managementSections.some((re) => re.test(line)),
    managementReferences: (line) => managementRefs.flatMap((re) => [...line.matchAll(re)].map((m) => m[1]!)),
  };
  cache.set(rules, compiled);
  return compiled;
}
