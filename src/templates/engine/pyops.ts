/**
 * Python operators, `%` formatting, `str.format` and the str/list/dict methods templates call.
 */
import {
  PyError,
  PyFloat,
  PyKwargs,
  PyNamespace,
  PyUndefined,
  bindArgs,
  dictDelete,
  dictEntries,
  dictGet,
  dictHas,
  dictKeys,
  dictSet,
  dictValues,
  floatRepr,
  isDict,
  isFloat,
  isGenerator,
  isTuple,
  makeTuple,
  makeView,
  viewKind,
  mkFloat,
  pyCompare,
  pyEquals,
  pyIter,
  pyRepr,
  pyStr,
  pyTruthy,
  pyTypeName,
  splitKwargs,
  toNumber,
  type PyDict,
} from '../values.js';

function isNum(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'boolean' || v instanceof PyFloat;
}
function isFloatish(v: unknown): boolean {
  return isFloat(v);
}
function opError(op: string, a: unknown, b: unknown): PyError {
  return new PyError('TypeError', `unsupported operand type(s) for ${op}: '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
}
function numResult(n: number, float: boolean): number | PyFloat {
  return float ? mkFloat(n) : n;
}

export function pyAdd(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a + b;
    return Number.isInteger(a) && Number.isInteger(b) ? r : mkFloat(r);
  }
  if (typeof a === 'string') {
    if (typeof b === 'string') return a + b;
    throw new PyError('TypeError', `can only concatenate str (not "${pyTypeName(b)}") to str`);
  }
  if (isNum(a) && isNum(b)) return numResult(toNumber(a) + toNumber(b), isFloatish(a) || isFloatish(b));
  if (Array.isArray(a)) {
    if (Array.isArray(b) && isTuple(a) === isTuple(b) && !isGenerator(a) && !isGenerator(b) && !viewKind(a) && !viewKind(b)) {
      const r = a.concat(b);
      return isTuple(a) ? makeTuple(r) : r;
    }
    throw new PyError('TypeError', `can only concatenate ${pyTypeName(a)} (not "${pyTypeName(b)}") to ${pyTypeName(a)}`);
  }
  throw opError('+', a, b);
}

export function pySub(a: unknown, b: unknown): unknown {
  if (typeof a === 'number' && typeof b === 'number') {
    const r = a - b;
    return Number.isInteger(a) && Number.isInteger(b) ? r : mkFloat(r);
  }
  if (isNum(a) && isNum(b)) return numResult(toNumber(a) - toNumber(b), isFloatish(a) || isFloatish(b));
  throw opError('-', a, b);
}

export function pyMul(a: unknown, b: unknown): unknown {
  if (isNum(a) && isNum(b)) return numResult(toNumber(a) * toNumber(b), isFloatish(a) || isFloatish(b));
  const seqTimes = (s: unknown, n: unknown): unknown => {
    if (typeof n !== 'number' && typeof n !== 'boolean') throw new PyError('TypeError', `can't multiply sequence by non-int of type '${pyTypeName(n)}'`);
    if (isFloatish(n)) throw new PyError('TypeError', `can't multiply sequence by non-int of type 'float'`);
    const k = Math.max(0, toNumber(n));
    if (typeof s === 'string') return s.repeat(k);
    const arr = s as unknown[];
    const r: unknown[] = [];
    for (let i = 0; i < k; i++) r.push(...arr);
    return isTuple(arr) ? makeTuple(r) : r;
  };
  if (typeof a === 'string' || Array.isArray(a)) return seqTimes(a, b);
  if (typeof b === 'string' || Array.isArray(b)) return seqTimes(b, a);
  throw opError('*', a, b);
}

export function pyDiv(a: unknown, b: unknown): unknown {
  if (!isNum(a) || !isNum(b)) throw opError('/', a, b);
  const y = toNumber(b);
  if (y === 0) throw new PyError('ZeroDivisionError', 'division by zero');
  return mkFloat(toNumber(a) / y);
}

export function pyFloorDiv(a: unknown, b: unknown): unknown {
  if (!isNum(a) || !isNum(b)) throw opError('//', a, b);
  const y = toNumber(b);
  const float = isFloatish(a) || isFloatish(b);
  if (y === 0) throw new PyError('ZeroDivisionError', float ? 'float floor division by zero' : 'integer division or modulo by zero');
  return numResult(Math.floor(toNumber(a) / y), float);
}

export function pyMod(a: unknown, b: unknown): unknown {
  if (typeof a === 'string') return percentFormat(a, b);
  if (!isNum(a) || !isNum(b)) throw opError('%', a, b);
  const x = toNumber(a);
  const y = toNumber(b);
  const float = isFloatish(a) || isFloatish(b);
  if (y === 0) throw new PyError('ZeroDivisionError', float ? 'float modulo' : 'integer division or modulo by zero');
  let r = x % y;
  if (r !== 0 && r < 0 !== y < 0) r += y;
  return numResult(r, float);
}

export function pyPow(a: unknown, b: unknown): unknown {
  if (!isNum(a) || !isNum(b)) throw opError('** or pow()', a, b);
  const x = toNumber(a);
  const y = toNumber(b);
  const float = isFloatish(a) || isFloatish(b) || y < 0;
  if (x === 0 && y < 0) throw new PyError('ZeroDivisionError', '0.0 cannot be raised to a negative power');
  return numResult(x ** y, float);
}

export function pyNeg(a: unknown): unknown {
  if (typeof a === 'number') return Number.isInteger(a) ? (a === 0 ? 0 : -a) : -a;
  if (a instanceof PyFloat) return new PyFloat(-a.value);
  if (typeof a === 'boolean') return a ? -1 : 0;
  throw new PyError('TypeError', `bad operand type for unary -: '${pyTypeName(a)}'`);
}

export function pyPos(a: unknown): unknown {
  if (typeof a === 'boolean') return a ? 1 : 0;
  if (isNum(a)) return a;
  throw new PyError('TypeError', `bad operand type for unary +: '${pyTypeName(a)}'`);
}

export function pyContains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') {
    if (typeof item !== 'string') throw new PyError('TypeError', `'in <string>' requires string as left operand, not ${pyTypeName(item)}`);
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item));
  if (isDict(container)) return dictHas(container, item);
  if (container instanceof Set) return [...container].some((x) => pyEquals(x, item));
  throw new PyError('TypeError', `argument of type '${pyTypeName(container)}' is not iterable`);
}

export function pyCompareOp(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
      return pyEquals(a, b);
    case '!=':
      return !pyEquals(a, b);
  }
  let c: number;
  try {
    c = pyCompare(a, b);
  } catch {
    throw new PyError('TypeError', `'${op}' not supported between instances of '${pyTypeName(a)}' and '${pyTypeName(b)}'`);
  }
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
  throw new PyError('TypeError', `unknown operator ${op}`);
}

// ---------------------------------------------------------------- int() / float() conversions

export function pyInt(v: unknown): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number' || v instanceof PyFloat) {
    const n = toNumber(v);
    if (!Number.isFinite(n)) throw new PyError('ValueError', 'cannot convert float to integer');
    return Math.trunc(n) || 0;
  }
  if (typeof v === 'string') {
    const s = v.trim().replace(/_/g, '');
    if (/^[+-]?\d+$/.test(s)) return Number(s);
    throw new PyError('ValueError', `invalid literal for int() with base 10: ${pyRepr(v)}`);
  }
  throw new PyError('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`);
}

// ---------------------------------------------------------------- % formatting

const PCT_RE = /%(?:\(([^)]*)\))?([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])/g;

function padNum(body: string, sign: string, flags: string, width: number, prefix = ''): string {
  let s = sign + prefix + body;
  if (s.length < width) {
    if (flags.includes('-')) s = s.padEnd(width);
    else if (flags.includes('0')) s = sign + prefix + body.padStart(width - sign.length - prefix.length, '0');
    else s = s.padStart(width);
  }
  return s;
}

function signOf(n: number, flags: string): string {
  if (n < 0 || Object.is(n, -0)) return '-';
  if (flags.includes('+')) return '+';
  if (flags.includes(' ')) return ' ';
  return '';
}

function needNumber(conv: string, v: unknown): number {
  if (!isNum(v)) {
    const what = 'diouxXc'.includes(conv) && conv !== 'c' ? `%${conv} format: a real number is required, not ${pyTypeName(v)}` : `must be real number, not ${pyTypeName(v)}`;
    throw new PyError('TypeError', conv === 'x' || conv === 'X' || conv === 'o' ? `%${conv} format: an integer is required, not ${pyTypeName(v)}` : what);
  }
  return toNumber(v);
}

/** Python's `%g`. */
function formatG(n: number, prec: number, alt: boolean, upper: boolean): string {
  if (!Number.isFinite(n)) return formatSpecial(n, upper);
  const p = prec === 0 ? 1 : prec;
  if (n === 0) return alt ? '0.' + '0'.repeat(p - 1) : '0';
  const exp = Number(toExponentialPy(n, p - 1).split('e')[1]);
  let s: string;
  if (exp < -4 || exp >= p) {
    s = formatE(n, p - 1, upper);
    if (!alt) s = s.replace(/\.?0+(?=[eE])/, '');
  } else {
    s = toFixedPy(Math.abs(n), Math.max(0, p - 1 - exp));
    if (n < 0) s = '-' + s;
    if (!alt && s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  return s;
}

/** `x.toExponential(p)` with Python's half-to-even on exact ties. */
function toExponentialPy(n: number, prec: number): string {
  let s = n.toExponential(Math.min(100, prec));
  if (n !== 0 && prec + 25 <= 100) {
    const exact = Math.abs(n).toExponential(prec + 25);
    const [mant, exp] = exact.split('e') as [string, string];
    const digits = mant.replace('.', '');
    if (/^50*$/.test(digits.slice(prec + 1))) {
      let k = BigInt(digits.slice(0, prec + 1));
      if (k % 2n === 1n) k += 1n;
      let ks = k.toString();
      let e = Number(exp);
      if (ks.length > prec + 1) {
        ks = ks.slice(0, prec + 1);
        e += 1;
      }
      s = (n < 0 ? '-' : '') + (prec > 0 ? `${ks[0]}.${ks.slice(1)}` : ks) + 'e' + (e < 0 ? '-' : '+') + Math.abs(e);
    }
  }
  return s;
}

function formatE(n: number, prec: number, upper: boolean): string {
  if (!Number.isFinite(n)) return formatSpecial(n, upper);
  const s = toExponentialPy(n, prec).replace(/e([+-])(\d)$/, 'e$10$2');
  return upper ? s.toUpperCase() : s;
}

function formatSpecial(n: number, upper: boolean): string {
  const s = Number.isNaN(n) ? 'nan' : n > 0 ? 'inf' : '-inf';
  return upper ? s.toUpperCase() : s;
}

/**
 * `x.toFixed(p)` as Python rounds: both round the exact binary value, but an exact tie goes up in JS and
 * to even in Python (`'%.0f' % 2.5` is `2`).
 */
export function toFixedPy(x: number, p: number): string {
  const neg = x < 0 || Object.is(x, -0);
  const abs = Math.abs(x);
  if (abs >= 1e21) return (neg ? '-' : '') + BigInt(Math.round(abs)).toString() + (p > 0 ? '.' + '0'.repeat(p) : '');
  const prec = Math.min(100, p);
  let out = abs.toFixed(prec);
  if (prec + 40 <= 100) {
    const exact = abs.toFixed(prec + 40);
    const dot = exact.indexOf('.');
    const kept = exact.slice(0, dot + 1 + prec).replace(/\.$/, '');
    const tail = exact.slice(dot + 1 + prec);
    if (/^50*$/.test(tail)) {
      const digits = kept.replace('.', '');
      let n = BigInt(digits);
      if (n % 2n === 1n) n += 1n;
      const str = n.toString().padStart(prec + 1, '0');
      out = prec > 0 ? `${str.slice(0, str.length - prec)}.${str.slice(str.length - prec)}` : str;
    }
  }
  return (neg ? '-' : '') + out;
}

function formatF(n: number, prec: number): string {
  if (!Number.isFinite(n)) return formatSpecial(n, false);
  return toFixedPy(n, prec);
}

function formatOne(conv: string, flags: string, width: number, prec: number | undefined, v: unknown): string {
  switch (conv) {
    case 's':
    case 'r':
    case 'a': {
      let s = conv === 's' ? pyStr(v) : pyRepr(v);
      if (prec !== undefined) s = s.slice(0, prec);
      return flags.includes('-') ? s.padEnd(width) : s.padStart(width);
    }
    case 'd':
    case 'i':
    case 'u': {
      const n = Math.trunc(needNumber(conv, v));
      return padNum(String(Math.abs(n)).padStart(prec ?? 0, '0'), signOf(n, flags), flags, width);
    }
    case 'x':
    case 'X':
    case 'o': {
      if (isFloatish(v)) throw new PyError('TypeError', `%${conv} format: an integer is required, not float`);
      const n = needNumber(conv, v);
      let body = Math.abs(n).toString(conv === 'o' ? 8 : 16);
      if (conv === 'X') body = body.toUpperCase();
      const prefix = flags.includes('#') ? (conv === 'o' ? '0o' : conv === 'x' ? '0x' : '0X') : '';
      return padNum(body.padStart(prec ?? 0, '0'), signOf(n, flags), flags, width, prefix);
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      const n = needNumber(conv, v);
      const p = prec ?? 6;
      const lc = conv.toLowerCase();
      let body = lc === 'f' ? formatF(Math.abs(n), p) : lc === 'e' ? formatE(Math.abs(n), p, conv === 'E') : formatG(Math.abs(n), p, flags.includes('#'), conv === 'G');
      if (conv === 'F') body = body.toUpperCase();
      if (lc === 'f' && p === 0 && flags.includes('#')) body += '.';
      return padNum(body, Number.isNaN(n) ? '' : signOf(n, flags), flags, width);
    }
    case 'c': {
      const s = typeof v === 'string' ? v : String.fromCodePoint(needNumber(conv, v));
      return flags.includes('-') ? s.padEnd(width) : s.padStart(width);
    }
  }
  throw new PyError('ValueError', `unsupported format character '${conv}'`);
}

/** Python's `str % args`. */
export function percentFormat(fmt: string, args: unknown): string {
  const mapping = isDict(args) ? args : null;
  const list = isTuple(args) ? (args as unknown[]) : [args];
  let idx = 0;
  let usedMapping = false;
  const nextArg = (): unknown => {
    if (idx >= list.length) throw new PyError('TypeError', 'not enough arguments for format string');
    return list[idx++];
  };
  const out = fmt.replace(PCT_RE, (_m, key: string | undefined, flags: string, w: string | undefined, p: string | undefined, conv: string) => {
    if (conv === '%' && key === undefined && !flags && !w && !p) return '%';
    const width = w === '*' ? toNumber(nextArg()) : w ? Number(w) : 0;
    const prec = p === '*' ? toNumber(nextArg()) : p !== undefined ? Number(p) : undefined;
    let v: unknown;
    if (key !== undefined) {
      if (!mapping) throw new PyError('TypeError', 'format requires a mapping');
      usedMapping = true;
      if (!dictHas(mapping, key)) throw new PyError('KeyError', pyRepr(key));
      v = dictGet(mapping, key);
    } else if (conv === '%') return '%';
    else v = mapping && !isTuple(args) ? (idx++ === 0 ? args : nextArg()) : nextArg();
    return formatOne(conv, flags, width, prec, v);
  });
  if (!usedMapping && !mapping && idx < list.length) {
    throw new PyError('TypeError', 'not all arguments converted during string formatting');
  }
  if (fmt.replace(PCT_RE, '').includes('%')) throw new PyError('ValueError', 'incomplete format');
  return out;
}

// ---------------------------------------------------------------- str.format

const SPEC_RE = /^(?:(.)?([<>=^]))?([-+ ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/s;

export function formatSpec(v: unknown, spec: string): string {
  if (spec === '') return pyStr(v);
  const m = SPEC_RE.exec(spec);
  if (!m) throw new PyError('ValueError', `Invalid format specifier '${spec}'`);
  const [, fillRaw, alignRaw, signRaw, alt, zero, w, group, p, typeRaw] = m;
  let fill = fillRaw ?? ' ';
  let align = alignRaw;
  const width = w ? Number(w) : 0;
  const prec = p !== undefined ? Number(p) : undefined;
  const sign = signRaw ?? '-';
  let type = typeRaw;
  if (zero && !alignRaw) {
    fill = '0';
    align = '=';
  }
  let body: string;
  let signStr = '';
  let prefix = '';
  if (typeof v === 'string' || (!isNum(v) && type === undefined)) {
    if (type && type !== 's') throw new PyError('ValueError', `Unknown format code '${type}' for object of type '${pyTypeName(v)}'`);
    body = pyStr(v);
    if (prec !== undefined) body = body.slice(0, prec);
    align = align ?? '<';
  } else {
    if (!isNum(v)) throw new PyError('ValueError', `Unknown format code '${type}' for object of type '${pyTypeName(v)}'`);
    const n = toNumber(v);
    const float = isFloatish(v);
    if (type === undefined) type = float ? (prec !== undefined ? 'g' : 'r') : 'd';
    const abs = Math.abs(n);
    switch (type) {
      case 'd':
      case 'n':
        if (float) throw new PyError('ValueError', `Unknown format code 'd' for object of type 'float'`);
        body = String(abs);
        break;
      case 'b':
        body = abs.toString(2);
        prefix = alt ? '0b' : '';
        break;
      case 'o':
        body = abs.toString(8);
        prefix = alt ? '0o' : '';
        break;
      case 'x':
      case 'X':
        body = abs.toString(16);
        if (type === 'X') body = body.toUpperCase();
        prefix = alt ? (type === 'x' ? '0x' : '0X') : '';
        break;
      case 'c':
        body = String.fromCodePoint(n);
        break;
      case 'f':
      case 'F':
        body = formatF(abs, prec ?? 6);
        break;
      case 'e':
      case 'E':
        body = formatE(abs, prec ?? 6, type === 'E');
        break;
      case 'g':
      case 'G':
        body = formatG(abs, prec ?? 6, !!alt, type === 'G');
        break;
      case '%':
        body = formatF(abs * 100, prec ?? 6) + '%';
        break;
      case 'r':
        body = floatRepr(abs);
        break;
      default:
        throw new PyError('ValueError', `Unknown format code '${type}'`);
    }
    if (group) {
      const [ip, fp] = body.split('.');
      body = (ip ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, group) + (fp !== undefined ? '.' + fp : '');
    }
    signStr = n < 0 || Object.is(n, -0) ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
    align = align ?? '>';
  }
  const total = signStr.length + prefix.length + body.length;
  const padN = Math.max(0, width - total);
  if (align === '=') return signStr + prefix + fill.repeat(padN) + body;
  const s = signStr + prefix + body;
  if (align === '<') return s + fill.repeat(padN);
  if (align === '^') return fill.repeat(Math.floor(padN / 2)) + s + fill.repeat(padN - Math.floor(padN / 2));
  return fill.repeat(padN) + s;
}

export type AttrGetter = (obj: unknown, name: string) => unknown;
export type ItemGetter = (obj: unknown, key: unknown) => unknown;

/** Python's str.format(). */
export function strFormat(fmt: string, rawArgs: unknown[], getattr: AttrGetter, getitem: ItemGetter): string {
  const { args, kwargs } = splitKwargs(rawArgs);
  let auto = 0;
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const c = fmt[i] as string;
    if (c === '{') {
      if (fmt[i + 1] === '{') {
        out += '{';
        i += 2;
        continue;
      }
      // the field ends at the matching '}' (a spec may nest one level of fields: '{0:{1}}')
      let end = i + 1;
      let depth = 1;
      while (end < fmt.length) {
        if (fmt[end] === '{') depth++;
        else if (fmt[end] === '}' && --depth === 0) break;
        end++;
      }
      if (depth !== 0) throw new PyError('ValueError', "Single '{' encountered in format string");
      const field = fmt.slice(i + 1, end);
      i = end + 1;
      const colon = field.indexOf(':');
      const bang = field.indexOf('!');
      const nameEnd = bang >= 0 && (colon < 0 || bang < colon) ? bang : colon >= 0 ? colon : field.length;
      const ref = field.slice(0, nameEnd);
      const conv = bang >= 0 && bang === nameEnd ? field[bang + 1] : undefined;
      let spec = colon >= 0 ? field.slice(colon + 1) : '';
      const resolveSpec = (): void => {
        if (!spec.includes('{')) return;
        spec = spec.replace(/\{([^{}]*)\}/g, (_m, ref: string) => {
          if (ref === '') return pyStr(args[auto++]);
          if (/^\d+$/.test(ref)) return pyStr(args[Number(ref)]);
          return pyStr(kwargs[ref]);
        });
      };
      const first = /^[^.[]*/.exec(ref)?.[0] ?? '';
      let v: unknown;
      if (first === '') v = args[auto++];
      else if (/^\d+$/.test(first)) v = args[Number(first)];
      else {
        if (!(first in kwargs)) throw new PyError('KeyError', pyRepr(first));
        v = kwargs[first];
      }
      if (v === undefined && (first === '' || /^\d+$/.test(first))) {
        throw new PyError('IndexError', 'Replacement index out of range for positional args tuple');
      }
      resolveSpec();
      const rest = ref.slice(first.length);
      const accessRe = /\.(\w+)|\[([^\]]*)\]/g;
      let am: RegExpExecArray | null;
      while ((am = accessRe.exec(rest))) {
        if (am[1] !== undefined) v = getattr(v, am[1]);
        else {
          const k = am[2] as string;
          v = getitem(v, /^\d+$/.test(k) ? Number(k) : k);
        }
      }
      if (conv === 'r') v = pyRepr(v);
      else if (conv === 's') v = pyStr(v);
      out += formatSpec(v, spec);
    } else if (c === '}') {
      if (fmt[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      throw new PyError('ValueError', "Single '}' encountered in format string");
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

// ---------------------------------------------------------------- methods

const WS = ' \t\n\r\v\f\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';

function stripChars(s: string, chars: unknown, left: boolean, right: boolean): string {
  const set = chars === undefined || chars === null ? WS : String(chars);
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a] as string)) a++;
  if (right) while (b > a && set.includes(s[b - 1] as string)) b--;
  return s.slice(a, b);
}

function pySplit(s: string, sep: unknown, maxsplit: number): string[] {
  if (sep === null || sep === undefined) {
    const out: string[] = [];
    let rest = stripChars(s, undefined, true, false);
    while (rest.length) {
      if (maxsplit >= 0 && out.length >= maxsplit) {
        out.push(rest);
        return out;
      }
      const m = /[\s\x1c-\x1f\x85]/.exec(rest);
      if (!m) {
        out.push(rest);
        break;
      }
      out.push(rest.slice(0, m.index));
      rest = stripChars(rest.slice(m.index), undefined, true, false);
    }
    return out;
  }
  const sp = String(sep);
  if (sp === '') throw new PyError('ValueError', 'empty separator');
  const parts = s.split(sp);
  if (maxsplit < 0 || parts.length <= maxsplit + 1) return parts;
  return [...parts.slice(0, maxsplit), parts.slice(maxsplit).join(sp)];
}

function pyRsplit(s: string, sep: unknown, maxsplit: number): string[] {
  if (maxsplit < 0) return pySplit(s, sep, -1);
  if (sep === null || sep === undefined) {
    const words = pySplit(s, null, -1);
    if (words.length <= maxsplit + 1) return words;
    // keep the head with its original inner whitespace
    let rest = stripChars(s, undefined, false, true);
    const tail: string[] = [];
    for (let k = 0; k < maxsplit; k++) {
      const m = /[\s]+(\S*)$/.exec(rest);
      if (!m) break;
      tail.unshift(m[1] as string);
      rest = rest.slice(0, m.index);
    }
    return [rest, ...tail];
  }
  const sp = String(sep);
  const parts = s.split(sp);
  if (parts.length <= maxsplit + 1) return parts;
  return [parts.slice(0, parts.length - maxsplit).join(sp), ...parts.slice(parts.length - maxsplit)];
}

function sliceIdx(len: number, start: unknown, end: unknown): [number, number] {
  const norm = (v: unknown, d: number): number => {
    if (v === undefined || v === null) return d;
    let n = toNumber(v);
    if (n < 0) n = Math.max(0, len + n);
    return Math.min(n, len);
  };
  return [norm(start, 0), norm(end, len)];
}

export function pyTitle(s: string): string {
  return s.replace(/[A-Za-z\u00c0-\uffff]+/g, (w) => (w[0] as string).toUpperCase() + w.slice(1).toLowerCase());
}

export function pyCapitalize(s: string): string {
  return s.length ? (s[0] as string).toUpperCase() + s.slice(1).toLowerCase() : s;
}

type Method = (self: never, args: unknown[], ctx: MethodCtx) => unknown;
export interface MethodCtx {
  getattr: AttrGetter;
  getitem: ItemGetter;
}

function a(args: unknown[], name: string, params: string[], defaults: unknown[]): unknown[] {
  return bindArgs(name, params, defaults, args);
}

export const STR_METHODS: Record<string, (s: string, args: unknown[], ctx: MethodCtx) => unknown> = {
  upper: (s) => s.toUpperCase(),
  lower: (s) => s.toLowerCase(),
  casefold: (s) => s.toLowerCase(),
  swapcase: (s) => Array.from(s, (c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join(''),
  title: (s) => pyTitle(s),
  capitalize: (s) => pyCapitalize(s),
  strip: (s, args) => stripChars(s, a(args, 'strip', ['chars'], [null])[0], true, true),
  lstrip: (s, args) => stripChars(s, a(args, 'lstrip', ['chars'], [null])[0], true, false),
  rstrip: (s, args) => stripChars(s, a(args, 'rstrip', ['chars'], [null])[0], false, true),
  split: (s, args) => {
    const [sep, max] = a(args, 'split', ['sep', 'maxsplit'], [null, -1]);
    return pySplit(s, sep, toNumber(max));
  },
  rsplit: (s, args) => {
    const [sep, max] = a(args, 'rsplit', ['sep', 'maxsplit'], [null, -1]);
    return pyRsplit(s, sep, toNumber(max));
  },
  splitlines: (s, args) => {
    const [keep] = a(args, 'splitlines', ['keepends'], [false]);
    const out: string[] = [];
    const re = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s))) {
      out.push(s.slice(last, pyTruthy(keep) ? m.index + m[0].length : m.index));
      last = m.index + m[0].length;
    }
    if (last < s.length) out.push(s.slice(last));
    return out;
  },
  startswith: (s, args) => {
    const [prefix, start, end] = a(args, 'startswith', ['prefix', 'start', 'end'], [undefined, null, null]);
    const [i, j] = sliceIdx(s.length, start, end);
    const sub = s.slice(i, j);
    const list = Array.isArray(prefix) ? prefix : [prefix];
    return list.some((p) => {
      if (typeof p !== 'string') throw new PyError('TypeError', `startswith first arg must be str or a tuple of str, not ${pyTypeName(p)}`);
      return sub.startsWith(p);
    });
  },
  endswith: (s, args) => {
    const [suffix, start, end] = a(args, 'endswith', ['suffix', 'start', 'end'], [undefined, null, null]);
    const [i, j] = sliceIdx(s.length, start, end);
    const sub = s.slice(i, j);
    const list = Array.isArray(suffix) ? suffix : [suffix];
    return list.some((p) => {
      if (typeof p !== 'string') throw new PyError('TypeError', `endswith first arg must be str or a tuple of str, not ${pyTypeName(p)}`);
      return sub.endsWith(p);
    });
  },
  replace: (s, args) => {
    const [old, nw, count] = a(args, 'replace', ['old', 'new', 'count'], [undefined, undefined, -1]);
    return pyReplace(s, pyStrArg(old), pyStrArg(nw), toNumber(count));
  },
  find: (s, args) => {
    const [sub, start, end] = a(args, 'find', ['sub', 'start', 'end'], [undefined, null, null]);
    const [i, j] = sliceIdx(s.length, start, end);
    const k = s.slice(0, j).indexOf(pyStrArg(sub), i);
    return k;
  },
  rfind: (s, args) => {
    const [sub, start, end] = a(args, 'rfind', ['sub', 'start', 'end'], [undefined, null, null]);
    const [i, j] = sliceIdx(s.length, start, end);
    const k = s.slice(0, j).lastIndexOf(pyStrArg(sub));
    return k >= i ? k : -1;
  },
  index: (s, args, ctx) => {
    const k = STR_METHODS.find?.(s, args, ctx) as number;
    if (k < 0) throw new PyError('ValueError', 'substring not found');
    return k;
  },
  rindex: (s, args, ctx) => {
    const k = STR_METHODS.rfind?.(s, args, ctx) as number;
    if (k < 0) throw new PyError('ValueError', 'substring not found');
    return k;
  },
  count: (s, args) => {
    const [sub, start, end] = a(args, 'count', ['sub', 'start', 'end'], [undefined, null, null]);
    const [i, j] = sliceIdx(s.length, start, end);
    const t = s.slice(i, j);
    const needle = pyStrArg(sub);
    if (needle === '') return t.length + 1;
    return t.split(needle).length - 1;
  },
  partition: (s, args) => {
    const sep = pyStrArg(a(args, 'partition', ['sep'], [undefined])[0]);
    const k = s.indexOf(sep);
    return makeTuple(k < 0 ? [s, '', ''] : [s.slice(0, k), sep, s.slice(k + sep.length)]);
  },
  rpartition: (s, args) => {
    const sep = pyStrArg(a(args, 'rpartition', ['sep'], [undefined])[0]);
    const k = s.lastIndexOf(sep);
    return makeTuple(k < 0 ? ['', '', s] : [s.slice(0, k), sep, s.slice(k + sep.length)]);
  },
  join: (s, args) => pyIter(a(args, 'join', ['iterable'], [undefined])[0]).map((x) => {
    if (typeof x !== 'string') throw new PyError('TypeError', `sequence item: expected str instance, ${pyTypeName(x)} found`);
    return x;
  }).join(s),
  format: (s, args, ctx) => strFormat(s, args, ctx.getattr, ctx.getitem),
  zfill: (s, args) => {
    const w = toNumber(a(args, 'zfill', ['width'], [undefined])[0]);
    if (s.length >= w) return s;
    const sign = s[0] === '+' || s[0] === '-' ? (s[0] as string) : '';
    return sign + '0'.repeat(w - s.length) + s.slice(sign.length);
  },
  center: (s, args) => {
    const [w, fill] = a(args, 'center', ['width', 'fillchar'], [undefined, ' ']);
    return pyCenter(s, toNumber(w), String(fill));
  },
  ljust: (s, args) => {
    const [w, fill] = a(args, 'ljust', ['width', 'fillchar'], [undefined, ' ']);
    return s.padEnd(toNumber(w), String(fill));
  },
  rjust: (s, args) => {
    const [w, fill] = a(args, 'rjust', ['width', 'fillchar'], [undefined, ' ']);
    return s.padStart(toNumber(w), String(fill));
  },
  isdigit: (s) => s.length > 0 && /^\p{Nd}+$/u.test(s),
  isdecimal: (s) => s.length > 0 && /^\p{Nd}+$/u.test(s),
  isnumeric: (s) => s.length > 0 && /^\p{N}+$/u.test(s),
  isalpha: (s) => s.length > 0 && /^\p{L}+$/u.test(s),
  isalnum: (s) => s.length > 0 && /^[\p{L}\p{N}]+$/u.test(s),
  isspace: (s) => s.length > 0 && /^\s+$/.test(s),
  isupper: (s) => /\p{Lu}/u.test(s) && !/\p{Ll}/u.test(s),
  islower: (s) => /\p{Ll}/u.test(s) && !/\p{Lu}/u.test(s),
  istitle: (s) => /[A-Za-z]/.test(s) && pyTitle(s) === s,
  removeprefix: (s, args) => {
    const p = pyStrArg(a(args, 'removeprefix', ['prefix'], [undefined])[0]);
    return p && s.startsWith(p) ? s.slice(p.length) : s;
  },
  removesuffix: (s, args) => {
    const p = pyStrArg(a(args, 'removesuffix', ['suffix'], [undefined])[0]);
    return p && s.endsWith(p) ? s.slice(0, -p.length) : s;
  },
  expandtabs: (s, args) => {
    const size = toNumber(a(args, 'expandtabs', ['tabsize'], [8])[0]);
    let col = 0;
    let out = '';
    for (const ch of s) {
      if (ch === '\t') {
        const n = size > 0 ? size - (col % size) : 0;
        out += ' '.repeat(n);
        col += n;
      } else {
        out += ch;
        col = ch === '\n' || ch === '\r' ? 0 : col + 1;
      }
    }
    return out;
  },
};

export function pyCenter(s: string, width: number, fill = ' '): string {
  const len = Array.from(s).length;
  if (width <= len) return s;
  const marg = width - len;
  const left = Math.floor(marg / 2) + (marg & width & 1);
  return fill.repeat(left) + s + fill.repeat(marg - left);
}

function pyStrArg(v: unknown): string {
  if (typeof v !== 'string') throw new PyError('TypeError', `must be str, not ${pyTypeName(v)}`);
  return v;
}

export function pyReplace(s: string, old: string, nw: string, count = -1): string {
  if (count < 0) {
    if (old === '') return nw + Array.from(s).join(nw) + nw;
    return s.split(old).join(nw);
  }
  let out = '';
  let rest = s;
  for (let k = 0; k < count; k++) {
    if (old === '') {
      out += nw + (rest[0] ?? '');
      rest = rest.slice(1);
      continue;
    }
    const i = rest.indexOf(old);
    if (i < 0) break;
    out += rest.slice(0, i) + nw;
    rest = rest.slice(i + old.length);
  }
  return out + rest;
}

function listIndex(l: unknown[], v: unknown, len: number): number {
  let n = toNumber(v);
  if (n < 0) n += len;
  return n;
}

export const LIST_METHODS: Record<string, (l: unknown[], args: unknown[], ctx: MethodCtx) => unknown> = {
  append: (l, args) => {
    l.push(a(args, 'append', ['object'], [undefined])[0]);
    return null;
  },
  extend: (l, args) => {
    l.push(...pyIter(a(args, 'extend', ['iterable'], [undefined])[0]));
    return null;
  },
  insert: (l, args) => {
    const [i, v] = a(args, 'insert', ['index', 'object'], [undefined, undefined]);
    const k = Math.max(0, Math.min(l.length, listIndex(l, i, l.length)));
    l.splice(k, 0, v);
    return null;
  },
  pop: (l, args) => {
    const [i] = a(args, 'pop', ['index'], [-1]);
    if (!l.length) throw new PyError('IndexError', 'pop from empty list');
    const k = listIndex(l, i, l.length);
    if (k < 0 || k >= l.length) throw new PyError('IndexError', 'pop index out of range');
    return l.splice(k, 1)[0];
  },
  remove: (l, args) => {
    const v = a(args, 'remove', ['value'], [undefined])[0];
    const k = l.findIndex((x) => pyEquals(x, v));
    if (k < 0) throw new PyError('ValueError', 'list.remove(x): x not in list');
    l.splice(k, 1);
    return null;
  },
  index: (l, args) => {
    const v = a(args, 'index', ['value'], [undefined])[0];
    const k = l.findIndex((x) => pyEquals(x, v));
    if (k < 0) throw new PyError('ValueError', `${pyRepr(v)} is not in list`);
    return k;
  },
  count: (l, args) => {
    const v = a(args, 'count', ['value'], [undefined])[0];
    return l.filter((x) => pyEquals(x, v)).length;
  },
  reverse: (l) => {
    l.reverse();
    return null;
  },
  sort: (l, args) => {
    const [reverse] = a(args, 'sort', ['reverse'], [false]);
    const sorted = [...l].sort(pyCompare);
    if (pyTruthy(reverse)) sorted.reverse();
    l.splice(0, l.length, ...sorted);
    return null;
  },
  copy: (l) => [...l],
  clear: (l) => {
    l.length = 0;
    return null;
  },
};

export const TUPLE_METHODS: Record<string, (l: unknown[], args: unknown[], ctx: MethodCtx) => unknown> = {
  index: LIST_METHODS.index as (l: unknown[], args: unknown[], ctx: MethodCtx) => unknown,
  count: LIST_METHODS.count as (l: unknown[], args: unknown[], ctx: MethodCtx) => unknown,
};

export const DICT_METHODS: Record<string, (d: PyDict, args: unknown[], ctx: MethodCtx) => unknown> = {
  get: (d, args) => {
    const [k, dflt] = a(args, 'get', ['key', 'default'], [undefined, null]);
    return dictHas(d, k) ? dictGet(d, k) : dflt;
  },
  items: (d) => makeView(dictEntries(d).map(([k, v]) => makeTuple([k, v])), 'dict_items'),
  keys: (d) => makeView(dictKeys(d), 'dict_keys'),
  values: (d) => makeView(dictValues(d), 'dict_values'),
  update: (d, args) => {
    const { args: pos, kwargs } = splitKwargs(args);
    for (const src of pos) {
      if (isDict(src)) for (const [k, v] of dictEntries(src)) dictSet(d, k, v);
      else for (const pair of pyIter(src)) {
        const kv = pyIter(pair);
        dictSet(d, kv[0], kv[1]);
      }
    }
    for (const [k, v] of Object.entries(kwargs)) dictSet(d, k, v);
    return null;
  },
  setdefault: (d, args) => {
    const [k, dflt] = a(args, 'setdefault', ['key', 'default'], [undefined, null]);
    if (!dictHas(d, k)) dictSet(d, k, dflt);
    return dictGet(d, k);
  },
  pop: (d, args) => {
    const { args: pos } = splitKwargs(args);
    const k = pos[0];
    if (dictHas(d, k)) {
      const v = dictGet(d, k);
      dictDelete(d, k);
      return v;
    }
    if (pos.length > 1) return pos[1];
    throw new PyError('KeyError', pyRepr(k));
  },
  popitem: (d) => {
    const entries = dictEntries(d);
    const last = entries[entries.length - 1];
    if (!last) throw new PyError('KeyError', "'popitem(): dictionary is empty'");
    dictDelete(d, last[0]);
    return makeTuple([last[0], last[1]]);
  },
  copy: (d) => (d instanceof Map ? new Map(d) : { ...d }),
  clear: (d) => {
    for (const k of dictKeys(d)) dictDelete(d, k);
    return null;
  },
};

/** A method looked up but not called (`d.items` without parentheses). */
export class BoundMethod {
  constructor(
    readonly self: unknown,
    readonly name: string,
    readonly fn: Method,
  ) {}
  toString(): string {
    return `<built-in method ${this.name} of ${pyTypeName(this.self)} object>`;
  }
}

export function findMethod(obj: unknown, name: string): Method | undefined {
  if (typeof obj === 'string') return STR_METHODS[name] as Method | undefined;
  if (Array.isArray(obj)) {
    if (isGenerator(obj)) return undefined;
    const view = viewKind(obj);
    if (view) return view.startsWith('range(') ? (TUPLE_METHODS[name] as Method | undefined) : undefined;
    return (isTuple(obj) ? TUPLE_METHODS[name] : LIST_METHODS[name]) as Method | undefined;
  }
  if (isDict(obj)) return DICT_METHODS[name] as Method | undefined;
  return undefined;
}

export { PyKwargs, PyNamespace, PyUndefined };
