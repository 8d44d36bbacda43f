/**
 * Jinja2's lexer rules, byte for byte: line-ending normalisation, the dropped final newline,
 * `-`/`+` whitespace control, trim_blocks and lstrip_blocks (blocks and comments), raw blocks,
 * Python string escapes and Jinja's number and operator tokens. nunjucks' lexer differs on each of
 * these (no `{%+`, no lstrip for comments, `"\d"` → `d`, `5.0` → 5), hence this one.
 */

export type TokType =
  | 'data'
  | 'block_begin'
  | 'block_end'
  | 'var_begin'
  | 'var_end'
  | 'name'
  | 'string'
  | 'int'
  | 'float'
  | 'op'
  | 'eof';

export interface Token {
  type: TokType;
  value: string;
  /** 0-based, like nunjucks */
  lineno: number;
  colno: number;
}

export interface LexOptions {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  keepTrailingNewline: boolean;
}

export class LexError extends Error {
  constructor(
    message: string,
    readonly lineno: number,
    readonly colno: number,
  ) {
    super(message);
  }
}

/** Python's str.splitlines() boundaries; Jinja2 joins the lines back with '\n'. */
const LINE_BREAKS = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/g;

export function normalizeNewlines(source: string, keepTrailingNewline: boolean): string {
  let s = source.replace(LINE_BREAKS, '\n');
  if (!keepTrailingNewline && s.endsWith('\n')) s = s.slice(0, -1);
  return s;
}

const TWO_CHAR_OPS = new Set(['//', '**', '==', '!=', '>=', '<=']);
const ONE_CHAR_OPS = new Set(['+', '-', '/', '*', '%', '~', '[', ']', '(', ')', '{', '}', '>', '<', '=', '.', ':', '|', ',', ';']);
const FLOAT_RE = /(?:\d+_)*\d+(?:(?:\.(?:\d+_)*\d+)?[eE][+-]?(?:\d+_)*\d+|\.(?:\d+_)*\d+)/y;
const INT_RE = /(?:0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[\da-fA-F])+|[1-9](?:_?\d)*|0(?:_?0)*)/y;
const STRING_RE = /'([^'\\]*(?:\\.[^'\\]*)*)'|"([^"\\]*(?:\\.[^"\\]*)*)"/sy;
/** Python's \s in str patterns, for the whitespace between tokens */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || (c >= 0x1c && c <= 0x1f) || c === 0x85 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
const TAG_START = /\{([{%#])/g;
const RAW_BEGIN = /\{%([-+]?)\s*raw\s*([-+]?)%\}/y;
const RAW_END = /\{%([-+]?)\s*endraw\s*([-+]?)%\}/g;

function rstripWs(s: string): string {
  return s.replace(/\s+$/, '');
}

export function tokenize(source: string, opts: LexOptions): Token[] {
  const src = normalizeNewlines(source, opts.keepTrailingNewline);
  const toks: Token[] = [];
  let pos = 0;
  let line = 0;
  let lineStart = 0; // index of the first char of the current line
  let lineStarting = true;
  let stripNext = false; // a `-` end tag: drop leading whitespace of the next data

  const advance = (to: number): void => {
    let i = src.indexOf('\n', pos);
    while (i !== -1 && i < to) {
      line++;
      lineStart = i + 1;
      i = src.indexOf('\n', i + 1);
    }
    pos = to;
  };
  const push = (type: TokType, value: string, at: number, atLine: number, atLineStart: number): void => {
    toks.push({ type, value, lineno: atLine, colno: at - atLineStart });
  };
  const emitData = (text: string, at: number, atLine: number, atLineStart: number): void => {
    if (text.length > 0) push('data', text, at, atLine, atLineStart);
  };
  /** After an end tag: `-` strips following whitespace, else trim_blocks drops one newline. */
  const afterEnd = (sign: string, trims: boolean): void => {
    if (sign === '-') stripNext = true;
    else if (sign !== '+' && trims && opts.trimBlocks && src.charCodeAt(pos) === 10) {
      advance(pos + 1);
      lineStarting = true;
      return;
    }
    lineStarting = false;
  };

  while (pos < src.length) {
    TAG_START.lastIndex = pos;
    const m = TAG_START.exec(src);
    const dataStart = pos;
    const dataLine = line;
    const dataLineStart = lineStart;
    let text = m ? src.slice(pos, m.index) : src.slice(pos);
    if (stripNext) {
      const stripped = text.replace(/^\s+/, '');
      if (stripped.length !== text.length && /\n$/.test(text.slice(0, text.length - stripped.length))) lineStarting = true;
      text = stripped;
      stripNext = false;
    }
    if (!m) {
      emitData(text, dataStart, dataLine, dataLineStart);
      advance(src.length);
      break;
    }
    const kind = m[1] as '{' | '%' | '#';
    const sign = src[m.index + 2] === '-' || src[m.index + 2] === '+' ? (src[m.index + 2] as string) : '';
    if (sign === '-') text = rstripWs(text);
    else if (sign !== '+' && opts.lstripBlocks && kind !== '{') {
      const l = text.lastIndexOf('\n') + 1;
      if ((l > 0 || lineStarting) && /^[ \t\f\v]+$/.test(text.slice(l))) text = text.slice(0, l);
    }
    emitData(text, dataStart, dataLine, dataLineStart);
    advance(m.index);
    const tagLine = line;
    const tagLineStart = lineStart;
    const tagPos = pos;

    if (kind === '#') {
      const end = src.indexOf('#}', pos + 2);
      if (end < 0) throw new LexError('Missing end of comment tag', tagLine, tagPos - tagLineStart);
      const endSign = src[end - 1] === '-' || src[end - 1] === '+' ? (src[end - 1] as string) : '';
      advance(end + 2);
      afterEnd(endSign, true);
      continue;
    }

    if (kind === '%') {
      RAW_BEGIN.lastIndex = pos;
      const raw = RAW_BEGIN.exec(src);
      if (raw) {
        advance(pos + raw[0].length);
        RAW_END.lastIndex = pos;
        const re = RAW_END.exec(src);
        if (!re) throw new LexError('Missing end of raw directive', tagLine, tagPos - tagLineStart);
        let body = src.slice(pos, re.index);
        if (raw[2] === '-') body = body.replace(/^\s+/, '');
        if (re[1] === '-') body = rstripWs(body);
        emitData(body, pos, line, lineStart);
        advance(re.index + re[0].length);
        afterEnd(re[2] ?? '', true);
        continue;
      }
    }

    const beginType: TokType = kind === '%' ? 'block_begin' : 'var_begin';
    const endStr = kind === '%' ? '%}' : '}}';
    push(beginType, src.slice(pos, pos + 2 + sign.length), pos, line, lineStart);
    advance(pos + 2 + sign.length);
    // code tokens until the end tag (only recognised when no bracket is open)
    const stack: string[] = [];
    let closed = false;
    while (pos < src.length) {
      let w = pos;
      while (w < src.length && isSpace(src.charCodeAt(w))) w++;
      if (w > pos) {
        advance(w);
        continue;
      }
      if (stack.length === 0) {
        const c = src[pos];
        const endSign = (c === '-' || c === '+') && src.startsWith(endStr, pos + 1) ? c : '';
        if (endSign || src.startsWith(endStr, pos)) {
          if (endSign === '+' && kind === '{') {
            // `+}}` is not valid Jinja; let the operator path report it
          } else {
            push(kind === '%' ? 'block_end' : 'var_end', src.slice(pos, pos + 2 + endSign.length), pos, line, lineStart);
            advance(pos + 2 + endSign.length);
            afterEnd(endSign, kind === '%');
            closed = true;
            break;
          }
        }
      }
      const col = pos - lineStart;
      const ch = src[pos] as string;
      if (ch === '"' || ch === "'") {
        STRING_RE.lastIndex = pos;
        const s = STRING_RE.exec(src);
        if (!s) throw new LexError('unexpected char ' + JSON.stringify(ch), line, col);
        toks.push({ type: 'string', value: unescapePython(s[1] ?? s[2] ?? ''), lineno: line, colno: col });
        advance(pos + s[0].length);
        continue;
      }
      if (ch >= '0' && ch <= '9') {
        FLOAT_RE.lastIndex = pos;
        const prevDot = src[pos - 1] === '.';
        const f = prevDot ? null : FLOAT_RE.exec(src);
        if (f) {
          toks.push({ type: 'float', value: f[0].replace(/_/g, ''), lineno: line, colno: col });
          advance(pos + f[0].length);
          continue;
        }
        INT_RE.lastIndex = pos;
        const i = INT_RE.exec(src);
        if (i) {
          toks.push({ type: 'int', value: i[0].replace(/_/g, ''), lineno: line, colno: col });
          advance(pos + i[0].length);
          continue;
        }
      }
      if (isNameStart(src.charCodeAt(pos))) {
        let e = pos + 1;
        while (e < src.length && isNameChar(src.charCodeAt(e))) e++;
        toks.push({ type: 'name', value: src.slice(pos, e), lineno: line, colno: col });
        pos = e; // a name holds no newline
        continue;
      }
      const two = src.slice(pos, pos + 2);
      const op = TWO_CHAR_OPS.has(two) ? two : ONE_CHAR_OPS.has(ch) ? ch : undefined;
      if (!op) throw new LexError('unexpected char ' + JSON.stringify(ch), line, col);
      if (op === '(' || op === '[' || op === '{') stack.push(op);
      else if (op === ')' || op === ']' || op === '}') {
        const open = stack.pop();
        const want = op === ')' ? '(' : op === ']' ? '[' : '{';
        if (open !== want) {
          throw new LexError(open ? `unexpected '${op}', expected '${open === '(' ? ')' : open === '[' ? ']' : '}'}'` : `unexpected '${op}'`, line, col);
        }
      }
      toks.push({ type: 'op', value: op, lineno: line, colno: col });
      advance(pos + op.length);
    }
    if (!closed) {
      throw new LexError(`unexpected end of template, expected '${endStr}'`, line, pos - lineStart);
    }
  }
  toks.push({ type: 'eof', value: '', lineno: line, colno: pos - lineStart });
  return toks;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

/** Python's unicode-escape decoding as Jinja2 applies it: unknown escapes (`\d`, `\A`) stay as written. */
export function unescapePython(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[i + 1] as string;
    const simple = SIMPLE_ESCAPES[n];
    if (simple !== undefined) {
      out += simple;
      i++;
    } else if (n >= '0' && n <= '7') {
      let j = i + 1;
      while (j < s.length && j < i + 4 && (s[j] as string) >= '0' && (s[j] as string) <= '7') j++;
      out += String.fromCodePoint(parseInt(s.slice(i + 1, j), 8));
      i = j - 1;
    } else if (n === 'x' || n === 'u' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const hex = s.slice(i + 2, i + 2 + len);
      if (hex.length !== len || !/^[0-9a-fA-F]+$/.test(hex)) throw new Error(`truncated \\${n} escape in string literal`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += 1 + len;
    } else {
      out += c + n;
      i++;
    }
  }
  return out;
}
