/**
 * Junos and PAN-OS configs kept as `set` lines (what `| display set` prints), rendered on demand
 * as the curly-brace hierarchy. The split of a set line into nested statements uses small keyword
 * tables: a few keywords take a name (`unit 0`, `family inet`), some take the rest of the line
 * as one leaf (`host-name mx1`, `route 0/0 next-hop 10.0.0.1`).
 */
const NAMED = new Set([
  'unit', 'family', 'group', 'neighbor', 'term', 'area', 'interface', 'policy-statement', 'filter', 'user', 'community',
  'prefix-list', 'routing-instances', 'vlans', 'zone', 'security-zone', 'policy', 'from-zone', 'to-zone', 'rules', 'entry',
  'address', 'address-book', 'application', 'profile', 'server', 'vsys', 'rulebase', 'layer3',
  'units', 'virtual-router', 'zone-protection-profile', 'vlan', 'client', 'trap-group', 'log-file', 'file', 'host',
]);
const REST_IS_LEAF = new Set([
  'host-name', 'description', 'next-hop', 'authentication-key', 'encrypted-password', 'class', 'uid', 'route', 'version',
  'location', 'contact', 'time-zone', 'domain-name', 'name-server', 'local-as', 'peer-as', 'type', 'mtu', 'vlan-id',
  'local-address', 'hostname', 'timezone', 'ip-address', 'netmask', 'default-gateway', 'phash', 'permissions', 'authorization',
  'secret', 'destination', 'source', 'action', 'ntp-servers', 'primary-ntp-server', 'dns-setting', 'ip', 'router-id',
  'autonomous-system', 'any', 'facility', 'archive', 'prefix', 'ssh', 'netconf', 'web-management', 'protocol', 'port',
  'tag', 'members', 'vlan-members', 'interface-mode', 'priority', 'encryption', 'boot', 'bandwidth', 'metric', 'multipath',
]);
/** In these the leaf keeps one value: a new `set` replaces the old one. */
const SINGLE_VALUED = new Set([
  'host-name', 'description', 'class', 'uid', 'version', 'location', 'contact', 'time-zone', 'domain-name', 'local-as', 'peer-as',
  'type', 'mtu', 'vlan-id', 'local-address', 'hostname', 'timezone', 'ip-address', 'netmask', 'default-gateway', 'encrypted-password',
  'authentication-key', 'phash', 'router-id', 'interface-mode', 'authorization', 'action',
]);
const SECRET_LEAVES = /^(encrypted-password|authentication-key|secret|phash|pre-shared-key)\b/;

export function segments(line: string): string[] {
  const words = line.match(/"[^"]*"|\S+/g) ?? [];
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    const leafStart = REST_IS_LEAF.has(word) && i + 1 < words.length && !(NAMED.has(word) && i + 2 < words.length);
    if (leafStart) {
      out.push(words.slice(i).join(' '));
      break;
    }
    if (NAMED.has(word) && i + 1 < words.length) {
      out.push(`${word} ${words[i + 1]}`);
      i++;
    } else out.push(word);
  }
  return out;
}

interface TreeNode {
  name: string;
  children: TreeNode[];
  leaf: boolean;
}

function buildTree(lines: string[]): TreeNode[] {
  const root: TreeNode = { name: '', children: [], leaf: false };
  for (const line of lines) {
    const parts = segments(line);
    let node = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      let child = node.children.find((c) => c.name === part && c.leaf === last);
      if (!child) {
        child = { name: part, children: [], leaf: last };
        node.children.push(child);
      }
      node = child;
    });
  }
  return root.children;
}

/** The curly-brace config; `indent` is 4 spaces on Junos and PAN-OS. */
export function renderCurly(lines: string[], indent = '    '): string {
  const out: string[] = [];
  const walk = (nodes: TreeNode[], depth: number) => {
    const pad = indent.repeat(depth);
    for (const node of nodes) {
      if (node.leaf && node.children.length === 0) out.push(`${pad}${node.name};${SECRET_LEAVES.test(node.name) ? ' ## SECRET-DATA' : ''}`);
      else {
        out.push(`${pad}${node.name} {`);
        walk(node.children, depth + 1);
        out.push(`${pad}}`);
      }
    }
  };
  walk(buildTree(lines), 0);
  return out.join('\n') + (out.length ? '\n' : '');
}

/** Applies `set X` to a list of set lines (without the leading `set`). */
export function applySet(lines: string[], statement: string): string[] {
  if (lines.includes(statement)) return lines;
  const parts = segments(statement);
  const leaf = parts[parts.length - 1] ?? '';
  const keyword = leaf.split(' ')[0] ?? '';
  let next = lines;
  if (SINGLE_VALUED.has(keyword)) {
    const container = parts.slice(0, -1).join(' ');
    next = lines.filter((l) => {
      const p = segments(l);
      return !(p.slice(0, -1).join(' ') === container && (p[p.length - 1] ?? '').split(' ')[0] === keyword);
    });
  }
  return [...next, statement];
}

/** Applies `delete X`: removes the statement and everything under it. */
export function applyDelete(lines: string[], path: string): { lines: string[]; removed: number } {
  const kept = lines.filter((l) => !(l === path || l.startsWith(path + ' ')));
  return { lines: kept, removed: lines.length - kept.length };
}

/** Junos-style `show | compare`: `[edit path]` headers with `-`/`+` statements. */
export function compareSetLines(before: string[], after: string[]): string {
  const removed = before.filter((l) => !after.includes(l));
  const added = after.filter((l) => !before.includes(l));
  const groups = new Map<string, string[]>();
  const note = (line: string, sign: string) => {
    const parts = segments(line);
    const header = `[edit${parts.length > 1 ? ' ' + parts.slice(0, -1).join(' ') : ''}]`;
    const list = groups.get(header) ?? [];
    list.push(`${sign}   ${parts[parts.length - 1]};`);
    groups.set(header, list);
  };
  removed.forEach((l) => note(l, '-'));
  added.forEach((l) => note(l, '+'));
  const out: string[] = [];
  for (const [header, list] of groups) out.push(header, ...list);
  return out.join('\n') + (out.length ? '\n' : '');
}

/** Brace text parsed into set lines; `replaced` holds the paths marked `replace:` (for `load replace`). */
export type CurlyParse = { lines: string[]; replaced: string[] } | { error: string; line: number; column: number };

/**
 * Parses Junos curly-brace config text (what `show configuration` prints and `load merge terminal`
 * takes) into set lines: `a { b c; }` → `a b c`, leaf lists `members [ x y ];` → one line each.
 * Comments (block comments, `#`) are skipped; `inactive:` is dropped; `replace:` marks a section.
 */
export function parseCurly(text: string): CurlyParse {
  const tokens: { word: string; line: number; column: number }[] = [];
  const lines = text.split('\n');
  let inComment = false;
  lines.forEach((raw, index) => {
    const re = /\/\*|\*\/|"(?:[^"\\]|\\.)*"|[{};[\]]|#.*$|[^\s{};[\]"#]+/g;
    for (let m = re.exec(raw); m; m = re.exec(raw)) {
      const word = m[0];
      if (inComment) {
        if (word === '*/') inComment = false;
        continue;
      }
      if (word === '/*') inComment = true;
      else if (!word.startsWith('#')) tokens.push({ word, line: index + 1, column: m.index });
    }
  });
  const out: string[] = [];
  const replaced: string[] = [];
  const path: string[][] = [];
  let words: string[] = [];
  let list: string[] | undefined;
  let replaceNext = false;
  for (const token of tokens) {
    const { word } = token;
    const fail = () => ({ error: word, line: token.line, column: token.column });
    if (list) {
      if (word === ']') {
        const base = [...path.flat(), ...words];
        for (const item of list) out.push([...base, item].join(' '));
        list = undefined;
        words = [];
        continue;
      }
      if (/^[{};[]$/.test(word)) return fail();
      list.push(word);
      continue;
    }
    if (word === 'replace:') {
      replaceNext = true;
      continue;
    }
    if (word === 'inactive:' || word === 'protect:') continue;
    if (word === '[') {
      if (words.length === 0) return fail();
      list = [];
      continue;
    }
    if (word === '{') {
      if (words.length === 0) return fail();
      path.push(words);
      if (replaceNext) replaced.push(path.flat().join(' '));
      replaceNext = false;
      words = [];
      continue;
    }
    if (word === ';') {
      if (words.length > 0) {
        out.push([...path.flat(), ...words].join(' '));
        if (replaceNext) replaced.push([...path.flat(), ...words].join(' '));
      }
      replaceNext = false;
      words = [];
      continue;
    }
    if (word === '}') {
      if (words.length > 0 || path.length === 0) return fail();
      const closed = path.pop() as string[];
      // an empty section still exists: `interfaces { lo0 { } }` keeps `interfaces lo0`
      if (!out.some((l) => l.startsWith([...path.flat(), ...closed].join(' ')))) out.push([...path.flat(), ...closed].join(' '));
      continue;
    }
    if (word === ']') return fail();
    words.push(word);
  }
  if (words.length > 0 || path.length > 0 || list) {
    const last = tokens[tokens.length - 1];
    return { error: 'unexpected end of input', line: last?.line ?? 1, column: last?.column ?? 0 };
  }
  return { lines: out, replaced };
}
