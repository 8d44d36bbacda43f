/**
 * The Python value layer templates compute with, so output prints the way Jinja2 prints it.
 *
 * Representation (cheap on purpose: most values are plain JS values):
 * - None: `null` (a JS `undefined` that leaks in is treated as None too);
 * - bool: JS boolean; int: a JS number with an integral value;
 * - float: a non-integral JS number, or a `PyFloat` box when the value is integral (`5.0`);
 * - str: JS string; list: JS array; tuple: an array marked by `makeTuple`;
 * - dict: a plain object or a `Map` (a Map keeps insertion order for integer-like and non-string keys,
 *   which a plain object would reorder). Always go through `isDict` / `dictKeys` / `dictGet` / `dictEntries`;
 * - undefined (a variable or attribute that does not exist): a `PyUndefined` instance.
 */

export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toString(): string {
    return floatRepr(this.value);
  }
}

/** A missing variable or attribute. `name` is what the template asked for (e.g. `intf.name`). */
export class PyUndefined {
  constructor(
    readonly name: string,
    readonly hint?: string,
    /** Jinja's plain Undefined even under StrictUndefined (an inline `if` without `else`): prints empty. */
    readonly lenient = false,
  ) {}
  toString(): string {
    return '';
  }
}

/** `namespace()` objects: attributes assignable with `{% set ns.x = ... %}`. */
export class PyNamespace {
  constructor(init?: Record<string, unknown>) {
    if (init) Object.assign(this, init);
  }
}

/** A Python-level error (TypeError, ValueError…) raised while evaluating; the engine adds file and line. */
export class PyError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
    this.name = pyType;
  }
}

const TUPLE = Symbol('py.tuple');
const GEN = Symbol('py.generator');
const VIEW = Symbol('py.view');

/**
 * Marks an array as a Python generator (what Jinja2's map, select, reject, selectattr, rejectattr, unique,
 * batch, slice, items and reverse return): always truthy, no len(), not subscriptable, iterated once,
 * and printing it is an error (Jinja2 would print `<generator object … at 0x…>`).
 */
export function makeGenerator<T>(items: T[]): T[] {
  Object.defineProperty(items, GEN, { value: { consumed: false }, enumerable: false });
  return items;
}

export function isGenerator(v: unknown): boolean {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[GEN] !== undefined;
}

/** Marks an array as a dict view (`dict_keys`, `dict_values`, `dict_items`) or a `range(…)`: prints as Python does. */
export function makeView<T>(items: T[], kind: string): T[] {
  Object.defineProperty(items, VIEW, { value: kind, enumerable: false });
  return items;
}

export function viewKind(v: unknown): string | undefined {
  return Array.isArray(v) ? ((v as unknown as Record<symbol, unknown>)[VIEW] as string | undefined) : undefined;
}

export type PyDict = Record<string, unknown> | Map<unknown, unknown>;

export function makeTuple<T>(items: T[]): T[] {
  Object.defineProperty(items, TUPLE, { value: true, enumerable: false });
  return items;
}

export function isTuple(v: unknown): v is unknown[] {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

export function isUndefined(v: unknown): v is PyUndefined {
  return v instanceof PyUndefined;
}

export function isNone(v: unknown): v is null | undefined {
  return v === null || v === undefined;
}

/** Python int (bool excluded). */
export function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Python float: a boxed integral float or a non-integral number (inf and nan included). */
export function isFloat(v: unknown): v is number | PyFloat {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** int or float (not bool). */
export function isNumber(v: unknown): v is number | PyFloat {
  return typeof v === 'number' || v instanceof PyFloat;
}

export function isString(v: unknown): v is string {
  return typeof v === 'string';
}

export function isList(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

export function isDict(v: unknown): v is PyDict {
  if (v === null || typeof v !== 'object') return false;
  if (v instanceof Map) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** The numeric value of a bool, int or float; NaN for anything else. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return NaN;
}

/** Make a Python float from a JS number (boxes integral values so they print as `5.0`). */
export function mkFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

// ---------------------------------------------------------------- dicts

export function dictKeys(d: PyDict): unknown[] {
  return d instanceof Map ? [...d.keys()] : Object.keys(d);
}

export function dictValues(d: PyDict): unknown[] {
  return d instanceof Map ? [...d.values()] : Object.values(d);
}

export function dictEntries(d: PyDict): [unknown, unknown][] {
  return d instanceof Map ? [...d.entries()] : Object.entries(d);
}

export function dictSize(d: PyDict): number {
  return d instanceof Map ? d.size : Object.keys(d).length;
}

export function dictHas(d: PyDict, key: unknown): boolean {
  if (d instanceof Map) {
    if (d.has(key)) return true;
    const alt = mapKeyAlias(key);
    return alt !== undefined && d.has(alt);
  }
  return typeof key === 'string' || typeof key === 'number' ? Object.prototype.hasOwnProperty.call(d, String(key)) : false;
}

/** The value at `key`, or JS `undefined` when absent (callers turn that into PyUndefined or a default). */
export function dictGet(d: PyDict, key: unknown): unknown {
  if (d instanceof Map) {
    if (d.has(key)) return d.get(key);
    const alt = mapKeyAlias(key);
    return alt !== undefined ? d.get(alt) : undefined;
  }
  if (typeof key === 'string' || typeof key === 'number') {
    const k = String(key);
    return Object.prototype.hasOwnProperty.call(d, k) ? d[k] : undefined;
  }
  return undefined;
}

export function dictSet(d: PyDict, key: unknown, value: unknown): void {
  if (d instanceof Map) {
    const alt = mapKeyAlias(key);
    if (!d.has(key) && alt !== undefined && d.has(alt)) d.set(alt, value);
    else d.set(key, value);
  } else d[String(key)] = value;
}

export function dictDelete(d: PyDict, key: unknown): boolean {
  if (d instanceof Map) {
    if (d.delete(key)) return true;
    const alt = mapKeyAlias(key);
    return alt !== undefined && d.delete(alt);
  }
  const k = String(key);
  if (!Object.prototype.hasOwnProperty.call(d, k)) return false;
  delete d[k];
  return true;
}

/** Python equates 1, 1.0 and True as dict keys. */
function mapKeyAlias(key: unknown): unknown {
  if (key instanceof PyFloat) return key.value;
  if (typeof key === 'boolean') return key ? 1 : 0;
  return undefined;
}

/** A new dict from entries: a plain object when every key is a non-integer-like string, else a Map. */
export function newDict(entries: Iterable<[unknown, unknown]>): PyDict {
  const list = [...entries];
  if (list.every(([k]) => typeof k === 'string' && !/^(0|[1-9]\d*)$/.test(k))) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of list) o[k as string] = v;
    return o;
  }
  const m = new Map<unknown, unknown>();
  for (const [k, v] of list) {
    const key = k instanceof PyFloat ? k.value : k;
    m.set(key, v);
  }
  return m;
}

// ---------------------------------------------------------------- iteration / length

/** What `for x in v` iterates: list items, dict keys, string characters. */
export function pyIter(v: unknown): unknown[] {
  if (Array.isArray(v)) {
    const g = (v as unknown as Record<symbol, { consumed: boolean } | undefined>)[GEN];
    if (g) {
      if (g.consumed) return [];
      g.consumed = true;
    }
    return v;
  }
  if (typeof v === 'string') return Array.from(v);
  if (isDict(v)) return dictKeys(v);
  if (v instanceof Set) return [...v];
  if (v instanceof PyUndefined) return [];
  if (v !== null && typeof v === 'object' && Symbol.iterator in v) return [...(v as Iterable<unknown>)];
  throw new PyError('TypeError', `'${pyTypeName(v)}' object is not iterable`);
}

export function pyLen(v: unknown): number {
  if (typeof v === 'string') return Array.from(v).length;
  if (Array.isArray(v)) {
    if (isGenerator(v)) throw new PyError('TypeError', "object of type 'generator' has no len()");
    return v.length;
  }
  if (isDict(v)) return dictSize(v);
  if (v instanceof Set) return v.size;
  throw new PyError('TypeError', `object of type '${pyTypeName(v)}' has no len()`);
}

// ---------------------------------------------------------------- truth, equality, order

export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  if (Array.isArray(v)) return v.length > 0 || isGenerator(v);
  if (v instanceof PyFloat) return v.value !== 0;
  if (v instanceof PyUndefined) return false;
  if (v instanceof Map || v instanceof Set) return v.size > 0;
  if (isDict(v)) return Object.keys(v).length > 0;
  return true;
}

function isNumeric(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
}

export function pyEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return toNumber(a) === toNumber(b);
  if (a === undefined || b === undefined) return a === null || b === null ? a == b : false;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length || isTuple(a) !== isTuple(b)) return false;
    for (let i = 0; i < a.length; i++) if (!pyEquals(a[i], b[i])) return false;
    return true;
  }
  if (isDict(a) && isDict(b)) {
    if (dictSize(a) !== dictSize(b)) return false;
    for (const [k, v] of dictEntries(a)) {
      if (!dictHas(b, k) || !pyEquals(v, dictGet(b, k))) return false;
    }
    return true;
  }
  if (a instanceof PyUndefined && b instanceof PyUndefined) return true;
  return false;
}

/** Python's ordering for sort/min/max: numbers with numbers, strings by code point, sequences lexicographically. */
export function pyCompare(a: unknown, b: unknown): number {
  if (isNumeric(a) && isNumeric(b)) {
    const x = toNumber(a);
    const y = toNumber(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (pyEquals(a[i], b[i])) continue;
      return pyCompare(a[i], b[i]);
    }
    return a.length - b.length < 0 ? -1 : a.length > b.length ? 1 : 0;
  }
  throw new PyError(
    'TypeError',
    `'<' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`,
  );
}

export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return isGenerator(v) ? 'generator' : (viewKind(v)?.replace(/\(.*$/, '') ?? (isTuple(v) ? 'tuple' : 'list'));
  if (v instanceof PyUndefined) return 'StrictUndefined';
  if (v instanceof PyNamespace) return 'Namespace';
  if (isDict(v)) return 'dict';
  if (v instanceof Set) return 'set';
  if (typeof v === 'function') return 'function';
  return 'object';
}

// ---------------------------------------------------------------- printing

/** Python's repr() of a float: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const exp = n.toExponential(); // shortest digits that round-trip, e.g. "-1.2345e+5"
  const e = exp.indexOf('e');
  const sign = exp.startsWith('-') ? '-' : '';
  const mantissa = exp.slice(sign ? 1 : 0, e);
  const exponent = Number(exp.slice(e + 1));
  const digits = mantissa.replace('.', '');
  const decpt = exponent + 1;
  if (decpt <= -4 || decpt > 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ae = Math.abs(exponent);
    return `${sign}${m}e${exponent < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

function intStr(n: number): string {
  return Math.abs(n) < 1e21 ? String(n) : BigInt(n).toString();
}

/** Python's str(). */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? intStr(v) : floatRepr(v);
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (v instanceof PyUndefined) return '';
  if (typeof v === 'object' && !Array.isArray(v) && !isDict(v) && !(v instanceof Set) && !(v instanceof PyNamespace)) {
    const s = (v as { toString?: () => string }).toString;
    if (typeof s === 'function' && s !== Object.prototype.toString) return String(v);
  }
  return pyRepr(v);
}

/** Python's repr(). */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return strRepr(v);
  if (Array.isArray(v)) {
    if (isGenerator(v)) {
      throw new PyError('TypeError', "Jinja2 prints a generator object here ('<generator object … at 0x…>'); add '| list'");
    }
    const view = viewKind(v);
    if (view?.startsWith('range(')) return view;
    const inner = v.map(pyRepr).join(', ');
    if (view) return `${view}([${inner}])`;
    if (isTuple(v)) return v.length === 1 ? `(${inner},)` : `(${inner})`;
    return `[${inner}]`;
  }
  if (v instanceof PyNamespace) {
    return `<Namespace ${Object.entries(v)
      .map(([k, x]) => `${strRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}>`;
  }
  if (isDict(v)) {
    return `{${dictEntries(v)
      .map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`)
      .join(', ')}}`;
  }
  if (v instanceof Set) return v.size === 0 ? 'set()' : `{${[...v].map(pyRepr).join(', ')}}`;
  if (v instanceof PyUndefined) return 'Undefined';
  if (typeof v === 'function') return `<function ${v.name || 'anonymous'}>`;
  return pyStr(v);
}

/** What Python's str.isprintable() rejects (besides ASCII controls): repr() escapes these. */
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** Python's repr() of a str: single quotes unless the text has ' and no ". */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x7f && c >= 0x20) out += ch;
    else if (NOT_PRINTABLE.test(ch)) {
      out += c < 0x100 ? '\\x' + c.toString(16).padStart(2, '0') : c < 0x10000 ? '\\u' + c.toString(16).padStart(4, '0') : '\\U' + c.toString(16).padStart(8, '0');
    } else out += ch;
  }
  return out + quote;
}

// ---------------------------------------------------------------- calls

/**
 * Keyword arguments of a filter, test or function call. The engine calls every filter/test/global as
 * `fn(value, ...positional, kwargs?)`: when the template passes keyword arguments (`x|f(1, attribute='a')`),
 * the last argument is one `PyKwargs`; without keywords there is none. Use `splitKwargs` to separate them.
 */
export class PyKwargs {
  constructor(readonly values: Record<string, unknown>) {}
}

export function splitKwargs(args: unknown[]): { args: unknown[]; kwargs: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (last instanceof PyKwargs) return { args: args.slice(0, -1), kwargs: last.values };
  return { args, kwargs: {} };
}

/**
 * Python-style argument binding: `bindArgs('indent', ['width', 'first', 'blank'], [4, false, false], args)`
 * returns the values in parameter order (positional first, then keywords, then defaults), and raises a
 * PyError TypeError for unknown keywords or too many arguments.
 */
export function bindArgs(fname: string, params: string[], defaults: unknown[], rawArgs: unknown[]): unknown[] {
  const n = rawArgs.length;
  if (n <= params.length && (n === 0 || !(rawArgs[n - 1] instanceof PyKwargs))) {
    // fast path: positional arguments only
    const out = new Array<unknown>(params.length);
    for (let i = 0; i < params.length; i++) out[i] = i < n ? rawArgs[i] : defaults[i];
    return out;
  }
  const { args, kwargs } = splitKwargs(rawArgs);
  if (args.length > params.length) {
    throw new PyError('TypeError', `${fname}() takes at most ${params.length} argument(s) (${args.length} given)`);
  }
  const out = params.map((_, i) => (i < args.length ? args[i] : defaults[i]));
  for (const [k, v] of Object.entries(kwargs)) {
    const i = params.indexOf(k);
    if (i < 0) throw new PyError('TypeError', `${fname}() got an unexpected keyword argument '${k}'`);
    if (i < args.length) throw new PyError('TypeError', `${fname}() got multiple values for argument '${k}'`);
    out[i] = v;
  }
  return out;
}
