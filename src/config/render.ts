import type { CompiledRules } from './rules.js';
import type { ConfigNode } from './tree.js';

export interface RenderOptions {
  /**
   * Lines to send to a device: each section is left explicitly with the platform's exit command,
   * so a sibling typed after a nested section (an address family) is not taken as its child.
   */
  forPush?: boolean;
}

/** A tree (a config or a command tree) as lines in the platform's syntax. */
export function renderTree(tree: ConfigNode, rules: CompiledRules, options: RenderOptions = {}): string[] {
  const out: string[] = [];
  if (rules.syntax === 'set') {
    for (const line of tree.children) out.push(line.text);
    return out;
  }
  const pad = (depth: number) => ' '.repeat(depth * (rules.syntax === 'fortios' ? 4 : rules.indent));
  const walk = (node: ConfigNode, depth: number) => {
    for (const child of node.children) {
      out.push(...child.text.split('\n').map((line, i) => (i === 0 ? pad(depth) + line : line)));
      if (rules.syntax === 'fortios') {
        if (/^(config|edit)\s/.test(child.text)) {
          walk(child, depth + 1);
          out.push(pad(depth) + (child.text.startsWith('config') ? 'end' : 'next'));
        }
        continue;
      }
      if (!child.isSection) continue;
      walk(child, depth + 1);
      if (options.forPush && rules.exit) out.push(pad(depth + 1) + rules.exit);
    }
  };
  walk(tree, 0);
  return out;
}
