import type { CompiledRules } from './rules.js';
import { ConfigNode } from './tree.js';
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

function remediateLevel(running: ConfigNode, intended: ConfigNode, rules: CompiledRules, out: ConfigNode, top: boolean): void {
  const negations: ConfigNode[] = [];
  const lateNegations: ConfigNode[] = [];
  const definitions: ConfigNode[] = [];
  const changes: ConfigNode[] = [];
  const overwritten = overwriteKeys(intended, rules);
  for (const child of running.children) {
    if (intended.get(child.key)) continue;
    const key = rules.overwriteKey(child.text);
    if (key !== undefined && overwritten.has(key)) continue;
    const negation = negate(child, rules);
    if (negation) (top && rules.isDefinition(child.text) ? lateNegations : negations).push(negation);
  }
  for (const want of intended.children) {
    const have = running.get(want.key);
    let command: ConfigNode | undefined;
    if (!have) command = want.clone();
    else if (want.isSection || have.isSection) {
      if (rules.isOrdered(want.text) && orderDiffers(have, want)) {
        const negation = negate(have, rules);
        if (negation) negations.push(negation);
        command = want.clone();
      } else {
        const section = new ConfigNode(want.text, want.key);
        remediateLevel(have, want, rules, section, false);
        if (section.isSection) command = section;
      }
    }
    if (command) (top && rules.isDefinition(want.text) ? definitions : changes).push(command);
  }
  for (const command of [...negations, ...definitions, ...changes, ...lateNegations]) out.adopt(command);
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
