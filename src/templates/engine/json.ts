/** Python's json.dumps, byte for byte (separators, ensure_ascii escapes, float reprs, sort_keys). */
import { PyError, PyFloat, PyUndefined, dictEntries, floatRepr, isDict, isGenerator, pyCompare, pyTypeName } from '../values.js';

export interface JsonDumpOptions {
  indent?: number | string | null;
  sortKeys?: boolean;
  ensureAscii?: boolean;
  /** [item separator, key separator]; Python's default is [', ', ': '] without indent, [',', ': '] with it */
  separators?: [string, string];
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

function keyString(k: unknown): string {
  if (typeof k === 'string') return k;
  if (k === true) return 'true';
  if (k === false) return 'false';
  if (k === null || k === undefined) return 'null';
  if (typeof k === 'number' || k instanceof PyFloat) {
    const n = typeof k === 'number' ? k : k.value;
    return typeof k === 'number' && Number.isInteger(k) ? String(k) : floatRepr(n);
  }
  throw new PyError('TypeError', `keys must be str, int, float, bool or None, not ${pyTypeName(k)}`);
}

export function pyJsonDumps(value: unknown, opts: JsonDumpOptions = {}): string {
  const ensureAscii = opts.ensureAscii ?? true;
  const indent = opts.indent === undefined || opts.indent === null ? null : typeof opts.indent === 'number' ? ' '.repeat(opts.indent) : opts.indent;
  const [itemSep, keySep] = opts.separators ?? (indent !== null ? [',', ': '] : [', ', ': ']);
  const enc = (v: unknown, level: number): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'string') return jsonString(v, ensureAscii);
    if (typeof v === 'number' || v instanceof PyFloat) {
      const n = typeof v === 'number' ? v : v.value;
      if (Number.isNaN(n)) return 'NaN';
      if (n === Infinity) return 'Infinity';
      if (n === -Infinity) return '-Infinity';
      return typeof v === 'number' && Number.isInteger(v) ? String(v) : floatRepr(n);
    }
    if (v instanceof PyUndefined) throw new PyError('TypeError', 'Object of type StrictUndefined is not JSON serializable');
    const open = (items: string[], o: string, c: string): string => {
      if (!items.length) return o + c;
      if (indent === null) return o + items.join(itemSep) + c;
      const pad = '\n' + indent.repeat(level + 1);
      return o + pad + items.join(itemSep + pad) + '\n' + indent.repeat(level) + c;
    };
    if (Array.isArray(v) && isGenerator(v)) throw new PyError('TypeError', 'Object of type generator is not JSON serializable');
    if (Array.isArray(v)) return open(v.map((x) => enc(x, level + 1)), '[', ']');
    if (isDict(v)) {
      let entries = dictEntries(v);
      if (opts.sortKeys) entries = [...entries].sort((a, b) => pyCompare(a[0], b[0]));
      return open(entries.map(([k, x]) => jsonString(keyString(k), ensureAscii) + keySep + enc(x, level + 1)), '{', '}');
    }
    throw new PyError('TypeError', `Object of type ${pyTypeName(v)} is not JSON serializable`);
  };
  return enc(value, 0);
}
