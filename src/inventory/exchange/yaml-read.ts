/**
 * A fast reader for the plain block-style YAML that `inventory export` writes and people usually
 * write by hand: nested mappings and sequences, `key: value`, `[a, "b"]`, `{}`, plain,
 * single- and double-quoted one-line scalars, comments. The `yaml` package needs seconds for a
 * 10,000-device file; this needs tens of milliseconds. Whatever it is not sure about (anchors,
 * tags, block scalars, flow mappings, multi-line scalars, tabs, several documents, duplicate keys)
 * makes it return undefined, and the caller uses the full parser, so results never differ.
 * Plain scalars resolve as in the YAML 1.2 core schema, as the `yaml` package does by default.
 */

export interface SimpleYaml {
  value: unknown;
  /** for each block sequence, the 1-based line and column where each of its items starts */
  itemPositions: Map<unknown[], Array<{ line: number; col: number }>>;
}

class Unsupported extends Error {}

interface Line {
  indent: number;
  text: string;
  /** 1-based line number */
  number: number;
}

export function readSimpleYaml(source: string): SimpleYaml | undefined {
  try {
    const lines = splitLines(source);
    const itemPositions = new Map<unknown[], Array<{ line: number; col: number }>>();
    const reader = new Reader(lines, itemPositions);
    const value = lines.length === 0 ? null : reader.node(0, lines[0]!.indent);
    if (reader.pos !== lines.length) return undefined;
    return { value, itemPositions };
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

function splitLines(source: string): Line[] {
  const lines: Line[] = [];
  const raw = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < raw.length; i++) {
    const line = raw[i]!;
    const text = line.trimStart();
    if (text === '' || text.startsWith('#')) continue;
    const indent = line.length - text.length;
    if (line.slice(0, indent).includes('\t') || text.startsWith('---') || text.startsWith('...') || text.startsWith('%')) throw new Unsupported();
    lines.push({ indent, text: text.trimEnd(), number: i + 1 });
  }
  return lines;
}

class Reader {
  pos = 0;
  constructor(
    private readonly lines: Line[],
    private readonly itemPositions: Map<unknown[], Array<{ line: number; col: number }>>,
  ) {}

  /** The block node starting at line `pos`, whose lines are indented by `indent`. */
  node(pos: number, indent: number): unknown {
    this.pos = pos;
    const line = this.lines[pos]!;
    if (line.indent !== indent) throw new Unsupported();
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(indent);
    if (splitKey(line.text)) return this.mapping(indent, line.text);
    // a lone scalar document
    this.pos = pos + 1;
    return scalarValue(line.text);
  }

  private sequence(indent: number): unknown[] {
    const list: unknown[] = [];
    const positions: Array<{ line: number; col: number }> = [];
    this.itemPositions.set(list, positions);
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos]!;
      if (line.indent < indent) break;
      if (line.indent > indent) throw new Unsupported();
      // a key at the sequence's own indent ends it (`devices:` list followed by `groups:`)
      if (!(line.text === '-' || line.text.startsWith('- '))) break;
      const rest = line.text === '-' ? '' : line.text.slice(2).trimStart();
      positions.push({ line: line.number, col: indent + 1 + (line.text.length - rest.length) });
      if (rest === '') {
        list.push(this.nested(indent, false));
        continue;
      }
      if (rest.startsWith('- ') || rest === '-') throw new Unsupported();
      if (splitKey(rest)) {
        // `- key: value` starts a mapping whose keys line up with `key`
        const keyIndent = indent + (line.text.length - rest.length);
        list.push(this.mapping(keyIndent, rest));
        continue;
      }
      list.push(scalarValue(rest));
      this.pos++;
    }
    return list;
  }

  /**
   * A mapping at `indent`. `first` is the text of its first entry, which may sit after a `- `
   * on a line whose own indent is smaller.
   */
  private mapping(indent: number, first: string): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    let text: string | undefined = first;
    while (text !== undefined) {
      const entry = splitKey(text);
      if (!entry) throw new Unsupported();
      if (Object.prototype.hasOwnProperty.call(map, entry.key) || entry.key === '__proto__') throw new Unsupported();
      if (entry.rest === '') map[entry.key] = this.nested(indent, true);
      else {
        map[entry.key] = scalarValue(entry.rest);
        this.pos++;
      }
      const next = this.lines[this.pos];
      if (!next || next.indent < indent) break;
      if (next.indent > indent) throw new Unsupported();
      text = next.text;
      if (text === '-' || text.startsWith('- ')) throw new Unsupported();
    }
    return map;
  }

  /** The value on the lines after `key:` or `-`: deeper-indented, or a same-indent sequence after a key. */
  private nested(indent: number, afterKey: boolean): unknown {
    const next = this.lines[this.pos + 1];
    if (next && next.indent > indent) return this.node(this.pos + 1, next.indent);
    if (afterKey && next && next.indent === indent && (next.text === '-' || next.text.startsWith('- '))) return this.node(this.pos + 1, indent);
    this.pos++;
    return null;
  }
}

/** keys that read back as the same string under every schema; anything else goes to the full parser */
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$ ./+-]*$/;
const RESERVED_KEY = /^(true|false|null|True|False|Null|TRUE|FALSE|NULL)$/;

/** `key: rest` or `key:` → key and the text after the colon; undefined when the line is no entry. */
function splitKey(text: string): { key: string; rest: string } | undefined {
  if (text.startsWith('"')) {
    const end = closingDoubleQuote(text);
    if (end < 0 || text[end + 1] !== ':') return undefined;
    const after = text.slice(end + 2);
    if (after !== '' && !after.startsWith(' ')) return undefined;
    return { key: parseDoubleQuoted(text.slice(0, end + 1)), rest: stripComment(after.trim()) };
  }
  const colon = text.search(/:( |$)/);
  if (colon <= 0) return undefined;
  const key = text.slice(0, colon).trimEnd();
  if (!PLAIN_KEY.test(key) || RESERVED_KEY.test(key)) return undefined;
  return { key, rest: stripComment(text.slice(colon + 1).trim()) };
}

function stripComment(text: string): string {
  if (text.startsWith('#')) return '';
  return text;
}

function closingDoubleQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}

function parseDoubleQuoted(quoted: string): string {
  // JSON escapes are a subset of YAML's; YAML-only escapes (\x, \e, \N, …) go to the full parser
  try {
    return JSON.parse(quoted) as string;
  } catch {
    throw new Unsupported();
  }
}

/** Text after `key: ` or `- `: a quoted or plain scalar, `[a, b]` or `{}`. */
function scalarValue(text: string): unknown {
  const first = text[0];
  if (first === '"') {
    const end = closingDoubleQuote(text);
    if (end < 0 || !isTrailingComment(text.slice(end + 1))) throw new Unsupported();
    return parseDoubleQuoted(text.slice(0, end + 1));
  }
  if (first === "'") {
    const match = /^'((?:[^']|'')*)'(.*)$/.exec(text);
    if (!match || !isTrailingComment(match[2]!)) throw new Unsupported();
    return match[1]!.replace(/''/g, "'");
  }
  if (first === '[') return flowList(text);
  if (first === '{') {
    if (/^\{\s*\}\s*(#.*)?$/.test(text)) return {};
    throw new Unsupported();
  }
  if (/^[&*!|>%@`?,\]}#:]/.test(text) || text === '-' || text.startsWith('- ') || /: |:$| #|\t/.test(text)) throw new Unsupported();
  return plainScalar(text);
}

function isTrailingComment(rest: string): boolean {
  return rest.trim() === '' || /^\s+#/.test(rest);
}

/** `[a, "b c", 3]` with scalar items only. */
function flowList(text: string): unknown[] {
  const close = text.lastIndexOf(']');
  if (close < 0 || !isTrailingComment(text.slice(close + 1))) throw new Unsupported();
  const body = text.slice(1, close).trim();
  if (body === '') return [];
  const items: unknown[] = [];
  let i = 0;
  while (i <= body.length) {
    while (body[i] === ' ') i++;
    let item: unknown;
    if (body[i] === '"') {
      const end = closingDoubleQuote(body.slice(i)) + i;
      if (end < i) throw new Unsupported();
      item = parseDoubleQuoted(body.slice(i, end + 1));
      i = end + 1;
    } else {
      const comma = body.indexOf(',', i);
      const end = comma < 0 ? body.length : comma;
      const plain = body.slice(i, end).trim();
      if (plain === '' || /^['[\]{}&*!|>%@`?#]/.test(plain) || /[[\]{}]|: | #/.test(plain)) throw new Unsupported();
      item = plainScalar(plain);
      i = end;
    }
    items.push(item);
    while (body[i] === ' ') i++;
    if (i >= body.length) break;
    if (body[i] !== ',') throw new Unsupported();
    i++;
    // a trailing comma ends the list, as in YAML
    if (body.slice(i).trim() === '') break;
  }
  return items;
}

const INT = /^[-+]?[0-9]+$/;
const OCTAL = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** YAML 1.2 core schema resolution of a plain scalar. */
function plainScalar(text: string): unknown {
  switch (text) {
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const c = text.charCodeAt(0);
  // only text starting with a digit, sign or dot can be a number
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (INT.test(text)) return Number(text);
    if (OCTAL.test(text)) return parseInt(text.slice(2), 8);
    if (HEX.test(text)) return parseInt(text.slice(2), 16);
    if (FLOAT.test(text)) return Number(text);
    if (/^[-+]?\.(inf|Inf|INF)$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
    if (/^\.(nan|NaN|NAN)$/.test(text)) return NaN;
  }
  return text;
}
