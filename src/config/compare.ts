import type { CompiledRules } from './rules.js';
import type { ConfigNode } from './tree.js';

/**
 * The differences between two configs as trees: `- path` for what only `a` has, `+ path` for
 * what only `b` has, `~ path` where an ordered section's order differs. Empty when they are the
 * same. An emptied section that can only be reset (a physical interface after `default
 * interface`) counts as absent.
 */
export function compareTrees(a: ConfigNode, b: ConfigNode, rules: CompiledRules): string[] {
  const out: string[] = [];
  compareLevel(a, b, rules, [], out);
  return out;
}

/** Children that count: an emptied section that can only be reset or emptied counts as absent. */
function present(node: ConfigNode, rules: CompiledRules): ConfigNode[] {
  return node.children.filter((c) => c.isSection || !isContainer(c.text, rules));
}

function isContainer(line: string, rules: CompiledRules): boolean {
  if (rules.syntax === 'fortios') return line.startsWith('config ');
  return rules.resetCommand(line) !== undefined;
}

function compareLevel(a: ConfigNode, b: ConfigNode, rules: CompiledRules, path: string[], out: string[]): void {
  const label = (node: ConfigNode) => [...path, node.text].join(' > ');
  const inA = present(a, rules);
  const inB = present(b, rules);
  for (const node of inA) if (!b.get(node.key) || !inB.includes(b.get(node.key)!)) out.push(`- ${label(node)}`);
  for (const node of inB) {
    const other = a.get(node.key);
    if (!other || !inA.includes(other)) out.push(`+ ${label(node)}`);
    else compareLevel(other, node, rules, [...path, node.text], out);
  }
  if (path.length && rules.isOrdered(path[path.length - 1]!)) {
    const order = (nodes: ConfigNode[], other: ConfigNode) => nodes.filter((n) => other.get(n.key)).map((n) => n.key);
    if (order(inA, b).join('\n') !== order(inB, a).join('\n')) out.push(`~ ${path.join(' > ')} (order)`);
  }
}
