import { VLAN_ADD, type CompiledRules } from './rules.js';
import { ConfigNode, counterpart } from './tree.js';
import { splitWords } from './words.js';

/**
 * The commands that turn `running` into `intended` (replace semantics: whatever `intended` lacks
 * is removed). Rollback is the same call with the arguments swapped. The result is a tree of
 * commands: sections to enter, with the commands inside them.
 *
 * Order at each level: negations first (they free sequence numbers and single-use names), then
 * additions and changes in the intended order. At the top level, definitions that other lines
 * refer to (ACLs, prefix-lists, route-maps) are added before everything and removed after
 * everything, so a reference never points at nothing.
 */
export function remediate(running: ConfigNode, intended: ConfigNode, rules: CompiledRules): ConfigNode {
  const out = new ConfigNode('');
  if (rules.syntax === 'set') remediateSetLines(running, intended, rules, out);
  else remediateLevel(running, intended, rules, out, true);
  return out;
}

function overwriteKeys(node: ConfigNode, rules: CompiledRules): Set<string> {
  const keys = new Set<string>();
  for (const child of node.children) {
    const key = rules.overwriteKey(child.text);
    if (key !== undefined) keys.add(key);
  }
  return keys;
}

function remediateLevel(
  running: ConfigNode,
  intended: ConfigNode,
  rules: CompiledRules,
  out: ConfigNode,
  top: boolean,
  inPlace = false,
): void {
  const negations: ConfigNode[] = [];
  const lateNegations: ConfigNode[] = [];
  const definitions: ConfigNode[] = [];
  const changes: ConfigNode[] = [];
  const overwritten = overwriteKeys(intended, rules);
  const management = top ? managementKeys(running, intended, rules) : new Set<string>();
  for (const child of running.children) {
    if (counterpart(intended, child, rules.hashedKey)) continue;
    const key = rules.overwriteKey(child.text);
    if (key !== undefined && overwritten.has(key)) continue;
    const negation = negate(child, rules);
    if (negation) (top && rules.isDefinition(child.text) ? lateNegations : negations).push(negation);
  }
  for (const want of intended.children) {
    const have = counterpart(running, want, rules.hashedKey);
    let command: ConfigNode | undefined;
    if (!have) command = want.clone();
    else if (want.isSection || have.isSection) {
      const keep = management.has(want.key);
      if (!keep && rules.isOrdered(want.text) && orderDiffers(have, want)) {
        const negation = negate(have, rules);
        if (negation) negations.push(negation);
        command = want.clone();
      } else {
        const section = new ConfigNode(want.text, want.key);
        remediateLevel(have, want, rules, section, false, keep);
        if (section.isSection) command = section;
      }
    }
    if (command) (top && rules.isDefinition(want.text) ? definitions : changes).push(command);
  }
  // definitions that refer to others (route-maps → prefix-lists) come after them, and go before them
  const tier = (node: ConfigNode) => rules.definitionTier(node.text.replace(rules.negation, ''));
  definitions.sort((a, b) => tier(a) - tier(b));
  lateNegations.sort((a, b) => tier(b) - tier(a));
  if (inPlace) {
    // a section carrying management access never loses an entry before its replacement is in:
    // new entries first; an old entry goes first only where its sequence number is needed
    const numbers = new Set(changes.flatMap((c) => /^(\d+)\s/.exec(c.text)?.[1] ?? []));
    const frees = (n: ConfigNode) => numbers.has(/^\S+ (\d+)\s/.exec(n.text)?.[1] ?? '');
    for (const command of [...negations.filter(frees), ...changes, ...negations.filter((n) => !frees(n))]) out.adopt(command);
    return;
  }
  for (const command of [...negations, ...definitions, ...changes, ...lateNegations]) out.adopt(command);
}

/**
 * Top-level sections that carry management access: those the platform names (`line vty`, the
 * management interface) and the definitions lines inside them refer to (`access-class MGMT in`),
 * in either config. They are changed in place, never negated and re-added.
 */
function managementKeys(running: ConfigNode, intended: ConfigNode, rules: CompiledRules): Set<string> {
  const keys = new Set<string>();
  const names = new Set<string>();
  for (const tree of [running, intended]) {
    for (const section of tree.children) {
      if (!rules.isManagementSection(section.key)) continue;
      keys.add(section.key);
      for (const line of section.walk()) for (const name of rules.managementReferences(line.text)) names.add(name);
    }
  }
  if (names.size === 0) return keys;
  for (const tree of [running, intended]) {
    for (const section of tree.children) {
      if (rules.isDefinition(section.text) && splitWords(section.text).slice(1).some((w) => names.has(w))) keys.add(section.key);
    }
  }
  return keys;
}

/**
 * True when the device would not end up with `want`'s order by adding lines at the end: lines
 * both have are in another order, or a new line must go before an existing one. Sequence-numbered
 * entries (`10 permit …`) are placed by their number, so their order never differs.
 */
function orderDiffers(have: ConfigNode, want: ConfigNode): boolean {
  if (want.children.every((c) => /^\d+\s/.test(c.text))) return false;
  let lastExisting = -1;
  let sawNew = false;
  for (const child of want.children) {
    const existing = have.get(child.key);
    if (!existing) {
      sawNew = true;
      continue;
    }
    const at = have.children.indexOf(existing);
    if (at < lastExisting || sawNew) return true;
    lastExisting = at;
  }
  return false;
}

/** The command that removes a line (and its whole section), or undefined where none exists. */
export function negate(node: ConfigNode, rules: CompiledRules): ConfigNode | undefined {
  if (rules.syntax === 'fortios') return negateFortios(node, rules);
  const reset = rules.resetCommand(node.text);
  if (reset !== undefined) return new ConfigNode(reset, rules.keyOf(reset));
  // `… vlan add 30` is taken back with `… vlan remove 30`
  const listAdd = VLAN_ADD.exec(node.text);
  if (listAdd) {
    const text = `${listAdd[1]} remove ${listAdd[2]}`;
    return new ConfigNode(text, rules.keyOf(text));
  }
  let text = node.text;
  // a banner is one node of many lines; it is removed by its first two words
  if (text.includes('\n')) text = splitWords(text).slice(0, 2).join(' ');
  const negated = text.startsWith(rules.negation) ? text.slice(rules.negation.length) : rules.negation + text;
  return new ConfigNode(negated, rules.keyOf(negated));
}

function negateFortios(node: ConfigNode, rules: CompiledRules): ConfigNode | undefined {
  const [verb, name] = splitWords(node.text);
  if (verb === 'set' && name) return new ConfigNode(`unset ${name}`);
  if (verb === 'edit' && name) return new ConfigNode(`delete ${name}`);
  if (verb === 'config') {
    // a config table cannot be deleted, only emptied
    const section = new ConfigNode(node.text, node.key);
    for (const child of node.children) {
      const negation = negateFortios(child, rules);
      if (negation) section.adopt(negation);
    }
    return section.isSection ? section : undefined;
  }
  return undefined;
}

/**
 * Set syntax: lines are leaves under the root. A removed subtree is deleted with one command at
 * the shortest path (of at least `minDeleteDepth` words) under which every running line goes and
 * no intended line stays.
 */
function remediateSetLines(running: ConfigNode, intended: ConfigNode, rules: CompiledRules, out: ConfigNode): void {
  const { set, delete: del } = rules.verbs;
  const overwritten = overwriteKeys(intended, rules);
  const removed: string[][] = [];
  const runningCount = new Map<string, number>();
  const removedCount = new Map<string, number>();
  const intendedPrefixes = new Set<string>();
  const prefixes = (words: string[], each: (prefix: string) => void) => {
    let prefix = '';
    for (const word of words) {
      prefix = prefix === '' ? word : `${prefix} ${word}`;
      each(prefix);
    }
  };
  const pathOf = (line: string) => splitWords(line).slice(1);
  for (const line of intended.children) if (line.text.startsWith(set + ' ')) prefixes(pathOf(line.text), (p) => intendedPrefixes.add(p));
  for (const line of running.children) {
    if (!line.text.startsWith(set + ' ')) continue;
    const words = pathOf(line.text);
    prefixes(words, (p) => runningCount.set(p, (runningCount.get(p) ?? 0) + 1));
    if (intended.get(line.key)) continue;
    const key = rules.overwriteKey(line.text);
    if (key !== undefined && overwritten.has(key)) continue;
    removed.push(words);
    prefixes(words, (p) => removedCount.set(p, (removedCount.get(p) ?? 0) + 1));
  }
  const deletes: string[] = [];
  const lateDeletes: string[] = [];
  const seen = new Set<string>();
  for (const words of removed) {
    let path = words.join(' ');
    for (let depth = rules.minDeleteDepth; depth < words.length; depth++) {
      const prefix = words.slice(0, depth).join(' ');
      if (!intendedPrefixes.has(prefix) && removedCount.get(prefix) === runningCount.get(prefix)) {
        path = prefix;
        break;
      }
    }
    if (seen.has(path)) continue;
    seen.add(path);
    (rules.isDefinition(`${set} ${path}`) ? lateDeletes : deletes).push(`${del} ${path}`);
  }
  const definitions: ConfigNode[] = [];
  const additions: ConfigNode[] = [];
  for (const line of intended.children) {
    if (running.get(line.key) || !line.text.startsWith(set + ' ')) continue;
    (rules.isDefinition(line.text) ? definitions : additions).push(line.clone());
  }
  for (const text of deletes) out.adopt(new ConfigNode(text));
  for (const node of [...definitions, ...additions]) out.adopt(node);
  for (const text of lateDeletes) out.adopt(new ConfigNode(text));
}
