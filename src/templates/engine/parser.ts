/**
 * Jinja2's grammar (jinja2/parser.py: precedence, tuples, slices, tests with one bare argument, `for … if`,
 * `recursive`, `set` blocks and namespace targets, include/import contexts, call blocks, `with`)
 * building nunjucks AST nodes (./nodes.ts). nunjucks' own parser orders operators differently
 * (`~` below `+`, `%` above `*`) and lacks most of the above, so it is not used for parsing.
 */
import { PyFloat } from '../values.js';
import { tokenize, type LexOptions, type Token, LexError } from './lexer.js';
import { N, type JNode } from './nodes.js';

export class ParseError extends Error {
  constructor(
    message: string,
    /** 0-based */
    readonly lineno: number,
    readonly colno: number,
  ) {
    super(message);
  }
}

const STATEMENTS = new Set(['for', 'if', 'block', 'extends', 'print', 'macro', 'include', 'from', 'import', 'set', 'with', 'autoescape', 'filter', 'call']);
const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);

function describe(t: Token): string {
  if (t.type === 'eof') return 'end of template';
  if (t.type === 'block_end') return "end of statement block";
  if (t.type === 'var_end') return "end of print statement";
  return `'${t.value}'`;
}

export function parseTemplate(source: string, opts: LexOptions): JNode {
  let toks: Token[];
  try {
    toks = tokenize(source, opts);
  } catch (e) {
    if (e instanceof LexError) throw new ParseError(e.message, e.lineno, e.colno);
    throw e;
  }
  return new Parser(toks).parseRoot();
}

class Parser {
  private i = 0;
  private readonly endStack: string[] = [];

  constructor(private readonly toks: Token[]) {}

  private get cur(): Token {
    return this.toks[this.i] as Token;
  }
  private look(n = 1): Token {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)] as Token;
  }
  private next(): Token {
    const t = this.cur;
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  private fail(msg: string, t: Token = this.cur): never {
    throw new ParseError(msg, t.lineno, t.colno);
  }
  private isName(value: string, t: Token = this.cur): boolean {
    return t.type === 'name' && t.value === value;
  }
  private isOp(value: string, t: Token = this.cur): boolean {
    return t.type === 'op' && t.value === value;
  }
  private skipName(value: string): boolean {
    if (this.isName(value)) {
      this.next();
      return true;
    }
    return false;
  }
  private skipOp(value: string): boolean {
    if (this.isOp(value)) {
      this.next();
      return true;
    }
    return false;
  }
  private expectOp(value: string): Token {
    if (!this.isOp(value)) this.fail(`expected token '${value}', got ${describe(this.cur)}`);
    return this.next();
  }
  private expectName(value?: string): Token {
    if (this.cur.type !== 'name' || (value !== undefined && this.cur.value !== value)) {
      this.fail(`expected ${value ? `'${value}'` : 'a name'}, got ${describe(this.cur)}`);
    }
    return this.next();
  }
  private expectType(type: Token['type']): Token {
    if (this.cur.type !== type) {
      const what = type === 'block_end' ? "end of statement block ('%}')" : type === 'var_end' ? "end of print statement ('}}')" : type;
      this.fail(`expected ${what}, got ${describe(this.cur)}`);
    }
    return this.next();
  }

  parseRoot(): JNode {
    const body = this.subparse(null);
    return new N.Root(0, 0, body);
  }

  private subparse(endTokens: string[] | null): JNode[] {
    const body: JNode[] = [];
    for (;;) {
      const t = this.cur;
      if (t.type === 'eof') {
        if (endTokens) this.failEof(endTokens);
        return body;
      }
      if (t.type === 'data') {
        this.next();
        body.push(new N.Output(t.lineno, t.colno, [new N.TemplateData(t.lineno, t.colno, t.value)]));
      } else if (t.type === 'var_begin') {
        this.next();
        const e = this.parseTuple({ withCondexpr: true });
        this.expectType('var_end');
        body.push(new N.Output(t.lineno, t.colno, [e]));
      } else if (t.type === 'block_begin') {
        this.next();
        if (endTokens && this.cur.type === 'name' && endTokens.includes(this.cur.value)) return body;
        body.push(this.parseStatement());
        this.expectType('block_end');
      } else {
        this.fail('internal parser error: unexpected ' + t.type);
      }
    }
  }

  private failEof(endTokens: string[]): never {
    const expected = endTokens.map((e) => `'${e}'`).join(' or ');
    const inner = this.endStack[this.endStack.length - 1];
    this.fail(
      `Unexpected end of template. Jinja was looking for the following tags: ${expected}.` +
        (inner ? ` The innermost block that needs to be closed is '${inner}'.` : ''),
    );
  }

  private parseStatements(endTokens: string[], dropNeedle = false): JNode {
    this.skipOp(':');
    this.expectType('block_end');
    const t = this.cur;
    const body = this.subparse(endTokens);
    if (this.cur.type === 'eof') this.failEof(endTokens);
    if (dropNeedle) this.next();
    return new N.NodeList(t.lineno, t.colno, body);
  }

  private parseStatement(): JNode {
    const t = this.cur;
    if (t.type !== 'name') this.fail('tag name expected');
    if (!STATEMENTS.has(t.value)) {
      const inner = this.endStack[this.endStack.length - 1];
      this.fail(
        `Encountered unknown tag '${t.value}'.` +
          (inner ? ` Jinja was looking for a closing tag; the innermost block that needs to be closed is '${inner}'.` : ''),
      );
    }
    this.endStack.push(t.value);
    try {
      switch (t.value) {
        case 'for':
          return this.parseFor();
        case 'if':
          return this.parseIf();
        case 'block':
          return this.parseBlock();
        case 'extends':
          this.next();
          return new N.Extends(t.lineno, t.colno, this.parseExpression());
        case 'print': {
          this.next();
          return new N.Output(t.lineno, t.colno, [this.parseTuple({ withCondexpr: true })]);
        }
        case 'macro':
          return this.parseMacro();
        case 'include':
          return this.parseInclude();
        case 'from':
          return this.parseFrom();
        case 'import':
          return this.parseImport();
        case 'set':
          return this.parseSet();
        case 'with':
          return this.parseWith();
        case 'autoescape':
          return this.fail("'autoescape' is not supported: NetStacks renders configuration text, never HTML");
        case 'filter':
          return this.parseFilterBlock();
        case 'call':
          return this.parseCallBlock();
      }
    } finally {
      this.endStack.pop();
    }
    return this.fail(`Encountered unknown tag '${t.value}'.`);
  }

  private parseFor(): JNode {
    const t = this.expectName('for');
    const target = this.parseAssignTarget({ extraEnd: ['in'] });
    this.expectName('in');
    const iter = this.parseTuple({ withCondexpr: false, extraEnd: ['recursive'] });
    let test: JNode | null = null;
    if (this.skipName('if')) test = this.parseExpression();
    const recursive = this.skipName('recursive');
    const body = this.parseStatements(['endfor', 'else']);
    let else_: JNode | null = null;
    if (this.next().value !== 'endfor') else_ = this.parseStatements(['endfor'], true);
    return new N.For(t.lineno, t.colno, iter, target, body, else_, test, recursive);
  }

  private parseIf(): JNode {
    const t = this.expectName('if');
    const root = new N.If(t.lineno, t.colno, this.parseTuple({ withCondexpr: false }), null, null);
    root.body = this.parseStatements(['elif', 'else', 'endif']);
    let node = root;
    for (;;) {
      const tok = this.next();
      if (tok.value === 'elif') {
        const n = new N.If(tok.lineno, tok.colno, this.parseTuple({ withCondexpr: false }), null, null);
        n.body = this.parseStatements(['elif', 'else', 'endif']);
        node.else_ = n;
        node = n;
        continue;
      }
      if (tok.value === 'else') node.else_ = this.parseStatements(['endif'], true);
      break;
    }
    return root;
  }

  private parseBlock(): JNode {
    const t = this.expectName('block');
    const name = this.expectName();
    const scoped = this.skipName('scoped');
    const required = this.skipName('required');
    if (this.isOp('-')) this.fail('Block names in Jinja have to be valid Python identifiers and may not contain hyphens, use an underscore instead.');
    const body = this.parseStatements(['endblock'], true);
    this.skipName(name.value);
    return new N.Block(t.lineno, t.colno, new N.Symbol(name.lineno, name.colno, name.value), body, scoped, required);
  }

  private parseImportContext(defaultWith: boolean): boolean {
    if ((this.isName('with') || this.isName('without')) && this.isName('context', this.look())) {
      const w = this.next().value === 'with';
      this.next();
      return w;
    }
    return defaultWith;
  }

  private parseInclude(): JNode {
    const t = this.expectName('include');
    const template = this.parseExpression();
    let ignoreMissing = false;
    if (this.isName('ignore') && this.isName('missing', this.look())) {
      this.next();
      this.next();
      ignoreMissing = true;
    }
    const withContext = this.parseImportContext(true);
    return new N.Include(t.lineno, t.colno, template, ignoreMissing, withContext);
  }

  private parseImport(): JNode {
    const t = this.expectName('import');
    const template = this.parseExpression();
    this.expectName('as');
    const target = this.expectName();
    const withContext = this.parseImportContext(false);
    return new N.Import(t.lineno, t.colno, template, new N.Symbol(target.lineno, target.colno, target.value), withContext);
  }

  private parseFrom(): JNode {
    const t = this.expectName('from');
    const template = this.parseExpression();
    this.expectName('import');
    const names = new N.NodeList(t.lineno, t.colno, []);
    let withContext = false;
    const context = (): boolean => {
      if ((this.isName('with') || this.isName('without')) && this.isName('context', this.look())) {
        withContext = this.next().value === 'with';
        this.next();
        return true;
      }
      return false;
    };
    for (;;) {
      if (names.children.length) this.expectOp(',');
      if (this.cur.type !== 'name') this.expectName();
      if (context()) break;
      const target = this.expectName();
      if (target.value.startsWith('_')) this.fail('names starting with an underline can not be imported', target);
      const sym = new N.Symbol(target.lineno, target.colno, target.value);
      if (this.skipName('as')) {
        const alias = this.expectName();
        names.children.push(new N.Pair(target.lineno, target.colno, sym, new N.Symbol(alias.lineno, alias.colno, alias.value)));
      } else names.children.push(sym);
      if (context() || !this.isOp(',')) break;
    }
    return new N.FromImport(t.lineno, t.colno, template, names, withContext);
  }

  private parseSet(): JNode {
    const t = this.expectName('set');
    const target = this.parseAssignTarget({ withNamespace: true });
    const targets = target.typename === 'Tuple' ? target.children : [target];
    if (this.skipOp('=')) {
      const value = this.parseTuple({ withCondexpr: true });
      const n = new N.Set(t.lineno, t.colno, targets, value, null);
      if (target.typename === 'Tuple') (n as JNode & { unpack: boolean }).unpack = true;
      return n;
    }
    // block set, optionally filtered: {% set x | upper %}
    let filterNode: JNode | null = null;
    if (this.isOp('|')) filterNode = this.parseFilterChain(null);
    const body = this.parseStatements(['endset'], true);
    let value: JNode = new N.Capture(t.lineno, t.colno, body);
    if (filterNode) value = replaceFilterHole(filterNode, value);
    return new N.Set(t.lineno, t.colno, targets, null, value);
  }

  private parseWith(): JNode {
    const t = this.expectName('with');
    const targets: JNode[] = [];
    const values: JNode[] = [];
    while (this.cur.type !== 'block_end') {
      if (targets.length) this.expectOp(',');
      targets.push(this.parseAssignTarget({}));
      this.expectOp('=');
      values.push(this.parseExpression());
    }
    const body = this.parseStatements(['endwith'], true);
    return new N.With(t.lineno, t.colno, targets, values, body);
  }

  private parseSignature(): JNode {
    const t = this.expectOp('(');
    const args = new N.NodeList(t.lineno, t.colno, []);
    const defaults = new N.KeywordArgs(t.lineno, t.colno, []);
    while (!this.isOp(')')) {
      if (args.children.length || defaults.children.length) this.expectOp(',');
      if (this.isOp(')')) break;
      const name = this.expectName();
      const sym = new N.Symbol(name.lineno, name.colno, name.value);
      if (this.skipOp('=')) defaults.children.push(new N.Pair(name.lineno, name.colno, sym, this.parseExpression()));
      else if (defaults.children.length) this.fail('non-default argument follows default argument', name);
      else args.children.push(sym);
    }
    this.expectOp(')');
    if (defaults.children.length) args.children.push(defaults);
    return args;
  }

  private parseMacro(): JNode {
    const t = this.expectName('macro');
    const name = this.expectName();
    const args = this.parseSignature();
    const body = this.parseStatements(['endmacro'], true);
    return new N.Macro(t.lineno, t.colno, new N.Symbol(name.lineno, name.colno, name.value), args, body);
  }

  private parseCallBlock(): JNode {
    const t = this.expectName('call');
    const args = this.isOp('(') ? this.parseSignature() : new N.NodeList(t.lineno, t.colno, []);
    const call = this.parseExpression();
    if (call.typename !== 'FunCall') this.fail('expected call', t);
    const body = this.parseStatements(['endcall'], true);
    return new N.CallBlock(t.lineno, t.colno, call, args, body);
  }

  private parseFilterBlock(): JNode {
    const t = this.expectName('filter');
    const chain = this.parseFilterChain(null, true);
    const body = this.parseStatements(['endfilter'], true);
    const filtered = replaceFilterHole(chain, new N.Capture(t.lineno, t.colno, body));
    return new N.Output(t.lineno, t.colno, [filtered]);
  }

  // ------------------------------------------------------------ expressions

  private parseAssignTarget(o: { extraEnd?: string[]; withNamespace?: boolean; nameOnly?: boolean }): JNode {
    if (o.withNamespace && this.cur.type === 'name' && this.isOp('.', this.look())) {
      const ns = this.next();
      this.next();
      const attr = this.expectName();
      const n = new N.LookupVal(ns.lineno, ns.colno, new N.Symbol(ns.lineno, ns.colno, ns.value), new N.Literal(attr.lineno, attr.colno, attr.value));
      n.attr = true;
      return n;
    }
    const target = this.parseTuple({ simplified: true, extraEnd: o.extraEnd });
    const check = (n: JNode): void => {
      if (n.typename === 'Symbol') {
        const v = n.value as string;
        if (['true', 'false', 'none', 'True', 'False', 'None'].includes(v)) this.fail(`can't assign to '${v}'`);
        return;
      }
      if (n.typename === 'Tuple') {
        n.children.forEach(check);
        return;
      }
      throw new ParseError(`can't assign to '${n.typename}'`, n.lineno, n.colno);
    };
    check(target);
    return target;
  }

  private parseExpression(withCondexpr = true): JNode {
    return withCondexpr ? this.parseCondexpr() : this.parseOr();
  }

  private parseCondexpr(): JNode {
    let expr1 = this.parseOr();
    while (this.skipName('if')) {
      const expr2 = this.parseOr();
      const expr3 = this.skipName('else') ? this.parseCondexpr() : null;
      expr1 = new N.InlineIf(expr1.lineno, expr1.colno, expr2, expr1, expr3);
    }
    return expr1;
  }

  private parseOr(): JNode {
    let left = this.parseAnd();
    while (this.skipName('or')) left = new N.Or(left.lineno, left.colno, left, this.parseAnd());
    return left;
  }

  private parseAnd(): JNode {
    let left = this.parseNot();
    while (this.skipName('and')) left = new N.And(left.lineno, left.colno, left, this.parseNot());
    return left;
  }

  private parseNot(): JNode {
    if (this.isName('not')) {
      const t = this.next();
      return new N.Not(t.lineno, t.colno, this.parseNot());
    }
    return this.parseCompare();
  }

  private parseCompare(): JNode {
    const expr = this.parseMath1();
    const ops: JNode[] = [];
    for (;;) {
      const t = this.cur;
      if (t.type === 'op' && COMPARE_OPS.has(t.value)) {
        this.next();
        ops.push(new N.CompareOperand(t.lineno, t.colno, this.parseMath1(), t.value));
      } else if (this.isName('in')) {
        this.next();
        ops.push(new N.CompareOperand(t.lineno, t.colno, this.parseMath1(), 'in'));
      } else if (this.isName('not') && this.isName('in', this.look())) {
        this.next();
        this.next();
        ops.push(new N.CompareOperand(t.lineno, t.colno, this.parseMath1(), 'notin'));
      } else break;
    }
    if (!ops.length) return expr;
    if (ops.length === 1) {
      const op = ops[0] as JNode;
      if (op.type === 'in') return new N.In(expr.lineno, expr.colno, expr, op.expr);
      if (op.type === 'notin') return new N.Not(expr.lineno, expr.colno, new N.In(expr.lineno, expr.colno, expr, op.expr));
    }
    return new N.Compare(expr.lineno, expr.colno, expr, ops);
  }

  private parseMath1(): JNode {
    let left = this.parseConcat();
    for (;;) {
      if (this.skipOp('+')) left = new N.Add(left.lineno, left.colno, left, this.parseConcat());
      else if (this.skipOp('-')) left = new N.Sub(left.lineno, left.colno, left, this.parseConcat());
      else return left;
    }
  }

  private parseConcat(): JNode {
    let left = this.parseMath2();
    while (this.skipOp('~')) left = new N.Concat(left.lineno, left.colno, left, this.parseMath2());
    return left;
  }

  private parseMath2(): JNode {
    let left = this.parsePow();
    for (;;) {
      const t = this.cur;
      if (t.type !== 'op') return left;
      const cls = t.value === '*' ? N.Mul : t.value === '/' ? N.Div : t.value === '//' ? N.FloorDiv : t.value === '%' ? N.Mod : null;
      if (!cls) return left;
      this.next();
      left = new cls(left.lineno, left.colno, left, this.parsePow());
    }
  }

  private parsePow(): JNode {
    let left = this.parseUnary();
    while (this.skipOp('**')) left = new N.Pow(left.lineno, left.colno, left, this.parseUnary());
    return left;
  }

  private parseUnary(withFilter = true): JNode {
    const t = this.cur;
    let node: JNode;
    if (this.skipOp('-')) node = new N.Neg(t.lineno, t.colno, this.parseUnary(false));
    else if (this.skipOp('+')) node = new N.Pos(t.lineno, t.colno, this.parseUnary(false));
    else node = this.parsePrimary();
    node = this.parsePostfix(node);
    if (withFilter) node = this.parseFilterExpr(node);
    return node;
  }

  private parsePrimary(): JNode {
    const t = this.cur;
    if (t.type === 'name') {
      this.next();
      if (t.value === 'true' || t.value === 'True') return new N.Literal(t.lineno, t.colno, true);
      if (t.value === 'false' || t.value === 'False') return new N.Literal(t.lineno, t.colno, false);
      if (t.value === 'none' || t.value === 'None') return new N.Literal(t.lineno, t.colno, null);
      return new N.Symbol(t.lineno, t.colno, t.value);
    }
    if (t.type === 'string') {
      let s = '';
      while (this.cur.type === 'string') s += this.next().value;
      return new N.Literal(t.lineno, t.colno, s);
    }
    if (t.type === 'int') {
      this.next();
      const v = t.value.toLowerCase();
      const n = v.startsWith('0b') ? parseInt(v.slice(2), 2) : v.startsWith('0o') ? parseInt(v.slice(2), 8) : v.startsWith('0x') ? parseInt(v.slice(2), 16) : Number(v);
      return new N.Literal(t.lineno, t.colno, n);
    }
    if (t.type === 'float') {
      this.next();
      const n = Number(t.value);
      return new N.Literal(t.lineno, t.colno, Number.isInteger(n) ? new PyFloat(n) : n);
    }
    if (this.isOp('(')) {
      this.next();
      const node = this.parseTuple({ explicitParentheses: true });
      this.expectOp(')');
      return node;
    }
    if (this.isOp('[')) return this.parseList();
    if (this.isOp('{')) return this.parseDict();
    return this.fail(`unexpected ${describe(t)}`);
  }

  private parseTuple(o: { simplified?: boolean; withCondexpr?: boolean; extraEnd?: string[]; explicitParentheses?: boolean }): JNode {
    const t = this.cur;
    const parse = (): JNode =>
      o.simplified ? this.parsePrimary() : this.parseExpression(o.withCondexpr ?? true);
    const args: JNode[] = [];
    let isTuple = false;
    for (;;) {
      if (args.length) this.expectOp(',');
      if (this.isTupleEnd(o.extraEnd)) break;
      args.push(parse());
      if (this.isOp(',')) isTuple = true;
      else break;
    }
    if (!isTuple) {
      if (args.length) return args[0] as JNode;
      if (!o.explicitParentheses) this.fail(`Expected an expression, got ${describe(this.cur)}`);
    }
    return new N.Tuple(t.lineno, t.colno, args);
  }

  private isTupleEnd(extraEnd?: string[]): boolean {
    const t = this.cur;
    if (t.type === 'var_end' || t.type === 'block_end' || this.isOp(')')) return true;
    return !!extraEnd && t.type === 'name' && extraEnd.includes(t.value);
  }

  private parseList(): JNode {
    const t = this.expectOp('[');
    const items: JNode[] = [];
    while (!this.isOp(']')) {
      if (items.length) this.expectOp(',');
      if (this.isOp(']')) break;
      items.push(this.parseExpression());
    }
    this.expectOp(']');
    return new N.Array(t.lineno, t.colno, items);
  }

  private parseDict(): JNode {
    const t = this.expectOp('{');
    const items: JNode[] = [];
    while (!this.isOp('}')) {
      if (items.length) this.expectOp(',');
      if (this.isOp('}')) break;
      const key = this.parseExpression();
      this.expectOp(':');
      const value = this.parseExpression();
      items.push(new N.Pair(key.lineno, key.colno, key, value));
    }
    this.expectOp('}');
    return new N.Dict(t.lineno, t.colno, items);
  }

  private parsePostfix(node: JNode): JNode {
    for (;;) {
      if (this.isOp('.') || this.isOp('[')) node = this.parseSubscript(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseFilterExpr(node: JNode): JNode {
    for (;;) {
      if (this.isOp('|')) node = this.parseFilterChain(node, false, true);
      else if (this.isName('is')) node = this.parseTest(node);
      else if (this.isOp('(')) node = this.parseCall(node);
      else return node;
    }
  }

  private parseSubscript(node: JNode): JNode {
    const t = this.next();
    if (t.value === '.') {
      const a = this.next();
      if (a.type === 'name') {
        const n = new N.LookupVal(t.lineno, t.colno, node, new N.Literal(a.lineno, a.colno, a.value));
        n.attr = true;
        return n;
      }
      if (a.type === 'int') return new N.LookupVal(t.lineno, t.colno, node, new N.Literal(a.lineno, a.colno, Number(a.value)));
      return this.fail('expected name or number', a);
    }
    const args: JNode[] = [];
    while (!this.isOp(']')) {
      if (args.length) this.expectOp(',');
      args.push(this.parseSubscribed());
    }
    this.expectOp(']');
    const arg = args.length === 1 ? (args[0] as JNode) : new N.Tuple(t.lineno, t.colno, args);
    return new N.LookupVal(t.lineno, t.colno, node, arg);
  }

  private parseSubscribed(): JNode {
    const t = this.cur;
    const parts: (JNode | null)[] = [];
    if (this.isOp(':')) {
      this.next();
      parts.push(null);
    } else {
      const node = this.parseExpression();
      if (!this.isOp(':')) return node;
      this.next();
      parts.push(node);
    }
    if (this.isOp(':')) parts.push(null);
    else if (!this.isOp(']') && !this.isOp(',')) parts.push(this.parseExpression());
    else parts.push(null);
    if (this.isOp(':')) {
      this.next();
      parts.push(!this.isOp(']') && !this.isOp(',') ? this.parseExpression() : null);
    } else parts.push(null);
    return new N.Slice(t.lineno, t.colno, parts[0], parts[1], parts[2]);
  }

  /** `(args, key=value)` → NodeList of positional args, then a KeywordArgs when there are keywords. */
  private parseCallArgs(): JNode {
    const t = this.expectOp('(');
    const args = new N.NodeList(t.lineno, t.colno, []);
    const kwargs = new N.KeywordArgs(t.lineno, t.colno, []);
    let first = true;
    while (!this.isOp(')')) {
      if (!first) {
        this.expectOp(',');
        if (this.isOp(')')) break;
      }
      first = false;
      if (this.isOp('*') || this.isOp('**')) {
        const star = this.next();
        const e = this.parseExpression();
        args.children.push(star.value === '*' ? new N.DynArgs(star.lineno, star.colno, e) : new N.DynKwargs(star.lineno, star.colno, e));
        continue;
      }
      if (this.cur.type === 'name' && this.isOp('=', this.look())) {
        const k = this.next();
        this.next();
        kwargs.children.push(new N.Pair(k.lineno, k.colno, new N.Symbol(k.lineno, k.colno, k.value), this.parseExpression()));
      } else {
        if (kwargs.children.length || args.children.some((c) => c.typename === 'DynArgs' || c.typename === 'DynKwargs')) {
          this.fail('invalid syntax for function call expression (positional argument after keyword or star argument)');
        }
        args.children.push(this.parseExpression());
      }
    }
    this.expectOp(')');
    if (kwargs.children.length) args.children.push(kwargs);
    return args;
  }

  private parseCall(node: JNode): JNode {
    const t = this.cur;
    return new N.FunCall(t.lineno, t.colno, node, this.parseCallArgs());
  }

  private parseDottedName(): JNode {
    const t = this.expectName();
    let name = t.value;
    while (this.isOp('.') && this.look().type === 'name') {
      this.next();
      name += '.' + this.next().value;
    }
    return new N.Symbol(t.lineno, t.colno, name);
  }

  /** `| f(args) | g` applied to node (or to a hole, null, for filter blocks and `set x | f`). */
  private parseFilterChain(node: JNode | null, startInline = false, once = false): JNode {
    let cur: JNode | null = node;
    let first = true;
    while (this.isOp('|') || (startInline && first)) {
      if (!(startInline && first)) this.next();
      first = false;
      const name = this.parseDottedName();
      const args = this.isOp('(') ? this.parseCallArgs() : new N.NodeList(name.lineno, name.colno, []);
      args.children.unshift(cur ?? new N.Literal(name.lineno, name.colno, HOLE));
      cur = new N.Filter(name.lineno, name.colno, name, args);
      if (once) break;
    }
    return cur as JNode;
  }

  private parseTest(node: JNode): JNode {
    const isTok = this.expectName('is');
    const negated = this.skipName('not');
    const name = this.parseDottedName();
    let test: JNode = name;
    const c = this.cur;
    if (this.isOp('(')) {
      test = new N.FunCall(c.lineno, c.colno, name, this.parseCallArgs());
    } else if (
      (c.type === 'name' || c.type === 'string' || c.type === 'int' || c.type === 'float' || this.isOp('(') || this.isOp('[') || this.isOp('{')) &&
      !(this.isName('else') || this.isName('or') || this.isName('and'))
    ) {
      if (this.isName('is')) this.fail('You cannot chain multiple tests with is');
      const arg = this.parsePostfix(this.parsePrimary());
      test = new N.FunCall(c.lineno, c.colno, name, new N.NodeList(c.lineno, c.colno, [arg]));
    }
    const is = new N.Is(isTok.lineno, isTok.colno, node, test);
    return negated ? new N.Not(isTok.lineno, isTok.colno, is) : is;
  }
}

/** Placeholder for the value a filter block or filtered `set` block feeds into its first filter. */
export const HOLE = Symbol('filter-hole');

function replaceFilterHole(chain: JNode, value: JNode): JNode {
  let n: JNode = chain;
  for (;;) {
    const first = n.args.children[0] as JNode;
    if (first.typename === 'Literal' && first.value === HOLE) {
      n.args.children[0] = value;
      return chain;
    }
    n = first;
  }
}
