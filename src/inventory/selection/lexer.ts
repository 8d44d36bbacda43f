import { selectionError } from './errors.js';

export type TokenKind = 'word' | 'string' | 'field' | 'and' | 'or' | 'not' | 'lparen' | 'rparen' | 'end';

export interface Token {
  kind: TokenKind;
  /** the word, the unquoted string, or for a field term its value */
  text: string;
  /** field name for `field` tokens */
  field?: string;
  /** 1-based column of the token's first character */
  column: number;
}

const KEYWORDS: Record<string, TokenKind> = { and: 'and', or: 'or', not: 'not' };
const FIELD_PREFIX = /^([A-Za-z_][A-Za-z0-9_-]*):/;

/** Characters that end a bare word outside of glob brackets and braces. */
function endsWord(ch: string): boolean {
  return /\s/.test(ch) || ch === '(' || ch === ')' || ch === '"' || ch === '&' || ch === '|' || ch === ',';
}

/**
 * Splits a selection expression into tokens. Inside glob `[...]` and `{...}` the operator
 * characters are part of the word, so `core-{1,2}` and `leaf-[!a]*` are single globs.
 */
export function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expr.length) {
    const ch = expr[i]!;
    const column = i + 1;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '(' || ch === ')') {
      tokens.push({ kind: ch === '(' ? 'lparen' : 'rparen', text: ch, column });
      i++;
    } else if (ch === '&' || ch === '|' || ch === ',') {
      // `&&` and `||` are accepted as well as the single characters
      const doubled = (ch === '&' || ch === '|') && expr[i + 1] === ch;
      tokens.push({ kind: ch === '&' ? 'and' : 'or', text: doubled ? ch + ch : ch, column });
      i += doubled ? 2 : 1;
    } else if (ch === '!') {
      tokens.push({ kind: 'not', text: ch, column });
      i++;
    } else if (ch === '"') {
      const { value, next } = readQuoted(expr, i);
      tokens.push({ kind: 'string', text: value, column });
      i = next;
    } else {
      const field = FIELD_PREFIX.exec(expr.slice(i));
      if (field) {
        const valueStart = i + field[0].length;
        const { value, next } = expr[valueStart] === '"' ? readQuoted(expr, valueStart) : readWord(expr, valueStart);
        if (next === valueStart) throw selectionError(expr, valueStart + 1, `expected a value after '${field[0]}'`);
        tokens.push({ kind: 'field', field: field[1]!, text: value, column });
        i = next;
      } else {
        const { value, next } = readWord(expr, i);
        const keyword = KEYWORDS[value.toLowerCase()];
        tokens.push({ kind: keyword ?? 'word', text: value, column });
        i = next;
      }
    }
  }
  tokens.push({ kind: 'end', text: '', column: expr.length + 1 });
  return tokens;
}

function readWord(expr: string, start: number): { value: string; next: number } {
  let i = start;
  let depth = 0;
  while (i < expr.length) {
    const ch = expr[i]!;
    if (ch === '[' || ch === '{') depth++;
    else if ((ch === ']' || ch === '}') && depth > 0) depth--;
    else if (depth === 0 ? endsWord(ch) : /\s/.test(ch) || ch === '"') break;
    i++;
  }
  return { value: expr.slice(start, i), next: i };
}

function readQuoted(expr: string, start: number): { value: string; next: number } {
  let value = '';
  let i = start + 1;
  while (i < expr.length) {
    const ch = expr[i]!;
    if (ch === '\\' && i + 1 < expr.length) {
      value += expr[i + 1];
      i += 2;
      continue;
    }
    if (ch === '"') return { value, next: i + 1 };
    value += ch;
    i++;
  }
  throw selectionError(expr, start + 1, 'unterminated quoted string');
}
