import type { OperationEnv } from '../../operations/types.js';
import type { ParsedRecord, ParserSource } from '../../parse/index.js';
import type { DeviceSession } from '../../session/types.js';

/** A command's output parsed the way `run --parse` does it (user templates, native JSON, ntc, built-in). */
export interface ParsedOutput {
  command: string;
  /** what went to the device (the command, or the command with the native JSON suffix) */
  sent: string;
  output: string;
  records: ParsedRecord[];
  source: ParserSource;
}

/**
 * Runs `command` on the session and parses it. `native`: prefer the platform's structured output
 * (EOS/NX-OS `| json`, Junos `| display json`) where it has one. Throws NoParserError (exit 3)
 * when nothing can parse the command on this platform.
 */
export async function runParsed(
  env: OperationEnv,
  session: DeviceSession,
  command: string,
  options: { native?: boolean; templateFile?: string; prepare?: (text: string) => string } = {},
): Promise<ParsedOutput> {
  const { findParser } = await import('../../parse/index.js');
  const parser = findParser(session.platform.name, command, {
    home: env.home,
    settings: { templates: env.settings.parseTemplates, ntcTemplates: env.settings.parseNtcTemplates },
    native: options.native ?? false,
    ...(options.templateFile ? { templateFile: options.templateFile } : {}),
  });
  const result = await session.send(parser.send);
  const text = options.prepare ? options.prepare(result.output) : result.output;
  return { command, sent: parser.send, output: result.output, records: parser.parse(text), source: parser.source };
}

/** A TextFSM value as one string ('' when absent; a List value joined with spaces). */
export function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(' ');
  return typeof value === 'string' ? value.trim() : String(value);
}

/** A number from a TextFSM value or JSON ('1,234' → 1234); null when there is none. */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const t = text(value).replace(/,/g, '');
  if (t === '' || !/^-?\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** The first field present (non-empty) among several names: ntc-templates name the same thing differently per platform. */
export function field(record: Record<string, unknown>, ...names: string[]): string {
  for (const name of names) {
    const value = text(record[name]);
    if (value !== '') return value;
  }
  return '';
}

/** Junos JSON wraps every value as `[{"data": value}]`. */
export function junosData(value: unknown): unknown {
  if (Array.isArray(value) && value.length > 0 && typeof value[0] === 'object' && value[0] !== null && 'data' in value[0]) return (value[0] as { data: unknown }).data;
  return value;
}

/** Quotes for a command argument (VRF names with spaces are rare, but a stray word must not become a keyword). */
export function word(value: string, what: string): string {
  if (!/^[\w.:/@-]+$/.test(value)) throw new Error(`${what} '${value}' is not a plain word`);
  return value;
}
