/**
 * A CLI command matcher the way network OSes do it: each typed word may be any unique prefix of a
 * keyword (`sh ver`, `conf t`), and a failure says where it happened (for the `^` marker) and
 * whether the word was unknown, ambiguous, or the command incomplete.
 */
export interface CommandSpec<C> {
  /** words; `<x>` takes one word, `<*>` takes the rest of the line (possibly nothing) */
  path: string;
  /** output to print (after pipes), or nothing */
  run: (ctx: C, args: string[]) => Promise<string | void | undefined> | string | void | undefined;
}

export type MatchResult<C> =
  | { kind: 'ok'; spec: CommandSpec<C>; args: string[] }
  | { kind: 'invalid'; column: number; word: string }
  | { kind: 'ambiguous'; column: number; word: string; candidates: string[] }
  | { kind: 'incomplete' }
  | { kind: 'empty' };

interface Compiled<C> {
  spec: CommandSpec<C>;
  words: string[];
}

export interface Token {
  word: string;
  column: number;
}

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const re = /"[^"]*"|\S+/g;
  for (let m = re.exec(line); m; m = re.exec(line)) tokens.push({ word: m[0], column: m.index });
  return tokens;
}

export class CommandSet<C> {
  private readonly compiled: Compiled<C>[];

  constructor(specs: CommandSpec<C>[]) {
    this.compiled = specs.map((spec) => ({ spec, words: spec.path.split(' ') }));
  }

  match(line: string): MatchResult<C> {
    const tokens = tokenize(line);
    if (tokens.length === 0) return { kind: 'empty' };
    let alive = this.compiled;
    const restStart = new Map<Compiled<C>, number>();
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i] as Token;
      const word = token.word.toLowerCase();
      const next: Compiled<C>[] = [];
      const literalHits = new Set<string>();
      let exact = false;
      for (const c of alive) {
        if (restStart.has(c)) {
          next.push(c);
          continue;
        }
        const expected = c.words[i];
        if (expected === undefined) continue;
        if (expected === '<*>') {
          restStart.set(c, i);
          next.push(c);
        } else if (expected.startsWith('<')) {
          next.push(c);
        } else if (expected.startsWith(word)) {
          next.push(c);
          literalHits.add(expected);
          if (expected === word) exact = true;
        }
      }
      if (next.length === 0) return { kind: 'invalid', column: token.column, word: token.word };
      if (literalHits.size > 1 && !exact) {
        const onlyLiterals = next.every((c) => restStart.has(c) || !(c.words[i] ?? '').startsWith('<'));
        if (onlyLiterals) return { kind: 'ambiguous', column: token.column, word: token.word, candidates: [...literalHits].sort() };
      }
      // An exact keyword beats prefixes of longer keywords ("show ip" vs "show ipv6").
      alive = exact ? next.filter((c) => restStart.has(c) || c.words[i] === word || (c.words[i] ?? '').startsWith('<')) : next;
      // Prefer a keyword over an argument slot when both match.
      if (literalHits.size > 0) {
        const literal = alive.filter((c) => restStart.has(c) || !(c.words[i] ?? '<').startsWith('<'));
        if (literal.length > 0) alive = literal;
      }
    }
    const complete = alive.filter((c) => restStart.has(c) || c.words.length === tokens.length || c.words[tokens.length] === '<*>');
    if (complete.length === 0) return { kind: 'incomplete' };
    const chosen = complete[0] as Compiled<C>;
    const args: string[] = [];
    chosen.words.forEach((w, i) => {
      if (w.startsWith('<') && w !== '<*>' && tokens[i]) args.push(unquote((tokens[i] as Token).word));
    });
    const rest = restStart.get(chosen) ?? (chosen.words[tokens.length] === '<*>' ? tokens.length : undefined);
    if (rest !== undefined) args.push(tokens.slice(rest).map((t) => t.word).join(' '));
    return { kind: 'ok', spec: chosen.spec, args };
  }
}

function unquote(word: string): string {
  return word.length >= 2 && word.startsWith('"') && word.endsWith('"') ? word.slice(1, -1) : word;
}

/** Splits `show run | include foo | exclude bar` into the command and its pipe filters. */
export function splitPipes(line: string): { command: string; pipes: string[] } {
  const parts = line.split(/\s+\|\s*/);
  return { command: (parts[0] ?? '').trim(), pipes: parts.slice(1).map((p) => p.trim()).filter(Boolean) };
}

/** IOS-style `| include`, `| exclude`, `| begin`, `| section`, `| count`. Unknown filters return null. */
export function applyIosPipe(text: string, pipe: string): string | null {
  const m = /^(\S+)\s*(.*)$/.exec(pipe);
  if (!m) return null;
  const [, verb = '', pattern = ''] = m;
  const lines = text.split('\n');
  const test = (line: string) => {
    try {
      return new RegExp(pattern).test(line);
    } catch {
      return line.includes(pattern);
    }
  };
  const v = verb.toLowerCase();
  if ('include'.startsWith(v) || v === 'i') return lines.filter(test).join('\n') + '\n';
  if ('exclude'.startsWith(v) || v === 'e') return lines.filter((l) => !test(l)).join('\n');
  if ('begin'.startsWith(v) || v === 'b') {
    const at = lines.findIndex(test);
    return at < 0 ? '' : lines.slice(at).join('\n');
  }
  if ('section'.startsWith(v) || v === 's') {
    const out: string[] = [];
    let inSection = false;
    for (const line of lines) {
      if (!line.startsWith(' ')) inSection = test(line);
      else if (!inSection && test(line)) out.push(line);
      if (inSection) out.push(line);
    }
    return out.join('\n') + (out.length ? '\n' : '');
  }
  if ('count'.startsWith(v) && v.length >= 2) return `Number of lines which match regexp = ${lines.filter((l) => l && test(l)).length}\n`;
  return null;
}
