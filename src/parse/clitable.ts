import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TemplateError } from './errors.js';
import { translatePythonRegex } from './regex.js';
import { compileTemplate, type NestedMatch, type ParsedRecord, type ParsedValue, type TextFsmTemplate } from './template.js';

/** One row of a clitable index: which templates parse a platform's command. */
export interface IndexRow {
  /** template file names, joined with ':' in the index */
  templates: string[];
  /** the columns as written (Command before abbreviation expansion) */
  columns: Record<string, string>;
  /** line in the index file */
  line: number;
  matchers: Map<string, RegExp>;
}

export interface CliIndex {
  dir: string;
  file: string;
  header: string[];
  rows: IndexRow[];
}

/** `sh[[ow]]` → `sh(o(w)?)?`, as clitable completes commands. */
export function expandCompletions(command: string): string {
  return command.replace(/\[\[(.+?)\]\]/g, (_all, word: string) => {
    const chars = Array.from(word);
    return '(' + chars.join('(') + ')?'.repeat(chars.length);
  });
}

// compiled once per file; a file changed since (a daemon's long life) is read again
const indexCache = new Map<string, { stamp: string; index: CliIndex }>();
const templateCache = new Map<string, { stamp: string; template: TextFsmTemplate }>();

function stampOf(path: string): string {
  try {
    const st = statSync(path);
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return 'missing';
  }
}

/** Reads an index like textfsm's IndexTable: '#' comments, first line the header, rows of the same width. */
export function loadIndex(dir: string, name = 'index'): CliIndex {
  const file = join(dir, name);
  const stamp = stampOf(file);
  const cached = indexCache.get(file);
  if (cached?.stamp === stamp) return cached.index;
  const lines = readFileSync(file, 'utf8').split(/\r\n|\r|\n/);
  let n = 0;
  let header: string[] | undefined;
  while (n < lines.length && !header) {
    const text = lines[n++]!.split('#')[0]!.trim();
    if (text) header = text.split(',').map((h) => h.trim());
  }
  if (!header) throw new TemplateError(file, undefined, 'index has no header line');
  if (new Set(header).size !== header.length) throw new TemplateError(file, n, 'duplicate header entry');
  if (!header.includes('Template')) throw new TemplateError(file, n, "index file does not have a 'Template' column");
  const rows: IndexRow[] = [];
  for (; n < lines.length; n++) {
    const raw = lines[n]!;
    if (raw.startsWith('#')) continue;
    const cells = raw.split(',').map((c) => c.trim());
    if (cells.length !== header.length) continue;
    const columns: Record<string, string> = {};
    const matchers = new Map<string, RegExp>();
    header.forEach((column, i) => {
      columns[column] = cells[i]!;
      if (column === 'Template' || cells[i] === '') return;
      const pattern = column === 'Command' ? expandCompletions(cells[i]!) : cells[i]!;
      try {
        const t = translatePythonRegex(pattern);
        matchers.set(column, new RegExp(t.source, t.flags + 'y'));
      } catch (error) {
        throw new TemplateError(file, n + 1, `column ${column}: cannot compile '${pattern}': ${(error as Error).message}`);
      }
    });
    rows.push({ templates: columns.Template!.split(':'), columns, line: n + 1, matchers });
  }
  const index = { dir, file, header, rows };
  indexCache.set(file, { stamp, index });
  return index;
}

/** The first row whose regexes all match the attributes (re.match: anchored at the start only). */
export function matchIndexRow(index: CliIndex, attributes: Record<string, string>): IndexRow | undefined {
  return index.rows.find((row) =>
    Object.entries(attributes).every(([key, value]) => {
      const re = row.matchers.get(key);
      if (!re) return true;
      re.lastIndex = 0;
      return re.test(value);
    }),
  );
}

/** Compiled once per file; the cache is keyed by path. */
export function loadTemplateFile(path: string): TextFsmTemplate {
  const stamp = stampOf(path);
  const cached = templateCache.get(path);
  let template = cached?.stamp === stamp ? cached.template : undefined;
  if (!template) {
    let source: string;
    try {
      source = readFileSync(path, 'utf8');
    } catch (error) {
      throw new TemplateError(path, undefined, `cannot read template: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    template = compileTemplate(source, path);
    templateCache.set(path, { stamp, template });
  }
  return template;
}

function sameValue(a: ParsedValue, b: ParsedValue): boolean {
  return a === b || (typeof a !== 'string' && typeof b !== 'string' && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * Parses with one or more templates and merges them as clitable does: the first template's rows,
 * extended with the other templates' new columns on rows whose Key values agree (by position when
 * no template has keys).
 */
export function parseWithTemplates(templates: readonly TextFsmTemplate[], text: string): ParsedRecord[] {
  const [first, ...rest] = templates;
  if (!first) return [];
  const header = [...first.header];
  const rows: ParsedValue[][] = first.parseRows(text);
  let keys = first.keys;
  for (const template of rest) {
    const other = template.parseRows(text);
    if (keys.length === 0) keys = template.keys;
    for (const k of keys) if (!header.includes(k)) throw new TemplateError(template.file, undefined, `cannot merge: key '${k}' is not a column of the first template`);
    const extendWith = template.header.filter((h) => !header.includes(h));
    if (extendWith.length === 0) continue;
    const from = extendWith.map((h) => template.header.indexOf(h));
    header.push(...extendWith);
    for (const row of rows) for (let i = 0; i < extendWith.length; i++) row.push('');
    if (keys.length === 0) {
      const count = Math.min(rows.length, other.length);
      for (let r = 0; r < count; r++) from.forEach((col, i) => (rows[r]![header.length - extendWith.length + i] = other[r]![col]!));
      continue;
    }
    const mine = keys.map((k) => header.indexOf(k));
    const theirs = keys.map((k) => template.header.indexOf(k));
    for (const row of rows) {
      const match = other.find((o) => mine.every((m, i) => sameValue(row[m]!, o[theirs[i]!]!)));
      if (match) from.forEach((col, i) => (row[header.length - extendWith.length + i] = match[col]!));
    }
  }
  const lower = header.map((h) => h.toLowerCase());
  return rows.map((row) => {
    const record: ParsedRecord = {};
    lower.forEach((key, i) => (record[key] = asTableCell(row[i]!)));
    return record;
  });
}

/** clitable stores rows in a TextTable, which applies str() to every list entry (None → 'None'). */
function asTableCell(value: ParsedValue): ParsedValue {
  if (typeof value === 'string') return value;
  return value.map((item) => (typeof item === 'string' ? item : pyStr(item)));
}

/** Python's str() of None, or of a dict of str/None (a nested List match). */
export function pyStr(value: NestedMatch | null): string {
  if (value === null) return 'None';
  return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${v === null ? 'None' : pyRepr(v)}`).join(', ')}}`;
}

function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\' || ch === quote) out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

/** The templates of an index row, compiled (cached). */
export function rowTemplates(index: CliIndex, row: IndexRow): TextFsmTemplate[] {
  return row.templates.map((name) => loadTemplateFile(join(index.dir, name)));
}
