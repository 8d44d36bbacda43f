import { readFileSync } from 'node:fs';
import { normalizeName } from './discovery.js';

/**
 * Variable discovery: which context variables a template reads, found by walking the parsed
 * template (nunjucks AST as our engine's parser produces it), never by pattern matching.
 *
 * - A read is a path: `intf.name`, `bgp.neighbors[].ip` (a loop variable stands for the elements
 *   of the list it iterates, so reads through it extend that list's path).
 * - Loop variables, `set` names, macro arguments and imported names are the template's own.
 * - include/import/from-import/extends are followed (literal names only), with Jinja2's scoping:
 *   an include sees the includer's variables, an import does not, a child's blocks replace the
 *   parent's.
 * - A variable is optional when every read of it is guarded: under `is defined` (or the else of
 *   `is undefined`), the subject of `default`/`d`, a `.get()` key, or a name `set` in only some
 *   branches before the read. Everything else is required.
 */

/** A parsed template node (nunjucks' Node: `typename` and the names of its child fields). */
export interface AstNode {
  typename: string;
  lineno?: number;
  colno?: number;
  fields?: readonly string[];
  children?: AstNode[];
  value?: unknown;
  [field: string]: unknown;
}

export type ParseTemplate = (source: string, name: string) => unknown;

/** How a template name used by include/import/extends becomes a file. */
export interface TemplateResolver {
  resolveFile(name: string): string | undefined;
}

export interface VariablePath {
  path: string;
  required: boolean;
}

export interface TemplateVariable {
  name: string;
  required: boolean;
  /** the deepest paths read (prefixes of a longer read path are left out) */
  paths: VariablePath[];
  /** first place it is read: template file (as named) and line */
  firstRead: { template: string; line: number };
}

export interface VariableReport {
  template: string;
  required: TemplateVariable[];
  optional: TemplateVariable[];
  /** every template file walked (the entry first), as named */
  templates: string[];
  /** include/import/extends targets that do not exist (without `ignore missing`) */
  missing: { template: string; name: string; line: number }[];
  /** include/import/extends with a computed name, which discovery cannot follow */
  dynamic: { template: string; line: number }[];
}

/** Names that are never context variables: Jinja2's globals, Ansible's, and NetStacks' secret(). */
export const BUILTIN_GLOBALS: ReadonlySet<string> = new Set([
  'range', 'lipsum', 'dict', 'cycler', 'joiner', 'namespace', 'self', 'super', 'secret',
  'lookup', 'query', 'q', 'omit', 'undef', 'now', 'true', 'false', 'none', 'True', 'False', 'None',
]);

/** Filters whose result holds the same elements as their subject (a loop over it walks those elements). */
const ELEMENT_PRESERVING = new Set(['sort', 'selectattr', 'rejectattr', 'select', 'reject', 'unique', 'reverse', 'list', 'default', 'd', 'batch', 'slice']);
/** Filters that return one element of their subject. */
const ELEMENT_PICKING = new Set(['first', 'last', 'min', 'max', 'random']);
const DEFAULT_FILTERS = new Set(['default', 'd', 'ansible.builtin.default']);

interface PathRef {
  root: string;
  suffix: string;
  /** the root is a name `set` in only some branches: reading it may reach the context */
  maybe?: boolean;
  /** reached through an optional read (a loop over `x | default([])`): reads through it are optional */
  optional?: boolean;
}

interface Binding {
  alias?: PathRef;
  maybe?: boolean;
}

class Scope {
  readonly vars = new Map<string, Binding>();
  constructor(readonly parent?: Scope) {}

  lookup(name: string): Binding | undefined {
    return this.vars.get(name) ?? this.parent?.lookup(name);
  }

  bind(name: string, binding: Binding = {}): void {
    this.vars.set(name, binding);
  }
}

interface Env {
  scope: Scope;
  /** paths known to be defined here (from `is defined` conditions) */
  guards: readonly string[];
  /** under a `default` filter */
  optional: boolean;
  template: string;
  /** most-derived first, for blocks of an `extends` chain */
  blocks: Map<string, BlockBody[]>;
  /** inside a block: its chain and position, for super() */
  superChain?: { chain: BlockBody[]; index: number };
}

interface BlockBody {
  body: AstNode;
  template: string;
}

interface Read {
  path: string;
  root: string;
  required: boolean;
  template: string;
  line: number;
}

const pathText = (ref: PathRef): string => ref.root + ref.suffix;

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { typename?: unknown }).typename === 'string';
}

function childrenOf(node: AstNode): AstNode[] {
  return Array.isArray(node.children) ? node.children.filter(isNode) : [];
}

function fieldNode(node: AstNode, field: string): AstNode | undefined {
  const value = node[field];
  return isNode(value) ? value : undefined;
}

function literalString(node: AstNode | undefined): string | undefined {
  return node && node.typename === 'Literal' && typeof node.value === 'string' ? node.value : undefined;
}

/** The name of a Symbol node, or undefined. */
function symbolName(node: AstNode | undefined): string | undefined {
  return node && node.typename === 'Symbol' && typeof node.value === 'string' ? node.value : undefined;
}

/** A filter or test name, also in its collection form (`ansible.utils.ipaddr` → its last part). */
function calleeName(node: AstNode | undefined): string | undefined {
  const name = symbolName(node);
  if (name !== undefined) return name;
  if (node?.typename === 'LookupVal') {
    const val = literalString(fieldNode(node, 'val'));
    return val;
  }
  return undefined;
}

export interface DiscoverOptions {
  parse: ParseTemplate;
  resolver: TemplateResolver;
  /** extra global names (engine globals) that are not context variables */
  globals?: Iterable<string>;
  /** read a template file (default: readFileSync utf8) */
  readFile?: (path: string) => string;
}

/** Discovers the variables of the template in file `entryFile`, named `name` (as include names it). */
export function discoverVariables(name: string, entryFile: string, options: DiscoverOptions): VariableReport {
  return new VariableWalker(options).run(name, entryFile);
}

class VariableWalker {
  private readonly reads: Read[] = [];
  private readonly templates: string[] = [];
  private readonly missing: VariableReport['missing'] = [];
  private readonly dynamic: VariableReport['dynamic'] = [];
  private readonly globals: Set<string>;
  private readonly asts = new Map<string, AstNode>();
  /** include/import stack, against a template including itself */
  private readonly stack: string[] = [];
  private readonly pendingMacros: (() => void)[] = [];

  constructor(private readonly options: DiscoverOptions) {
    this.globals = new Set([...BUILTIN_GLOBALS, ...(options.globals ?? [])]);
  }

  run(name: string, entryFile: string): VariableReport {
    const root = this.load(name, entryFile);
    const scope = new Scope();
    this.walkTemplate(root, { scope, guards: [], optional: false, template: name, blocks: new Map() }, name);
    return this.report(name);
  }

  private load(name: string, file: string): AstNode {
    const cached = this.asts.get(file);
    if (cached) return cached;
    const source = (this.options.readFile ?? ((p: string) => readFileSync(p, 'utf8')))(file);
    const parsed = this.options.parse(source, name);
    if (!isNode(parsed)) throw new Error(`parser returned no AST for ${name}`);
    this.asts.set(file, parsed);
    if (!this.templates.includes(name)) this.templates.push(name);
    return parsed;
  }

  /** Loads a template referenced by include/import/extends, or records why it cannot. */
  private referenced(node: AstNode, env: Env, ignoreMissing = false): { name: string; root: AstNode }[] {
    const target = fieldNode(node, 'template');
    const names: string[] = [];
    const literal = literalString(target);
    if (literal !== undefined) names.push(literal);
    else if (target && target.typename === 'Array' && childrenOf(target).every((c) => literalString(c) !== undefined)) {
      names.push(...childrenOf(target).map((c) => literalString(c) as string));
    } else {
      if (target) this.expr(target, env);
      this.dynamic.push({ template: env.template, line: (node.lineno ?? 0) + 1 });
      return [];
    }
    const found: { name: string; root: AstNode }[] = [];
    for (const name of names) {
      const file = this.options.resolver.resolveFile(name);
      if (!file) {
        if (!ignoreMissing) this.missing.push({ template: env.template, name, line: (node.lineno ?? 0) + 1 });
        continue;
      }
      // an include list loads the first that exists
      found.push({ name: normalizeName(name) ?? name, root: this.load(normalizeName(name) ?? name, file) });
      if (names.length > 1) break;
    }
    return found;
  }

  private walkTemplate(root: AstNode, env: Env, name: string): void {
    if (this.stack.includes(name)) return;
    this.stack.push(name);
    const templateEnv: Env = { ...env, template: name };
    const body = childrenOf(root);
    const extendsNode = body.find((n) => n.typename === 'Extends');
    const pendingBefore = this.pendingMacros.length;
    if (extendsNode) {
      // a child: its blocks override the parent's; of its top level, only definitions run
      const blocks = new Map(env.blocks);
      for (const block of collectBlocks(root)) {
        const blockName = symbolName(fieldNode(block, 'name')) ?? String(block.name);
        blocks.set(blockName, [...(blocks.get(blockName) ?? []), { body: fieldNode(block, 'body') ?? block, template: name }]);
      }
      for (const node of body) {
        if (['Set', 'Import', 'FromImport', 'Macro'].includes(node.typename)) this.stmt(node, templateEnv);
      }
      for (const parent of this.referenced(extendsNode, templateEnv)) {
        this.walkTemplate(parent.root, { ...templateEnv, blocks }, parent.name);
      }
    } else {
      this.stmts(body, templateEnv);
    }
    this.runPendingMacros(pendingBefore);
    this.stack.pop();
  }

  private runPendingMacros(from: number): void {
    while (this.pendingMacros.length > from) {
      const next = this.pendingMacros.splice(from, 1)[0];
      next?.();
    }
  }

  private stmts(nodes: readonly AstNode[], env: Env): void {
    for (const node of nodes) this.stmt(node, env);
  }

  private stmt(node: AstNode, env: Env): void {
    switch (node.typename) {
      case 'Root':
      case 'NodeList':
      case 'Output':
        this.stmts(childrenOf(node), env);
        return;
      case 'TemplateData':
      case 'Literal':
        return;
      case 'If':
      case 'IfAsync':
        this.ifStmt(node, env);
        return;
      case 'For':
      case 'AsyncEach':
      case 'AsyncAll':
        this.forStmt(node, env);
        return;
      case 'Set':
        this.setStmt(node, env);
        return;
      case 'Macro':
        this.macro(node, env, true);
        return;
      case 'Include':
        for (const included of this.referenced(node, env, node.ignoreMissing === true)) {
          this.walkTemplate(included.root, { ...env, scope: new Scope(env.scope), blocks: new Map() }, included.name);
        }
        return;
      case 'Import': {
        const target = symbolName(fieldNode(node, 'target'));
        for (const imported of this.referenced(node, env)) this.walkImported(imported, env);
        if (target) env.scope.bind(target);
        return;
      }
      case 'FromImport': {
        for (const imported of this.referenced(node, env)) this.walkImported(imported, env);
        const names = fieldNode(node, 'names');
        for (const item of names ? childrenOf(names) : []) {
          const bound = item.typename === 'Pair' ? symbolName(fieldNode(item, 'value')) : symbolName(item);
          if (bound) env.scope.bind(bound);
        }
        return;
      }
      case 'Extends':
        // only reached when extends sits below the top level (e.g. inside an if)
        for (const parent of this.referenced(node, env)) this.walkTemplate(parent.root, env, parent.name);
        return;
      case 'Block':
        this.block(node, env);
        return;
      case 'CallBlock':
        this.callBlock(node, env);
        return;
      case 'With': {
        const scope = new Scope(env.scope);
        const values = node.values;
        for (const value of Array.isArray(values) ? values.filter(isNode) : isNode(values) ? [values] : []) this.expr(value, env);
        const targets = node.targets;
        for (const target of Array.isArray(targets) ? targets.filter(isNode) : isNode(targets) ? childrenOf(targets).concat(targets.typename === 'Symbol' ? [targets] : []) : []) {
          const bound = symbolName(target);
          if (bound) scope.bind(bound);
        }
        const body = fieldNode(node, 'body');
        if (body) this.stmt(body, { ...env, scope });
        return;
      }
      case 'Switch':
        this.generic(node, env);
        return;
      default:
        this.expr(node, env);
    }
  }

  private walkImported(imported: { name: string; root: AstNode }, env: Env): void {
    // an imported template runs in a context of its own: the importer's names are not visible
    this.walkTemplate(imported.root, { scope: new Scope(), guards: [], optional: false, template: imported.name, blocks: new Map() }, imported.name);
    void env;
  }

  private block(node: AstNode, env: Env): void {
    const blockName = symbolName(fieldNode(node, 'name')) ?? String(node.name);
    const own = { body: fieldNode(node, 'body') ?? node, template: env.template };
    const chain = [...(env.blocks.get(blockName) ?? []), own];
    this.walkBlockChain(chain, 0, env);
  }

  private walkBlockChain(chain: BlockBody[], index: number, env: Env): void {
    const entry = chain[index];
    if (!entry) return;
    const blockEnv: Env = { ...env, template: entry.template, superChain: { chain, index } };
    this.stmt(entry.body, blockEnv);
  }

  private ifStmt(node: AstNode, env: Env): void {
    const cond = fieldNode(node, 'cond');
    if (cond) this.expr(cond, env);
    const { whenTrue, whenFalse } = cond ? this.guardsOf(cond, env) : { whenTrue: [], whenFalse: [] };
    const bodyScope = new Scope(env.scope);
    const elseScope = new Scope(env.scope);
    const body = fieldNode(node, 'body');
    const otherwise = fieldNode(node, 'else_');
    if (body) this.stmt(body, { ...env, scope: bodyScope, guards: [...env.guards, ...whenTrue] });
    if (otherwise) this.stmt(otherwise, { ...env, scope: elseScope, guards: [...env.guards, ...whenFalse] });
    mergeBranches(env.scope, bodyScope, elseScope);
  }

  private forStmt(node: AstNode, env: Env): void {
    const arr = fieldNode(node, 'arr');
    const loopScope = new Scope(env.scope);
    const target = fieldNode(node, 'name');
    let elements: PathRef | undefined;
    let itemsOf: PathRef | undefined;
    if (arr) {
      const method = arr.typename === 'FunCall' ? fieldNode(arr, 'name') : undefined;
      if (method?.typename === 'LookupVal' && literalString(fieldNode(method, 'val')) === 'items') {
        itemsOf = this.pathOf(fieldNode(method, 'target'), env);
      }
      const ref = this.expr(arr, env);
      if (ref) elements = { ...ref, suffix: `${ref.suffix}[]` };
    }
    loopScope.bind('loop');
    const names = target ? (['Array', 'Tuple', 'Group'].includes(target.typename) ? childrenOf(target) : [target]) : [];
    names.forEach((n, i) => {
      const bound = symbolName(n);
      if (!bound) return;
      if (names.length === 1 && elements) loopScope.bind(bound, { alias: elements });
      else if (names.length === 2 && i === 1 && itemsOf) loopScope.bind(bound, { alias: { ...itemsOf, suffix: `${itemsOf.suffix}.*` } });
      else loopScope.bind(bound);
    });
    const loopEnv: Env = { ...env, scope: loopScope };
    // extra fields our parser adds (an inline `if` filter, `recursive`) run inside the loop
    for (const field of node.fields ?? []) {
      if (['arr', 'name', 'body', 'else_'].includes(field)) continue;
      const extra = fieldNode(node, field);
      if (extra) this.expr(extra, loopEnv);
    }
    const body = fieldNode(node, 'body');
    if (body) this.stmt(body, loopEnv);
    const otherwise = fieldNode(node, 'else_');
    if (otherwise) this.stmt(otherwise, { ...env, scope: new Scope(env.scope) });
  }

  private setStmt(node: AstNode, env: Env): void {
    const value = fieldNode(node, 'value');
    const body = fieldNode(node, 'body');
    let alias: PathRef | undefined;
    if (value) alias = this.expr(value, env);
    if (body) this.stmt(body, { ...env, scope: new Scope(env.scope) });
    const targets = Array.isArray(node.targets) ? (node.targets as unknown[]).filter(isNode) : [];
    for (const target of targets) {
      const name = symbolName(target);
      if (name) env.scope.bind(name, targets.length === 1 && alias && !alias.maybe ? { alias } : {});
      else this.expr(target, env); // ns.attr = …: reads ns
    }
  }

  private macro(node: AstNode, env: Env, deferred: boolean): void {
    const name = symbolName(fieldNode(node, 'name'));
    if (name && node.typename !== 'Caller') env.scope.bind(name);
    const walkBody = () => {
      const scope = this.argumentScope(node, env);
      const body = fieldNode(node, 'body');
      if (body) this.stmt(body, { ...env, scope, guards: env.guards, optional: false });
    };
    // a macro's body sees the template's names as they are when it is called: walk it at the end
    if (deferred) this.pendingMacros.push(walkBody);
    else walkBody();
  }

  /** A macro's (or call block's) scope: its arguments and caller/varargs/kwargs bound; default values are read. */
  private argumentScope(node: AstNode, env: Env): Scope {
    const scope = new Scope(env.scope);
    for (const local of ['caller', 'varargs', 'kwargs']) scope.bind(local);
    const args = fieldNode(node, 'args');
    for (const arg of args ? childrenOf(args) : []) {
      if (arg.typename === 'KeywordArgs') {
        for (const pair of childrenOf(arg)) {
          const defaultValue = fieldNode(pair, 'value');
          if (defaultValue) this.expr(defaultValue, env);
          const argName = symbolName(fieldNode(pair, 'key'));
          if (argName) scope.bind(argName);
        }
      } else {
        const argName = symbolName(arg);
        if (argName) scope.bind(argName);
      }
    }
    return scope;
  }

  /** `{% call(args) m(x) %}body{% endcall %}`: the call reads as an expression, the body as a caller macro. */
  private callBlock(node: AstNode, env: Env): void {
    const call = fieldNode(node, 'call');
    if (call) this.expr(call, env);
    const scope = this.argumentScope(node, env);
    const body = fieldNode(node, 'body');
    if (body) this.stmt(body, { ...env, scope });
  }

  private generic(node: AstNode, env: Env): void {
    for (const field of node.fields ?? []) {
      const value = node[field];
      if (isNode(value)) this.stmt(value, env);
      else if (Array.isArray(value)) for (const item of value) if (isNode(item)) this.stmt(item, env);
    }
    if (!(node.fields ?? []).includes('children')) for (const child of childrenOf(node)) this.stmt(child, env);
  }

  /**
   * The context path an expression stands for (symbol, attribute and index lookups), without
   * recording reads; undefined for anything else or for the template's own names.
   */
  private pathOf(node: AstNode | undefined, env: Env): PathRef | undefined {
    if (!node) return undefined;
    if (node.typename === 'Symbol') {
      const name = symbolName(node) as string;
      const binding = env.scope.lookup(name);
      if (binding) {
        if (binding.alias) return binding.alias;
        return binding.maybe ? { root: name, suffix: '', maybe: true } : undefined;
      }
      if (this.globals.has(name)) return undefined;
      return { root: name, suffix: '' };
    }
    if (node.typename === 'LookupVal') {
      const base = this.pathOf(fieldNode(node, 'target'), env);
      if (!base) return undefined;
      const val = fieldNode(node, 'val');
      const key = literalString(val);
      if (key !== undefined) return { ...base, suffix: /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${base.suffix}.${key}` : `${base.suffix}[]` };
      if (val && /slice/i.test(val.typename)) return base;
      return { ...base, suffix: `${base.suffix}[]` };
    }
    if (node.typename === 'Group' && childrenOf(node).length === 1) return this.pathOf(childrenOf(node)[0], env);
    return undefined;
  }

  private record(ref: PathRef, env: Env, line: number | undefined, optional = false): void {
    const path = pathText(ref);
    // a guard on any path of the same variable means the variable itself exists there
    const guarded = env.guards.some((g) => sameRoot(g, ref.root));
    this.reads.push({
      path,
      root: ref.root,
      required: !(optional || env.optional || guarded || ref.maybe === true || ref.optional === true),
      template: env.template,
      line: (line ?? 0) + 1,
    });
  }

  /** Walks an expression, recording the context reads in it; returns the path it stands for. */
  private expr(node: AstNode, env: Env): PathRef | undefined {
    switch (node.typename) {
      case 'Symbol':
      case 'LookupVal': {
        if (node.typename === 'LookupVal') {
          // index expressions are reads of their own: intf[key]
          this.indexReads(node, env);
        }
        const ref = this.pathOf(node, env);
        if (ref) this.record(ref, env, node.lineno);
        return ref;
      }
      case 'Literal':
      case 'TemplateData':
        return undefined;
      case 'Filter':
      case 'FilterAsync':
        return this.filter(node, env);
      case 'FunCall':
        return this.call(node, env);
      case 'Is':
        this.isTest(node, env);
        return undefined;
      case 'And':
      case 'Or': {
        const left = fieldNode(node, 'left');
        const right = fieldNode(node, 'right');
        if (left) this.expr(left, env);
        if (right) {
          const guards = left ? this.guardsOf(left, env) : { whenTrue: [], whenFalse: [] };
          this.expr(right, { ...env, guards: [...env.guards, ...(node.typename === 'And' ? guards.whenTrue : guards.whenFalse)] });
        }
        return undefined;
      }
      case 'InlineIf': {
        const cond = fieldNode(node, 'cond');
        const guards = cond ? this.guardsOf(cond, env) : { whenTrue: [], whenFalse: [] };
        if (cond) this.expr(cond, env);
        const body = fieldNode(node, 'body');
        const otherwise = fieldNode(node, 'else_');
        const a = body ? this.expr(body, { ...env, guards: [...env.guards, ...guards.whenTrue] }) : undefined;
        if (otherwise) this.expr(otherwise, { ...env, guards: [...env.guards, ...guards.whenFalse] });
        return a;
      }
      case 'Group': {
        const items = childrenOf(node);
        let last: PathRef | undefined;
        for (const item of items) last = this.expr(item, env);
        return items.length === 1 ? last : undefined;
      }
      case 'KeywordArgs':
        for (const pair of childrenOf(node)) {
          const value = fieldNode(pair, 'value');
          if (value) {
            if (value.typename === 'Caller') this.macro(value, env, false);
            else this.expr(value, env);
          }
        }
        return undefined;
      case 'Caller':
      case 'Macro':
        this.macro(node, env, false);
        return undefined;
      case 'Super':
        this.superCall(env);
        return undefined;
      default:
        this.generic(node, env);
        return undefined;
    }
  }

  private indexReads(node: AstNode, env: Env): void {
    const val = fieldNode(node, 'val');
    if (val && val.typename !== 'Literal') this.expr(val, env);
    const target = fieldNode(node, 'target');
    if (target?.typename === 'LookupVal') this.indexReads(target, env);
    else if (target && target.typename !== 'Symbol') this.expr(target, env);
  }

  private filter(node: AstNode, env: Env): PathRef | undefined {
    const name = calleeName(fieldNode(node, 'name')) ?? '';
    const args = fieldNode(node, 'args');
    const [subject, ...rest] = args ? childrenOf(args) : [];
    const isDefault = DEFAULT_FILTERS.has(name) || name === 'default' || name === 'd';
    let ref: PathRef | undefined;
    if (subject) ref = this.expr(subject, isDefault ? { ...env, optional: true } : env);
    for (const arg of rest) this.expr(arg, env);
    if (!ref) return undefined;
    if (isDefault) return { ...ref, optional: true };
    if (ELEMENT_PRESERVING.has(name)) return ref;
    if (ELEMENT_PICKING.has(name)) return { ...ref, suffix: `${ref.suffix}[]` };
    return undefined;
  }

  private call(node: AstNode, env: Env): PathRef | undefined {
    const callee = fieldNode(node, 'name');
    const args = fieldNode(node, 'args');
    const argNodes = args ? childrenOf(args) : [];
    const calleeSymbol = symbolName(callee);
    if (calleeSymbol === 'super' && !env.scope.lookup('super')) {
      this.superCall(env);
      return undefined;
    }
    let result: PathRef | undefined;
    if (callee?.typename === 'LookupVal' && literalString(fieldNode(callee, 'val')) !== undefined) {
      // a method call: obj.get('key'), obj.items(), name.split('.')
      const method = literalString(fieldNode(callee, 'val')) as string;
      const target = fieldNode(callee, 'target');
      const base = target ? this.expr(target, env) : undefined;
      if (base && method === 'get') {
        const key = literalString(argNodes[0]);
        if (key !== undefined) {
          const keyRef: PathRef = { ...base, suffix: `${base.suffix}.${key}` };
          this.record(keyRef, env, node.lineno, true);
          result = keyRef;
        }
      }
    } else if (callee && calleeSymbol === undefined) {
      this.expr(callee, env);
    } else if (calleeSymbol !== undefined) {
      // calling a context variable (rare) reads it; macros, globals and loop() are the template's own
      const ref = this.pathOf(callee, env);
      if (ref) this.record(ref, env, node.lineno);
    }
    for (const arg of argNodes) this.expr(arg, env);
    return result;
  }

  private superCall(env: Env): void {
    const chain = env.superChain;
    if (chain) this.walkBlockChain(chain.chain, chain.index + 1, env);
  }

  private isTest(node: AstNode, env: Env): void {
    const left = fieldNode(node, 'left');
    const right = fieldNode(node, 'right');
    const test = right?.typename === 'FunCall' ? calleeName(fieldNode(right, 'name')) : calleeName(right);
    const definedTest = test === 'defined' || test === 'undefined';
    if (left) this.expr(left, definedTest ? { ...env, optional: true } : env);
    if (right?.typename === 'FunCall') {
      const args = fieldNode(right, 'args');
      for (const arg of args ? childrenOf(args) : []) this.expr(arg, env);
    }
  }

  /** Paths known defined when `cond` is true, and when it is false. */
  private guardsOf(cond: AstNode, env: Env): { whenTrue: string[]; whenFalse: string[] } {
    switch (cond.typename) {
      case 'Is': {
        const right = fieldNode(cond, 'right');
        const test = right?.typename === 'FunCall' ? calleeName(fieldNode(right, 'name')) : calleeName(right);
        const ref = this.pathOf(fieldNode(cond, 'left'), env);
        if (!ref) return { whenTrue: [], whenFalse: [] };
        if (test === 'defined') return { whenTrue: [pathText(ref)], whenFalse: [] };
        if (test === 'undefined') return { whenTrue: [], whenFalse: [pathText(ref)] };
        return { whenTrue: [], whenFalse: [] };
      }
      case 'Not': {
        const target = fieldNode(cond, 'target');
        if (!target) return { whenTrue: [], whenFalse: [] };
        const inner = this.guardsOf(target, env);
        return { whenTrue: inner.whenFalse, whenFalse: inner.whenTrue };
      }
      case 'Group': {
        const items = childrenOf(cond);
        return items.length === 1 && items[0] ? this.guardsOf(items[0], env) : { whenTrue: [], whenFalse: [] };
      }
      case 'And':
      case 'Or': {
        const left = fieldNode(cond, 'left');
        const right = fieldNode(cond, 'right');
        const l = left ? this.guardsOf(left, env) : { whenTrue: [], whenFalse: [] };
        const r = right ? this.guardsOf(right, env) : { whenTrue: [], whenFalse: [] };
        if (cond.typename === 'And') return { whenTrue: [...l.whenTrue, ...r.whenTrue], whenFalse: l.whenFalse.filter((g) => r.whenFalse.includes(g)) };
        return { whenTrue: l.whenTrue.filter((g) => r.whenTrue.includes(g)), whenFalse: [...l.whenFalse, ...r.whenFalse] };
      }
      default:
        return { whenTrue: [], whenFalse: [] };
    }
  }

  private report(template: string): VariableReport {
    const byRoot = new Map<string, Read[]>();
    for (const read of this.reads) {
      const list = byRoot.get(read.root) ?? [];
      list.push(read);
      byRoot.set(read.root, list);
    }
    const variables: TemplateVariable[] = [...byRoot.entries()].map(([name, reads]) => {
      const paths = new Map<string, boolean>();
      for (const read of reads) paths.set(read.path, (paths.get(read.path) ?? false) || read.required);
      const all = [...paths.keys()];
      const leaves = all.filter((p) => !all.some((other) => other !== p && (other.startsWith(`${p}.`) || other.startsWith(`${p}[`))));
      const first = reads[0] as Read;
      return {
        name,
        required: reads.some((r) => r.required),
        paths: leaves.sort().map((path) => ({ path, required: paths.get(path) ?? false })),
        firstRead: { template: first.template, line: first.line },
      };
    });
    variables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return {
      template,
      required: variables.filter((v) => v.required),
      optional: variables.filter((v) => !v.required),
      templates: this.templates,
      missing: this.missing,
      dynamic: this.dynamic,
    };
  }
}

function sameRoot(path: string, root: string): boolean {
  return path === root || path.startsWith(`${root}.`) || path.startsWith(`${root}[`);
}

function collectBlocks(node: AstNode): AstNode[] {
  const found: AstNode[] = [];
  const visit = (n: AstNode) => {
    if (n.typename === 'Block') {
      found.push(n);
      return; // nested blocks are found when their parent block is walked in the chain
    }
    for (const field of n.fields ?? []) {
      const value = n[field];
      if (isNode(value)) visit(value);
      else if (Array.isArray(value)) for (const item of value) if (isNode(item)) visit(item);
    }
    if (!(n.fields ?? []).includes('children')) for (const child of childrenOf(n)) visit(child);
  };
  visit(node);
  return found;
}

/** After an if/else: names set in both branches are set; names set in one may be. */
function mergeBranches(outer: Scope, body: Scope, otherwise: Scope): void {
  const names = new Set([...body.vars.keys(), ...otherwise.vars.keys()]);
  for (const name of names) {
    const a = body.vars.get(name);
    const b = otherwise.vars.get(name);
    const before = outer.lookup(name);
    const definite = (a !== undefined && !a.maybe && b !== undefined && !b.maybe) || (before !== undefined && !before.maybe);
    const alias = a?.alias && b?.alias && pathText(a.alias) === pathText(b.alias) ? a.alias : undefined;
    outer.bind(name, definite ? (alias ? { alias } : {}) : { maybe: true });
  }
}
