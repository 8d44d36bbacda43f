/** The `version` / `version_compare` test: LooseVersion, StrictVersion and SemanticVersion as Ansible 2.14 compares them. */
import { PyError, pyStr, pyTruthy } from '../values.js';
import { bind } from './regex.js';

type Part = number | string;

/** distutils LooseVersion: numbers and letter runs; comparing a number with a string raises. */
function loose(v: string): Part[] {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((c) => c && c !== '.')
    .map((c) => (/^\d+$/.test(c) ? Number(c) : c));
}

function cmpParts(a: Part[], b: Part[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x !== typeof y) {
      // LooseVersion compares with `<` whatever the operator
      const sym = '<';
      throw new PyError('TypeError', `'${sym}' not supported between instances of '${typeof x === 'number' ? 'int' : 'str'}' and '${typeof y === 'number' ? 'int' : 'str'}'`);
    }
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

const STRICT_RE = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/;

function strictCmp(a: string, b: string): number {
  const pa = STRICT_RE.exec(a);
  const pb = STRICT_RE.exec(b);
  if (!pa) throw new PyError('ValueError', `invalid version number '${a}'`);
  if (!pb) throw new PyError('ValueError', `invalid version number '${b}'`);
  const num = (m: RegExpExecArray): number[] => [Number(m[1]), Number(m[2]), Number(m[4] ?? 0)];
  const c = cmpParts(num(pa), num(pb));
  if (c !== 0) return c;
  const pre = (m: RegExpExecArray): Part[] | null => (m[5] ? [m[5][0]!, Number(m[6])] : null);
  const xa = pre(pa);
  const xb = pre(pb);
  if (!xa && !xb) return 0;
  if (!xa) return 1;
  if (!xb) return -1;
  return cmpParts(xa, xb);
}

const SEMVER_RE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][a-zA-Z0-9-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function semverCmp(a: string, b: string): number {
  const pa = SEMVER_RE.exec(a);
  const pb = SEMVER_RE.exec(b);
  if (!pa) throw new PyError('ValueError', `invalid semantic version '${a}'`);
  if (!pb) throw new PyError('ValueError', `invalid semantic version '${b}'`);
  const c = cmpParts([Number(pa[1]), Number(pa[2]), Number(pa[3])], [Number(pb[1]), Number(pb[2]), Number(pb[3])]);
  if (c !== 0) return c;
  if (!pa[4] && !pb[4]) return 0;
  if (pa[4] && !pb[4]) return -1;
  if (!pa[4] && pb[4]) return 1;
  const ids = (s: string): Part[] => s.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x));
  const xa = ids(pa[4]!);
  const xb = ids(pb[4]!);
  for (let i = 0; i < Math.min(xa.length, xb.length); i += 1) {
    const x = xa[i]!;
    const y = xb[i]!;
    if (x === y) continue;
    // numeric identifiers sort before alphanumeric ones
    if (typeof x !== typeof y) return typeof x === 'number' ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return xa.length - xb.length;
}

const OPS: Record<string, string> = { '==': 'eq', '=': 'eq', eq: 'eq', '<': 'lt', lt: 'lt', '<=': 'le', le: 'le', '>': 'gt', gt: 'gt', '>=': 'ge', ge: 'ge', '!=': 'ne', '<>': 'ne', ne: 'ne' };
const TYPES = ['loose', 'strict', 'semver', 'semantic', 'pep440'];

export function versionTest(value: unknown, ...args: unknown[]): boolean {
  const a = bind('version_compare', ['version', 'operator', 'strict', 'version_type'], args, { operator: 'eq', strict: null, version_type: null });
  const fail = (m: string): never => {
    throw new PyError('AnsibleFilterError', m);
  };
  if (a.strict !== null && a.strict !== undefined && a.version_type !== null && a.version_type !== undefined) fail("Cannot specify both 'strict' and 'version_type'");
  if (!pyTruthy(value)) fail('Input version value cannot be empty');
  if (!pyTruthy(a.version)) fail('Version parameter to compare against cannot be empty');
  let type = 'loose';
  if (pyTruthy(a.strict)) type = 'strict';
  else if (pyTruthy(a.version_type)) {
    type = pyStr(a.version_type);
    if (!TYPES.includes(type)) fail(`Invalid version type (${type}). Must be one of ${TYPES.map((t) => `'${t}'`).join(', ')}`);
    if (type === 'pep440') fail("The pep440 version_type requires the Python 'packaging' library");
  }
  const op = OPS[pyStr(a.operator)];
  if (!op) fail(`Invalid operator type (${pyStr(a.operator)}). Must be one of ${Object.keys(OPS).map((o) => `'${o}'`).join(', ')}`);
  const x = pyStr(value);
  const y = pyStr(a.version);
  try {
    let c: number;
    if (type === 'strict') c = strictCmp(x, y);
    else if (type === 'semver' || type === 'semantic') c = semverCmp(x, y);
    else c = cmpParts(loose(x), loose(y));
    switch (op) {
      case 'eq':
        return c === 0;
      case 'ne':
        return c !== 0;
      case 'lt':
        return c < 0;
      case 'le':
        return c <= 0;
      case 'gt':
        return c > 0;
      default:
        return c >= 0;
    }
  } catch (e) {
    return fail(`Version comparison failed: ${(e as Error).message}`);
  }
}
