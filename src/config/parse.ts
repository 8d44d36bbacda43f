import { braceToSetLines } from '../operations/brace-config.js';
import type { CompiledRules } from './rules.js';
import { ConfigNode } from './tree.js';

/**
 * Parses a config (or a list of commands) into a tree. Indent and FortiOS syntax nest by
 * indentation; set syntax keeps one leaf per `set` line (Junos brace configs are converted to
 * set lines first). Banners (`banner motd ^C … ^C`) become one node holding every line.
 */
export function parseTree(text: string, rules: CompiledRules): ConfigNode {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (rules.syntax === 'set') return parseSetLines(isBraces(text) ? braceToSetLines(text) : lines, rules);
  return expandRanges(parseIndented(lines, rules), rules);
}

/**
 * `vlan 10-12` (and NX-OS's summary line `vlan 1,10-12`) stands for one section per VLAN: each
 * gets the range's body, and a later `vlan 10` with its own body joins the same node.
 */
function expandRanges(root: ConfigNode, rules: CompiledRules): ConfigNode {
  if (!root.children.some((c) => rules.expandRange(c.text))) return root;
  const out = new ConfigNode('');
  out.lookup = rules.lookup;
  for (const child of [...root.children]) {
    const existing = out.get(child.key);
    const expanded = rules.expandRange(child.text);
    if (!expanded && !existing) {
      root.remove(child);
      out.adopt(child);
      continue;
    }
    for (const text of expanded ?? [child.text]) {
      const node = out.add(text, text === child.text ? child.key : rules.keyOf(text));
      for (const grandchild of child.children) if (!node.get(grandchild.key)) node.adopt(grandchild.clone());
    }
  }
  return out;
}

/** A Junos-style hierarchy (`system {` … `}`) rather than set lines. */
function isBraces(text: string): boolean {
  return /\{\s*$/m.test(text) && !/^\s*set\s/m.test(text);
}

function parseSetLines(lines: readonly string[], rules: CompiledRules): ConfigNode {
  const root = new ConfigNode('');
  root.lookup = rules.lookup;
  for (const raw of lines) {
    const line = raw.trim().replace(/\s+/g, ' ');
    if (line === '' || rules.isIgnored(line)) continue;
    if (!line.startsWith(rules.verbs.set + ' ') && !line.startsWith(rules.verbs.delete + ' ')) continue;
    root.add(line, rules.keyOf(line));
  }
  return root;
}

const BANNER = /^banner\s+\S+\s+(\^C|\S)/;

function parseIndented(lines: readonly string[], rules: CompiledRules): ConfigNode {
  const root = new ConfigNode('');
  root.lookup = rules.lookup;
  const stack: { node: ConfigNode; indent: number }[] = [{ node: root, indent: -1 }];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\s+$/, '');
    const text = raw.trim();
    if (text === '' || rules.isIgnored(text)) continue;
    const indent = raw.length - raw.trimStart().length;
    let nodeText = text;
    const banner = BANNER.exec(text);
    if (banner) {
      const delimiter = banner[1]!;
      const rest = text.slice(banner[0].length);
      if (!rest.includes(delimiter)) {
        const body = [raw.trimStart()];
        while (++i < lines.length) {
          body.push(lines[i]!.replace(/\s+$/, ''));
          if (lines[i]!.includes(delimiter)) break;
        }
        nodeText = body.join('\n');
      }
    }
    while (stack.length > 1 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    const parent = stack[stack.length - 1]!.node;
    const node = parent.add(nodeText, rules.keyOf(nodeText));
    stack.push({ node, indent });
  }
  return root;
}
