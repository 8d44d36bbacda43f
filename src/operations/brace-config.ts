/**
 * Junos-style hierarchical configs (`interfaces { ge-0/0/0 { unit 0 { ... } } }`) flattened to the
 * `set` lines that would build them, so they can be compared line by line with `set` candidates.
 */

/** True when the text is a brace-structured config rather than an indented one. */
export function isBraceConfig(text: string): boolean {
  let opens = 0;
  let closes = 0;
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t.endsWith('{')) opens++;
    else if (t === '}') closes++;
    if (opens > 2 && closes > 2) return true;
  }
  return false;
}

function stripComment(line: string): string {
  return line.replace(/\/\*.*?\*\//g, '').replace(/\s+##.*$/, '').trim();
}

export function braceToSetLines(text: string): string[] {
  const path: string[] = [];
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = stripComment(raw).replace(/^(inactive|protect): /, '');
    if (line === '' || line.startsWith('#')) continue;
    if (line === '}') {
      path.pop();
      continue;
    }
    if (line.endsWith('{')) {
      path.push(line.slice(0, -1).trim());
      continue;
    }
    const leaf = line.replace(/;$/, '').trim();
    const list = /^(.*?)\s*\[\s*(.*?)\s*\]$/.exec(leaf);
    const items = list ? list[2]!.split(/\s+/).filter(Boolean).map((item) => `${list[1]} ${item}`) : [leaf];
    for (const item of items) out.push(['set', ...path, item].join(' '));
  }
  return out;
}
