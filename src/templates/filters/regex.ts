/**
 * Python `re` patterns run on JavaScript's RegExp, and Ansible's regex filters and tests on top.
 *
 * Translated: `(?P<n>…)`, `(?P=n)`, `\A`, `\Z`, `{,n}`, `(?#…)`, leading inline flags `(?imsx)`,
 * Python's `.` (anything but \n), `^`/`$` (only \n ends a line; `$` also before a final \n),
 * `re.escape`, and `re.sub` replacement templates (`\1`, `\g<name>`, `\n`…).
 * Not translated (an error, never a silent difference): scoped flags `(?i:…)`, conditionals `(?(1)…)`.
 * `\w`, `\d`, `\s`, `\b` keep Python's Unicode meaning (spelled out with the u flag); inside a
 * character class `\W`, `\D`, `\S` stay ASCII.
 */
import { PyError, PyKwargs, makeTuple, pyStr } from '../values.js';

/** Python's re.error. */
export class RegexError extends PyError {
  constructor(message: string) {
    super('re.error', message);
  }
}

// Python's str patterns are Unicode-aware: \w is any letter, digit or underscore, \d any decimal
// digit, \s what str.isspace() accepts; JavaScript's are ASCII, so they are spelled out (with the u flag).
const WORD = '\\p{L}\\p{N}_';
const SPACE = '\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const BOUNDARY = `(?:(?<=[${WORD}])(?![${WORD}])|(?<![${WORD}])(?=[${WORD}]))`;
const NOT_BOUNDARY = `(?:(?<=[${WORD}])(?=[${WORD}])|(?<![${WORD}])(?![${WORD}]))`;
/** Characters that keep their backslash under the u flag; any other escaped punctuation is a literal. */
const SYNTAX = '^$\\.*+?()[]{}|/';

/** An escape outside a character class, Python meaning to JavaScript (u flag). */
function escape(n: string): string {
  switch (n) {
    case 'A':
      return '(?<![\\s\\S])';
    case 'Z':
      return '(?![\\s\\S])';
    case 'w':
      return `[${WORD}]`;
    case 'W':
      return `[^${WORD}]`;
    case 'd':
      return '\\p{Nd}';
    case 'D':
      return '\\P{Nd}';
    case 's':
      return `[${SPACE}]`;
    case 'S':
      return `[^${SPACE}]`;
    case 'b':
      return BOUNDARY;
    case 'B':
      return NOT_BOUNDARY;
    case 'a':
      return '\\x07';
    default:
      if (/[A-Za-z0-9]/.test(n)) return '\\' + n;
      return SYNTAX.includes(n) ? '\\' + n : n;
  }
}

/** An escape inside a character class. */
function classEscape(n: string): string {
  switch (n) {
    case 'w':
      return WORD;
    case 'd':
      return '\\p{Nd}';
    case 's':
      return SPACE;
    case 'b':
      return '\\x08';
    case 'a':
      return '\\x07';
    default:
      if (/[A-Za-z0-9]/.test(n)) return '\\' + n;
      return (SYNTAX + '-').includes(n) ? '\\' + n : n;
  }
}

interface Compiled {
  source: string;
  flags: string;
  groupNames: string[];
  groupCount: number;
}

const compileCache = new Map<string, Compiled>();

/** Translate a Python pattern with flags i (IGNORECASE), m (MULTILINE), s (DOTALL), x (VERBOSE). */
export function translate(pattern: string, flagsIn: string): Compiled {
  const key = `${flagsIn}\u0000${pattern}`;
  const hit = compileCache.get(key);
  if (hit) return hit;
  let flags = flagsIn;
  let p = pattern;
  // global inline flags, e.g. (?i) or (?im) at the start (Python 3.11 only allows them there)
  for (;;) {
    const m = /^\(\?([aiLmsux]+)\)/.exec(p);
    if (!m) break;
    flags += m[1]!;
    p = p.slice(m[0].length);
  }
  const multiline = flags.includes('m');
  const dotall = flags.includes('s');
  const verbose = flags.includes('x');
  let out = '';
  let inClass = false;
  const groupNames: string[] = [];
  let groupCount = 0;
  for (let i = 0; i < p.length; i += 1) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw new RegexError('bad escape (end of pattern)');
      i += 1;
      if (n === 'U' && /^[0-9a-fA-F]{8}/.test(p.slice(i + 1))) {
        out += `\\u{${p.slice(i + 1, i + 9).replace(/^0+(?=.)/, '')}}`;
        i += 8;
        continue;
      }
      out += inClass ? classEscape(n) : escape(n);
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      if (c === '[') out += '\\[';
      else if (c === '{' || c === '}' || c === '(' || c === ')' || c === '|' || c === '/') out += '\\' + c;
      else out += c;
      continue;
    }
    if (verbose && /\s/.test(c)) continue;
    if (verbose && c === '#') {
      while (i < p.length && p[i] !== '\n') i += 1;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += c;
        if (p[i + 1] === '^') {
          out += '^';
          i += 1;
        }
        if (p[i + 1] === ']') {
          out += '\\]';
          i += 1;
        }
        break;
      case '.':
        out += dotall ? '[\\s\\S]' : '[^\\n]';
        break;
      case '^':
        out += multiline ? '(?<![^\\n])' : '(?<![\\s\\S])';
        break;
      case '$':
        out += multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
        break;
      case '{': {
        const rest = p.slice(i);
        const m = /^\{,(\d+)\}/.exec(rest);
        const q = /^\{\d+(?:,\d*)?\}/.exec(rest);
        if (m) {
          out += `{0,${m[1]}}`;
          i += m[0].length - 1;
        } else if (q) {
          out += q[0];
          i += q[0].length - 1;
        } else out += '\\{';
        break;
      }
      case '}':
      case ']':
        out += '\\' + c;
        break;
      case '(': {
        if (p[i + 1] !== '?') {
          groupCount += 1;
          groupNames.push('');
          out += c;
          break;
        }
        const rest = p.slice(i);
        let m: RegExpExecArray | null;
        if ((m = /^\(\?P<([A-Za-z_]\w*)>/.exec(rest))) {
          groupCount += 1;
          groupNames.push(m[1]!);
          out += `(?<${m[1]}>`;
          i += m[0].length - 1;
        } else if ((m = /^\(\?P=([A-Za-z_]\w*)\)/.exec(rest))) {
          out += `\\k<${m[1]}>`;
          i += m[0].length - 1;
        } else if ((m = /^\(\?#[^)]*\)/.exec(rest))) {
          i += m[0].length - 1;
        } else if (/^\(\?(?:[:=!]|<[=!])/.test(rest)) {
          out += c;
        } else if ((m = /^\(\?<([A-Za-z_]\w*)>/.exec(rest))) {
          // Python 3.11 does not know (?<name>…): it is an error there
          throw new RegexError(`unknown extension ?<${m[1]![0]} at position ${i + 1}`);
        } else {
          throw new RegexError(`unsupported regular expression construct ${rest.slice(0, 6)} (scoped inline flags and conditionals are not supported)`);
        }
        break;
      }
      default:
        out += c;
    }
  }
  if (inClass) throw new RegexError(`unterminated character set at position ${p.lastIndexOf('[')}`);
  let jsFlags = 'gu';
  if (flags.includes('i')) jsFlags += 'i';
  try {
    new RegExp(out, jsFlags);
  } catch (e) {
    throw new RegexError(`invalid regular expression ${pattern}: ${(e as Error).message}`);
  }
  const compiled = { source: out, flags: jsFlags, groupNames, groupCount };
  if (compileCache.size > 5000) compileCache.clear();
  compileCache.set(key, compiled);
  return compiled;
}

export function toRegExp(pattern: string, flags: string, sticky = false): RegExp {
  const c = translate(pattern, flags);
  return new RegExp(c.source, sticky ? c.flags + 'y' : c.flags);
}

function pyFlags(ignorecase: unknown, multiline: unknown): string {
  return (truthy(ignorecase) ? 'i' : '') + (truthy(multiline) ? 'm' : '');
}

function truthy(v: unknown): boolean {
  return !(v === undefined || v === null || v === false || v === 0 || v === '');
}

/** Split the trailing keyword arguments (the engine's PyKwargs, or nunjucks' `__keywords` object) off the positional ones. */
export function splitKwargs(args: unknown[]): [unknown[], Record<string, unknown>] {
  const lastArg = args[args.length - 1];
  if (lastArg instanceof PyKwargs) return [args.slice(0, -1), { ...lastArg.values }];
  if (lastArg && typeof lastArg === 'object' && (lastArg as Record<string, unknown>).__keywords === true) {
    const kw = { ...(lastArg as Record<string, unknown>) };
    delete kw.__keywords;
    return [args.slice(0, -1), kw];
  }
  return [args, {}];
}

/** Bind positional and keyword arguments to parameter names, Python style. */
export function bind(name: string, params: string[], args: unknown[], defaults: Record<string, unknown> = {}): Record<string, unknown> {
  const [pos, kw] = splitKwargs(args);
  const out: Record<string, unknown> = { ...defaults };
  if (pos.length > params.length) throw new PyError('TypeError', `${name}() takes ${params.length} positional arguments but ${pos.length} were given`);
  pos.forEach((v, i) => (out[params[i]!] = v));
  for (const [k, v] of Object.entries(kw)) {
    if (!params.includes(k)) throw new PyError('TypeError', `${name}() got an unexpected keyword argument '${k}'`);
    out[k] = v;
  }
  return out;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : pyStr(v));

/** Expand a `re.sub` replacement template for one match. */
function expandTemplate(template: string, m: RegExpExecArray, names: string[]): string {
  let out = '';
  for (let i = 0; i < template.length; i += 1) {
    const c = template[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = template[i + 1];
    if (n === undefined) throw new RegexError('bad escape (end of pattern)');
    if (n === 'g') {
      const g = /^\\g<([^>]+)>/.exec(template.slice(i));
      if (!g) throw new RegexError('missing <');
      const ref = g[1]!;
      let idx: number;
      if (/^\d+$/.test(ref)) idx = Number(ref);
      else {
        idx = names.indexOf(ref) + 1;
        if (idx === 0) throw new RegexError(`unknown group name '${ref}'`);
      }
      if (idx >= m.length) throw new RegexError(`invalid group reference ${idx}`);
      out += m[idx] ?? '';
      i += g[0].length - 1;
      continue;
    }
    if (/\d/.test(n)) {
      const d = /^\\(\d\d?)/.exec(template.slice(i))!;
      let ref = d[1]!;
      if (ref.length === 2 && Number(ref) >= m.length) ref = ref[0]!;
      const idx = Number(ref);
      if (idx === 0 || idx >= m.length) throw new RegexError(`invalid group reference ${idx}`);
      out += m[idx] ?? '';
      i += ref.length;
      continue;
    }
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v', a: '\x07', b: '\b', '\\': '\\' };
    if (n in simple) out += simple[n];
    else if (/[A-Za-z]/.test(n)) throw new RegexError(`bad escape \\${n}`);
    else out += '\\' + n;
    i += 1;
  }
  return out;
}

export function regexReplace(value: unknown, ...args: unknown[]): string {
  const a = bind('regex_replace', ['pattern', 'replacement', 'ignorecase', 'multiline'], args, { pattern: '', replacement: '', ignorecase: false, multiline: false });
  const c = translate(text(a.pattern), pyFlags(a.ignorecase, a.multiline));
  const re = new RegExp(c.source, c.flags);
  const repl = text(a.replacement);
  const plain = !repl.includes('\\');
  return text(value).replace(re, (...m: unknown[]) => {
    if (plain) return repl;
    const groups = m.slice(0, c.groupCount + 1) as (string | undefined)[];
    const exec = Object.assign(groups, { index: 0, input: '' }) as unknown as RegExpExecArray;
    return expandTemplate(repl, exec, c.groupNames);
  });
}

export function regexFindall(value: unknown, ...args: unknown[]): unknown[] {
  const a = bind('regex_findall', ['regex', 'multiline', 'ignorecase'], args, { multiline: false, ignorecase: false });
  const c = translate(text(a.regex), pyFlags(a.ignorecase, a.multiline));
  const re = new RegExp(c.source, c.flags);
  const out: unknown[] = [];
  for (const m of text(value).matchAll(re)) {
    if (c.groupCount === 0) out.push(m[0]);
    else if (c.groupCount === 1) out.push(m[1] ?? '');
    else out.push(makeTuple(m.slice(1, c.groupCount + 1).map((g) => g ?? '')));
  }
  return out;
}

export function regexSearch(value: unknown, ...args: unknown[]): unknown {
  const [pos, kw] = splitKwargs(args);
  const regex = text(pos[0]);
  const groups: (number | string)[] = [];
  for (const arg of pos.slice(1)) {
    const s = text(arg);
    if (s.startsWith('\\g')) {
      const m = /^\\g<(\S+)>/.exec(s);
      if (!m) throw new PyError('AttributeError', "'NoneType' object has no attribute 'group'");
      groups.push(m[1]!);
    } else if (s.startsWith('\\')) {
      const m = /^\\(\d+)/.exec(s);
      if (!m) throw new PyError('AttributeError', "'NoneType' object has no attribute 'group'");
      groups.push(Number(m[1]));
    } else throw new PyError('AnsibleFilterError', 'Unknown argument');
  }
  const c = translate(regex, pyFlags(kw.ignorecase, kw.multiline));
  const m = new RegExp(c.source, c.flags).exec(text(value));
  if (!m) return null;
  if (groups.length === 0) return m[0];
  return groups.map((g) => {
    let idx: number;
    if (typeof g === 'number') idx = g;
    else if (/^\d+$/.test(g)) idx = Number(g);
    else {
      idx = c.groupNames.indexOf(g) + 1;
      if (idx === 0) throw new PyError('IndexError', 'no such group');
    }
    if (idx > c.groupCount) throw new PyError('IndexError', 'no such group');
    return m[idx] ?? null;
  });
}

const ESCAPE_SPECIAL = new Set('()[]{}?*+-|^$\\.&~# \t\n\r\v\f');

/** re.escape (Python 3.7+): escapes only regex-special characters. */
export function pyReEscape(s: string): string {
  let out = '';
  for (const ch of s) out += ESCAPE_SPECIAL.has(ch) ? '\\' + ch : ch;
  return out;
}

export function regexEscape(value: unknown, ...args: unknown[]): string {
  const reType = bind('regex_escape', ['re_type'], args, { re_type: 'python' }).re_type;
  const s = text(value);
  if (reType === 'python') return pyReEscape(s);
  if (reType === 'posix_basic') return s.replace(/[\].[^$*\\]/g, (c) => '\\' + c);
  if (reType === 'posix_extended') throw new PyError('AnsibleFilterError', `Regex type (${text(reType)}) not yet implemented`);
  throw new PyError('AnsibleFilterError', `Invalid regex type (${text(reType)})`);
}

/** The `regex`, `match` and `search` tests. */
export function regexTest(value: unknown, ...args: unknown[]): boolean {
  const a = bind('regex', ['pattern', 'ignorecase', 'multiline', 'match_type'], args, { pattern: '', ignorecase: false, multiline: false, match_type: 'search' });
  const c = translate(text(a.pattern), pyFlags(a.ignorecase, a.multiline));
  const s = text(value);
  const type = text(a.match_type);
  if (type === 'match') return new RegExp(c.source, c.flags.replace('g', '') + 'y').test(s);
  if (type === 'fullmatch') return new RegExp(`(?:${c.source})(?![\\s\\S])`, c.flags.replace('g', '') + 'y').test(s);
  return new RegExp(c.source, c.flags.replace('g', '')).test(s);
}

export const matchTest = (value: unknown, ...args: unknown[]): boolean => {
  const a = bind('match', ['pattern', 'ignorecase', 'multiline'], args, { pattern: '', ignorecase: false, multiline: false });
  return regexTest(value, a.pattern, a.ignorecase, a.multiline, 'match');
};

export const searchTest = (value: unknown, ...args: unknown[]): boolean => {
  const a = bind('search', ['pattern', 'ignorecase', 'multiline'], args, { pattern: '', ignorecase: false, multiline: false });
  return regexTest(value, a.pattern, a.ignorecase, a.multiline, 'search');
};
