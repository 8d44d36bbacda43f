/**
 * The running config of IOS-like platforms (IOS, NX-OS, XR, EOS, ProCurve, AOS-CX) as a tree of
 * lines: top-level commands, and sections (`interface X`, `router bgp N`) holding child lines.
 */
export interface ConfigNode {
  text: string;
  children: ConfigNode[];
}

export interface RenderStyle {
  /** indent per level */
  indent: string;
  /** line written after each top-level section ('!' on IOS, '' for none) */
  sectionEnd: string;
  /** written after the children of a top-level section, indented as a child ('exit' on ProCurve) */
  childEnd?: string;
  /** written after a nested section, at that section's indent ('!' on XR) */
  nestedEnd?: string;
  /** line between consecutive top-level non-section lines of different kinds, e.g. '!' */
  groupSeparator?: string;
}

const IGNORED = /^\s*(!.*|exit|end|#.*)?\s*$/;

/** Parses indented config text; comment lines (`!`) and `exit`/`end` are structure, not config. */
export function parseConfig(text: string): ConfigNode[] {
  const root: ConfigNode = { text: '', children: [] };
  const stack: { node: ConfigNode; indent: number }[] = [{ node: root, indent: -1 }];
  for (const line of text.split('\n')) {
    if (IGNORED.test(line)) continue;
    const indent = line.length - line.trimStart().length;
    while (stack.length > 1 && (stack[stack.length - 1] as { indent: number }).indent >= indent) stack.pop();
    const node: ConfigNode = { text: line.trim(), children: [] };
    (stack[stack.length - 1] as { node: ConfigNode }).node.children.push(node);
    stack.push({ node, indent });
  }
  return root.children;
}

export function renderConfig(nodes: ConfigNode[], style: RenderStyle): string {
  const out: string[] = [];
  const renderChildren = (children: ConfigNode[], depth: number) => {
    const pad = style.indent.repeat(depth);
    for (const child of children) {
      out.push(pad + child.text);
      if (child.children.length) {
        renderChildren(child.children, depth + 1);
        if (style.nestedEnd !== undefined) out.push(pad + style.nestedEnd);
      }
    }
  };
  let previousWord = '';
  for (const node of nodes) {
    const word = node.text.split(' ')[0] ?? '';
    if (node.children.length === 0 && style.groupSeparator !== undefined && previousWord && word !== previousWord && out[out.length - 1] !== style.sectionEnd) {
      out.push(style.groupSeparator);
    }
    out.push(node.text);
    if (node.children.length) {
      renderChildren(node.children, 1);
      if (style.childEnd !== undefined) out.push(style.indent + style.childEnd);
      if (style.sectionEnd) out.push(style.sectionEnd);
      previousWord = '';
    } else previousWord = word;
  }
  return out.join('\n') + '\n';
}

export function cloneConfig(nodes: ConfigNode[]): ConfigNode[] {
  return nodes.map((n) => ({ text: n.text, children: cloneConfig(n.children) }));
}

/** Keywords whose value replaces the previous one instead of adding a second line. */
const SINGLE_VALUED = [
  'description',
  'ip address',
  'ipv6 address',
  'mtu',
  'speed',
  'duplex',
  'bandwidth',
  'switchport mode',
  'switchport access vlan',
  'switchport trunk native vlan',
  'encapsulation dot1q',
  'encapsulation',
  'vrf forwarding',
  'vrf member',
  'vrf',
  'name',
  'hostname',
  'ip domain-name',
  'ip domain name',
  'domain-name',
  'enable secret',
  'clock timezone',
  'router-id',
  'bgp router-id',
  'ipv4 address',
  'untagged',
  'tagged',
  'banner motd',
  'exec-timeout',
  'transport input',
  'login',
  'spanning-tree mode',
];

function singleValueKey(text: string): string | undefined {
  let best: string | undefined;
  for (const key of SINGLE_VALUED) {
    if ((text === key || text.startsWith(key + ' ')) && (!best || key.length > best.length)) best = key;
  }
  if (best === 'ip address' && / secondary$/.test(text)) return undefined;
  return best;
}

const matchesPrefix = (text: string, prefix: string) => text === prefix || text.startsWith(prefix + ' ');

/** Adds a line under `parent` (or replaces the line it supersedes); returns the node. */
export function addLine(siblings: ConfigNode[], text: string, options: { keepNoShutdown?: boolean } = {}): ConfigNode {
  const existing = siblings.find((n) => n.text === text);
  if (existing) return existing;
  if (text === 'shutdown') removeWhere(siblings, (n) => n.text === 'no shutdown');
  if (text === 'no shutdown') {
    removeWhere(siblings, (n) => n.text === 'shutdown');
    if (!options.keepNoShutdown) return { text, children: [] };
  }
  const key = singleValueKey(text);
  const node: ConfigNode = { text, children: [] };
  if (key) {
    const at = siblings.findIndex((n) => singleValueKey(n.text) === key);
    if (at >= 0) {
      node.children = (siblings[at] as ConfigNode).children;
      siblings[at] = node;
      return node;
    }
  }
  // Devices list an interface's description first.
  if (key === 'description') {
    siblings.unshift(node);
    return node;
  }
  // Keep like with like: a new `username` goes after the last `username`.
  const word = text.split(' ')[0];
  let insertAt = -1;
  for (let i = siblings.length - 1; i >= 0; i--) {
    if ((siblings[i] as ConfigNode).text.split(' ')[0] === word) {
      insertAt = i + 1;
      break;
    }
  }
  if (insertAt < 0) siblings.push(node);
  else siblings.splice(insertAt, 0, node);
  return node;
}

/** `no X`: removes lines and sections starting with X; returns how many were removed. */
export function removeLine(siblings: ConfigNode[], prefix: string): number {
  const exact = siblings.filter((n) => n.text === prefix).length;
  if (exact) return removeWhere(siblings, (n) => n.text === prefix);
  return removeWhere(siblings, (n) => matchesPrefix(n.text, prefix));
}

function removeWhere(siblings: ConfigNode[], test: (n: ConfigNode) => boolean): number {
  let removed = 0;
  for (let i = siblings.length - 1; i >= 0; i--) {
    if (test(siblings[i] as ConfigNode)) {
      siblings.splice(i, 1);
      removed++;
    }
  }
  return removed;
}

export function findSection(siblings: ConfigNode[], text: string): ConfigNode | undefined {
  return siblings.find((n) => n.text === text);
}

/** Lines added (+) and removed (-), each with its section path, for XR-style `show configuration`. */
export function diffConfig(before: ConfigNode[], after: ConfigNode[]): string[] {
  const flat = (nodes: ConfigNode[], path: string[] = []): string[] =>
    nodes.flatMap((n) => [[...path, n.text].join('\u0000'), ...flat(n.children, [...path, n.text])]);
  const a = new Set(flat(before));
  const b = new Set(flat(after));
  const out: string[] = [];
  for (const line of b) if (!a.has(line)) out.push(line);
  for (const line of a) if (!b.has(line)) out.push('no\u0001' + line);
  return out;
}
