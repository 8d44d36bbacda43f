import type { CompiledRules } from './rules.js';
import { counterpart, type ConfigNode } from './tree.js';

/**
 * Merge semantics (NAPALM's load_merge, Ansible's *_config): `intended` is laid over `running`.
 * Lines are added, single-valued lines overwrite their old value, and a `no X` line replaces X;
 * nothing else is removed.
 */
export function mergeInto(target: ConfigNode, intended: ConfigNode, rules: CompiledRules): void {
  // a new line goes after the intended line before it, as the device would list it
  let previous: ConfigNode | undefined;
  for (const [index, want] of intended.children.entries()) {
    let node = counterpart(target, want, rules.hashedKey);
    if (!node) {
      const overwrite = rules.overwriteKey(want.text);
      const opposite = want.text.startsWith(rules.negation) ? want.text.slice(rules.negation.length) : rules.negation + want.text;
      for (const sibling of [...target.children]) {
        if ((overwrite !== undefined && rules.overwriteKey(sibling.text) === overwrite) || sibling.key === rules.keyOf(opposite)) target.remove(sibling);
      }
      const at = previous ? target.children.indexOf(previous) + 1 : firstExisting(target, intended.children.slice(index + 1));
      node = target.add(want.text, want.key, at);
    }
    previous = node;
    mergeInto(node, want, rules);
  }
}

/** The position of the first of `later` that `target` already has (to insert before it). */
function firstExisting(target: ConfigNode, later: readonly ConfigNode[]): number | undefined {
  for (const node of later) {
    const existing = target.get(node.key);
    if (existing) return target.children.indexOf(existing);
  }
  return undefined;
}

/** The node at a path of section lines (compared by key), or undefined. */
export function findPath(tree: ConfigNode, path: readonly string[], rules: CompiledRules): ConfigNode | undefined {
  let node: ConfigNode | undefined = tree;
  for (const line of path) node = node?.get(rules.keyOf(line));
  return node;
}

/**
 * Makes `target`'s section at `path` exactly `intended`'s (or removes it where intended has none).
 * Where neither has a line of that name, the last element is a prefix (`ntp server`): the lines
 * under the parent that start with it become exactly the intended ones.
 */
export function replaceSection(target: ConfigNode, intended: ConfigNode, path: readonly string[], rules: CompiledRules): void {
  const parent = findPath(target, path.slice(0, -1), rules);
  if (!parent) return;
  const last = path[path.length - 1]!;
  const have = parent.get(rules.keyOf(last));
  const want = findPath(intended, path, rules);
  if (!have && !want) {
    const prefix = rules.keyOf(last);
    const wanted = findPath(intended, path.slice(0, -1), rules);
    for (const child of [...parent.children]) {
      if (child.key.startsWith(prefix) && !wanted?.get(child.key)) parent.remove(child);
    }
    return;
  }
  if (want) {
    const copy = want.clone();
    if (have) {
      // keep the section where it stands; only its body is replaced
      have.clear();
      for (const child of copy.children) have.adopt(child);
    } else parent.adopt(copy);
  } else if (have) parent.remove(have);
}

/** Removes the line at each path (with its section), where the target still has it. */
export function removePaths(target: ConfigNode, paths: readonly (readonly string[])[], rules: CompiledRules): void {
  for (const path of paths) {
    const node = findPath(target, path, rules);
    node?.parent?.remove(node);
  }
}
