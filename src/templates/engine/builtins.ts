/**
 * Jinja2 3.1's builtin filters, tests and globals, with its argument names, defaults and edge cases.
 * Filters not listed here (urlize, lipsum…) are unknown: a template using one fails at compile time.
 */
import {
  PyError,
  PyFloat,
  PyKwargs,
  PyNamespace,
  PyUndefined,
  bindArgs,
  dictEntries,
  dictGet,
  dictHas,
  isDict,
  isFloat,
  isInt,
  isTuple,
  makeGenerator,
  makeTuple,
  makeView,
  mkFloat,
  newDict,
  pyCompare,
  pyEquals,
  pyIter,
  pyLen,
  pyRepr,
  pyStr,
  pyTruthy,
  splitKwargs,
  toNumber,
} from '../values.js';
import { pyJsonDumps } from './json.js';
import { percentFormat, toFixedPy, pyCapitalize, pyCenter, pyContains, pyCompareOp, pyInt, pyReplace, STR_METHODS, pyAdd } from './pyops.js';
import { Macro, getattr, getitem, methodCtx, UndefinedError, undefinedMessage } from './runtime.js';

type Fn = (...args: unknown[]) => unknown;
type Registry = Record<string, Fn>;

/** What filters like `map` and `select` need from the engine: other filters and tests by name. */
export interface BuiltinEnv {
  filters: Registry;
  tests: Registry;
  strict: boolean;
}

function strictStr(v: unknown): string {
  if (v instanceof PyUndefined) throw new UndefinedError(undefinedMessage(v));
  return pyStr(v);
}

function iter(v: unknown): unknown[] {
  if (v instanceof PyUndefined) throw new UndefinedError(undefinedMessage(v));
  return pyIter(v);
}

/** Jinja's make_attrgetter: dotted path, integer parts index, missing → default or Undefined. */
export function attrGetter(attribute: unknown, postprocess?: (v: unknown) => unknown, dflt?: unknown): (item: unknown) => unknown {
  const parts = typeof attribute === 'string' ? attribute.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [attribute];
  return (item) => {
    let v = item;
    for (const p of parts) {
      v = getitem(v, p);
      if (v instanceof PyUndefined) break;
    }
    if (v instanceof PyUndefined && dflt !== undefined) v = dflt;
    return postprocess ? postprocess(v) : v;
  };
}

function ignoreCase(v: unknown): unknown {
  return typeof v === 'string' ? v.toLowerCase() : v;
}

function sortKeyCompare(a: unknown, b: unknown): number {
  if (a instanceof PyUndefined) throw new UndefinedError(undefinedMessage(a));
  if (b instanceof PyUndefined) throw new UndefinedError(undefinedMessage(b));
  return pyCompare(a, b);
}

/** Stable sort by key, like Python's sorted(). */
function sortedBy<T>(items: T[], key: (x: T) => unknown, reverse = false): T[] {
  const keyed = items.map((x, i) => ({ x, k: key(x), i }));
  keyed.sort((a, b) => {
    const c = sortKeyCompare(a.k, b.k);
    return (reverse ? -c : c) || a.i - b.i;
  });
  return keyed.map((e) => e.x);
}

function htmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

function urlQuote(v: unknown, forQs: boolean): string {
  const s = typeof v === 'string' ? v : pyStr(v);
  const bytes = Buffer.from(s, 'utf8');
  let out = '';
  for (const b of bytes) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9_.\-~]/.test(c) || (!forQs && c === '/')) out += c;
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return forQs ? out.replace(/%20/g, '+') : out;
}

/** Python's round(x, n): half to even on the exact binary value. */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x)) return x;
  if (ndigits >= 0) return Number(toFixedPy(x, ndigits)) || (x < 0 ? -0 : 0);
  const m = 10 ** -ndigits;
  return Number(toFixedPy(x / m, 0)) * m;
}

function wordTitle(s: string): string {
  return s
    .split(/([-\s({[<]+)/)
    .filter((p) => p)
    .map((p) => (p[0] as string).toUpperCase() + p.slice(1).toLowerCase())
    .join('');
}

const TW_WS = '[\\t\\n\\x0b\\x0c\\r ]';
const TW_NWS = '[^\\t\\n\\x0b\\x0c\\r ]';
const TW_LT = '[^\\d\\W]';
const TW_WP = `[\\w!"'&.,?]`;
/** Python textwrap's wordsep_re */
const WORDSEP = new RegExp(
  `(${TW_WS}+|(?<=${TW_WP})-{2,}(?=\\w)|${TW_NWS}+?(?:-(?:(?<=${TW_LT}{2}-)|(?<=${TW_LT}-${TW_LT}-))(?=${TW_LT}-?${TW_LT})|(?=${TW_WS}|$)|(?<=${TW_WP})(?=-{2,}\\w)))`,
);
const WORDSEP_SIMPLE = new RegExp(`(${TW_WS}+)`);

/** textwrap.wrap as Jinja's wordwrap calls it (expand_tabs=False, replace_whitespace=False). */
function textwrap(text: string, width: number, breakLong: boolean, breakOnHyphens: boolean): string[] {
  const chunks = text.split(breakOnHyphens ? WORDSEP : WORDSEP_SIMPLE).filter((c) => c && c.length > 0).reverse();
  const lines: string[] = [];
  while (chunks.length) {
    const cur: string[] = [];
    let len = 0;
    if (lines.length > 0 && (chunks[chunks.length - 1] as string).trim() === '') chunks.pop();
    while (chunks.length) {
      const c = chunks[chunks.length - 1] as string;
      if (len + c.length <= width) {
        cur.push(c);
        len += c.length;
        chunks.pop();
      } else break;
    }
    if (chunks.length && (chunks[chunks.length - 1] as string).length > width) {
      const chunk = chunks[chunks.length - 1] as string;
      const space = width < 1 ? 1 : width - len;
      if (breakLong) {
        let end = space;
        if (breakOnHyphens && chunk.length > space) {
          const hyphen = chunk.lastIndexOf('-', space - 1);
          if (hyphen > 0 && /[^-]/.test(chunk.slice(0, hyphen))) end = hyphen + 1;
        }
        cur.push(chunk.slice(0, end));
        chunks[chunks.length - 1] = chunk.slice(end);
      } else if (!cur.length) {
        cur.push(chunk);
        chunks.pop();
      }
      len = cur.reduce((n, c) => n + c.length, 0);
    }
    if (cur.length && (cur[cur.length - 1] as string).trim() === '') {
      len -= (cur[cur.length - 1] as string).length;
      cur.pop();
    }
    if (cur.length) lines.push(cur.join(''));
  }
  return lines;
}

/** Jinja2's own filters: they take generators as Jinja2 passes them; other filters get a list. */
export const JINJA_BUILTIN_FILTERS = new WeakSet<Fn>();

export function createBuiltins(env: BuiltinEnv): { filters: Registry; tests: Registry; globals: Record<string, unknown> } {
  const callTest = (name: unknown, value: unknown, args: unknown[]): boolean => {
    const t = env.tests[pyStr(name)];
    if (!t) throw new PyError('TemplateRuntimeError', `No test named ${pyRepr(pyStr(name))}.`);
    return pyTruthy(t(value, ...args));
  };
  const callFilter = (name: unknown, value: unknown, args: unknown[]): unknown => {
    const f = env.filters[pyStr(name)];
    if (!f) throw new PyError('TemplateRuntimeError', `No filter named ${pyRepr(pyStr(name))}.`);
    return f(value, ...args);
  };

  const selectOrReject = (value: unknown, rawArgs: unknown[], modfunc: (b: boolean) => boolean, lookupAttr: boolean): unknown[] => {
    const { args, kwargs } = splitKwargs(rawArgs);
    let transform: (x: unknown) => unknown = (x) => x;
    let rest = args;
    if (lookupAttr) {
      if (!rest.length) throw new PyError('FilterArgumentError', 'Missing parameter for attribute name');
      transform = attrGetter(rest[0]);
      rest = rest.slice(1);
    }
    let pred: (x: unknown) => boolean;
    if (rest.length) {
      const [name, ...targs] = rest;
      const all = Object.keys(kwargs).length ? [...targs, new PyKwargs(kwargs)] : targs;
      pred = (x) => callTest(name, x, all);
    } else pred = (x) => pyTruthy(x instanceof PyUndefined ? (env.strict ? strictStr(x) : false) : x);
    return makeGenerator(iter(value).filter((item) => modfunc(pred(transform(item)))));
  };

  const minMax = (value: unknown, rawArgs: unknown[], fname: string, sign: number): unknown => {
    const [caseSensitive, attribute] = bindArgs(fname, ['case_sensitive', 'attribute'], [false, null], rawArgs);
    const items = iter(value);
    if (!items.length) return new PyUndefined('', `No aggregated item, sequence was empty.`);
    const key = attrGetter(attribute ?? undefined, pyTruthy(caseSensitive) ? undefined : ignoreCase);
    const k = attribute === null ? (x: unknown) => (pyTruthy(caseSensitive) ? x : ignoreCase(x)) : key;
    let best = items[0];
    let bestK = k(best);
    for (const it of items.slice(1)) {
      const kk = k(it);
      if (sign * sortKeyCompare(kk, bestK) > 0) {
        best = it;
        bestK = kk;
      }
    }
    return best;
  };

  const filters: Registry = {
    abs: (v) => {
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (v instanceof PyFloat) return new PyFloat(Math.abs(v.value));
      if (typeof v === 'number') return Math.abs(v);
      throw new PyError('TypeError', `bad operand type for abs(): '${typeof v}'`);
    },
    attr: (obj, name) => getattr(obj, pyStr(name)),
    batch: (value, ...a) => {
      const [n, fill] = bindArgs('batch', ['linecount', 'fill_with'], [undefined, null], a);
      const size = toNumber(n);
      const out: unknown[][] = [];
      let tmp: unknown[] = [];
      for (const item of iter(value)) {
        if (tmp.length === size) {
          out.push(tmp);
          tmp = [];
        }
        tmp.push(item);
      }
      if (tmp.length) {
        if (fill !== null && tmp.length < size) while (tmp.length < size) tmp.push(fill);
        out.push(tmp);
      }
      return makeGenerator(out);
    },
    capitalize: (s) => pyCapitalize(strictStr(s)),
    center: (s, ...a) => {
      const [w] = bindArgs('center', ['width'], [80], a);
      return pyCenter(strictStr(s), toNumber(w));
    },
    count: (v) => pyLen(v),
    length: (v) => pyLen(v),
    default: (value, ...a) => {
      const [dflt, boolean] = bindArgs('default', ['default_value', 'boolean'], ['', false], a);
      if (value instanceof PyUndefined || (pyTruthy(boolean) && !pyTruthy(value))) return dflt;
      return value;
    },
    dictsort: (value, ...a) => {
      const [cs, by, reverse] = bindArgs('dictsort', ['case_sensitive', 'by', 'reverse'], [false, 'key', false], a);
      if (!isDict(value)) throw new PyError('FilterArgumentError', 'You can only sort by either "key" or "value"');
      const pos = by === 'key' ? 0 : by === 'value' ? 1 : -1;
      if (pos < 0) throw new PyError('FilterArgumentError', 'You can only sort by either "key" or "value"');
      const items = dictEntries(value).map(([k, v]) => makeTuple([k, v]));
      return sortedBy(items, (t) => (pyTruthy(cs) ? t[pos] : ignoreCase(t[pos])), pyTruthy(reverse));
    },
    escape: (s) => htmlEscape(strictStr(s)),
    forceescape: (s) => htmlEscape(strictStr(s)),
    filesizeformat: (value, ...a) => {
      const [binary] = bindArgs('filesizeformat', ['binary'], [false], a);
      const bytes = toNumber(typeof value === 'string' ? Number(value) : value);
      const base = pyTruthy(binary) ? 1024 : 1000;
      const prefixes = pyTruthy(binary) ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
      if (bytes === 1) return '1 Byte';
      if (bytes < base) return `${Math.trunc(bytes)} Bytes`;
      let unit = base;
      let prefix = prefixes[0] as string;
      for (let i = 0; i < prefixes.length; i++) {
        unit = base ** (i + 2);
        prefix = prefixes[i] as string;
        if (bytes < unit) return `${((base * bytes) / unit).toFixed(1)} ${prefix}`;
      }
      return `${((base * bytes) / unit).toFixed(1)} ${prefix}`;
    },
    first: (v) => {
      const items = iter(v);
      return items.length ? items[0] : new PyUndefined('', 'No first item, sequence was empty.');
    },
    last: (v) => {
      const items = iter(v);
      return items.length ? items[items.length - 1] : new PyUndefined('', 'No last item, sequence was empty.');
    },
    float: (value, ...a) => {
      const [dflt] = bindArgs('float', ['default'], [new PyFloat(0)], a);
      if (typeof value === 'boolean') return new PyFloat(value ? 1 : 0);
      if (typeof value === 'number' || value instanceof PyFloat) return mkFloat(toNumber(value));
      if (typeof value === 'string') {
        const s = value.trim().replace(/_/g, '').toLowerCase();
        if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(s)) return mkFloat(Number(s));
        if (/^[+-]?(inf|infinity)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
        if (/^[+-]?nan$/.test(s)) return NaN;
      }
      return dflt;
    },
    format: (value, ...a) => {
      const { args, kwargs } = splitKwargs(a);
      if (args.length && Object.keys(kwargs).length) throw new PyError('FilterArgumentError', "can't handle positional and keyword arguments at the same time");
      return percentFormat(strictStr(value), Object.keys(kwargs).length ? newDict(Object.entries(kwargs)) : makeTuple(args));
    },
    groupby: (value, ...a) => {
      const [attribute, dflt, cs] = bindArgs('groupby', ['attribute', 'default', 'case_sensitive'], [undefined, null, false], a);
      const key = attrGetter(attribute, pyTruthy(cs) ? undefined : ignoreCase, dflt === null ? undefined : dflt);
      const sorted = sortedBy(iter(value), key);
      const groups: unknown[] = [];
      let curKey: unknown;
      let cur: unknown[] | null = null;
      for (const item of sorted) {
        const k = key(item);
        if (cur && pyEquals(k, curKey)) cur.push(item);
        else {
          cur = [item];
          curKey = k;
          groups.push([k, cur]);
        }
      }
      const outKey = attrGetter(attribute, undefined, dflt === null ? undefined : dflt);
      return groups.map((g) => {
        const [k, items] = g as [unknown, unknown[]];
        const t = makeTuple([pyTruthy(cs) ? k : outKey(items[0]), items]);
        Object.defineProperty(t, 'grouper', { value: t[0], enumerable: false });
        Object.defineProperty(t, 'list', { value: items, enumerable: false });
        return t;
      });
    },
    indent: (s, ...a) => {
      const [width, first, blank] = bindArgs('indent', ['width', 'first', 'blank'], [4, false, false], a);
      const ind = typeof width === 'string' ? width : ' '.repeat(toNumber(width));
      const text = strictStr(s) + '\n';
      const lines = STR_METHODS.splitlines?.(text, [], methodCtx) as string[];
      let rv: string;
      if (pyTruthy(blank)) rv = lines.join('\n' + ind);
      else {
        rv = lines.shift() ?? '';
        if (lines.length) rv += '\n' + lines.map((l) => (l ? ind + l : l)).join('\n');
      }
      if (pyTruthy(first)) rv = ind + rv;
      return rv;
    },
    int: (value, ...a) => {
      const [dflt, base] = bindArgs('int', ['default', 'base'], [0, 10], a);
      try {
        if (typeof value === 'string') {
          const b = toNumber(base);
          const s = value.trim().replace(/_/g, '');
          if (b === 10) return pyInt(s);
          const m = /^([+-]?)(0[xob])?([0-9a-z]+)$/i.exec(s);
          if (m) {
            const n = parseInt(m[3] as string, b);
            if (!Number.isNaN(n) && (m[3] as string).split('').every((c) => parseInt(c, b) < b)) return m[1] === '-' ? -n : n;
          }
          throw new PyError('ValueError', 'invalid literal');
        }
        return pyInt(value);
      } catch {
        try {
          const f = filters.float?.(value, null);
          if (f === null) return dflt;
          return pyInt(f);
        } catch {
          return dflt;
        }
      }
    },
    items: (value) => {
      if (value instanceof PyUndefined) return [];
      if (!isDict(value)) throw new PyError('TypeError', 'Can only get item pairs from a mapping.');
      return makeGenerator(dictEntries(value).map(([k, v]) => makeTuple([k, v])));
    },
    join: (value, ...a) => {
      const [d, attribute] = bindArgs('join', ['d', 'attribute'], ['', null], a);
      let items = iter(value);
      if (attribute !== null) items = items.map(attrGetter(attribute));
      return items.map(strictStr).join(pyStr(d));
    },
    list: (value) => [...iter(value)],
    lower: (s) => strictStr(s).toLowerCase(),
    upper: (s) => strictStr(s).toUpperCase(),
    map: (value, ...a) => {
      const { args, kwargs } = splitKwargs(a);
      const items = iter(value);
      if (!args.length && 'attribute' in kwargs) {
        const { attribute, default: dflt, ...rest } = kwargs;
        if (Object.keys(rest).length) throw new PyError('FilterArgumentError', 'Unexpected keyword argument ' + pyRepr(Object.keys(rest)[0]));
        const g = attrGetter(attribute, undefined, dflt);
        return makeGenerator(items.map(g));
      }
      if (!args.length) throw new PyError('FilterArgumentError', 'map requires a filter argument');
      const [name, ...fargs] = args;
      const all = Object.keys(kwargs).length ? [...fargs, new PyKwargs(kwargs)] : fargs;
      return makeGenerator(items.map((x) => callFilter(name, x, all)));
    },
    max: (value, ...a) => minMax(value, a, 'max', 1),
    min: (value, ...a) => minMax(value, a, 'min', -1),
    pprint: (value) => {
      const r = pyRepr(value);
      if (r.length > 80) throw new PyError('NotImplementedError', 'pprint of values longer than 80 characters is not supported (Python wraps them)');
      return r;
    },
    random: (value) => {
      const items = iter(value);
      if (!items.length) return new PyUndefined('', 'No random item, sequence was empty.');
      return items[Math.floor(Math.random() * items.length)];
    },
    reject: (value, ...a) => selectOrReject(value, a, (b) => !b, false),
    rejectattr: (value, ...a) => selectOrReject(value, a, (b) => !b, true),
    select: (value, ...a) => selectOrReject(value, a, (b) => b, false),
    selectattr: (value, ...a) => selectOrReject(value, a, (b) => b, true),
    replace: (s, ...a) => {
      const [old, nw, count] = bindArgs('replace', ['old', 'new', 'count'], [undefined, undefined, null], a);
      return pyReplace(strictStr(s), pyStr(old), pyStr(nw), count === null ? -1 : toNumber(count));
    },
    reverse: (value) => {
      if (typeof value === 'string') return Array.from(value).reverse().join('');
      return makeGenerator([...iter(value)].reverse());
    },
    round: (value, ...a) => {
      const [precision, method] = bindArgs('round', ['precision', 'method'], [0, 'common'], a);
      const p = toNumber(precision);
      const x = toNumber(value);
      if (method === 'common') {
        if (isInt(value) || typeof value === 'boolean') return p >= 0 ? x : pyRound(x, p);
        return mkFloat(pyRound(x, p));
      }
      if (method !== 'ceil' && method !== 'floor') throw new PyError('FilterArgumentError', 'method must be common, ceil or floor');
      const m = 10 ** p;
      return mkFloat((method === 'ceil' ? Math.ceil(x * m) : Math.floor(x * m)) / m);
    },
    safe: (v) => v,
    slice: (value, ...a) => {
      const [slices, fill] = bindArgs('slice', ['slices', 'fill_with'], [undefined, null], a);
      const seq = iter(value);
      const n = toNumber(slices);
      const length = seq.length;
      const per = Math.floor(length / n);
      const extra = length % n;
      let offset = 0;
      const out: unknown[][] = [];
      for (let i = 0; i < n; i++) {
        const start = offset + i * per;
        if (i < extra) offset++;
        const end = offset + (i + 1) * per;
        const tmp = seq.slice(start, end);
        if (fill !== null && i >= extra) tmp.push(fill);
        out.push(tmp);
      }
      return makeGenerator(out);
    },
    sort: (value, ...a) => {
      const [reverse, cs, attribute] = bindArgs('sort', ['reverse', 'case_sensitive', 'attribute'], [false, false, null], a);
      const post = pyTruthy(cs) ? undefined : ignoreCase;
      let key: (x: unknown) => unknown;
      if (attribute === null) key = (x) => (post ? post(x) : x);
      else {
        const getters = pyStr(attribute).split(',').map((p) => attrGetter(p.trim(), post));
        key = getters.length === 1 ? (getters[0] as (x: unknown) => unknown) : (x) => getters.map((g) => g(x));
      }
      return sortedBy(iter(value), key, pyTruthy(reverse));
    },
    string: (v) => strictStr(v),
    striptags: (v) => {
      const s = strictStr(v).replace(/<!--.*?-->/gs, '').replace(/<.*?>/gs, '');
      return s.split(/\s+/).filter(Boolean).join(' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;|&#34;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    },
    sum: (value, ...a) => {
      const [attribute, start] = bindArgs('sum', ['attribute', 'start'], [null, 0], a);
      let items = iter(value);
      if (attribute !== null) items = items.map(attrGetter(attribute));
      return items.reduce((acc, x) => pyAdd(acc, x), start);
    },
    title: (s) => wordTitle(strictStr(s)),
    tojson: (value, ...a) => {
      const [indent] = bindArgs('tojson', ['indent'], [null], a);
      return pyJsonDumps(value, { sortKeys: true, indent: indent as number | null, htmlSafe: true });
    },
    trim: (s, ...a) => {
      const [chars] = bindArgs('trim', ['chars'], [null], a);
      return STR_METHODS.strip?.(strictStr(s), chars === null ? [] : [chars], methodCtx);
    },
    truncate: (s, ...a) => {
      const [length, killwords, end, leeway] = bindArgs('truncate', ['length', 'killwords', 'end', 'leeway'], [255, false, '...', null], a);
      const str = strictStr(s);
      const len = toNumber(length);
      const lw = leeway === null ? 5 : toNumber(leeway);
      const e = pyStr(end);
      if (len < e.length) throw new PyError('AssertionError', `expected length >= ${e.length}, got ${len}`);
      if (lw < 0) throw new PyError('AssertionError', `expected leeway >= 0, got ${lw}`);
      if (str.length <= len + lw) return str;
      if (pyTruthy(killwords)) return str.slice(0, len - e.length) + e;
      const head = str.slice(0, len - e.length);
      const k = head.lastIndexOf(' ');
      return (k < 0 ? head : head.slice(0, k)) + e;
    },
    unique: (value, ...a) => {
      const [cs, attribute] = bindArgs('unique', ['case_sensitive', 'attribute'], [false, null], a);
      const post = pyTruthy(cs) ? undefined : ignoreCase;
      const key = attribute === null ? (x: unknown) => (post ? post(x) : x) : attrGetter(attribute, post);
      const seen: unknown[] = [];
      const out: unknown[] = [];
      for (const item of iter(value)) {
        const k = key(item);
        if (!seen.some((s) => pyEquals(s, k))) {
          seen.push(k);
          out.push(item);
        }
      }
      return makeGenerator(out);
    },
    urlencode: (value) => {
      if (typeof value === 'string') return urlQuote(value, false);
      const pairs = isDict(value) ? dictEntries(value) : iter(value).map((p) => iter(p) as [unknown, unknown]);
      return pairs.map(([k, v]) => `${urlQuote(k, true)}=${urlQuote(v, true)}`).join('&');
    },
    wordcount: (s) => (strictStr(s).match(/[\p{L}\p{N}_]+/gu) ?? []).length,
    wordwrap: (s, ...a) => {
      const [width, breakLong, wrapstring, breakHyphens] = bindArgs('wordwrap', ['width', 'break_long_words', 'wrapstring', 'break_on_hyphens'], [79, true, null, true], a);
      const wrap = wrapstring === null ? '\n' : pyStr(wrapstring);
      const lines = STR_METHODS.splitlines?.(strictStr(s), [], methodCtx) as string[];
      return lines.map((l) => textwrap(l, toNumber(width), pyTruthy(breakLong), pyTruthy(breakHyphens)).join(wrap)).join(wrap);
    },
    xmlattr: (d, ...a) => {
      const [autospace] = bindArgs('xmlattr', ['autospace'], [true], a);
      if (!isDict(d)) throw new PyError('TypeError', 'xmlattr needs a mapping');
      const rv = dictEntries(d)
        .filter(([, v]) => v !== null && v !== undefined && !(v instanceof PyUndefined))
        .map(([k, v]) => `${htmlEscape(pyStr(k))}="${htmlEscape(pyStr(v))}"`)
        .join(' ');
      return rv && pyTruthy(autospace) ? ' ' + rv : rv;
    },
  };
  filters.d = filters.default as Fn;
  filters.e = filters.escape as Fn;
  for (const fn of Object.values(filters)) JINJA_BUILTIN_FILTERS.add(fn);

  const cmp = (op: string) => (a: unknown, b: unknown) => pyCompareOp(op, a, b);
  const tests: Registry = {
    boolean: (v) => typeof v === 'boolean',
    callable: (v) => typeof v === 'function' || v instanceof Macro,
    defined: (v) => !(v instanceof PyUndefined),
    undefined: (v) => v instanceof PyUndefined,
    divisibleby: (v, n) => toNumber(v) % toNumber(n) === 0,
    escaped: () => false,
    even: (v) => {
      if (!isInt(v) && typeof v !== 'boolean' && !isFloat(v)) throw new PyError('TypeError', `not all arguments converted during string formatting`);
      return toNumber(v) % 2 === 0;
    },
    odd: (v) => {
      if (!isInt(v) && typeof v !== 'boolean' && !isFloat(v)) throw new PyError('TypeError', `not all arguments converted during string formatting`);
      return Math.abs(toNumber(v) % 2) === 1;
    },
    false: (v) => v === false,
    true: (v) => v === true,
    none: (v) => v === null || v === undefined,
    float: (v) => isFloat(v),
    integer: (v) => isInt(v),
    number: (v) => typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat,
    string: (v) => typeof v === 'string',
    mapping: (v) => isDict(v),
    iterable: (v) => {
      try {
        iter(v);
        return true;
      } catch (e) {
        if (e instanceof UndefinedError) throw e;
        return false;
      }
    },
    sequence: (v) => typeof v === 'string' || Array.isArray(v) || isDict(v),
    sameas: (v, other) => v === other || (v instanceof PyFloat && other instanceof PyFloat && v.value === other.value),
    in: (v, seq) => pyContains(seq, v),
    lower: (v) => {
      const s = strictStr(v);
      return /\p{Ll}/u.test(s) && !/\p{Lu}/u.test(s);
    },
    upper: (v) => {
      const s = strictStr(v);
      return /\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s);
    },
    eq: cmp('=='),
    ne: cmp('!='),
    lt: cmp('<'),
    le: cmp('<='),
    gt: cmp('>'),
    ge: cmp('>='),
    filter: (v) => typeof v === 'string' && v in env.filters,
    test: (v) => typeof v === 'string' && v in env.tests,
  };
  tests.equalto = tests.eq as Fn;
  tests['=='] = tests.eq as Fn;
  tests['!='] = tests.ne as Fn;
  tests.lessthan = tests.lt as Fn;
  tests['<'] = tests.lt as Fn;
  tests['<='] = tests.le as Fn;
  tests.greaterthan = tests.gt as Fn;
  tests['>'] = tests.gt as Fn;
  tests['>='] = tests.ge as Fn;

  const globals: Record<string, unknown> = {
    range: (...a: unknown[]) => {
      const { args } = splitKwargs(a);
      const nums = args.map((x) => {
        if (!isInt(x) && typeof x !== 'boolean') throw new PyError('TypeError', `'${pyStr(x)}' object cannot be interpreted as an integer`);
        return toNumber(x);
      });
      const [start, stop, step] = nums.length === 1 ? [0, nums[0] as number, 1] : [nums[0] as number, nums[1] as number, nums[2] ?? 1];
      if (step === 0) throw new PyError('ValueError', 'range() arg 3 must not be zero');
      const out: number[] = [];
      if (step > 0) for (let i = start; i < stop; i += step) out.push(i);
      else for (let i = start; i > stop; i += step) out.push(i);
      if (out.length > 1_000_000) throw new PyError('OverflowError', 'range too big');
      return makeView(out, `range(${start}, ${stop}${step !== 1 ? `, ${step}` : ''})`);
    },
    dict: (...a: unknown[]) => {
      const { args, kwargs } = splitKwargs(a);
      const entries: [unknown, unknown][] = [];
      if (args[0] !== undefined) {
        if (isDict(args[0])) entries.push(...dictEntries(args[0]));
        else for (const p of iter(args[0])) entries.push(iter(p) as [unknown, unknown]);
      }
      entries.push(...Object.entries(kwargs));
      return newDict(entries);
    },
    namespace: (...a: unknown[]) => {
      const { args, kwargs } = splitKwargs(a);
      const init: Record<string, unknown> = {};
      if (args[0] !== undefined && isDict(args[0])) for (const [k, v] of dictEntries(args[0])) init[pyStr(k)] = v;
      return new PyNamespace({ ...init, ...kwargs });
    },
    cycler: (...a: unknown[]) => {
      const items = splitKwargs(a).args;
      let pos = 0;
      const c = {
        get current() {
          return items[pos];
        },
        next: () => {
          const v = items[pos];
          pos = (pos + 1) % items.length;
          return v;
        },
        reset: () => {
          pos = 0;
          return null;
        },
      };
      return c;
    },
    lipsum: () => {
      throw new PyError('NotImplementedError', 'lipsum() (random lorem ipsum) is not supported');
    },
    joiner: (...a: unknown[]) => {
      const [sep] = bindArgs('joiner', ['sep'], [', '], a);
      let used = false;
      return () => {
        if (!used) {
          used = true;
          return '';
        }
        return sep;
      };
    },
  };
  return { filters, tests, globals };
}

export { dictGet, dictHas, isTuple };
