import { parse, CsvError } from 'csv-parse/sync';
import { nearest } from '../../core/suggest.js';
import { CSV_COLUMNS, type CsvColumn, type DeviceEntry, type InventoryDocument } from './document.js';
import { csvDeviceEntrySchema } from './schema.js';
import { describeIssue, ProblemList } from './issues.js';

const HINT = `CSV columns: ${CSV_COLUMNS.join(',')} (tags and groups ';'-separated, variables as JSON)`;

interface CsvRecord {
  record: Record<string, string>;
  info: { lines: number };
}

/**
 * Parses a CSV inventory, one device per row. The header says which fields the file declares: a
 * column it lacks leaves that field as it is. Empty cells mean the default (no site, port 22, ...).
 */
export function parseCsvInventory(file: string, text: string): InventoryDocument {
  const problems = new ProblemList();
  let rows: CsvRecord[];
  let header: string[] = [];
  try {
    rows = parse(text, {
      columns: (names: string[]) => (header = names.map((n) => n.trim().toLowerCase())),
      info: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
    }) as CsvRecord[];
  } catch (error) {
    if (error instanceof CsvError) {
      const where = error.lines !== undefined ? `${file}:${error.lines}` : file;
      const column = typeof error.column === 'string' ? ` (column '${error.column}')` : '';
      problems.add(where, `${error.message.replace(/ (at|on) line \d+$/, '')}${column}`);
      problems.throwIfAny(file, HINT);
    }
    throw error;
  }

  header.forEach((name, index) => {
    if ((CSV_COLUMNS as readonly string[]).includes(name)) return;
    const suggestion = nearest(name, CSV_COLUMNS);
    problems.add(`${file}:1:${index + 1}`, `unknown column '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`);
  });
  if (!header.includes('name')) problems.add(`${file}:1`, "the header needs a 'name' column");
  problems.throwIfAny(file, HINT);

  const columns = header as CsvColumn[];
  const devices: DeviceEntry[] = [];
  const deviceOrigins: string[] = [];
  rows.forEach(({ record, info }, index) => {
    const label = `device #${index + 1}${record.name ? ` '${record.name}'` : ''}`;
    const entry: Record<string, unknown> = {};
    for (const column of columns) {
      const converted = convertCell(column, record[column] ?? '');
      if (converted.error) problems.add(`${file}:${info.lines}:${columns.indexOf(column) + 1}`, `${label}: ${column}: ${converted.error}`);
      else if (converted.value !== undefined) entry[column] = converted.value;
    }
    const parsed = csvDeviceEntrySchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const { message } = describeIssue(issue, CSV_COLUMNS, entry);
        const column = columns.indexOf(String(issue.path[0]) as CsvColumn) + 1;
        problems.add(`${file}:${info.lines}${column > 0 ? `:${column}` : ''}`, `${label}: ${message}`);
      }
      return;
    }
    devices.push(parsed.data);
    deviceOrigins.push(`${file}:${info.lines}`);
  });
  problems.throwIfAny(file, HINT);
  return { file, format: 'csv', devices, groups: [], deviceOrigin: (index) => deviceOrigins[index] ?? file };
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1', 'on']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0', 'off']);

/** A cell's text as the value the schema checks; an empty cell gives the field's default. */
function convertCell(column: CsvColumn, cell: string): { value?: unknown; error?: string } {
  switch (column) {
    case 'port':
      if (cell === '') return { value: 22 };
      return /^\d+$/.test(cell) ? { value: Number(cell) } : { error: `'${cell}' is not a port number (1-65535)` };
    case 'platform':
      return { value: cell === '' ? 'cisco_ios' : cell };
    case 'tags':
    case 'groups':
      return { value: cell.split(';').map((s) => s.trim()).filter((s) => s !== '') };
    case 'enabled': {
      const word = cell.toLowerCase();
      if (word === '' || TRUE_WORDS.has(word)) return { value: true };
      if (FALSE_WORDS.has(word)) return { value: false };
      return { error: `'${cell}' is not true or false` };
    }
    case 'variables': {
      if (cell === '') return { value: {} };
      try {
        return { value: JSON.parse(cell) as unknown };
      } catch (error) {
        return { error: `not valid JSON (${(error as Error).message})` };
      }
    }
    case 'site':
    case 'role':
    case 'vendor':
    case 'model':
    case 'description':
    case 'credential':
      return { value: cell === '' ? null : cell };
    default:
      return { value: cell };
  }
}
