import { parseTree } from './parse.js';
import type { CompiledRules } from './rules.js';
import type { ConfigNode } from './tree.js';
import { splitWords } from './words.js';

/**
 * A model of how a device applies configuration commands to its running config: the reference
 * the remediation tests check against (running + remediation must give intended). Commands are
 * text in the platform's syntax, or a command tree from `remediate`.
 */
export function applyCommands(target: ConfigNode, commands: string | ConfigNode, rules: CompiledRules): void {
  const tree = typeof commands === 'string' ? parseTree(stripNavigation(commands, rules), rules) : commands;
  if (rules.syntax === 'set') applySetLines(target, tree, rules);
  else if (rules.syntax === 'fortios') applyFortios(target, tree, rules);
  else applyIndented(target, tree, rules);
}

/** `exit`, `end` and `next` only move between sections, which indentation already says. */
function stripNavigation(text: string, rules: CompiledRules): string {
  const navigation = new Set(['end', 'next', 'exit', 'quit', 'exit-address-family', rules.exit ?? 'exit']);
  return text
    .split('\n')
    .filter((line) => !navigation.has(line.trim()))
    .join('\n');
}

/** Inserts a line, in numeric order when it and its siblings carry sequence numbers. */
function insert(target: ConfigNode, text: string, key: string): ConfigNode {
  const seq = /^(\d+)\s/.exec(text);
  if (seq) {
    const n = Number(seq[1]);
    const at = target.children.findIndex((c) => {
      const m = /^(\d+)\s/.exec(c.text);
      return m !== null && Number(m[1]) > n;
    });
    if (at >= 0) return target.add(text, key, at);
  }
  return target.add(text, key);
}

function removeOverwritten(target: ConfigNode, key: string, overwrite: string, rules: CompiledRules): void {
  for (const sibling of [...target.children]) {
    if (sibling.key !== key && rules.overwriteKey(sibling.text) === overwrite) target.remove(sibling);
  }
}

function applyIndented(target: ConfigNode, commands: ConfigNode, rules: CompiledRules): void {
  for (const command of commands.children) {
    const text = command.text;
    const resetTarget = rules.resetTarget(text);
    if (resetTarget !== undefined) {
      target.get(rules.keyOf(resetTarget))?.clear();
      continue;
    }
    const overwrite = rules.overwriteKey(text);
    if (overwrite === undefined && text.startsWith(rules.negation)) {
      removeNegated(target, text.slice(rules.negation.length), rules);
      continue;
    }
    if (overwrite !== undefined) removeOverwritten(target, command.key, overwrite, rules);
    const node = target.get(command.key) ?? insert(target, text, command.key);
    applyIndented(node, command, rules);
  }
}

/**
 * `no X` removes the line X (with its section); failing that, every line that starts with X
 * (`no neighbor 10.0.0.1` takes all of that neighbour's lines, `no description` the description),
 * or the single-valued line X would overwrite.
 */
function removeNegated(target: ConfigNode, text: string, rules: CompiledRules): void {
  const key = rules.keyOf(text);
  const exact = target.get(key);
  if (exact) {
    target.remove(exact);
    return;
  }
  const byPrefix = target.children.filter((c) => c.key.startsWith(key + ' '));
  if (byPrefix.length) {
    for (const child of byPrefix) target.remove(child);
    return;
  }
  const overwrite = rules.overwriteKey(text);
  if (overwrite !== undefined) removeOverwritten(target, '', overwrite, rules);
}

function applySetLines(target: ConfigNode, commands: ConfigNode, rules: CompiledRules): void {
  const { set, delete: del } = rules.verbs;
  for (const command of commands.children) {
    const text = command.text;
    if (text.startsWith(del + ' ')) {
      const path = `${set} ${text.slice(del.length + 1)}`;
      for (const line of [...target.children]) if (line.text === path || line.text.startsWith(path + ' ')) target.remove(line);
      continue;
    }
    if (!text.startsWith(set + ' ')) continue;
    const overwrite = rules.overwriteKey(text);
    if (overwrite !== undefined) removeOverwritten(target, command.key, overwrite, rules);
    target.add(text, command.key);
  }
}

function applyFortios(target: ConfigNode, commands: ConfigNode, rules: CompiledRules): void {
  for (const command of commands.children) {
    const [verb, name] = splitWords(command.text);
    if (verb === 'unset' && name) {
      removeOverwritten(target, '', `set ${name}`, rules);
      continue;
    }
    if (verb === 'delete' && name) {
      const edit = target.get(rules.keyOf(`edit ${name}`));
      if (edit) target.remove(edit);
      continue;
    }
    const overwrite = rules.overwriteKey(command.text);
    if (overwrite !== undefined) removeOverwritten(target, command.key, overwrite, rules);
    const node = target.get(command.key) ?? target.add(command.text, command.key);
    applyFortios(node, command, rules);
  }
}
