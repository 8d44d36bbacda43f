import pc from 'picocolors';
import { createRequire } from 'node:module';
import type TableType from 'cli-table3';

// yaml and cli-table3 cost ~100 ms of start-up together; `--json` and piped output need neither,
// so they are loaded on first use.
const require = createRequire(import.meta.url);
const toYaml = (value: unknown): string => (require('yaml') as typeof import('yaml')).stringify(value);
const loadTable = (): typeof TableType => require('cli-table3') as typeof TableType;

export type OutputFormat = 'table' | 'json' | 'yaml';

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

type Colors = ReturnType<typeof pc.createColors>;

/**
 * All CLI printing goes through here, so --json/--yaml, NO_COLOR and non-TTY behave the same in
 * every command. Tables and colour only on a TTY; scripts get stable JSON/YAML.
 */
export class Output {
  readonly colors: Colors;
  readonly isTTY: boolean;

  constructor(
    readonly format: OutputFormat,
    options: { color?: boolean; stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream } = {},
  ) {
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    this.isTTY = Boolean(this.stdout.isTTY);
    const colorWanted = options.color !== false && !('NO_COLOR' in process.env) && (this.isTTY || 'FORCE_COLOR' in process.env);
    this.colors = pc.createColors(colorWanted);
  }

  private readonly stdout: NodeJS.WriteStream;
  private readonly stderr: NodeJS.WriteStream;

  get structured(): boolean {
    return this.format !== 'table';
  }

  line(text = ''): void {
    this.stdout.write(text + '\n');
  }

  info(text: string): void {
    this.stderr.write(text + '\n');
  }

  warn(text: string): void {
    this.stderr.write(this.colors.yellow(`warning: ${text}`) + '\n');
  }

  /** Structured data for --json/--yaml. */
  data(value: unknown): void {
    if (this.format === 'yaml') this.stdout.write(toYaml(value));
    else this.stdout.write(JSON.stringify(value, null, 2) + '\n');
  }

  /** One JSON object per line, for streaming results (--json on fan-out commands). */
  jsonLine(value: unknown): void {
    this.stdout.write(JSON.stringify(value) + '\n');
  }

  list<T>(rows: readonly T[], columns: readonly Column<T>[], structured: (row: T) => unknown = (r) => r): void {
    if (this.structured) {
      this.data(rows.map(structured));
      return;
    }
    if (rows.length === 0) {
      this.info(this.colors.dim('(none)'));
      return;
    }
    const cells = rows.map((row) => columns.map((c) => cell(c.value(row))));
    // cli-table3 grows super-linearly with rows (10,000 rows took ~28 s); it is kept for the
    // bordered view on a terminal, and large or piped listings get plain aligned columns.
    if (!this.isTTY || rows.length > BORDERED_TABLE_MAX_ROWS) {
      this.stdout.write(alignedColumns(columns.map((c) => c.header), cells, (h) => this.colors.bold(h)));
      return;
    }
    const table = this.makeTable(columns.map((c) => this.colors.bold(c.header)));
    for (const row of cells) table.push(row);
    this.line(table.toString());
  }

  /** A single object: key/value table for humans, the object itself for scripts. */
  record(value: Record<string, unknown>, structured: unknown = value): void {
    if (this.structured) {
      this.data(structured);
      return;
    }
    const table = this.makeTable();
    for (const [key, v] of Object.entries(value)) table.push([this.colors.bold(key), cell(v)]);
    this.line(table.toString());
  }

  /** The plain word for a status, coloured on a TTY. */
  status(state: string): string {
    const c = this.colors;
    switch (state) {
      case 'ok':
      case 'added':
      case 'enabled':
        return c.green(state);
      case 'failed':
      case 'removed':
      case 'error':
        return c.red(state);
      case 'skipped':
      case 'changed':
      case 'disabled':
      case 'missing':
        return c.yellow(state);
      default:
        return state;
    }
  }

  private makeTable(head?: string[]): InstanceType<typeof TableType> {
    const Table = loadTable();
    const plain = !this.isTTY;
    return new Table({
      ...(head ? { head } : {}),
      style: { head: [], border: [], compact: plain || !head },
      ...(plain
        ? {
            chars: {
              top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '',
              'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
            },
          }
        : {}),
    });
  }
}

const BORDERED_TABLE_MAX_ROWS = 500;

/** Plain, space-aligned columns: linear in the number of rows, and easy to grep or cut. */
function alignedColumns(headers: string[], rows: string[][], styleHeader: (h: string) => string): string {
  const flat = rows.map((row) => row.map((v) => v.replace(/\s*\n\s*/g, '; ')));
  const widths = headers.map((h, i) => flat.reduce((w, row) => Math.max(w, (row[i] ?? '').length), h.length));
  const render = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const lines = [styleHeader(render(headers))];
  for (const row of flat) lines.push(render(row));
  return lines.join('\n') + '\n';
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (typeof value === 'object') return toYaml(value).trimEnd();
  return String(value);
}
