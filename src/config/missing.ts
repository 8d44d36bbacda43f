import { parseVlanList } from './canonical.js';
import type { CompiledRules } from './rules.js';
import { counterpart, type ConfigNode } from './tree.js';
import { splitWords } from './words.js';

/** An intended line the running config lacks, with the sections above it. */
export interface MissingLine {
  /** the section lines above it (empty at the top level) */
  parents: string[];
  line: string;
}

/**
 * The intended lines a running config lacks, compared by canonical keys (interface names, keyword
 * abbreviations, ACL sequence numbers, VLAN lists, hashed secrets). A negation (`no ip
 * domain-lookup`, `delete system ntp server X`, `unset X`) is present when what it removes is
 * absent, or when the device prints the negation itself (`no shutdown`). A missing section is
 * listed with every line under it. Order inside ordered sections is not checked (`compareTrees`
 * does that).
 */
export function missingLines(running: ConfigNode, intended: ConfigNode, rules: CompiledRules): MissingLine[] {
  const out: MissingLine[] = [];
  if (rules.syntax === 'set') missingSetLines(running, intended, rules, out);
  else missingLevel(running, intended, rules, [], out);
  return out;
}

function missingLevel(running: ConfigNode, intended: ConfigNode, rules: CompiledRules, parents: string[], out: MissingLine[]): void {
  for (const want of intended.children) {
    const have = counterpart(running, want, rules.hashedKey);
    if (have) {
      if (want.isSection) missingLevel(have, want, rules, [...parents, want.text], out);
      continue;
    }
    if (!want.isSection && removes(running, want.text, rules)) continue;
    if (!want.isSection && inVlanList(running, want.key, rules)) continue;
    out.push({ parents, line: want.text });
    for (const child of want.walk()) out.push({ parents: [...parents, ...child.path().slice(want.path().length - 1, -1)], line: child.text });
  }
}

/** A negation whose target is absent: `no X` (or FortiOS `unset X` / `delete NAME`). */
function removes(running: ConfigNode, text: string, rules: CompiledRules): boolean {
  let targets: string[];
  if (rules.syntax === 'fortios') {
    const [verb, name] = splitWords(text);
    if (verb === 'unset' && name) targets = [`set ${name}`];
    else if (verb === 'delete' && name) targets = [`edit ${name}`];
    else return false;
  } else if (text.startsWith(rules.negation)) targets = [text.slice(rules.negation.length)];
  else return false;
  return targets.every((target) => {
    const key = rules.keyOf(target);
    if (running.get(key)) return false;
    // `no neighbor 10.0.0.1` removes every line of that neighbour; `no description` the description
    if (running.children.some((c) => c.key.startsWith(key + ' '))) return false;
    const overwrite = rules.overwriteKey(target);
    return overwrite === undefined || !running.children.some((c) => rules.overwriteKey(c.text) === overwrite && !c.text.startsWith(rules.negation));
  });
}

/** `switchport trunk allowed vlan add 30` is present when the allowed list holds 30. */
function inVlanList(running: ConfigNode, key: string, rules: CompiledRules): boolean {
  const m = /^(.* vlan) add (\S+)$/.exec(key);
  if (!m) return false;
  const wanted = parseVlanList(m[2]!);
  if (!wanted) return false;
  const list = running.children.map((c) => rules.keyOf(c.text)).find((k) => k.startsWith(`${m[1]!} `) && parseVlanList(k.slice(m[1]!.length + 1)));
  if (!list) return false;
  const have = new Set(parseVlanList(list.slice(m[1]!.length + 1)));
  return wanted.every((id) => have.has(id));
}

function missingSetLines(running: ConfigNode, intended: ConfigNode, rules: CompiledRules, out: MissingLine[]): void {
  const { set, delete: del } = rules.verbs;
  for (const want of intended.children) {
    if (want.text.startsWith(del + ' ')) {
      const path = `${set} ${want.text.slice(del.length + 1)}`;
      if (running.children.some((c) => c.text === path || c.text.startsWith(path + ' '))) out.push({ parents: [], line: want.text });
      continue;
    }
    if (!counterpart(running, want, rules.hashedKey)) out.push({ parents: [], line: want.text });
  }
}
