/**
 * Compiles our AST (./nodes.ts) into closures once per template, and runs them with Jinja2's scoping:
 * a `for` body gets a fresh scope per iteration, `if` does not make one, macros see their defining
 * scope, blocks see the template's top level, includes get a flattened copy of the current scope.
 */
import {
  PyError,
  PyFloat,
  PyKwargs,
  PyNamespace,
  PyUndefined,
  dictEntries,
  dictGet,
  dictHas,
  isDict,
  isGenerator,
  isTuple,
  makeTuple,
  newDict,
  viewKind,
  pyIter,
  pyLen,
  pyStr,
  pyTruthy,
  pyTypeName,
  pyEquals,
  toNumber,
  isUndefined,
} from '../values.js';
import type { JNode } from './nodes.js';
import {
  BoundMethod,
  findMethod,
  pyAdd,
  pyCompareOp,
  pyContains,
  pyDiv,
  pyFloorDiv,
  pyMod,
  pyMul,
  pyNeg,
  pyPos,
  pyPow,
  pySub,
  type MethodCtx,
} from './pyops.js';
import { JINJA_BUILTIN_FILTERS } from './builtins.js';

// ---------------------------------------------------------------- errors carrying a position

/** An error raised while rendering; the engine turns it into a TemplateError naming file and line. */
export class RenderError extends Error {
  constructor(
    message: string,
    readonly file: string,
    /** 1-based */
    readonly line: number,
    readonly kind: 'undefined' | 'type' | 'runtime' | 'missing-template' | 'syntax',
    readonly original?: unknown,
  ) {
    super(message);
  }
}

export class UndefinedError extends PyError {
  constructor(message: string) {
    super('UndefinedError', message);
  }
}

// ---------------------------------------------------------------- runtime objects

type Vars = Record<string, unknown>;

export class Frame {
  constructor(
    readonly vars: Vars,
    readonly parent: Frame | null,
    readonly rt: RenderState,
  ) {}
}

export interface TemplateLoader {
  load(name: string, from?: string): Compiled;
}

export interface RenderState {
  loader: TemplateLoader;
  strict: boolean;
  globals: Vars;
  filters: Record<string, (...args: unknown[]) => unknown>;
  tests: Record<string, (...args: unknown[]) => unknown>;
  /** block name → implementations, most derived first */
  blocks: Map<string, BlockImpl[]>;
  depth: number;
  /** Ansible's finalize: a `{{ }}` whose value is None prints nothing */
  noneAsEmpty: boolean;
  /** Ansible's AnsibleUndefined: an attribute or item of an undefined value is the same undefined value */
  chainUndefined: boolean;
  /** Ansible's _unroll_iterator and finalize: filters return lists, not generators; a printed dict view or range prints as a list */
  unrollIterators: boolean;
}

interface BlockImpl {
  fn: Stmt;
  tmpl: Compiled;
}

export interface Out {
  s: string;
  off: boolean;
}

type Expr = (f: Frame) => unknown;
type Stmt = (f: Frame, out: Out) => void;

export interface Compiled {
  name: string;
  file: string;
  root: Stmt;
  blocks: Map<string, Stmt>;
  ast: JNode;
}

export class Macro {
  constructor(
    readonly name: string,
    readonly params: string[],
    readonly defaults: Map<string, Expr>,
    readonly catchVarargs: boolean,
    readonly catchKwargs: boolean,
    readonly usesCaller: boolean,
    readonly body: Stmt,
    readonly frame: Frame,
    readonly tmpl: Compiled,
  ) {}

  call(args: unknown[], kwargs: Vars, caller?: Macro): string {
    const vars: Vars = Object.create(null) as Vars;
    const f = new Frame(vars, this.frame, this.frame.rt);
    const extra: unknown[] = [];
    const kw = { ...kwargs };
    if (caller === undefined && 'caller' in kw && kw.caller instanceof Macro) {
      caller = kw.caller;
      delete kw.caller;
    }
    this.params.forEach((p, i) => {
      if (i < args.length) vars[p] = args[i];
    });
    for (let i = this.params.length; i < args.length; i++) extra.push(args[i]);
    if (extra.length && !this.catchVarargs) {
      throw new PyError('TypeError', `macro '${this.name}' takes not more than ${this.params.length} argument(s)`);
    }
    const rest: Vars = {};
    for (const [k, v] of Object.entries(kw)) {
      if (this.params.includes(k)) {
        if (k in vars) throw new PyError('TypeError', `macro '${this.name}' got multiple values for argument '${k}'`);
        vars[k] = v;
      } else if (this.catchKwargs) rest[k] = v;
      else throw new PyError('TypeError', `macro '${this.name}' takes no keyword argument '${k}'`);
    }
    for (const p of this.params) {
      if (p in vars) continue;
      const d = this.defaults.get(p);
      vars[p] = d ? d(f) : new PyUndefined(p, `parameter '${p}' was not provided`);
    }
    vars.varargs = makeTuple(extra);
    vars.kwargs = rest;
    if (caller) vars.caller = caller;
    else if (this.usesCaller && !('caller' in vars)) vars.caller = new PyUndefined('caller', "No caller defined");
    const out: Out = { s: '', off: false };
    f.rt.depth++;
    if (f.rt.depth > 500) throw new PyError('RecursionError', 'maximum recursion depth exceeded');
    try {
      this.body(f, out);
    } finally {
      f.rt.depth--;
    }
    return out.s;
  }
  toString(): string {
    return `<Macro '${this.name}'>`;
  }
}

/** An imported template: its exported top-level macros and variables. */
export class TemplateModule {
  constructor(
    readonly name: string,
    readonly exports: Vars,
    readonly body: string,
  ) {}
  toString(): string {
    return this.body;
  }
}

class LoopContext {
  index0 = -1;
  private lastChanged: unknown[] | undefined;
  constructor(
    private readonly items: unknown[],
    readonly depth0: number,
    private readonly recurse: ((items: unknown, depth0: number) => string) | null,
  ) {}
  get index(): number {
    return this.index0 + 1;
  }
  get revindex(): number {
    return this.items.length - this.index0;
  }
  get revindex0(): number {
    return this.items.length - this.index0 - 1;
  }
  get first(): boolean {
    return this.index0 === 0;
  }
  get last(): boolean {
    return this.index0 === this.items.length - 1;
  }
  get length(): number {
    return this.items.length;
  }
  get depth(): number {
    return this.depth0 + 1;
  }
  get previtem(): unknown {
    return this.index0 > 0 ? this.items[this.index0 - 1] : new PyUndefined('previtem', 'there is no previous item');
  }
  get nextitem(): unknown {
    return this.index0 < this.items.length - 1 ? this.items[this.index0 + 1] : new PyUndefined('nextitem', 'there is no next item');
  }
  cycle(...args: unknown[]): unknown {
    if (!args.length) throw new PyError('TypeError', 'no items for cycling given');
    return args[this.index0 % args.length];
  }
  changed(...args: unknown[]): boolean {
    if (this.lastChanged === undefined || !pyEquals(makeTuple(args), makeTuple(this.lastChanged))) {
      this.lastChanged = args;
      return true;
    }
    return false;
  }
  callRecursive(items: unknown): string {
    if (!this.recurse) throw new PyError('TypeError', "The loop must have the 'recursive' marker to be called recursively.");
    return this.recurse(items, this.depth0 + 1);
  }
  toString(): string {
    return `<LoopContext ${this.index}/${this.length}>`;
  }
}

const LOOP_ATTRS = new Set(['index', 'index0', 'revindex', 'revindex0', 'first', 'last', 'length', 'depth', 'depth0', 'previtem', 'nextitem', 'cycle', 'changed']);

/** A Python callable implemented in JS: receives positional args then an optional trailing PyKwargs. */
export type PyCallable = (...args: unknown[]) => unknown;

// ---------------------------------------------------------------- attribute and item access

function undefinedAttr(obj: unknown, name: unknown): PyUndefined {
  const what = obj === null || obj === undefined ? "'None'" : `'${pyTypeName(obj)} object'`;
  const n = typeof name === 'string' ? `'${name}'` : pyStr(name);
  return new PyUndefined(typeof name === 'string' ? name : pyStr(name), `${what} has no attribute ${n}`);
}

export function getattr(obj: unknown, name: string): unknown {
  if (isDict(obj)) {
    const m = findMethod(obj, name);
    if (m) return new BoundMethod(obj, name, m);
    const v = dictGet(obj, name);
    return v === undefined && !dictHas(obj, name) ? undefinedAttr(obj, name) : v;
  }
  if (typeof obj === 'string' || Array.isArray(obj)) {
    const m = findMethod(obj, name);
    if (m) return new BoundMethod(obj, name, m);
    // named-tuple fields (groupby's grouper/list)
    if (Array.isArray(obj) && Object.prototype.hasOwnProperty.call(obj, name) && !/^\d+$/.test(name)) return (obj as unknown as Vars)[name];
    return undefinedAttr(obj, name);
  }
  return getOther(obj, name);
}

function getOther(obj: unknown, name: string): unknown {
  if (obj instanceof LoopContext) {
    if (LOOP_ATTRS.has(name)) {
      const v = (obj as unknown as Record<string, unknown>)[name];
      return typeof v === 'function' ? (v as PyCallable).bind(obj) : v;
    }
    return undefinedAttr(obj, name);
  }
  if (obj instanceof BlockRefs) {
    const refs = obj;
    if (!refs.f.rt.blocks.has(name)) return undefinedAttr(obj, name);
    return () => {
      const o: Out = { s: '', off: false };
      renderBlock(refs.f, o, name, 0, null, refs.node, refs.tmpl);
      return o.s;
    };
  }
  if (obj instanceof TemplateModule) {
    return Object.prototype.hasOwnProperty.call(obj.exports, name) ? obj.exports[name] : undefinedAttr(obj, name);
  }
  if (obj instanceof PyNamespace) {
    return Object.prototype.hasOwnProperty.call(obj, name) ? (obj as unknown as Vars)[name] : undefinedAttr(obj, name);
  }
  if (obj instanceof Macro) {
    if (name === 'name') return obj.name;
    if (name === 'arguments') return makeTuple([...obj.params]);
    return undefinedAttr(obj, name);
  }
  if (obj instanceof PyFloat) {
    if (name === 'real') return obj;
    if (name === 'is_integer') return () => true;
    return undefinedAttr(obj, name);
  }
  if (typeof obj === 'number') {
    if (name === 'real') return obj;
    if (name === 'is_integer') return () => Number.isInteger(obj);
    return undefinedAttr(obj, name);
  }
  if (obj !== null && typeof obj === 'object' && !(obj instanceof PyUndefined) && name in obj) {
    return (obj as Vars)[name];
  }
  return undefinedAttr(obj, name);
}

function normIndex(i: number, len: number): number {
  return i < 0 ? i + len : i;
}

export function getitem(obj: unknown, key: unknown): unknown {
  if (Array.isArray(obj) && (isGenerator(obj) || viewKind(obj)?.startsWith('dict_'))) {
    throw new PyError('TypeError', `'${pyTypeName(obj)}' object is not subscriptable`);
  }
  if (Array.isArray(obj) || typeof obj === 'string') {
    if (typeof key === 'number' || typeof key === 'boolean') {
      const k = toNumber(key);
      if (Number.isInteger(k)) {
        if (typeof obj === 'string') {
          const chars = Array.from(obj);
          const i = normIndex(k, chars.length);
          return i >= 0 && i < chars.length ? chars[i] : undefinedAttr(obj, key);
        }
        const i = normIndex(k, obj.length);
        return i >= 0 && i < obj.length ? obj[i] : undefinedAttr(obj, key);
      }
    }
    if (typeof key === 'string') return getattr(obj, key);
    return undefinedAttr(obj, key);
  }
  if (isDict(obj)) {
    if (dictHas(obj, key)) return dictGet(obj, key);
    if (typeof key === 'string') {
      const m = findMethod(obj, key);
      if (m) return new BoundMethod(obj, key, m);
    }
    return undefinedAttr(obj, key);
  }
  if (typeof key === 'string') return getOther(obj, key);
  return undefinedAttr(obj, key);
}

function sliceOf(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  const seq: unknown[] = typeof obj === 'string' ? Array.from(obj) : Array.isArray(obj) ? obj : pyIter(obj);
  const len = seq.length;
  const st = step === null || step === undefined ? 1 : toNumber(step);
  if (st === 0) throw new PyError('ValueError', 'slice step cannot be zero');
  const clamp = (v: unknown, dflt: number, lo: number, hi: number): number => {
    if (v === null || v === undefined) return dflt;
    let n = toNumber(v);
    if (n < 0) n += len;
    return Math.max(lo, Math.min(hi, n));
  };
  const out: unknown[] = [];
  if (st > 0) {
    const b = clamp(start, 0, 0, len);
    const e = clamp(stop, len, 0, len);
    for (let i = b; i < e; i += st) out.push(seq[i]);
  } else {
    const b = clamp(start, len - 1, -1, len - 1);
    const e = clamp(stop, -1, -1, len - 1);
    for (let i = b; i > e; i += st) out.push(seq[i]);
  }
  if (typeof obj === 'string') return out.join('');
  return isTuple(obj) ? makeTuple(out) : out;
}

export const methodCtx: MethodCtx = { getattr, getitem };

// ---------------------------------------------------------------- undefined checks

export function undefinedMessage(u: PyUndefined): string {
  if (!u.hint) return `'${u.name}' is undefined`;
  return /[.[]/.test(u.name) ? `'${u.name}' is undefined: ${u.hint}` : u.hint;
}

/** `intf.name`, `bgp.neighbors[0].ip`: the source path of a lookup, for error messages ('' when not static). */
function exprPath(n: JNode): string {
  if (n.typename === 'Symbol') return n.value as string;
  if (n.typename !== 'LookupVal') return '';
  const base = exprPath(n.target);
  if (!base) return '';
  if (n.attr) return `${base}.${n.val.value as string}`;
  if (n.val.typename === 'Literal') {
    const v = n.val.value;
    return typeof v === 'string' ? `${base}['${v}']` : typeof v === 'number' ? `${base}[${v}]` : '';
  }
  return '';
}

function chk<T>(f: Frame, v: T): T {
  if (v instanceof PyUndefined && f.rt.strict && !v.lenient) throw new UndefinedError(undefinedMessage(v));
  return v;
}

function truthy(f: Frame, v: unknown): boolean {
  if (v instanceof PyUndefined) {
    chk(f, v);
    return false;
  }
  return pyTruthy(v);
}

function iterate(f: Frame, v: unknown): unknown[] {
  if (v instanceof PyUndefined) {
    chk(f, v);
    return [];
  }
  return pyIter(v);
}

function toOutput(f: Frame, v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof PyUndefined) {
    chk(f, v);
    return '';
  }
  return pyStr(v);
}

/** Filters and tests that take an undefined value without failing (everything else fails under strict). */
export const UNDEFINED_OK_FILTERS = new Set(['default', 'd', 'mandatory', 'type_debug']);
export const UNDEFINED_OK_TESTS = new Set([
  'defined', 'undefined', 'none', 'string', 'number', 'integer', 'float', 'mapping', 'boolean', 'true', 'false',
  'sameas', 'callable',
]);

// ---------------------------------------------------------------- calling

export function callValue(f: Frame, fn: unknown, args: unknown[], kwargs: Vars | null, caller?: Macro): unknown {
  if (fn instanceof Macro) return fn.call(args, kwargs ?? {}, caller);
  if (fn instanceof BoundMethod) {
    const all = kwargs && Object.keys(kwargs).length ? [...args, new PyKwargs(kwargs)] : args;
    return fn.fn(fn.self as never, all, methodCtx);
  }
  if (typeof fn === 'function') {
    const all = kwargs && Object.keys(kwargs).length ? [...args, new PyKwargs(kwargs)] : args;
    return (fn as PyCallable)(...all);
  }
  if (fn instanceof LoopContext) return fn.callRecursive(args[0]);
  if (fn instanceof PyUndefined) {
    chk(f, fn);
    return fn;
  }
  throw new PyError('TypeError', `'${pyTypeName(fn)}' object is not callable`);
}

// ---------------------------------------------------------------- compiler

interface CompileCtx {
  tmpl: Compiled;
  blocks: Map<string, Stmt>;
}

function lookup(f: Frame, name: string): unknown {
  let fr: Frame | null = f;
  while (fr) {
    const v = fr.vars;
    if (Object.prototype.hasOwnProperty.call(v, name)) return v[name];
    fr = fr.parent;
  }
  const g = f.rt.globals;
  if (Object.prototype.hasOwnProperty.call(g, name)) return g[name];
  return new PyUndefined(name);
}

/** All variables visible from `f`, innermost winning (what an include `with context` sees). */
export function flatten(f: Frame): Vars {
  const chain: Frame[] = [];
  for (let fr: Frame | null = f; fr; fr = fr.parent) chain.push(fr);
  const out: Vars = {};
  for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, (chain[i] as Frame).vars);
  return out;
}

function located<T>(node: JNode, tmpl: Compiled, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw locate(e, node, tmpl);
  }
}

export function locate(e: unknown, node: JNode, tmpl: Compiled): unknown {
  if (e instanceof RenderError) return e;
  if (e instanceof UndefinedError) return new RenderError(e.message, tmpl.file, node.lineno + 1, 'undefined', e);
  if (e instanceof PyError) return new RenderError(`${e.pyType}: ${e.message}`, tmpl.file, node.lineno + 1, 'type', e);
  if (e instanceof RangeError) return new RenderError(`RecursionError: ${e.message}`, tmpl.file, node.lineno + 1, 'runtime', e);
  const msg = e instanceof Error ? e.message : String(e);
  return new RenderError(msg, tmpl.file, node.lineno + 1, 'runtime', e);
}

function usesName(node: JNode, name: string): boolean {
  let found = false;
  const walk = (n: unknown): void => {
    if (found || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      n.forEach(walk);
      return;
    }
    const node = n as JNode;
    if (!node.typename) return;
    if (node.typename === 'Symbol' && node.value === name) {
      found = true;
      return;
    }
    if (node.typename === 'Macro') return; // a nested macro has its own varargs/caller
    for (const fld of node.fields) walk((node as unknown as Vars)[fld]);
  };
  walk(node);
  return found;
}

export function compileTemplate(ast: JNode, name: string, file: string): Compiled {
  const tmpl: Compiled = { name, file, root: () => undefined, blocks: new Map(), ast };
  const cc: CompileCtx = { tmpl, blocks: tmpl.blocks };
  tmpl.root = compileBody(cc, ast.children);
  return tmpl;
}

function compileBody(cc: CompileCtx, nodes: JNode[]): Stmt {
  const stmts = nodes.map((n) => compileStmt(cc, n));
  if (stmts.length === 1) return stmts[0] as Stmt;
  return (f, out) => {
    for (let i = 0; i < stmts.length; i++) (stmts[i] as Stmt)(f, out);
  };
}

function bodyOf(n: JNode | null): JNode[] {
  if (!n) return [];
  return n.children;
}

function compileStmt(cc: CompileCtx, n: JNode): Stmt {
  const tmpl = cc.tmpl;
  switch (n.typename) {
    case 'Output': {
      const parts = n.children.map((c) => {
        if (c.typename === 'TemplateData') {
          const s = c.value as string;
          return (_f: Frame, out: Out) => {
            if (!out.off) out.s += s;
          };
        }
        const e = compileExpr(cc, c);
        return (f: Frame, out: Out) => {
          let v: string;
          try {
            const x = e(f);
            v =
              typeof x === 'string'
                ? x
                : x === null && f.rt.noneAsEmpty
                  ? ''
                  : f.rt.unrollIterators && Array.isArray(x) && (isGenerator(x) || viewKind(x) !== undefined)
                    ? toOutput(f, [...x])
                    : toOutput(f, x);
          } catch (err) {
            throw locate(err, c, tmpl);
          }
          if (!out.off) out.s += v;
        };
      });
      if (parts.length === 1) return parts[0] as Stmt;
      return (f, out) => {
        for (const p of parts) p(f, out);
      };
    }
    case 'If': {
      const cond = compileExpr(cc, n.cond);
      const body = compileBody(cc, bodyOf(n.body));
      const else_ = n.else_ ? (n.else_.typename === 'If' ? compileStmt(cc, n.else_) : compileBody(cc, bodyOf(n.else_))) : null;
      return (f, out) => {
        let ok: boolean;
        try {
          ok = truthy(f, cond(f));
        } catch (err) {
          throw locate(err, n, tmpl);
        }
        if (ok) body(f, out);
        else if (else_) else_(f, out);
      };
    }
    case 'For':
      return compileFor(cc, n);
    case 'Set':
      return compileSet(cc, n);
    case 'Macro': {
      const m = compileMacro(cc, n);
      const name = n.name.value as string;
      return (f) => {
        f.vars[name] = m(f);
      };
    }
    case 'CallBlock': {
      const callerFactory = compileMacro(cc, n, 'caller');
      const call = n.call;
      const fnE = compileCallee(cc, call.name);
      const argsE = compileArgs(cc, call.args);
      return (f, out) => {
        const v = located(n, tmpl, () => {
          const fn = fnE(f);
          const [args, kwargs] = argsE(f);
          return callValue(f, fn, args, kwargs, callerFactory(f));
        });
        if (!out.off) out.s += toOutput(f, v);
      };
    }
    case 'Block': {
      const name = n.name.value as string;
      const body = compileBody(cc, bodyOf(n.body));
      if (cc.blocks.has(name)) throw new RenderError(`block '${name}' defined twice`, tmpl.file, n.lineno + 1, 'syntax');
      cc.blocks.set(name, body);
      const scoped = n.scoped;
      return (f, out) => {
        if (out.off) return;
        renderBlock(f, out, name, 0, scoped ? f : null, n, tmpl);
      };
    }
    case 'Extends': {
      const te = compileExpr(cc, n.template);
      return (f, out) => {
        located(n, tmpl, () => {
          const st = (f as Frame & { ext?: ExtendState }).rt as RenderState & { ext?: ExtendState };
          const ext = st.ext;
          if (!ext) throw new PyError('TemplateRuntimeError', 'extends is only allowed in a rendered template');
          if (ext.parent) throw new PyError('TemplateRuntimeError', 'extended multiple times');
          const name = chk(f, te(f));
          ext.parent = f.rt.loader.load(pyStr(name), tmpl.name);
          out.off = true;
        });
      };
    }
    case 'Include':
      return compileInclude(cc, n);
    case 'Import': {
      const te = compileExpr(cc, n.template);
      const target = n.target.value as string;
      const withContext = !!n.withContext;
      return (f) => {
        f.vars[target] = located(n, tmpl, () => importModule(f, pyStr(chk(f, te(f))), withContext, tmpl));
      };
    }
    case 'FromImport': {
      const te = compileExpr(cc, n.template);
      const withContext = !!n.withContext;
      const names = n.names.children.map((c) =>
        c.typename === 'Pair' ? [c.key.value as string, c.value as unknown as JNode] : [c.value as string, null],
      ) as [string, JNode | null][];
      return (f) => {
        located(n, tmpl, () => {
          const tname = pyStr(chk(f, te(f)));
          const mod = importModule(f, tname, withContext, tmpl);
          for (const [name, alias] of names) {
            const as = alias ? (alias.value as string) : name;
            f.vars[as] = Object.prototype.hasOwnProperty.call(mod.exports, name)
              ? mod.exports[name]
              : new PyUndefined(name, `the template '${tname}' (imported on line ${n.lineno + 1} in '${tmpl.name}') does not export the requested name '${name}'`);
          }
        });
      };
    }
    case 'With': {
      const values = n.values.map((v) => compileExpr(cc, v));
      const targets = n.targets;
      const body = compileBody(cc, bodyOf(n.body));
      return (f, out) => {
        const vars: Vars = Object.create(null) as Vars;
        const inner = new Frame(vars, f, f.rt);
        located(n, tmpl, () => targets.forEach((t, i) => assign(inner, t, (values[i] as Expr)(f))));
        body(inner, out);
      };
    }
    default:
      throw new RenderError(`unsupported statement '${n.typename}'`, tmpl.file, n.lineno + 1, 'syntax');
  }
}

interface ExtendState {
  parent: Compiled | null;
}

function renderBlock(f: Frame, out: Out, name: string, level: number, scope: Frame | null, node: JNode, tmpl: Compiled): void {
  const chain = f.rt.blocks.get(name);
  const impl = chain?.[level];
  if (!impl) throw locate(new PyError('TemplateRuntimeError', `no block named '${name}'`), node, tmpl);
  // blocks see the template's top level (the root frame's child), not the enclosing loop, unless scoped
  let base: Frame = scope ?? f;
  if (!scope) while (base.parent && base.parent.parent) base = base.parent;
  const vars: Vars = Object.create(null) as Vars;
  vars.super = () => {
    const o: Out = { s: '', off: false };
    if (!chain?.[level + 1]) throw new PyError('TemplateRuntimeError', `no parent block called '${name}'`);
    renderBlock(f, o, name, level + 1, scope, node, tmpl);
    return o.s;
  };
  vars.self = new BlockRefs(f, node, tmpl);
  impl.fn(new Frame(vars, base, f.rt), out);
}

/** `self.blockname()` */
class BlockRefs {
  constructor(
    readonly f: Frame,
    readonly node: JNode,
    readonly tmpl: Compiled,
  ) {}
}

function compileFor(cc: CompileCtx, n: JNode): Stmt {
  const tmpl = cc.tmpl;
  const iterE = compileExpr(cc, n.arr);
  const target = n.name;
  const testE = n.test ? compileExpr(cc, n.test) : null;
  const body = compileBody(cc, bodyOf(n.body));
  const else_ = n.else_ ? compileBody(cc, bodyOf(n.else_)) : null;
  const recursive = n.recursive;
  const usesLoop = usesName(n.body, 'loop') || (n.test ? usesName(n.test, 'loop') : false);
  const single = target.typename === 'Symbol' ? (target.value as string) : null;

  const run = (f: Frame, out: Out, seq: unknown, depth0: number): void => {
    let items = located(n, tmpl, () => iterate(f, seq));
    if (testE) {
      items = items.filter((item) => {
        const vars: Vars = Object.create(null) as Vars;
        const tf = new Frame(vars, f, f.rt);
        located(n, tmpl, () => assign(tf, target, item));
        return located(n.test as JNode, tmpl, () => truthy(tf, testE(tf)));
      });
    }
    if (!items.length) {
      if (else_) else_(f, out);
      return;
    }
    const loop = usesLoop || recursive
      ? new LoopContext(items, depth0, recursive ? (sub, d) => {
          const o: Out = { s: '', off: false };
          run(f, o, sub, d);
          return o.s;
        } : null)
      : null;
    for (let i = 0; i < items.length; i++) {
      const vars: Vars = Object.create(null) as Vars;
      const inner = new Frame(vars, f, f.rt);
      if (single !== null) vars[single] = items[i];
      else located(n, tmpl, () => assign(inner, target, items[i]));
      if (loop) {
        loop.index0 = i;
        vars.loop = loop;
      }
      body(inner, out);
    }
  };
  return (f, out) => run(f, out, located(n, tmpl, () => iterE(f)), 0);
}

function assign(f: Frame, target: JNode, value: unknown): void {
  if (target.typename === 'Symbol') {
    f.vars[target.value as string] = value;
    return;
  }
  if (target.typename === 'Tuple' || target.typename === 'Array') {
    const vals = iterate(f, value);
    const names = target.children;
    if (vals.length !== names.length) {
      throw new PyError(
        'ValueError',
        vals.length < names.length
          ? `not enough values to unpack (expected ${names.length}, got ${vals.length})`
          : `too many values to unpack (expected ${names.length})`,
      );
    }
    names.forEach((t, i) => assign(f, t, vals[i]));
    return;
  }
  if (target.typename === 'LookupVal') {
    const ns = lookup(f, target.target.value as string);
    if (!(ns instanceof PyNamespace)) throw new PyError('TemplateRuntimeError', 'cannot assign attribute on non-namespace object');
    (ns as unknown as Vars)[target.val.value as string] = value;
    return;
  }
  throw new PyError('TemplateSyntaxError', `can't assign to ${target.typename}`);
}

function compileSet(cc: CompileCtx, n: JNode): Stmt {
  const tmpl = cc.tmpl;
  const targets = n.targets;
  const unpack = (n as JNode & { unpack?: boolean }).unpack === true;
  const valueE = n.value ? compileExpr(cc, n.value as JNode) : compileExpr(cc, n.body);
  return (f) => {
    located(n, tmpl, () => {
      const v = valueE(f);
      if (unpack) assign(f, new TupleTarget(targets) as unknown as JNode, v);
      else for (const t of targets) assign(f, t, v);
    });
  };
}

class TupleTarget {
  readonly typename = 'Tuple';
  constructor(readonly children: JNode[]) {}
}

function compileMacro(cc: CompileCtx, n: JNode, name?: string): (f: Frame) => Macro {
  const params: string[] = [];
  const defaults = new Map<string, Expr>();
  for (const a of n.args.children) {
    if (a.typename === 'KeywordArgs') {
      for (const p of a.children) {
        const pname = p.key.value as string;
        params.push(pname);
        defaults.set(pname, compileExpr(cc, p.value as unknown as JNode));
      }
    } else params.push(a.value as string);
  }
  const body = compileBody(cc, bodyOf(n.body));
  const mname = name ?? (n.name.value as string);
  const varargs = usesName(n.body, 'varargs');
  const kwargs = usesName(n.body, 'kwargs');
  const caller = usesName(n.body, 'caller');
  const tmpl = cc.tmpl;
  return (f) => new Macro(mname, params, defaults, varargs, kwargs, caller, body, f, tmpl);
}

function compileInclude(cc: CompileCtx, n: JNode): Stmt {
  const tmpl = cc.tmpl;
  const te = compileExpr(cc, n.template);
  const ignoreMissing = n.ignoreMissing;
  const withContext = n.withContext !== false;
  return (f, out) => {
    if (out.off) return;
    const target = located(n, tmpl, () => chk(f, te(f)));
    const names = Array.isArray(target) ? target.map((x) => x) : [target];
    let chosen: Compiled | null = null;
    let lastErr: unknown = null;
    for (const nm of names) {
      if (nm && typeof nm === 'object' && 'root' in (nm as object)) {
        chosen = nm as Compiled;
        break;
      }
      try {
        chosen = f.rt.loader.load(pyStr(nm), tmpl.name);
        break;
      } catch (e) {
        if (e instanceof RenderError && e.kind === 'missing-template') {
          lastErr = e;
          continue;
        }
        throw e;
      }
    }
    if (!chosen) {
      if (ignoreMissing) return;
      if (lastErr instanceof RenderError) {
        throw new RenderError(
          names.length > 1 ? `none of the templates ${pyStr(names)} exist` : lastErr.message,
          tmpl.file,
          n.lineno + 1,
          'missing-template',
        );
      }
      return;
    }
    const ctx = withContext ? flatten(f) : {};
    const sub = renderTemplate(chosen, ctx, f.rt, true);
    out.s += sub;
  };
}

function importModule(f: Frame, name: string, withContext: boolean, from: Compiled): TemplateModule {
  const t = f.rt.loader.load(name, from.name);
  const ctx = withContext ? flatten(f) : {};
  const rt: RenderState = { ...f.rt, blocks: new Map() };
  const base = new Frame(ctx, null, rt);
  const top = new Frame(Object.create(null) as Vars, base, rt);
  const out: Out = { s: '', off: false };
  runTemplate(t, top, out, rt);
  const exports: Vars = {};
  for (const [k, v] of Object.entries(top.vars)) if (!k.startsWith('_')) exports[k] = v;
  return new TemplateModule(name, exports, out.s);
}

function runTemplate(t: Compiled, top: Frame, out: Out, rt: RenderState): void {
  const st = rt as RenderState & { ext?: ExtendState };
  const saved = st.ext;
  const ext: ExtendState = { parent: null };
  st.ext = ext;
  try {
    for (const [name, fn] of t.blocks) {
      const chain = rt.blocks.get(name);
      if (chain) chain.push({ fn, tmpl: t });
      else rt.blocks.set(name, [{ fn, tmpl: t }]);
    }
    t.root(top, out);
    if (ext.parent) {
      out.off = false;
      runTemplate(ext.parent, top, out, rt);
    }
  } finally {
    st.ext = saved;
  }
}

/** Renders a compiled template with `ctx` as its context. `nested` (include) shares the loader/options. */
export function renderTemplate(t: Compiled, ctx: Vars, parentRt: RenderState, nested = false): string {
  const rt: RenderState = nested ? { ...parentRt, blocks: new Map() } : parentRt;
  const base = new Frame(ctx, null, rt);
  const top = new Frame(Object.create(null) as Vars, base, rt);
  const out: Out = { s: '', off: false };
  runTemplate(t, top, out, rt);
  return out.s;
}

// ---------------------------------------------------------------- expressions

function compileArgs(cc: CompileCtx, argsNode: JNode | null): (f: Frame) => [unknown[], Vars | null] {
  const pos: Expr[] = [];
  const kw: [string, Expr][] = [];
  let star: Expr | null = null;
  let starstar: Expr | null = null;
  for (const a of argsNode ? argsNode.children : []) {
    if (a.typename === 'KeywordArgs') {
      for (const p of a.children) kw.push([p.key.value as string, compileExpr(cc, p.value as unknown as JNode)]);
    } else if (a.typename === 'DynArgs') star = compileExpr(cc, a.expr);
    else if (a.typename === 'DynKwargs') starstar = compileExpr(cc, a.expr);
    else pos.push(compileExpr(cc, a));
  }
  if (star || starstar) {
    return (f) => {
      const args = pos.map((e) => e(f));
      if (star) args.push(...iterate(f, chk(f, star(f))));
      const kwargs: Vars = {};
      for (const [k, e] of kw) kwargs[k] = e(f);
      if (starstar) {
        const d = chk(f, starstar(f));
        if (!isDict(d)) throw new PyError('TypeError', `argument after ** must be a mapping, not ${pyTypeName(d)}`);
        for (const [k, v] of dictEntries(d)) {
          const key = pyStr(k);
          if (key in kwargs) throw new PyError('TypeError', `got multiple values for keyword argument '${key}'`);
          kwargs[key] = v;
        }
      }
      return [args, Object.keys(kwargs).length ? kwargs : null];
    };
  }
  return (f) => {
    const args = pos.map((e) => e(f));
    if (!kw.length) return [args, null];
    const kwargs: Vars = {};
    for (const [k, e] of kw) kwargs[k] = e(f);
    return [args, kwargs];
  };
}

function compileCallee(cc: CompileCtx, node: JNode): Expr {
  return compileExpr(cc, node);
}

function withKw(args: unknown[], kwargs: Vars | null): unknown[] {
  return kwargs ? [...args, new PyKwargs(kwargs)] : args;
}

const BINOPS: Record<string, (a: unknown, b: unknown) => unknown> = {
  Add: pyAdd,
  Sub: pySub,
  Mul: pyMul,
  Div: pyDiv,
  FloorDiv: pyFloorDiv,
  Mod: pyMod,
  Pow: pyPow,
};

export function compileExpr(cc: CompileCtx, n: JNode): Expr {
  const tmpl = cc.tmpl;
  switch (n.typename) {
    case 'Literal': {
      const v = n.value;
      return () => v;
    }
    case 'Symbol': {
      const name = n.value as string;
      return (f) => lookup(f, name);
    }
    case 'Array': {
      const items = n.children.map((c) => compileExpr(cc, c));
      return (f) => items.map((e) => e(f));
    }
    case 'Tuple': {
      const items = n.children.map((c) => compileExpr(cc, c));
      return (f) => makeTuple(items.map((e) => e(f)));
    }
    case 'Group': {
      return compileExpr(cc, n.children[0] as JNode);
    }
    case 'Dict': {
      const pairs = n.children.map((p) => [compileExpr(cc, p.key), compileExpr(cc, p.value as unknown as JNode)] as const);
      return (f) => newDict(pairs.map(([k, v]) => [chk(f, k(f)), v(f)] as [unknown, unknown]));
    }
    case 'Capture': {
      const body = compileBody(cc, bodyOf(n.body));
      return (f) => {
        const out: Out = { s: '', off: false };
        body(f, out);
        return out.s;
      };
    }
    case 'LookupVal': {
      const target = compileExpr(cc, n.target);
      if (n.val.typename === 'Slice') {
        const s = n.val;
        const st = s.start ? compileExpr(cc, s.start) : null;
        const sp = s.stop ? compileExpr(cc, s.stop) : null;
        const ss = s.step ? compileExpr(cc, s.step) : null;
        return (f) => sliceOf(chk(f, target(f)), st ? chk(f, st(f)) : null, sp ? chk(f, sp(f)) : null, ss ? chk(f, ss(f)) : null);
      }
      const path = exprPath(n);
      if (n.attr) {
        const name = n.val.value as string;
        return (f) => {
          const obj = target(f);
          if (obj instanceof PyUndefined) return f.rt.chainUndefined ? obj : chk(f, obj); // allowUndefined: chainable
          const r = getattr(obj, name);
          return r instanceof PyUndefined && path ? new PyUndefined(path, r.hint) : r;
        };
      }
      const key = compileExpr(cc, n.val);
      return (f) => {
        const obj = target(f);
        if (obj instanceof PyUndefined) return f.rt.chainUndefined ? obj : chk(f, obj);
        const r = getitem(obj, chk(f, key(f)));
        return r instanceof PyUndefined && path ? new PyUndefined(path, r.hint) : r;
      };
    }
    case 'FunCall': {
      const args = compileArgs(cc, n.args);
      // obj.method(...) resolves the method (Jinja's getattr rule) then calls it
      const callee = compileCallee(cc, n.name);
      return (f) => {
        const fn = chk(f, callee(f));
        const [a, kw] = args(f);
        return callValue(f, fn, a, kw);
      };
    }
    case 'Filter':
      return compileFilter(cc, n);
    case 'Is':
      return compileTest(cc, n);
    case 'InlineIf': {
      const cond = compileExpr(cc, n.cond);
      const body = compileExpr(cc, n.body);
      const else_ = n.else_ ? compileExpr(cc, n.else_) : null;
      return (f) =>
        truthy(f, cond(f)) ? body(f) : else_ ? else_(f) : new PyUndefined('', 'the inline if-expression on line ' + (n.lineno + 1) + ' evaluated to false and no else section was defined.', true);
    }
    case 'Or': {
      const l = compileExpr(cc, n.left);
      const r = compileExpr(cc, n.right);
      return (f) => {
        const a = l(f);
        return truthy(f, a) ? a : r(f);
      };
    }
    case 'And': {
      const l = compileExpr(cc, n.left);
      const r = compileExpr(cc, n.right);
      return (f) => {
        const a = l(f);
        return truthy(f, a) ? r(f) : a;
      };
    }
    case 'Not': {
      const t = compileExpr(cc, n.target);
      return (f) => !truthy(f, t(f));
    }
    case 'Neg': {
      const t = compileExpr(cc, n.target);
      return (f) => pyNeg(chk(f, t(f)));
    }
    case 'Pos': {
      const t = compileExpr(cc, n.target);
      return (f) => pyPos(chk(f, t(f)));
    }
    case 'Concat': {
      const l = compileExpr(cc, n.left);
      const r = compileExpr(cc, n.right);
      return (f) => toOutput(f, l(f)) + toOutput(f, r(f));
    }
    case 'In': {
      const l = compileExpr(cc, n.left);
      const r = compileExpr(cc, n.right);
      return (f) => pyContains(chk(f, r(f)), chk(f, l(f)));
    }
    case 'Compare': {
      const first = compileExpr(cc, n.expr);
      const ops = n.ops.map((o) => [o.type, compileExpr(cc, o.expr)] as const);
      return (f) => {
        let left = chk(f, first(f));
        for (const [op, e] of ops) {
          const right = chk(f, e(f));
          const ok = op === 'in' ? pyContains(right, left) : op === 'notin' ? !pyContains(right, left) : pyCompareOp(op, left, right);
          if (!ok) return false;
          left = right;
        }
        return true;
      };
    }
    default: {
      const op = BINOPS[n.typename];
      if (op) {
        const l = compileExpr(cc, n.left);
        const r = compileExpr(cc, n.right);
        return (f) => op(chk(f, l(f)), chk(f, r(f)));
      }
      throw new RenderError(`unsupported expression '${n.typename}'`, tmpl.file, n.lineno + 1, 'syntax');
    }
  }
}

/** Filter names the engine resolves itself (they need the frame or are special forms). */
export class UnknownNameError extends RenderError {}

function compileFilter(cc: CompileCtx, n: JNode): Expr {
  const name = n.name.value as string;
  const children = n.args.children;
  const valueE = compileExpr(cc, children[0] as JNode);
  const rest = compileArgs(cc, new ArgsView(children.slice(1)) as unknown as JNode);
  const undefinedOk = UNDEFINED_OK_FILTERS.has(name);
  return (f) => {
    const fn = f.rt.filters[name];
    if (!fn) throw new PyError('TemplateAssertionError', `No filter named '${name}'.`);
    let v = valueE(f);
    if (!undefinedOk) v = chk(f, v);
    // Ansible's and NetStacks' filters take plain lists (Python plugins iterate generators transparently)
    if (Array.isArray(v) && isGenerator(v) && !JINJA_BUILTIN_FILTERS.has(fn)) v = [...pyIter(v)];
    const [a, kw] = rest(f);
    const r = fn(v, ...withKw(a, kw));
    return f.rt.unrollIterators && Array.isArray(r) && isGenerator(r) ? [...r] : r;
  };
}

class ArgsView {
  constructor(readonly children: JNode[]) {}
}

function compileTest(cc: CompileCtx, n: JNode): Expr {
  const valueE = compileExpr(cc, n.left);
  let name: string;
  let argsE: (f: Frame) => [unknown[], Vars | null];
  if (n.right.typename === 'FunCall') {
    name = n.right.name.value as string;
    argsE = compileArgs(cc, n.right.args);
  } else {
    name = n.right.value as string;
    argsE = () => [[], null];
  }
  const undefinedOk = UNDEFINED_OK_TESTS.has(name);
  return (f) => {
    const fn = f.rt.tests[name];
    if (!fn) throw new PyError('TemplateAssertionError', `No test named '${name}'.`);
    let v = valueE(f);
    if (!undefinedOk) v = chk(f, v);
    const [a, kw] = argsE(f);
    return pyTruthy(fn(v, ...withKw(a, kw)));
  };
}

/** Every filter and test name a template uses (for compile-time "unknown filter" errors). */
export function collectNames(ast: JNode): { filters: JNode[]; tests: JNode[] } {
  const filters: JNode[] = [];
  const tests: JNode[] = [];
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      x.forEach(walk);
      return;
    }
    const node = x as JNode;
    if (!node.typename || !node.fields) return;
    if (node.typename === 'Filter') filters.push(node);
    if (node.typename === 'Is') tests.push(node);
    for (const fld of node.fields) walk((node as unknown as Vars)[fld]);
  };
  walk(ast);
  return { filters, tests };
}

export { isUndefined, pyLen };
