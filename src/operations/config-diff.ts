/**
 * Simple, platform-neutral line comparisons for config pushes. Indented lines are compared within
 * their section (the last unindented line above them), so ` shutdown` under one interface is not
 * mistaken for the same line under another.
 */

function keyedLines(text: string): string[] {
  const keys: string[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\s+$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed === '!' || trimmed.startsWith('#')) continue;
    if (/^\s/.test(line)) keys.push(`${section}\u0000${trimmed}`);
    else {
      section = trimmed;
      keys.push(trimmed);
    }
  }
  return keys;
}

/**
 * The candidate lines that the running config does not already contain. An unindented candidate
 * line right after a section header may be a child typed without indentation (IOS accepts
 * `interface X` then `description Y`), so it counts as present when the section has it.
 */
export function linesNotPresent(candidate: readonly string[], runningConfig: string): string[] {
  const keys = keyedLines(runningConfig);
  const present = new Set(keys);
  const sections = new Set(keys.filter((k) => k.includes('\u0000')).map((k) => k.slice(0, k.indexOf('\u0000'))));
  const missing: string[] = [];
  let section = '';
  for (const raw of candidate) {
    const line = raw.replace(/\s+$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed === '!') continue;
    const asChild = `${section}\u0000${trimmed}`;
    if (/^\s/.test(line)) {
      if (!present.has(asChild)) missing.push(line);
      continue;
    }
    const topLevel = present.has(trimmed);
    const childOfSection = section !== '' && present.has(asChild);
    if (!topLevel && !childOfSection) missing.push(line);
    // a line we cannot place stays inside a real section: unindented children are common
    if (topLevel || !sections.has(section)) section = trimmed;
  }
  return missing;
}

/** Lines added and removed between two configs, section-aware, as `+ line` / `- line` style lists. */
export function configChanges(before: string, after: string): { added: string[]; removed: string[] } {
  const count = (keys: string[]): Map<string, number> => {
    const map = new Map<string, number>();
    for (const key of keys) map.set(key, (map.get(key) ?? 0) + 1);
    return map;
  };
  const beforeKeys = count(keyedLines(before));
  const afterKeys = count(keyedLines(after));
  const show = (key: string): string => {
    const [section, line] = key.split('\u0000');
    return line === undefined ? section! : `${section} > ${line}`;
  };
  const added: string[] = [];
  const removed: string[] = [];
  for (const [key, n] of afterKeys) for (let i = (beforeKeys.get(key) ?? 0); i < n; i++) added.push(show(key));
  for (const [key, n] of beforeKeys) for (let i = (afterKeys.get(key) ?? 0); i < n; i++) removed.push(show(key));
  return { added, removed };
}
