/**
 * Canonical forms: what a line is compared as, so that the way a template writes a command and the
 * way the device prints it back count as the same line (`Gi0/1` = `GigabitEthernet0/1`, `no shut`
 * = `no shutdown`, `10-12` = `10,11,12`). The data (interface names, keyword phrases, VLAN-list
 * patterns) is per platform, in src/platforms/config-models.ts; this module turns it into
 * functions. Only comparison keys are rewritten: the commands pushed stay as the template wrote them.
 */

type Rewrite = (line: string) => string;

const identity: Rewrite = (line) => line;

interface InterfaceName {
  full: string;
  lower: string;
  aliases: string[];
}

/**
 * Interface names: a word made of an interface type (any unambiguous abbreviation of at least two
 * letters, any case, or an alias such as Comware's `GE`) and a number (`0/1`, `1/1/1.100`,
 * `0/RSP0/CPU0/0`) becomes the full name as the device prints it. `interface Gi 0/1` (a space
 * before the number, which IOS and NX-OS accept) is read the same on `interface` lines.
 * `names` come as `Full` or `Full=ALIAS,ALIAS`, preferred first where an abbreviation is ambiguous.
 */
export function interfaceRewrite(names: readonly string[] | undefined): Rewrite {
  if (!names?.length) return identity;
  const types: InterfaceName[] = names.map((entry) => {
    const [full, aliases = ''] = entry.split('=') as [string, string?];
    return { full, lower: full.toLowerCase(), aliases: aliases.split(',').filter(Boolean).map((a) => a.toLowerCase()) };
  });
  const resolved = new Map<string, string | null>();
  const resolve = (word: string): string | undefined => {
    const lower = word.toLowerCase();
    let hit = resolved.get(lower);
    if (hit === undefined) {
      const type = types.find((t) => t.aliases.includes(lower)) ?? (lower.length >= 2 ? types.find((t) => t.lower.startsWith(lower)) : undefined);
      hit = type ? type.full : null;
      resolved.set(lower, hit);
    }
    return hit ?? undefined;
  };
  const token = /(^|[\s,])([A-Za-z][A-Za-z-]*?)(\d[\w/:.]*)(?=$|[\s,])/g;
  const spaced = /^((?:no )?interface )([A-Za-z][A-Za-z-]*) (\d[\w/:.]*)$/;
  return (line) => {
    const m = spaced.exec(line);
    if (m) {
      const full = resolve(m[2]!);
      if (full) line = `${m[1]}${full}${m[3]}`;
    }
    return line.replace(token, (all, lead: string, type: string, number: string) => {
      const full = resolve(type);
      return full ? `${lead}${full}${number}` : all;
    });
  };
}

/**
 * Keyword abbreviations at the start of a line (after an optional negation): `desc` = `description`,
 * `no shut` = `no shutdown`, `ip add` = `ip address`. A phrase is `word word…`; each word may be
 * abbreviated down to 3 letters, or to `n` written as `word:n`. Longer phrases are tried first.
 */
export function keywordRewrite(phrases: readonly string[] | undefined, negation: string): Rewrite {
  if (!phrases?.length) return identity;
  const parsed = phrases
    .map((phrase) =>
      phrase.split(' ').map((w) => {
        const [word, min] = w.split(':') as [string, string?];
        return { word, min: min ? Number(min) : Math.min(3, word.length) };
      }),
    )
    .sort((a, b) => b.length - a.length);
  const byInitial = new Map<string, (typeof parsed)[number][]>();
  for (const phrase of parsed) {
    const initial = phrase[0]!.word[0]!;
    byInitial.set(initial, [...(byInitial.get(initial) ?? []), phrase]);
  }
  return (line) => {
    const negated = negation !== '' && line.startsWith(negation);
    const body = negated ? line.slice(negation.length) : line;
    const candidates = byInitial.get(body[0] ?? '');
    if (!candidates) return line;
    const words = body.split(' ');
    for (const phrase of candidates) {
      if (phrase.length > words.length) continue;
      const fits = phrase.every((p, i) => {
        const w = words[i]!;
        return w.length >= p.min && p.word.startsWith(w);
      });
      if (!fits) continue;
      const expanded = [...phrase.map((p) => p.word), ...words.slice(phrase.length)].join(' ');
      return negated ? negation + expanded : expanded;
    }
    return line;
  };
}

/** `10-12,20` → [10, 11, 12, 20]; undefined when it is not a plain VLAN list (`all`, `none`, `add 5`). */
export function parseVlanList(text: string): number[] | undefined {
  if (!/^\d+(?:-\d+)?(?:,\d+(?:-\d+)?)*$/.test(text)) return undefined;
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to = from] = part.split('-').map(Number) as [number, number?];
    if (to < from || to - from > 4094) return undefined;
    for (let n = from; n <= to; n++) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

/** [10, 11, 12, 20] → `10-12,20`. */
export function formatVlanList(ids: readonly number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j]! + 1) j++;
    out.push(j > i ? `${ids[i]}-${ids[j]}` : String(ids[i]));
    i = j;
  }
  return out.join(',');
}

/** Lines carrying a VLAN list compare by the list's members: `allowed vlan 12,10-11` = `allowed vlan 10-12`. */
export function vlanListRewrite(patterns: readonly string[] | undefined): Rewrite {
  if (!patterns?.length) return identity;
  const compiled = patterns.map((p) => new RegExp(p));
  return (line) => {
    for (const re of compiled) {
      const m = re.exec(line);
      if (!m) continue;
      const ids = parseVlanList(m[2]!);
      if (ids) return `${m[1]}${formatVlanList(ids)}${line.slice(m.index + m[0].length)}`;
    }
    return line;
  };
}

/**
 * A line that stands for one line per VLAN (`vlan 10-12`, `vlan 1,10-12`): the lines it stands
 * for, or undefined (one VLAN, or no match).
 */
export function vlanRangeExpander(patterns: readonly string[] | undefined): (line: string) => string[] | undefined {
  if (!patterns?.length) return () => undefined;
  const compiled = patterns.map((p) => new RegExp(p));
  return (line) => {
    for (const re of compiled) {
      const m = re.exec(line);
      if (!m || !/[-,]/.test(m[2]!)) continue;
      const ids = parseVlanList(m[2]!);
      if (ids) return ids.map((id) => `${m[1]}${id}`);
    }
    return undefined;
  };
}

/** Applies each rewrite in turn. */
export function chain(rewrites: readonly Rewrite[]): Rewrite {
  const active = rewrites.filter((r) => r !== identity);
  if (active.length === 0) return identity;
  return (line) => {
    for (const rewrite of active) line = rewrite(line);
    return line;
  };
}
