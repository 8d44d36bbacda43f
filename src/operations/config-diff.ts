import { braceToSetLines, isBraceConfig } from './brace-config.js';

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
  if (isBraceConfig(runningConfig)) return setLinesNotApplied(candidate, braceToSetLines(runningConfig));
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
  if (isBraceConfig(before) || isBraceConfig(after)) return flatChanges(braceToSetLines(before), braceToSetLines(after));
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

/**
 * For `set`/`delete` candidates against a flattened brace config: a `set` line is missing when the
 * config lacks it; a `delete` line still has work to do while anything under its path exists.
 */
function setLinesNotApplied(candidate: readonly string[], setLines: readonly string[]): string[] {
  const present = new Set(setLines);
  return candidate.filter((raw) => {
    const line = raw.trim().replace(/\s+/g, ' ');
    if (line === '') return false;
    if (line.startsWith('delete ')) {
      const path = `set ${line.slice('delete '.length)}`;
      return setLines.some((l) => l === path || l.startsWith(`${path} `));
    }
    return !present.has(line.startsWith('set ') ? line : `set ${line}`);
  });
}

function flatChanges(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const had = new Set(before);
  const has = new Set(after);
  return { added: after.filter((l) => !had.has(l)), removed: before.filter((l) => !has.has(l)) };
}
