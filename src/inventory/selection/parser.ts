import { nearest } from '../../core/suggest.js';
import { selectionError } from './errors.js';
import { tokenize, type Token } from './lexer.js';

/** Device fields a term can test; `name` is what a bare word tests. */
export const SELECTION_FIELDS = [
  'name',
  'tag',
  'site',
  'role',
  'platform',
  'group',
  'vendor',
  'model',
  'host',
  'source',
  'credential',
] as const;
export type SelectionField = (typeof SELECTION_FIELDS)[number];

const FIELD_ALIASES: Record<string, SelectionField> = { tags: 'tag', groups: 'group' };

export type SelectionNode =
  | { kind: 'term'; field: SelectionField; pattern: string; column: number }
  | { kind: 'not'; operand: SelectionNode }
  | { kind: 'and' | 'or'; left: SelectionNode; right: SelectionNode };

/**
 * Recursive descent over: or := and (('or' | '|' | ',') and)*
 *                         and := unary (('and' | '&')? unary)*
 *                         unary := ('not' | '!') unary | '(' or ')' | term
 */
export function parseSelection(expr: string): SelectionNode {
  const tokens = tokenize(expr);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;

  const startsUnary = (t: Token): boolean =>
    t.kind === 'not' || t.kind === 'lparen' || t.kind === 'word' || t.kind === 'string' || t.kind === 'field';

  const describe = (t: Token): string => (t.kind === 'end' ? 'end of expression' : `'${t.text}'`);

  function parseOr(): SelectionNode {
    let left = parseAnd();
    while (peek().kind === 'or') {
      const op = next();
      left = { kind: 'or', left, right: parseAnd(op) };
    }
    return left;
  }

  function parseAnd(after?: Token): SelectionNode {
    let left = parseUnary(after);
    for (;;) {
      const t = peek();
      if (t.kind === 'and') {
        next();
        left = { kind: 'and', left, right: parseUnary(t) };
      } else if (startsUnary(t)) {
        left = { kind: 'and', left, right: parseUnary() };
      } else return left;
    }
  }

  function parseUnary(after?: Token): SelectionNode {
    const t = peek();
    if (t.kind === 'not') {
      next();
      return { kind: 'not', operand: parseUnary(t) };
    }
    if (t.kind === 'lparen') {
      next();
      const inner = parseOr();
      const close = peek();
      if (close.kind !== 'rparen') {
        throw selectionError(expr, close.column, `expected ')' to close the '(' at column ${t.column}, found ${describe(close)}`);
      }
      next();
      return inner;
    }
    if (t.kind === 'word' || t.kind === 'string') {
      next();
      return { kind: 'term', field: 'name', pattern: t.text, column: t.column };
    }
    if (t.kind === 'field') {
      next();
      return { kind: 'term', field: resolveField(expr, t), pattern: t.text, column: t.column };
    }
    const expected = after ? `expected a term after '${after.text}'` : 'expected a term (a name glob, field:value, "not" or "(")';
    throw selectionError(expr, t.column, `${expected}, found ${describe(t)}`);
  }

  const root = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') {
    const problem = rest.kind === 'rparen' ? "unexpected ')' with no matching '('" : `unexpected ${describe(rest)}`;
    throw selectionError(expr, rest.column, problem);
  }
  return root;
}

function resolveField(expr: string, token: Token): SelectionField {
  const name = token.field!.toLowerCase();
  if ((SELECTION_FIELDS as readonly string[]).includes(name)) return name as SelectionField;
  const alias = FIELD_ALIASES[name];
  if (alias) return alias;
  const suggestion = nearest(name, SELECTION_FIELDS);
  throw selectionError(
    expr,
    token.column,
    `unknown field '${token.field}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`,
    `known fields: ${SELECTION_FIELDS.join(', ')}; quote a name that contains ':' ("a:b")`,
  );
}
