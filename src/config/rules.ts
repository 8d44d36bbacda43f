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
}

const cache = new WeakMap<ConfigModelRules, CompiledRules>();

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
  const keyOf = memoize((line: string): string => {
    let key = line;
    if (anyCanonical.test(key)) for (const c of canonical) key = key.replace(c.pattern, c.replace);
    if (anySecret.test(key)) {
      for (const s of secrets) {
        const m = s.exec(key);
        if (m) return (m[1] ?? m[0]) + ' <secret>';
      }
    }
    return key;
  });
  const compiled: CompiledRules = {
    syntax: rules.syntax,
    negation: rules.negation ?? 'no ',
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
      const reset = resets.find((r) => r.match.test(line));
      return reset ? reset.command.replace('{line}', line) : undefined;
    },
    resetTarget: (command) => {
      const prefix = resetPrefixes.find((p) => command.startsWith(p));
      return prefix === undefined ? undefined : command.slice(prefix.length);
    },
  };
  cache.set(rules, compiled);
  return compiled;
}
