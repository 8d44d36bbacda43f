/** ansible.builtin filters (ansible-core 2.14 plugins/filter/core.py) other than regex and serialisation. */
import { createHash, randomBytes } from 'node:crypto';
import jmespath from 'jmespath';
import { encrypt as unixEncrypt } from 'unixcrypt';
import {
  PyError,
  PyFloat,
  PyUndefined,
  dictEntries,
  dictGet,
  dictHas,
  dictKeys,
  isDict,
  isTuple,
  newDict,
  pyEquals,
  pyStr,
  pyTruthy,
  pyTypeName,
  type PyDict,
} from '../values.js';
import { AnsibleFilterError } from './ip/ipaddr.js';
import { bind, splitKwargs } from './regex.js';

export { AnsibleFilterError };

const text = (v: unknown): string => (typeof v === 'string' ? v : pyStr(v));

/** Ansible's is_sequence: list-like, not a string. */
const isSequence = (v: unknown): v is unknown[] => Array.isArray(v);

export function mandatory(value: unknown, ...args: unknown[]): unknown {
  const a = bind('mandatory', ['msg'], args, { msg: null });
  if (value instanceof PyUndefined) {
    if (a.msg !== null && a.msg !== undefined) throw new AnsibleFilterError(text(a.msg));
    const name = value.name ? `'${value.name}' ` : '';
    throw new AnsibleFilterError(`Mandatory variable ${name}not defined.`);
  }
  return value;
}

export function ternary(value: unknown, ...args: unknown[]): unknown {
  const a = bind('ternary', ['true_val', 'false_val', 'none_val'], args, { none_val: null });
  if ((value === null || value === undefined) && a.none_val !== null && a.none_val !== undefined) return a.none_val;
  return pyTruthy(value) ? a.true_val : a.false_val;
}

export function toBool(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value ?? null;
  const v = typeof value === 'string' ? value.toLowerCase() : value;
  return v === 'yes' || v === 'on' || v === '1' || v === 'true' || v === 1 || (v instanceof PyFloat && v.value === 1);
}

export function flatten(value: unknown, ...args: unknown[]): unknown[] {
  const a = bind('flatten', ['levels', 'skip_nulls'], args, { levels: null, skip_nulls: true });
  return flattenList(value, a.levels as number | null, pyTruthy(a.skip_nulls));
}

function flattenList(list: unknown, levels: number | null, skipNulls: boolean): unknown[] {
  const out: unknown[] = [];
  const items = Array.isArray(list) ? list : isDict(list) ? dictKeys(list) : typeof list === 'string' ? Array.from(list) : [];
  for (const el of items) {
    if (skipNulls && (el === null || el === undefined || el === 'None' || el === 'null')) continue;
    if (isSequence(el)) {
      if (levels === null || levels === undefined) out.push(...flattenList(el, null, skipNulls));
      else if (levels >= 1) out.push(...flattenList(el, Math.trunc(levels) - 1, skipNulls));
      else out.push(el);
    } else out.push(el);
  }
  return out;
}

const LIST_MERGE = ['replace', 'keep', 'append', 'prepend', 'append_rp', 'prepend_rp'];

function copyDict(d: PyDict): PyDict {
  return d instanceof Map ? new Map(d) : { ...d };
}

function setKey(d: PyDict, k: unknown, v: unknown): void {
  if (d instanceof Map) d.set(k, v);
  else d[String(k)] = v;
}

/** ansible.utils.vars.merge_hash */
export function mergeHash(x: PyDict, y: PyDict, recursive = true, listMerge = 'replace'): PyDict {
  if (!LIST_MERGE.includes(listMerge)) {
    throw new AnsibleFilterError("merge_hash: 'list_merge' argument can only be equal to 'replace', 'keep', 'append', 'prepend', 'append_rp' or 'prepend_rp'");
  }
  if (dictKeys(x).length === 0 || pyEquals(x, y)) return copyDict(y);
  const out = copyDict(x);
  for (const [key, yv] of dictEntries(y)) {
    if (!dictHas(out, key)) {
      setKey(out, key, yv);
      continue;
    }
    const xv = dictGet(out, key);
    if (isDict(xv) && isDict(yv)) {
      setKey(out, key, recursive ? mergeHash(xv, yv, recursive, listMerge) : yv);
      continue;
    }
    if (Array.isArray(xv) && Array.isArray(yv) && !isTuple(xv) && !isTuple(yv)) {
      const notIn = (a: unknown[], b: unknown[]): unknown[] => a.filter((z) => !b.some((w) => pyEquals(z, w)));
      if (listMerge === 'replace') setKey(out, key, yv);
      else if (listMerge === 'append') setKey(out, key, [...xv, ...yv]);
      else if (listMerge === 'prepend') setKey(out, key, [...yv, ...xv]);
      else if (listMerge === 'append_rp') setKey(out, key, [...notIn(xv, yv), ...yv]);
      else if (listMerge === 'prepend_rp') setKey(out, key, [...yv, ...notIn(xv, yv)]);
      continue;
    }
    setKey(out, key, yv);
  }
  return out;
}

export function combine(...args: unknown[]): unknown {
  const [terms, kw] = splitKwargs(args);
  const recursive = pyTruthy(kw.recursive ?? false);
  const listMerge = text(kw.list_merge ?? 'replace');
  const extra = Object.keys(kw).filter((k) => k !== 'recursive' && k !== 'list_merge');
  if (extra.length) throw new AnsibleFilterError("'recursive' and 'list_merge' are the only valid keyword arguments");
  const dicts = flattenList(terms, 1, true);
  for (const d of dicts) if (d instanceof PyUndefined) throw new PyError('UndefinedError', `'${d.name}' is undefined`);
  if (dicts.length === 0) return {};
  if (dicts.length === 1) return dicts[0];
  let result = dicts[dicts.length - 1];
  for (let i = dicts.length - 2; i >= 0; i -= 1) {
    const d = dicts[i];
    if (!isDict(d) || !isDict(result)) {
      throw new AnsibleFilterError(`failed to combine variables, expected dicts but got a '${pyTypeName(d)}' and a '${pyTypeName(result)}': ${pyStr(d)} ${pyStr(result)}`);
    }
    result = mergeHash(d, result, recursive, listMerge);
  }
  return result;
}

export function dict2items(value: unknown, ...args: unknown[]): unknown[] {
  const a = bind('dict2items', ['key_name', 'value_name'], args, { key_name: 'key', value_name: 'value' });
  if (!isDict(value)) throw new AnsibleFilterError(`dict2items requires a dictionary, got <class '${pyTypeName(value)}'> instead.`);
  return dictEntries(value).map(([k, v]) => newDict([[a.key_name, k], [a.value_name, v]]));
}

export function items2dict(value: unknown, ...args: unknown[]): unknown {
  const a = bind('items2dict', ['key_name', 'value_name'], args, { key_name: 'key', value_name: 'value' });
  if (!Array.isArray(value)) throw new AnsibleFilterError(`items2dict requires a list, got <class '${pyTypeName(value)}'> instead.`);
  const entries: [unknown, unknown][] = [];
  for (const item of value) {
    if (!isDict(item)) throw new AnsibleFilterError(`items2dict requires a list of dictionaries, got ${pyStr(value)} instead.`);
    if (!dictHas(item, a.key_name) || !dictHas(item, a.value_name)) {
      throw new AnsibleFilterError(
        `items2dict requires each dictionary in the list to contain the keys '${text(a.key_name)}' and '${text(a.value_name)}', got ${pyStr(value)} instead.`,
      );
    }
    entries.push([dictGet(item, a.key_name), dictGet(item, a.value_name)]);
  }
  return newDict(entries);
}

/** JMESPath over plain JSON (Maps become objects, integral floats numbers). */
function toJsonValue(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (isDict(v)) return Object.fromEntries(dictEntries(v).map(([k, x]) => [String(k), toJsonValue(x)]));
  return v === undefined ? null : v;
}

export function jsonQuery(value: unknown, expr: unknown): unknown {
  try {
    return jmespath.search(toJsonValue(value) as object, text(expr)) as unknown;
  } catch (e) {
    throw new AnsibleFilterError(`JMESPathError in json_query filter plugin:\n${(e as Error).message}`);
  }
}

export function b64encode(value: unknown, ...args: unknown[]): string {
  const a = bind('b64encode', ['encoding'], args, { encoding: 'utf-8' });
  return Buffer.from(text(value), bufferEncoding(a.encoding)).toString('base64');
}

export function b64decode(value: unknown, ...args: unknown[]): string {
  const a = bind('b64decode', ['encoding'], args, { encoding: 'utf-8' });
  return Buffer.from(text(value), 'base64').toString(bufferEncoding(a.encoding));
}

function bufferEncoding(enc: unknown): BufferEncoding {
  const e = text(enc).toLowerCase().replace(/[-_]/g, '');
  if (e === 'utf8') return 'utf8';
  if (e === 'utf16' || e === 'utf16le') return 'utf16le';
  if (e === 'latin1' || e === 'iso88591') return 'latin1';
  if (e === 'ascii') return 'ascii';
  throw new AnsibleFilterError(`unknown encoding: ${text(enc)}`);
}

const HASHES = new Set(['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512', 'sha3_256', 'sha3_512', 'blake2b', 'blake2s']);

export function hash(value: unknown, hashtype: unknown = 'sha1'): string {
  const t = text(hashtype).toLowerCase();
  if (!HASHES.has(t)) throw new AnsibleFilterError(`unsupported hash type ${text(hashtype)}`);
  const node = t === 'sha3_256' ? 'sha3-256' : t === 'sha3_512' ? 'sha3-512' : t === 'blake2b' ? 'blake2b512' : t === 'blake2s' ? 'blake2s256' : t;
  return createHash(node).update(text(value), 'utf8').digest('hex');
}

export const checksum = (value: unknown): string => hash(value, 'sha1');

const CRYPT64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function randomSalt(size: number): string {
  const bytes = randomBytes(size);
  let s = '';
  for (const b of bytes) s += CRYPT64[b % 64];
  return s;
}

/** The md5-crypt ($1$) algorithm, on node's MD5. */
export function md5Crypt(password: string, salt: string): string {
  const pw = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt.slice(0, 8), 'utf8');
  const magic = Buffer.from('$1$');
  const alt = createHash('md5').update(pw).update(s).update(pw).digest();
  const ctx = createHash('md5').update(pw).update(magic).update(s);
  for (let len = pw.length; len > 0; len -= 16) ctx.update(alt.subarray(0, Math.min(16, len)));
  for (let i = pw.length; i; i >>= 1) ctx.update(i & 1 ? Buffer.from([0]) : pw.subarray(0, 1));
  let fin = ctx.digest();
  for (let i = 0; i < 1000; i += 1) {
    const c = createHash('md5');
    c.update(i & 1 ? pw : fin);
    if (i % 3) c.update(s);
    if (i % 7) c.update(pw);
    c.update(i & 1 ? fin : pw);
    fin = c.digest();
  }
  const enc = (a: number, b: number, c: number, n: number): string => {
    let v = (a << 16) | (b << 8) | c;
    let out = '';
    for (let i = 0; i < n; i += 1) {
      out += CRYPT64[v & 0x3f];
      v >>= 6;
    }
    return out;
  };
  const f = fin;
  const body =
    enc(f[0]!, f[6]!, f[12]!, 4) + enc(f[1]!, f[7]!, f[13]!, 4) + enc(f[2]!, f[8]!, f[14]!, 4) + enc(f[3]!, f[9]!, f[15]!, 4) + enc(f[4]!, f[10]!, f[5]!, 4) + enc(0, 0, f[11]!, 2);
  return `$1$${salt.slice(0, 8)}$${body}`;
}

const CRYPT_CACHE = new Map<string, string>();
const PASSLIB_NAMES: Record<string, string> = { md5: 'md5_crypt', sha256: 'sha256_crypt', sha512: 'sha512_crypt', blowfish: 'bcrypt' };
const IMPLICIT_ROUNDS: Record<string, number> = { sha256_crypt: 535000, sha512_crypt: 656000 };

/** password_hash as Ansible 2.14 computes it with passlib (rounds=656000/535000 written out). */
export function passwordHash(value: unknown, ...args: unknown[]): string {
  const a = bind('password_hash', ['hashtype', 'salt', 'salt_size', 'rounds', 'ident'], args, { hashtype: 'sha512', salt: null, salt_size: null, rounds: null, ident: null });
  const algo = PASSLIB_NAMES[text(a.hashtype)] ?? text(a.hashtype);
  const password = text(value);
  const saltMax = algo === 'md5_crypt' ? 8 : 16;
  let salt = a.salt === null || a.salt === undefined ? randomSalt(a.salt_size ? Number(a.salt_size) : saltMax) : text(a.salt);
  if (!/^[./0-9A-Za-z]*$/.test(salt)) throw new AnsibleFilterError(`invalid characters in ${algo} salt`);
  if (salt.length > saltMax) throw new AnsibleFilterError(`salt too large (${algo} requires <= ${saltMax} chars)`);
  if (algo === 'md5_crypt') return md5Crypt(password, salt);
  if (algo === 'sha512_crypt' || algo === 'sha256_crypt') {
    const rounds = a.rounds ? Number(a.rounds) : IMPLICIT_ROUNDS[algo]!;
    const id = algo === 'sha512_crypt' ? '6' : '5';
    salt = salt.slice(0, 16);
    const setting = `$${id}$rounds=${rounds}$${salt}`;
    // 656,000 rounds take about a second here: a template rendered for many devices with the same
    // password and salt computes it once per process
    const key = `${setting}\u0000${password}`;
    const hit = CRYPT_CACHE.get(key);
    if (hit) return hit;
    let out = unixEncrypt(password, setting);
    // passlib leaves rounds=5000 (crypt's default) out of the string
    if (rounds === 5000) out = out.replace(`$rounds=5000$`, '$');
    if (CRYPT_CACHE.size > 1000) CRYPT_CACHE.clear();
    CRYPT_CACHE.set(key, out);
    return out;
  }
  throw new AnsibleFilterError(`crypt.crypt does not support '${algo}' algorithm`);
}

/** shlex.quote */
export function quote(value: unknown): string {
  const s = value === null || value === undefined ? '' : text(value);
  if (s === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'"'"'`)}'`;
}

export function typeDebug(value: unknown): string {
  return pyTypeName(value);
}


// ---------------------------------------------------------------- tests

export function truthyTest(value: unknown, ...args: unknown[]): boolean {
  const a = bind('truthy', ['convert_bool'], args, { convert_bool: false });
  if (pyTruthy(a.convert_bool)) {
    const b = booleanLike(value);
    if (b !== null) return b;
  }
  return pyTruthy(value);
}

export const falsyTest = (value: unknown, ...args: unknown[]): boolean => !truthyTest(value, ...args);

const BOOLEANS_TRUE = new Set(['y', 'yes', 'on', '1', 'true', 't']);
const BOOLEANS_FALSE = new Set(['n', 'no', 'off', '0', 'false', 'f']);

function booleanLike(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || (value instanceof PyFloat && value.value === 1)) return true;
  if (value === 0 || (value instanceof PyFloat && value.value === 0)) return false;
  if (typeof value !== 'string') return null;
  const v = value.toLowerCase().trim();
  if (BOOLEANS_TRUE.has(v)) return true;
  if (BOOLEANS_FALSE.has(v)) return false;
  return null;
}

function members(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isDict(v)) return dictKeys(v);
  if (typeof v === 'string') return Array.from(v);
  throw new PyError('TypeError', `'${pyTypeName(v)}' object is not iterable`);
}

const includes = (list: unknown[], x: unknown): boolean => list.some((y) => pyEquals(x, y));

export const subsetTest = (a: unknown, b: unknown): boolean => members(a).every((x) => includes(members(b), x));
export const supersetTest = (a: unknown, b: unknown): boolean => members(b).every((x) => includes(members(a), x));

export function containsTest(seq: unknown, value: unknown): boolean {
  if (typeof seq === 'string') return seq.includes(text(value));
  if (isDict(seq)) return dictHas(seq, value);
  return includes(members(seq), value);
}

export const anyTest = (value: unknown): boolean => members(value).some(pyTruthy);
export const allTest = (value: unknown): boolean => members(value).every(pyTruthy);

const COMMENT_STYLES: Record<string, Record<string, string>> = {
  plain: { decoration: '# ' },
  erlang: { decoration: '% ' },
  c: { decoration: '// ' },
  cblock: { beginning: '/*', decoration: ' * ', end: ' */' },
  xml: { beginning: '<!--', decoration: ' - ', end: '-->' },
};

/** The `comment` filter: wrap text in a comment block of a predefined or custom style. */
export function comment(value: unknown, ...args: unknown[]): string {
  const [pos, kw] = splitKwargs(args);
  const style = text(pos[0] ?? kw.style ?? 'plain');
  delete kw.style;
  const params = COMMENT_STYLES[style];
  if (!params) throw new PyError('KeyError', `'${style}'`);
  const prepostfix = 'decoration' in kw ? text(kw.decoration) : params.decoration!;
  const p: Record<string, unknown> = {
    newline: '\n',
    beginning: '',
    prefix: prepostfix.trimEnd(),
    prefix_count: 1,
    decoration: '',
    postfix: prepostfix.trimEnd(),
    postfix_count: 1,
    end: '',
    ...params,
    ...kw,
  };
  const nl = text(p.newline);
  const deco = text(p.decoration);
  const str = text(value);
  const beginning = pyTruthy(p.beginning) ? `${text(p.beginning)}${nl}` : '';
  let prefix = '';
  if (pyTruthy(p.prefix)) prefix = (text(p.prefix) !== nl ? `${text(p.prefix)}${nl}` : nl).repeat(Math.max(0, Number(p.prefix_count)));
  const body = `${deco}${str.split(nl).join(nl + deco)}`.split(`${deco}${nl}`).join(`${deco.trimEnd()}${nl}`);
  const postfix = ['', ...new Array<string>(Math.max(0, Number(p.postfix_count))).fill(text(p.postfix))].join(nl);
  const end = pyTruthy(p.end) ? `${nl}${text(p.end)}` : '';
  return `${beginning}${prefix}${body}${postfix}${end}`;
}

/** `to_uuid`: a name-based (version 5) UUID in Ansible's namespace or the one given. */
export function toUuid(value: unknown, ...args: unknown[]): string {
  const a = bind('to_uuid', ['namespace'], args, { namespace: '361e6d51-faec-444a-9079-341386da8e2e' });
  const ns = text(a.namespace).toLowerCase().replace(/^urn:uuid:/, '').replace(/[{}-]/g, '');
  if (!/^[0-9a-f]{32}$/.test(ns)) throw new AnsibleFilterError(`Invalid value '${text(a.namespace)}' for 'namespace': badly formed hexadecimal UUID string`);
  const digest = createHash('sha1').update(Buffer.from(ns, 'hex')).update(text(value), 'utf8').digest();
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
