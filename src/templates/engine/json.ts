/**
 * Python's json.dumps, byte for byte (separators, ensure_ascii escapes, float reprs, sort_keys): the
 * one printer behind Jinja2's `tojson` (src/templates/engine/builtins.ts) and Ansible's `to_json` /
 * `to_nice_json` (src/templates/filters/serialize.ts).
 */
import { PyError, PyFloat, PyUndefined, dictEntries, floatRepr, isDict, isGenerator, pyCompare, pyTypeName } from '../values.js';
import { PyLong } from '../filters/ip/ipaddr.js';

export interface JsonDumpOptions {
  indent?: number | string | null;
  sortKeys?: boolean;
  ensureAscii?: boolean;
  /** [item separator, key separator]; Python's default is [', ', ': '] without indent, [',', ': '] with it */
  separators?: [string, string];
  /** Jinja2's htmlsafe_json_dumps: `<`, `>`, `&` and `'` printed as \u escapes */
  htmlSafe?: boolean;
  /**
   * Ansible's encoder rather than plain json.dumps (Jinja2's tojson): sets and generators print as
   * lists, an undefined value fails as undefined, and keys of different types fail to sort with the
   * operands in the order Python's sort compares them
   */
  ansible?: boolean;
}

export function jsonString(s: string, ensureAscii: boolean): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i] as string;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (c < 0x20 || (ensureAscii && c > 0x7e)) out += '\\u' + c.toString(16).padStart(4, '0');
    else out += ch;
  }
  return out + '"';
}

function jsonFloat(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  return floatRepr(n);
}

function keyString(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === true) return 'true';
  if (k === false) return 'false';
  if (k === null || k === undefined) return 'null';
  if (typeof k === 'number') return Number.isInteger(k) ? String(k) : jsonFloat(k);
  if (k instanceof PyFloat) return jsonFloat(k.value);
  throw new PyError('TypeError', `keys must be str, int, float, bool or None, not ${pyTypeName(k)}`);
}

const isNum = (v: unknown): boolean => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
const pyTypeOf = (v: unknown): string => (typeof v === 'string' ? 'str' : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : v === null ? 'NoneType' : typeof v);

/** sort_keys as Ansible's (and PyYAML's): keys of different types are refused, naming the later one first. */
export function sortEntries(entries: [unknown, unknown][]): [unknown, unknown][] {
  return [...entries].sort((a, b) => {
    if (typeof a[0] !== typeof b[0] && !(isNum(a[0]) && isNum(b[0]))) {
      throw new PyError('TypeError', `'<' not supported between instances of '${pyTypeOf(b[0])}' and '${pyTypeOf(a[0])}'`);
    }
    return pyCompare(a[0], b[0]);
  });
}

export function pyJsonDumps(value: unknown, opts: JsonDumpOptions = {}): string {
  const ensureAscii = opts.ensureAscii ?? true;
  const indent = opts.indent === undefined || opts.indent === null ? null : typeof opts.indent === 'number' ? ' '.repeat(Math.max(0, opts.indent)) : opts.indent;
  const [itemSep, keySep] = opts.separators ?? (indent !== null ? [',', ': '] : [', ', ': ']);
  const ansible = opts.ansible ?? false;
  const enc = (v: unknown, level: number): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return jsonString(v, ensureAscii);
    if (typeof v === 'number') return Number.isInteger(v) ? String(v) : jsonFloat(v);
    if (v instanceof PyFloat) return jsonFloat(v.value);
    if (v instanceof PyLong) return v.toString();
    if (v instanceof PyUndefined) {
      if (ansible) throw new PyError('UndefinedError', `'${v.name}' is undefined`);
      throw new PyError('TypeError', 'Object of type StrictUndefined is not JSON serializable');
    }
    const open = (items: string[], o: string, c: string): string => {
      if (!items.length) return o + c;
      if (indent === null) return o + items.join(itemSep) + c;
      const pad = '\n' + indent.repeat(level + 1);
      return o + pad + items.join(itemSep + pad) + '\n' + indent.repeat(level) + c;
    };
    if (Array.isArray(v) && isGenerator(v) && !ansible) throw new PyError('TypeError', 'Object of type generator is not JSON serializable');
    if (Array.isArray(v)) return open(v.map((x) => enc(x, level + 1)), '[', ']');
    if (isDict(v)) {
      let entries = dictEntries(v);
      if (opts.sortKeys) entries = ansible ? sortEntries(entries) : [...entries].sort((a, b) => pyCompare(a[0], b[0]));
      return open(entries.map(([k, x]) => jsonString(keyString(k), ensureAscii) + keySep + enc(x, level + 1)), '{', '}');
    }
    if (v instanceof Set && ansible) return enc([...v], level);
    throw new PyError('TypeError', `Object of type ${pyTypeName(v)} is not JSON serializable`);
  };
  const out = enc(value, 0);
  return opts.htmlSafe ? out.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/'/g, '\\u0027') : out;
}
