/** ansible.builtin's list, math and path filters (plugins/filter/mathstuff.py and core.py, ansible-core 2.14). */
import { PyError, dictGet, dictHas, dictValues, isDict, makeTuple, mkFloat, pyEquals, pyStr, toNumber } from '../values.js';
import { AnsibleFilterError } from './ip/ipaddr.js';
import { bind, splitKwargs } from './regex.js';

function list(v: unknown, name: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(v);
  if (isDict(v)) return [...(v instanceof Map ? v.keys() : Object.keys(v))];
  throw new PyError('TypeError', `${name}: '${pyStr(v)}' is not iterable`);
}

const has = (xs: unknown[], x: unknown): boolean => xs.some((y) => pyEquals(x, y));

function unique(xs: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of xs) if (!has(out, x)) out.push(x);
  return out;
}

// On lists (what templates pass) Ansible keeps the order of the first list, without duplicates.
export const union = (a: unknown, b: unknown): unknown[] => unique([...list(a, 'union'), ...list(b, 'union')]);
export const intersect = (a: unknown, b: unknown): unknown[] => {
  const bs = list(b, 'intersect');
  return unique(list(a, 'intersect').filter((x) => has(bs, x)));
};
export const difference = (a: unknown, b: unknown): unknown[] => {
  const bs = list(b, 'difference');
  return unique(list(a, 'difference').filter((x) => !has(bs, x)));
};
export const symmetricDifference = (a: unknown, b: unknown): unknown[] => {
  const isect = intersect(a, b);
  return union(a, b).filter((x) => !has(isect, x));
};

/** `zip` and `zip_longest` give iterators in Python; templates list them, so lists of tuples here. */
export function zip(...args: unknown[]): unknown[] {
  const lists = args.map((a) => list(a, 'zip'));
  const n = lists.length ? Math.min(...lists.map((l) => l.length)) : 0;
  return Array.from({ length: n }, (_, i) => makeTuple(lists.map((l) => l[i])));
}

export function zipLongest(...args: unknown[]): unknown[] {
  const [pos, kw] = splitKwargs(args);
  const fill = kw.fillvalue ?? null;
  const lists = pos.map((x) => list(x, 'zip_longest'));
  const n = lists.length ? Math.max(...lists.map((l) => l.length)) : 0;
  return Array.from({ length: n }, (_, i) => makeTuple(lists.map((l) => (i < l.length ? l[i] : fill))));
}

export function product(...args: unknown[]): unknown[] {
  const lists = args.map((a) => list(a, 'product'));
  let out: unknown[][] = [[]];
  for (const l of lists) out = out.flatMap((prefix) => l.map((x) => [...prefix, x]));
  return out.map((t) => makeTuple(t));
}

export function permutations(value: unknown, r?: unknown): unknown[] {
  const pool = list(value, 'permutations');
  const k = r === undefined || r === null ? pool.length : Number(r);
  const out: unknown[] = [];
  const walk = (used: boolean[], acc: unknown[]): void => {
    if (acc.length === k) {
      out.push(makeTuple([...acc]));
      return;
    }
    pool.forEach((x, i) => {
      if (used[i]) return;
      used[i] = true;
      walk(used, [...acc, x]);
      used[i] = false;
    });
  };
  if (k <= pool.length) walk([], []);
  return out;
}

export function combinations(value: unknown, r: unknown): unknown[] {
  const pool = list(value, 'combinations');
  const k = Number(r);
  const out: unknown[] = [];
  const walk = (start: number, acc: unknown[]): void => {
    if (acc.length === k) {
      out.push(makeTuple([...acc]));
      return;
    }
    for (let i = start; i < pool.length; i += 1) walk(i + 1, [...acc, pool[i]]);
  };
  if (k <= pool.length) walk(0, []);
  return out;
}

function num(v: unknown, name: string): number {
  const n = toNumber(v);
  if (Number.isNaN(n) && !(typeof v === 'number')) throw new AnsibleFilterError(`${name}() can only be used on numbers: must be real number, not ${typeof v === 'string' ? 'str' : typeof v}`);
  return n;
}

export function log(x: unknown, base?: unknown): number | object {
  const v = num(x, 'log');
  if (base === undefined || base === null) return mkFloat(Math.log(v));
  const b = num(base, 'log');
  return mkFloat(b === 10 ? Math.log10(v) : Math.log(v) / Math.log(b));
}

export const pow = (x: unknown, y: unknown): number | object => mkFloat(Math.pow(num(x, 'pow'), num(y, 'pow')));

export function root(x: unknown, base: unknown = 2): number | object {
  const v = num(x, 'root');
  const b = num(base, 'root');
  if (v < 0) throw new AnsibleFilterError('root() can only be used on numbers: math domain error');
  return mkFloat(b === 2 ? Math.sqrt(v) : Math.pow(v, 1 / b));
}

export function subelements(obj: unknown, ...args: unknown[]): unknown[] {
  const a = bind('subelements', ['subelements', 'skip_missing'], args, { skip_missing: false });
  let elements: unknown[];
  if (isDict(obj)) elements = dictValues(obj);
  else if (Array.isArray(obj)) elements = [...obj];
  else throw new AnsibleFilterError('obj must be a list of dicts or a nested dict');
  let path: unknown[];
  if (Array.isArray(a.subelements)) path = [...a.subelements];
  else if (typeof a.subelements === 'string') path = a.subelements.split('.');
  else throw new AnsibleFilterError('subelements must be a list or a string');
  const out: unknown[] = [];
  for (const el of elements) {
    let values: unknown = el;
    for (const key of path) {
      if (!isDict(values)) throw new AnsibleFilterError(`the key ${pyStr(key)} should point to a dictionary, got '${pyStr(values)}'`);
      if (!dictHas(values, key)) {
        if (a.skip_missing) {
          values = [];
          break;
        }
        throw new AnsibleFilterError(`could not find '${pyStr(key)}' key in iterated item ${pyStr(values)}`);
      }
      values = dictGet(values, key);
    }
    if (!Array.isArray(values)) throw new AnsibleFilterError(`the key '${pyStr(path[path.length - 1])}' should point to a list, got ${pyStr(values)}`);
    for (const v of values) out.push(makeTuple([el, v]));
  }
  return out;
}

/** `extract`: container[item] (then [morekeys…]). */
export function extract(item: unknown, container: unknown, morekeys?: unknown): unknown {
  const keys = morekeys === undefined || morekeys === null ? [item] : Array.isArray(morekeys) ? [item, ...morekeys] : [item, morekeys];
  let value = container;
  for (const key of keys) {
    if (isDict(value) && dictHas(value, key)) value = dictGet(value, key);
    else if (Array.isArray(value) && typeof key === 'number' && Number.isInteger(key) && key >= -value.length && key < value.length) value = value[key < 0 ? value.length + key : key];
    else throw new PyError('UndefinedError', `${pyStr(value)} has no element ${pyStr(key)}`);
  }
  return value;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : pyStr(v));

/** os.path.basename / dirname (POSIX): plain splits at the last slash, no normalisation. */
export const basename = (p: unknown): string => {
  const s = text(p);
  return s.slice(s.lastIndexOf('/') + 1);
};

export const dirname = (p: unknown): string => {
  const s = text(p);
  const head = s.slice(0, s.lastIndexOf('/') + 1);
  return head && !/^\/+$/.test(head) ? head.replace(/\/+$/, '') : head;
};

/** os.path.splitext: the extension starts at the last dot of the last component, leading dots excluded. */
export function splitext(p: unknown): unknown[] {
  const s = text(p);
  const base = s.slice(s.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || /^\.+$/.test(base.slice(0, dot + 1))) return makeTuple([s, '']);
  const cut = s.length - base.length + dot;
  return makeTuple([s.slice(0, cut), s.slice(cut)]);
}

export function pathJoin(paths: unknown): string {
  if (typeof paths === 'string') return paths;
  if (!Array.isArray(paths)) throw new AnsibleFilterError(`|path_join expects string or sequence, got ${pyStr(paths)} instead.`);
  let out = '';
  for (const part of paths.map(text)) {
    if (part.startsWith('/')) out = part;
    else if (out === '' || out.endsWith('/')) out += part;
    else out += '/' + part;
  }
  return out;
}
