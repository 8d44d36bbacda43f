/**
 * to_json / to_nice_json as Python's json.dumps prints; to_yaml / to_nice_yaml as Ansible prints
 * them: PyYAML's SafeRepresenter feeding libyaml's emitter (Ansible uses CSafeDumper when libyaml is
 * there, as on Debian). The emitter rules ported are libyaml 0.2.5's: scalar analysis and style
 * choice, plain / single- / double-quoted writers with folding at the width, flow and block
 * collections, simple keys (at most 128 bytes). And from_json / from_yaml.
 */
import { parseDocument, isMap, isScalar, isSeq, type Node as YamlNode, type SchemaOptions } from 'yaml';
import { PyError, PyFloat, PyUndefined, dictEntries, floatRepr, isDict, mkFloat, newDict, pyStr } from '../values.js';
import { pyJsonDumps, sortEntries, type JsonDumpOptions } from '../engine/json.js';
import { PyLong } from './ip/ipaddr.js';
import { splitKwargs } from './regex.js';

// ---------------------------------------------------------------- JSON (Python json.dumps)

/** json.dumps's keyword arguments as Ansible passes them (to_nice_json fixes the separators). */
function jsonOptions(kw: Record<string, unknown>, separators?: [string, string]): JsonDumpOptions {
  const rawIndent: unknown = kw.indent !== undefined ? kw.indent : null;
  const indent = rawIndent instanceof PyFloat ? rawIndent.value : (rawIndent as number | string | null);
  const seps = kw.separators as unknown[] | undefined;
  return {
    indent,
    sortKeys: kw.sort_keys !== undefined ? Boolean(kw.sort_keys) : false,
    ensureAscii: kw.ensure_ascii !== undefined ? Boolean(kw.ensure_ascii) : true,
    separators: seps && Array.isArray(seps) && seps.length === 2 ? [String(seps[0]), String(seps[1])] : separators,
    ansible: true,
  };
}

export function toJson(value: unknown, ...args: unknown[]): string {
  const [, kw] = splitKwargs(args);
  return pyJsonDumps(value, jsonOptions(kw));
}

export function toNiceJson(value: unknown, ...args: unknown[]): string {
  const [pos, kw] = splitKwargs(args);
  const merged = { indent: 4, sort_keys: true, ...(pos[0] !== undefined ? { indent: pos[0] } : {}), ...(pos[1] !== undefined ? { sort_keys: pos[1] } : {}), ...kw };
  return pyJsonDumps(value, jsonOptions(merged, [',', ': ']));
}

// ---------------------------------------------------------------- YAML (PyYAML 6 emitter)

const BOOL_RE = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const FLOAT_RE =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const INT_RE = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const NULL_RE = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP_RE =
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/;

/** PyYAML's implicit resolvers are keyed by the first character; Python's `$` also matches before a final \n. */
function resolvesToNonString(s: string): boolean {
  const t = s.endsWith('\n') ? s.slice(0, -1) : s;
  const c = s[0] ?? '';
  if ('yYnNtTfFoO'.includes(c) && c !== '' && BOOL_RE.test(t)) return true;
  if ('-+0123456789.'.includes(c) && c !== '' && FLOAT_RE.test(t)) return true;
  if ('-+0123456789'.includes(c) && c !== '' && INT_RE.test(t)) return true;
  if (c === '<' && t === '<<') return true;
  if (('~nN'.includes(c) || s === '') && NULL_RE.test(t)) return true;
  if ('0123456789'.includes(c) && c !== '' && TIMESTAMP_RE.test(t)) return true;
  if (c === '=' && t === '=') return true;
  return false;
}

type YNode = { kind: 'scalar'; value: string; plainOk: boolean } | { kind: 'seq'; items: YNode[]; flow: boolean } | { kind: 'map'; pairs: [YNode, YNode][]; flow: boolean };

/** SafeRepresenter + AnsibleDumper: Python values to nodes. */
function represent(v: unknown, defaultFlow: boolean | null): YNode {
  const scalar = (value: string, plainOk = true): YNode => ({ kind: 'scalar', value, plainOk });
  if (v === null || v === undefined) return scalar('null');
  if (v === true) return scalar('true');
  if (v === false) return scalar('false');
  if (typeof v === 'string') return scalar(v, !resolvesToNonString(v));
  if (typeof v === 'number' && Number.isInteger(v)) return scalar(String(v));
  if (v instanceof PyLong) return scalar(v.toString());
  if (typeof v === 'number' || v instanceof PyFloat) {
    const n = typeof v === 'number' ? v : v.value;
    if (Number.isNaN(n)) return scalar('.nan');
    if (n === Infinity) return scalar('.inf');
    if (n === -Infinity) return scalar('-.inf');
    let s = floatRepr(n).toLowerCase();
    if (!s.includes('.') && s.includes('e')) s = s.replace('e', '.0e');
    return scalar(s);
  }
  if (v instanceof PyUndefined) throw new PyError('UndefinedError', `'${v.name}' is undefined`);
  if (Array.isArray(v) || v instanceof Set) {
    const items = [...v].map((x) => represent(x, defaultFlow));
    const best = items.every((n) => n.kind === 'scalar');
    return { kind: 'seq', items, flow: defaultFlow ?? best };
  }
  if (isDict(v)) {
    let entries = dictEntries(v);
    try {
      entries = sortEntries(entries);
    } catch {
      // PyYAML keeps the order when the keys do not sort
    }
    const pairs = entries.map(([k, x]) => [represent(k, defaultFlow), represent(x, defaultFlow)] as [YNode, YNode]);
    const best = pairs.every(([k, x]) => k.kind === 'scalar' && x.kind === 'scalar');
    return { kind: 'map', pairs, flow: defaultFlow ?? best };
  }
  throw new PyError('RepresenterError', `cannot represent an object: ${pyStr(v)}`);
}

const BREAKS = '\n\x85\u2028\u2029';

/** libyaml's IS_PRINTABLE: \n, 0x20-0x7E, U+00A0-U+D7FF, U+E000-U+FFFD but U+FEFF. Not tab, not U+0085, not astral. */
function printable(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
}
const SPACE_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029';

interface Analysis {
  chars: string[];
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
}

function analyze(scalar: string): Analysis {
  const chars = Array.from(scalar);
  if (chars.length === 0) {
    return { chars, empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingleQuoted: true };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  if (scalar.startsWith('---') || scalar.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWs = true;
  let followedByWs = chars.length === 1 || SPACE_OR_BREAK.includes(chars[1]!);
  let prevSpace = false;
  let prevBreak = false;
  for (let i = 0; i < chars.length; i += 1) {
    const ch = chars[i]!;
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      }
      if (ch === '?' || ch === ':') {
        flowIndicators = true;
        if (followedByWs) blockIndicators = true;
      }
      if (ch === '-' && followedByWs) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (',?[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':') {
        flowIndicators = true;
        if (followedByWs) blockIndicators = true;
      }
      if (ch === '#' && precededByWs) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    if (!printable(ch.codePointAt(0)!)) special = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = SPACE_OR_BREAK.includes(ch);
    followedByWs = i + 2 >= chars.length || SPACE_OR_BREAK.includes(chars[i + 2]!);
  }
  let allowFlowPlain = true;
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowFlowPlain = allowBlockPlain = false;
  if (breakSpace) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (spaceBreak || special) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (lineBreaks) allowFlowPlain = allowBlockPlain = false;
  if (flowIndicators) allowFlowPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { chars, empty: false, multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted };
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\x09': 't',
  '\x0a': 'n',
  '\x0b': 'v',
  '\x0c': 'f',
  '\x0d': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

class Emitter {
  out = '';
  column = 0;
  whitespace = true;
  indention = true;
  openEnded = false;
  flowLevel = 0;
  indent: number | null = null;
  indents: (number | null)[] = [];
  rootContext = false;
  mappingContext = false;
  simpleKeyContext = false;

  constructor(
    readonly bestIndent: number,
    readonly bestWidth: number,
  ) {}

  write(s: string, width = Array.from(s).length): void {
    this.out += s;
    this.column += width;
  }

  writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ' ' + indicator;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.openEnded = false;
    this.write(data);
  }

  writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.writeLineBreak();
    if (this.column < indent) this.write(' '.repeat(indent - this.column));
    this.whitespace = true;
    this.indention = true;
  }

  writeLineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.out += data;
    this.column = 0;
  }

  increaseIndent(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === null) this.indent = flow ? this.bestIndent : 0;
    else if (!indentless) this.indent += this.bestIndent;
  }

  popIndent(): void {
    this.indent = this.indents.pop() ?? null;
  }

  node(n: YNode, ctx: { root?: boolean; sequence?: boolean; mapping?: boolean; simpleKey?: boolean }): void {
    this.rootContext = !!ctx.root;
    this.mappingContext = !!ctx.mapping;
    this.simpleKeyContext = !!ctx.simpleKey;
    if (n.kind === 'scalar') {
      const a = analyze(n.value);
      const style = this.chooseStyle(n, a);
      this.increaseIndent(true);
      const split = !this.simpleKeyContext;
      if (style === '"') this.writeDoubleQuoted(a.chars, split);
      else if (style === "'") this.writeSingleQuoted(a.chars, split);
      else this.writePlain(a.chars, split);
      this.popIndent();
    } else if (n.kind === 'seq') {
      if (this.flowLevel || n.flow || n.items.length === 0) this.flowSequence(n.items);
      else this.blockSequence(n.items);
    } else if (this.flowLevel || n.flow || n.pairs.length === 0) this.flowMapping(n.pairs);
    else this.blockMapping(n.pairs);
  }

  chooseStyle(n: { plainOk: boolean }, a: Analysis): string {
    if (n.plainOk) {
      if (!(this.simpleKeyContext && (a.empty || a.multiline)) && ((this.flowLevel && a.allowFlowPlain) || (!this.flowLevel && a.allowBlockPlain))) return '';
    }
    if (a.allowSingleQuoted && !(this.simpleKeyContext && a.multiline)) return "'";
    return '"';
  }

  checkSimpleKey(k: YNode): boolean {
    if (k.kind === 'scalar') {
      const a = analyze(k.value);
      return !a.multiline && Buffer.byteLength(k.value, 'utf8') <= 128;
    }
    return k.kind === 'seq' ? k.items.length === 0 : k.pairs.length === 0;
  }

  flowSequence(items: YNode[]): void {
    this.writeIndicator('[', true, true);
    this.flowLevel += 1;
    this.increaseIndent(true);
    items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      this.node(item, { sequence: true });
    });
    this.popIndent();
    this.flowLevel -= 1;
    this.writeIndicator(']', false);
  }

  flowMapping(pairs: [YNode, YNode][]): void {
    this.writeIndicator('{', true, true);
    this.flowLevel += 1;
    this.increaseIndent(true);
    pairs.forEach(([k, v], i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > this.bestWidth) this.writeIndent();
      if (this.checkSimpleKey(k)) {
        this.node(k, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true);
        this.node(k, { mapping: true });
        if (this.column > this.bestWidth) this.writeIndent();
        this.writeIndicator(':', true);
      }
      this.node(v, { mapping: true });
    });
    this.popIndent();
    this.flowLevel -= 1;
    this.writeIndicator('}', false);
  }

  blockSequence(items: YNode[]): void {
    const indentless = this.mappingContext && !this.indention;
    this.increaseIndent(false, indentless);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { sequence: true });
    }
    this.popIndent();
  }

  blockMapping(pairs: [YNode, YNode][]): void {
    this.increaseIndent(false);
    for (const [k, v] of pairs) {
      this.writeIndent();
      if (this.checkSimpleKey(k)) {
        this.node(k, { mapping: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(k, { mapping: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(v, { mapping: true });
    }
    this.popIndent();
  }

  writePlain(text: string[], split: boolean): void {
    if (this.rootContext) this.openEnded = true;
    if (text.length === 0) return;
    if (!this.whitespace) this.write(' ');
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end += 1) {
      const ch = end < text.length ? text[end]! : null;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else this.write(text.slice(start, end).join(''), end - start);
          start = end;
        }
      } else if (breaks) {
        if (ch === null || !BREAKS.includes(ch)) {
          if (text[start] === '\n') this.writeLineBreak();
          for (const br of text.slice(start, end)) this.writeLineBreak(br);
          this.writeIndent();
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (ch === null || ' \n\x85\u2028\u2029'.includes(ch)) {
        this.write(text.slice(start, end).join(''), end - start);
        start = end;
      }
      if (ch !== null) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
  }

  writeSingleQuoted(text: string[], split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= text.length; end += 1) {
      const ch = end < text.length ? text[end]! : null;
      if (spaces) {
        if (ch === null || ch !== ' ') {
          if (start + 1 === end && this.column > this.bestWidth && split && start !== 0 && end !== text.length) this.writeIndent();
          else this.write(text.slice(start, end).join(''), end - start);
          start = end;
        }
      } else if (breaks) {
        if (ch === null || !BREAKS.includes(ch)) {
          if (text[start] === '\n') this.writeLineBreak();
          for (const br of text.slice(start, end)) this.writeLineBreak(br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === null || ' \n\x85\u2028\u2029'.includes(ch) || ch === "'") {
        if (start < end) {
          this.write(text.slice(start, end).join(''), end - start);
          start = end;
        }
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== null) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  writeDoubleQuoted(text: string[], split: boolean): void {
    this.writeIndicator('"', true);
    let spaces = false;
    for (let i = 0; i < text.length; i += 1) {
      const ch = text[i]!;
      const cp = ch.codePointAt(0)!;
      if (!printable(cp) || cp === 0xfeff || BREAKS.includes(ch) || ch === '"' || ch === '\\') {
        let data: string;
        if (ch in ESCAPES) data = '\\' + ESCAPES[ch];
        else if (cp <= 0xff) data = '\\x' + cp.toString(16).toUpperCase().padStart(2, '0');
        else if (cp <= 0xffff) data = '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
        else data = '\\U' + cp.toString(16).toUpperCase().padStart(8, '0');
        this.write(data);
        spaces = false;
      } else if (ch === ' ') {
        if (split && !spaces && this.column > this.bestWidth && i !== 0 && i !== text.length - 1) {
          this.writeIndent();
          if (text[i + 1] === ' ') this.write('\\');
        } else this.write(ch, 1);
        spaces = true;
      } else {
        this.write(ch, 1);
        spaces = false;
      }
    }
    this.writeIndicator('"', false);
  }

  document(root: YNode): string {
    this.node(root, { root: true });
    // document end, then stream end ("..." after an open-ended plain root scalar)
    this.writeIndent();
    return this.out;
  }
}

export function pyYamlDump(value: unknown, opts: { indent?: number; width?: number; defaultFlowStyle: boolean | null }): string {
  const indent = opts.indent !== undefined && opts.indent > 1 && opts.indent < 10 ? opts.indent : 2;
  const width = opts.width !== undefined && opts.width > indent * 2 ? opts.width : 80;
  return new Emitter(indent, width).document(represent(value, opts.defaultFlowStyle));
}

function numArg(v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof PyFloat) return v.value;
  return typeof v === 'number' ? v : Number(v);
}

export function toYaml(value: unknown, ...args: unknown[]): string {
  const [, kw] = splitKwargs(args);
  const dfs = kw.default_flow_style;
  return pyYamlDump(value, { indent: numArg(kw.indent), width: numArg(kw.width), defaultFlowStyle: dfs === undefined || dfs === null ? null : Boolean(dfs) });
}

export function toNiceYaml(value: unknown, ...args: unknown[]): string {
  const [pos, kw] = splitKwargs(args);
  const indent = numArg(kw.indent ?? pos[0]) ?? 4;
  return pyYamlDump(value, { indent, width: numArg(kw.width), defaultFlowStyle: false });
}

// ---------------------------------------------------------------- parsing

/** YAML/JSON text to Python-like values: integral floats stay floats, keys keep their order and type. */
function fromNode(n: YamlNode | null | undefined, doc: ReturnType<typeof parseDocument>): unknown {
  if (n === null || n === undefined) return null;
  if (isScalar(n)) {
    const v = n.value;
    if (typeof v === 'number') {
      const src = typeof n.source === 'string' ? n.source : String(v);
      if (Number.isInteger(v) && /[.eE]|inf|nan/i.test(src) && !/^[-+]?0x/i.test(src)) return mkFloat(v);
      return v;
    }
    if (typeof v === 'bigint') return new PyLong(v);
    if (v instanceof Date) return v.toISOString();
    return v;
  }
  if (isSeq(n)) return n.items.map((x) => fromNode(x as YamlNode, doc));
  if (isMap(n)) {
    return newDict(
      n.items.map((p) => {
        const key = fromNode(p.key as YamlNode, doc);
        return [key, fromNode(p.value as YamlNode, doc)] as [unknown, unknown];
      }),
    );
  }
  // aliases
  const resolved = (n as unknown as { resolve?: (d: unknown) => YamlNode }).resolve?.(doc);
  return resolved ? fromNode(resolved, doc) : null;
}

/** PyYAML's YAML 1.1 booleans: yes/no/true/false/on/off, but not the single letters y/n. */
function pyyamlTags(tags: Tags): Tags {
  return tags.map((t) => {
    if (typeof t !== 'object' || t === null || !('tag' in t) || t.tag !== 'tag:yaml.org,2002:bool' || !('test' in t) || !(t.test instanceof RegExp)) return t;
    const truthy = t.test.test('yes');
    return { ...t, test: truthy ? /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/ : /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/ } as (typeof tags)[number];
  });
}

type Tags = Extract<NonNullable<SchemaOptions['customTags']>, unknown[]>;

function parseText(text: string, version: '1.1' | '1.2', what: string): unknown {
  const doc = parseDocument(text, { version, uniqueKeys: false, intAsBigInt: false, keepSourceTokens: true, ...(version === '1.1' ? { customTags: pyyamlTags } : {}) });
  if (doc.errors.length > 0) throw new PyError(what, doc.errors[0]!.message);
  return fromNode(doc.contents as YamlNode | null, doc);
}

export function fromYaml(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return parseText(value, '1.1', 'YAMLError');
}

export function fromJson(value: unknown): unknown {
  const text = typeof value === 'string' ? value : pyStr(value);
  try {
    JSON.parse(text);
  } catch (e) {
    throw new PyError('JSONDecodeError', (e as Error).message);
  }
  return parseText(text, '1.2', 'JSONDecodeError');
}
