/**
 * Python `re` pattern → JavaScript RegExp, with Python's matching semantics kept:
 * - `\w \d \s \b` match Unicode as Python 3 str patterns do (JS's are ASCII even with `u`);
 * - `(?P<n>…)`, `(?P=n)`, `\A`, `\Z`, `{,n}`, lone `{ } ]` literals, `(?#…)` comments;
 * - atomic groups and possessive quantifiers through the lookahead-capture idiom `(?=(X))\1`;
 * - global inline flags at the start; scoped flags only where they change nothing for a single
 *   line (m, s) or map to the emitted classes (a, u). Anything else is rejected, never guessed.
 * Output uses the `u` flag, not `v`: Node 20's `v` mode mis-matches negated classes inside repeated
 * groups (`/(?:[^ ]+ ){2}/v` fails on 'a b '). Negated shorthands inside a class become lookaheads.
 * Subjects are always single lines (no \n, \r, \u2028, \u2029), so `.`, `^` and `$` need no change.
 */

export class RegexTranslationError extends Error {
  constructor(
    readonly construct: string,
    message: string,
  ) {
    super(message);
  }
}

export interface TranslatedRegex {
  /** JS source, for `new RegExp(source, flags)` */
  source: string;
  flags: string;
  /** capturing groups as Python counts them */
  groups: number;
  /** named groups, in pattern order */
  names: string[];
  /** repeated groups holding named groups: see RepeatSite */
  repeats: RepeatSite[];
}

/** Characters Python's str.isspace() accepts (what `\s` matches in a str pattern). */
export const PY_SPACE = '\\t\\n\\u{b}\\u{c}\\r\\u{1c}-\\u{1f} \\u{85}\\u{a0}\\u{1680}\\u{2000}-\\u{200a}\\u{2028}\\u{2029}\\u{202f}\\u{205f}\\u{3000}';
const PY_WORD = '\\p{L}\\p{N}_';
const ASCII_SPACE = ' \\t\\n\\r\\u{b}\\u{c}';
const ASCII_WORD = 'A-Za-z0-9_';

interface ClassSets {
  word: string;
  digit: string;
  space: string;
  /** the sets as code point ranges, for complements inside a class */
  ranges: { word: () => Range[]; digit: () => Range[]; space: () => Range[] };
}
type Range = [number, number];

const PY_SPACE_RANGES: Range[] = [[9, 13], [0x1c, 0x20], [0x85, 0x85], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000]];
const scanned = new Map<string, Range[]>();
/** The code points a u-mode class matches, as ranges (scanned once per process, ~0.1 s). */
function scanRanges(body: string): Range[] {
  let ranges = scanned.get(body);
  if (ranges) return ranges;
  ranges = [];
  const re = new RegExp(`[${body}]`, 'u');
  let start = -1;
  for (let cp = 0; cp <= 0x110000; cp++) {
    const inside = cp < 0x110000 && !(cp >= 0xd800 && cp <= 0xdfff) && re.test(String.fromCodePoint(cp));
    if (inside && start < 0) start = cp;
    else if (!inside && start >= 0 && !(cp >= 0xd800 && cp <= 0xdfff)) {
      ranges.push([start, cp - 1]);
      start = -1;
    }
  }
  scanned.set(body, ranges);
  return ranges;
}

const UNICODE_SETS: ClassSets = {
  word: PY_WORD,
  digit: '\\p{Nd}',
  space: PY_SPACE,
  ranges: { word: () => scanRanges(PY_WORD), digit: () => scanRanges('\\p{Nd}'), space: () => PY_SPACE_RANGES },
};
const ASCII_SETS: ClassSets = {
  word: ASCII_WORD,
  digit: '0-9',
  space: ASCII_SPACE,
  ranges: { word: () => [[48, 57], [65, 90], [95, 95], [97, 122]], digit: () => [[48, 57]], space: () => [[9, 13], [32, 32]] },
};

/**
 * Python's Unicode sets restricted to ASCII: exact for subjects that are pure ASCII, and far cheaper
 * for V8 than \p{…} classes. Templates compile both forms; a parse picks by its text.
 */
const ASCII_SUBJECT_SETS: ClassSets = {
  word: ASCII_WORD,
  digit: '0-9',
  space: '\\t-\\r\\u{1c}- ',
  ranges: { word: ASCII_SETS.ranges.word, digit: ASCII_SETS.ranges.digit, space: () => [[9, 13], [0x1c, 0x20]] },
};

function complement(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of ranges) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

const SYNTAX = new Set('^$\\.*+?()[]{}|/'.split(''));
const GROUP_MARK = '\u0001';
const REF_MARK = '\u0002';

function hex(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

function literal(cp: number): string {
  const ch = String.fromCodePoint(cp);
  if (/^[A-Za-z0-9 _,:;'"<>=!@#%&~`-]$/.test(ch)) return ch;
  if (SYNTAX.has(ch)) return '\\' + ch;
  return hex(cp);
}

function classLiteral(cp: number): string {
  return /^[A-Za-z0-9_ ]$/.test(String.fromCodePoint(cp)) ? String.fromCodePoint(cp) : hex(cp);
}

interface Frame {
  kind: 'group' | 'atomic' | 'lookaround' | 'other';
  /** output position where the group's atom starts */
  start: number;
  /** synthetic group id for atomic emulation */
  atomicId?: number;
  sets: ClassSets;
  /** named groups inside */
  names: string[];
  /** something inside looks past its own match (look-ahead, $, \b, back reference, atomic, a nested repeat site) */
  unreplayable?: string;
}

/**
 * A repeated group with named groups inside. JavaScript clears such captures at every repetition,
 * Python keeps the last value set; the engine replays the repetitions to recover Python's value.
 */
export interface RepeatSite {
  /** JS group number spanning the whole repetition (read with the `d` flag) */
  group: number;
  /** one repetition, its named groups capturing */
  body: string;
  /** one repetition, no capturing groups */
  bodyNoCapture: string;
  min: number;
  max: number;
  names: string[];
}

/** `asciiSubject`: the regex will only ever see ASCII text (see ASCII_SUBJECT_SETS). */
export function translatePythonRegex(pattern: string, options: { asciiSubject?: boolean } = {}): TranslatedRegex {
  return new Translator(pattern, Boolean(options.asciiSubject)).run();
}

class Translator {
  private i = 0;
  private out = '';
  private groups = 0;
  private readonly names: string[] = [];
  private nextSynthetic = 0;
  private ignoreCase = false;
  private sets: ClassSets;
  private readonly frames: Frame[] = [];
  /** the group just closed, when it is the atom a quantifier applies to */
  private lastGroup: Frame | undefined;
  private readonly sites: { id: number; atom: string; min: number; max: number; names: string[] }[] = [];
  /** output position where the last quantifiable atom begins, or -1 */
  private atomStart = -1;
  /** the last atom is a lookaround (Python lets it be quantified; JS with `u` does not) */
  private atomIsAssertion = false;
  private readonly cps: number[];

  constructor(
    private readonly pattern: string,
    private readonly asciiSubject: boolean,
  ) {
    this.sets = asciiSubject ? ASCII_SUBJECT_SETS : UNICODE_SETS;
    this.cps = Array.from(pattern, (c) => c.codePointAt(0)!);
  }

  private fail(construct: string, message: string): never {
    throw new RegexTranslationError(construct, message);
  }

  private peek(offset = 0): string {
    const cp = this.cps[this.i + offset];
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  run(): TranslatedRegex {
    this.leadingFlags();
    while (this.i < this.cps.length) this.step();
    if (this.frames.length > 0) this.fail('(', 'missing ), unterminated subpattern');
    const { source, numbers } = this.resolveGroups();
    const repeats = this.sites.map((site) => ({
      group: numbers.get(`r${site.id}`)!,
      body: stripMarkers(site.atom),
      bodyNoCapture: site.atom.replace(new RegExp(`\\((?:\\?<[^>]+>)?${GROUP_MARK}[prs]\\d+${GROUP_MARK}`, 'g'), '(?:'),
      min: site.min,
      max: site.max,
      names: site.names,
    }));
    return { source, flags: this.ignoreCase ? 'iu' : 'u', groups: this.groups, names: this.names, repeats };
  }

  /** Python 3.11 accepts global flags only at the very start. */
  private leadingFlags(): void {
    for (;;) {
      const m = /^\(\?([aiLmsux]+)\)/.exec(String.fromCodePoint(...this.cps.slice(this.i, this.i + 12)));
      if (!m) return;
      this.applyFlags(m[1]!, true);
      this.i += m[0].length;
    }
  }

  private applyFlags(flags: string, global: boolean): void {
    for (const f of flags) {
      if (f === 'i') {
        if (!global && !this.ignoreCase) this.fail('(?i:…)', 'scoped inline flag (?i:…) is not supported (JavaScript on Node 20 has no scoped flags)');
        this.ignoreCase = true;
      } else if (f === 'a') this.sets = ASCII_SETS;
      else if (f === 'u') this.sets = this.asciiSubject ? ASCII_SUBJECT_SETS : UNICODE_SETS;
      else if (f === 'x') this.fail('(?x)', 'verbose flag (?x) is not supported');
      else if (f === 'L') this.fail('(?L)', 'locale flag (?L) is not allowed with str patterns');
      // m and s: a subject is a single line, so they change nothing
    }
  }

  /** something that looks beyond its own match: a repetition around it cannot be replayed */
  private looksAround(what: string): void {
    for (const frame of this.frames) frame.unreplayable ??= what;
  }

  private emitAtom(text: string): void {
    this.lastGroup = undefined;
    this.atomIsAssertion = false;
    this.atomStart = this.out.length;
    this.out += text;
  }

  private step(): void {
    const c = this.peek();
    switch (c) {
      case '\\':
        this.escape();
        return;
      case '[':
        this.i++;
        this.emitAtom(this.charClass());
        return;
      case '(':
        this.openGroup();
        return;
      case ')':
        this.closeGroup();
        return;
      case '|':
        this.i++;
        this.out += '|';
        this.atomStart = -1;
        return;
      case '^':
      case '$':
        this.i++;
        if (c === '$') this.looksAround('$');
        this.out += c;
        this.atomStart = -1;
        return;
      case '.':
        this.i++;
        this.emitAtom('.');
        return;
      case '*':
      case '+':
      case '?':
        this.i++;
        this.quantifier(c);
        return;
      case '{': {
        const m = /^\{(\d*)(?:(,)(\d*))?\}/.exec(this.pattern.slice(this.offsetOf(this.i)));
        if (m && !(m[1] === '' && m[2] === undefined)) {
          this.i += m[0].length;
          const lo = m[1] === '' ? '0' : m[1]!;
          const hi = m[2] === undefined ? lo : m[3]!;
          if (hi !== '' && Number(hi) < Number(lo)) this.fail(m[0], `min repeat greater than max repeat in ${m[0]}`);
          this.quantifier(m[2] === undefined ? `{${lo}}` : `{${lo},${hi}}`);
          return;
        }
        this.i++;
        this.emitAtom('\\{');
        return;
      }
      default:
        this.i++;
        this.emitAtom(literal(c.codePointAt(0)!));
    }
  }

  /** UTF-16 offset in the pattern of code point index `index` */
  private offsetOf(index: number): number {
    let offset = 0;
    for (let k = 0; k < index; k++) offset += this.cps[k]! > 0xffff ? 2 : 1;
    return offset;
  }

  private quantifier(q: string): void {
    if (this.atomStart < 0) this.fail(q, `nothing to repeat before '${q}'`);
    const start = this.atomStart;
    const next = this.peek();
    if (this.atomIsAssertion) {
      // a zero-width item repeated: at least once is the assertion itself, possibly zero times is nothing
      if (next === '?' || next === '+') this.i++;
      const min = q === '+' ? 1 : q === '*' || q === '?' ? 0 : Number(/^\{(\d+)/.exec(q)![1]);
      if (min === 0) this.out = this.out.slice(0, start);
      this.atomStart = -1;
      return;
    }
    const bounds = q === '*' ? [0, Infinity] : q === '+' ? [1, Infinity] : q === '?' ? [0, 1] : /^\{(\d+)(?:,(\d*))?\}$/.exec(q)!.slice(1).map((v, i) => (v === undefined ? Number(/^\{(\d+)/.exec(q)![1]) : v === '' && i === 1 ? Infinity : Number(v)));
    const group = this.lastGroup;
    if (group && group.names.length > 0 && bounds[1]! > 1) {
      if (group.unreplayable) this.fail(q, `named group ${group.names.join(', ')} inside a repeated group that also holds ${group.unreplayable}: JavaScript keeps captures differently there`);
      if (next === '+') this.fail(q + '+', 'a possessive repeat around named groups is not supported');
      const lazy = next === '?';
      if (lazy) this.i++;
      const id = this.nextSynthetic++;
      const atom = this.out.slice(start);
      this.sites.push({ id, atom, min: bounds[0]!, max: bounds[1]!, names: [...group.names] });
      this.out = this.out.slice(0, start) + `(${GROUP_MARK}r${id}${GROUP_MARK}${atom}${q}${lazy ? '?' : ''})`;
      // an enclosing repetition cannot replay this one
      this.looksAround('a repeated group');
    } else if (next === '?') {
      this.i++;
      this.out += q + '?';
    } else if (next === '+') {
      this.i++;
      const id = this.nextSynthetic++;
      const atom = this.out.slice(start) + q;
      this.out = this.out.slice(0, start) + `(?:(?=(${GROUP_MARK}s${id}${GROUP_MARK}${atom}))${REF_MARK}s${id}${REF_MARK})`;
    } else {
      this.out += q;
    }
    const after = this.peek();
    if (after === '*' || after === '+' || after === '?' || (after === '{' && /^\{\d*,?\d*\}/.test(this.pattern.slice(this.offsetOf(this.i))))) {
      this.fail(q + after, `multiple repeat at '${q}${after}'`);
    }
    this.atomStart = -1;
    this.lastGroup = undefined;
  }

  private openGroup(): void {
    const rest = this.pattern.slice(this.offsetOf(this.i));
    const start = this.out.length;
    if (!rest.startsWith('(?')) {
      this.i++;
      const id = this.groups++;
      this.out += `(${GROUP_MARK}p${id + 1}${GROUP_MARK}`;
      this.frames.push({ kind: 'group', start, sets: this.sets, names: [] });
      this.atomStart = -1;
      return;
    }
    let m: RegExpExecArray | null;
    if ((m = /^\(\?P<([^>]*)>/.exec(rest))) {
      const name = m[1]!;
      if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) this.fail(m[0], `bad character in group name '${name}'`);
      if (this.names.includes(name)) this.fail(m[0], `redefinition of group name '${name}'`);
      this.i += m[0].length;
      const id = this.groups++;
      this.names.push(name);
      for (const frame of this.frames) frame.names.push(name);
      this.out += `(?<${name}>${GROUP_MARK}p${id + 1}${GROUP_MARK}`;
      this.frames.push({ kind: 'group', start, sets: this.sets, names: [] });
      this.atomStart = -1;
      return;
    }
    if ((m = /^\(\?P=([^)]*)\)/.exec(rest))) {
      if (!this.names.includes(m[1]!)) this.fail(m[0], `unknown group name '${m[1]}'`);
      this.i += m[0].length;
      this.emitAtom(`\\k<${m[1]}>`);
      this.looksAround('back reference');
      return;
    }
    if ((m = /^\(\?#[^)]*\)/.exec(rest))) {
      this.i += m[0].length;
      return;
    }
    for (const prefix of ['(?:', '(?=', '(?!', '(?<=', '(?<!'] as const) {
      if (rest.startsWith(prefix)) {
        this.i += prefix.length;
        this.out += prefix;
        if (prefix === '(?=' || prefix === '(?!') this.looksAround('look-ahead');
        this.frames.push({ kind: prefix === '(?:' ? 'other' : 'lookaround', start, sets: this.sets, names: [] });
        this.atomStart = -1;
        return;
      }
    }
    if (rest.startsWith('(?>')) {
      this.i += 3;
      const id = this.nextSynthetic++;
      this.out += `(?:(?=(${GROUP_MARK}s${id}${GROUP_MARK}`;
      this.looksAround('atomic group');
      this.frames.push({ kind: 'atomic', start, atomicId: id, sets: this.sets, names: [] });
      this.atomStart = -1;
      return;
    }
    if ((m = /^\(\?([aiLmsux]*)(?:-([imsx]+))?:/.exec(rest))) {
      const saved = this.sets;
      const savedCase = this.ignoreCase;
      this.applyFlags(m[1]!, false);
      if (m[2]?.includes('i') && this.ignoreCase) this.fail(m[0], 'scoped inline flag (?-i:…) is not supported (JavaScript on Node 20 has no scoped flags)');
      if (m[2]?.includes('x')) this.fail(m[0], 'verbose flag is not supported');
      this.ignoreCase = savedCase;
      this.i += m[0].length;
      this.out += '(?:';
      this.frames.push({ kind: 'other', start, sets: saved, names: [] });
      this.atomStart = -1;
      return;
    }
    if (/^\(\?[aiLmsux]+\)/.test(rest)) this.fail(rest.slice(0, rest.indexOf(')') + 1), 'global inline flags must be at the start of the expression');
    if (rest.startsWith('(?(')) this.fail('(?(', 'conditional groups (?(id)yes|no) are not supported');
    this.fail(rest.slice(0, 3), `unknown extension ${rest.slice(0, 3)}`);
  }

  private closeGroup(): void {
    const frame = this.frames.pop();
    if (!frame) this.fail(')', 'unbalanced parenthesis');
    this.i++;
    this.sets = frame.sets;
    if (frame.kind === 'atomic') this.out += `))${REF_MARK}s${frame.atomicId}${REF_MARK})`;
    else this.out += ')';
    this.atomStart = frame.start;
    this.atomIsAssertion = frame.kind === 'lookaround';
    this.lastGroup = frame;
  }

  private escape(): void {
    const e = this.peek(1);
    if (e === '') this.fail('\\', 'bad escape (end of pattern)');
    const s = this.sets;
    const simple: Record<string, string> = {
      d: `[${s.digit}]`,
      D: `[^${s.digit}]`,
      w: `[${s.word}]`,
      W: `[^${s.word}]`,
      s: `[${s.space}]`,
      S: `[^${s.space}]`,
    };
    if (e in simple) {
      this.i += 2;
      this.emitAtom(simple[e]!);
      return;
    }
    if (e === 'b' || e === 'B') {
      this.i += 2;
      this.looksAround('\\' + e);
      if (s !== UNICODE_SETS) {
        // on ASCII text (or under (?a)) JavaScript's own \b is Python's
        this.out += '\\' + e;
        this.atomStart = -1;
        return;
      }
      const w = `[${s.word}]`;
      const boundary = `(?:(?<=${w})(?!${w})|(?<!${w})(?=${w}))`;
      const inside = `(?:(?<=${w})(?=${w})|(?<!${w})(?!${w}))`;
      this.out += e === 'b' ? boundary : inside;
      this.atomStart = -1;
      return;
    }
    if (e === 'A') {
      this.i += 2;
      this.out += '(?<![\\s\\S])';
      this.atomStart = -1;
      return;
    }
    if (e === 'Z') {
      this.i += 2;
      this.looksAround('\\Z');
      this.out += '(?![\\s\\S])';
      this.atomStart = -1;
      return;
    }
    if (/[1-9]/.test(e)) {
      // octal escape when three octal digits, else a group reference
      const m = /^\\([0-7]{3}|[1-9][0-9]?)/.exec(this.pattern.slice(this.offsetOf(this.i)))!;
      if (/^[0-7]{3}$/.test(m[1]!) && m[1]!.startsWith('0') === false && Number.parseInt(m[1]!, 8) <= 0o377) {
        this.i += 4;
        this.emitAtom(literal(Number.parseInt(m[1]!, 8)));
        return;
      }
      const ref = Number(m[1]);
      if (ref > this.groups) this.fail(m[0], `invalid group reference ${ref}`);
      this.i += m[0].length;
      this.emitAtom(`${REF_MARK}p${ref}${REF_MARK}`);
      this.looksAround('back reference');
      return;
    }
    const cp = this.escapedCodePoint(false);
    this.emitAtom(literal(cp));
  }

  /** An escape that stands for one character; the cursor is on the backslash. */
  private escapedCodePoint(inClass: boolean): number {
    const e = this.peek(1);
    const rest = this.pattern.slice(this.offsetOf(this.i));
    const fixed: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, a: 7 };
    if (e in fixed) {
      this.i += 2;
      return fixed[e]!;
    }
    if (inClass && e === 'b') {
      this.i += 2;
      return 8;
    }
    let m: RegExpExecArray | null;
    if (e === '0' || (inClass && /[1-7]/.test(e))) {
      m = /^\\([0-7]{1,3})/.exec(rest)!;
      this.i += m[0].length;
      return Number.parseInt(m[1]!, 8);
    }
    if (e === 'x') {
      m = /^\\x([0-9a-fA-F]{2})/.exec(rest);
      if (!m) this.fail(rest.slice(0, 4), 'incomplete escape \\x');
      this.i += 4;
      return Number.parseInt(m[1]!, 16);
    }
    if (e === 'u') {
      m = /^\\u([0-9a-fA-F]{4})/.exec(rest);
      if (!m) this.fail(rest.slice(0, 6), 'incomplete escape \\u');
      this.i += 6;
      return Number.parseInt(m[1]!, 16);
    }
    if (e === 'U') {
      m = /^\\U([0-9a-fA-F]{8})/.exec(rest);
      if (!m || Number.parseInt(m[1]!, 16) > 0x10ffff) this.fail(rest.slice(0, 10), 'bad escape \\U');
      this.i += 10;
      return Number.parseInt(m[1]!, 16);
    }
    if (e === 'N') this.fail('\\N{…}', 'named character escapes \\N{…} are not supported');
    if (/[A-Za-z0-9]/.test(e)) this.fail('\\' + e, `bad escape \\${e}`);
    this.i += 2;
    return e.codePointAt(0)!;
  }

  /** After '['; returns a u-mode class. */
  private charClass(): string {
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.i++;
    }
    const items: string[] = [];
    let first = true;
    const s = this.sets;
    for (;;) {
      const c = this.peek();
      if (c === '') this.fail('[', 'unterminated character set');
      if (c === ']' && !first) {
        this.i++;
        break;
      }
      first = false;
      let lo: number | undefined;
      if (c === '\\') {
        const e = this.peek(1);
        if (e !== '' && 'dDwWsS'.includes(e)) {
          this.i += 2;
          if (e === 'd') items.push(s.digit);
          else if (e === 'w') items.push(s.word);
          else if (e === 's') items.push(s.space);
          else if (e === 'D' && s === UNICODE_SETS) items.push('\\P{Nd}');
          else {
            // a complement inside a class: spelled out as ranges, so the class stays one set
            const set = e === 'D' ? s.ranges.digit() : e === 'W' ? s.ranges.word() : s.ranges.space();
            for (const [a, b] of complement(set)) items.push(a === b ? classLiteral(a) : `${classLiteral(a)}-${classLiteral(b)}`);
          }
          continue;
        }
        lo = this.escapedCodePoint(true);
      } else {
        this.i++;
        lo = c.codePointAt(0)!;
      }
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.i++;
        let hi: number;
        if (this.peek() === '\\') {
          if (/[dDwWsS]/.test(this.peek(1))) this.fail(`-\\${this.peek(1)}`, `bad character range ending in \\${this.peek(1)}`);
          hi = this.escapedCodePoint(true);
        } else {
          hi = this.peek().codePointAt(0)!;
          this.i++;
        }
        if (hi < lo) this.fail(`${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}`, 'bad character range');
        items.push(`${classLiteral(lo)}-${classLiteral(hi)}`);
      } else {
        items.push(classLiteral(lo));
      }
    }
    return `[${negate ? '^' : ''}${items.join('')}]`;
  }

  /** Numbers every capturing group in output order and resolves the back references. */
  private resolveGroups(): { source: string; numbers: Map<string, number> } {
    const numbers = new Map<string, number>();
    let n = 0;
    const marker = new RegExp(`${GROUP_MARK}([prs]\\d+)${GROUP_MARK}`, 'g');
    for (const m of this.out.matchAll(marker)) numbers.set(m[1]!, ++n);
    const source = this.out
      .replace(marker, '')
      .replace(new RegExp(`${REF_MARK}([prs]\\d+)${REF_MARK}`, 'g'), (_all, key: string) => `(?:\\${numbers.get(key)})`);
    return { source, numbers };
  }
}

function stripMarkers(text: string): string {
  return text.replace(new RegExp(`${GROUP_MARK}[prs]\\d+${GROUP_MARK}`, 'g'), '');
}
