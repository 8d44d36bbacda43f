import type { Output } from '../output.js';
import type { ParsedRecord, ParserSource } from '../../parse/index.js';
import type { CommandsReport } from '../../operations/run-commands.js';
import type { RunSummary } from '../../runner/types.js';

/** Where records came from, in words: 'ntc-templates: /x/cisco_ios_show_version.textfsm'. */
export function describeSource(source: ParserSource): string {
  const label = { file: 'template file', user: 'your templates', ntc: 'ntc-templates', builtin: 'built-in template', native: 'native JSON' }[source.kind];
  return `${label}: ${source.template}`;
}

/** A table of records: one column per key (in first-seen order). */
export function printRecords(out: Output, records: readonly ParsedRecord[]): void {
  const keys: string[] = [];
  for (const record of records) for (const key of Object.keys(record)) if (!keys.includes(key)) keys.push(key);
  out.list(records, keys.map((key) => ({ header: key, value: (r: ParsedRecord) => r[key] })));
}

/** `run --parse` on a terminal: per device and command, where the records came from and a table. */
export function printParsedRun(out: Output, summary: RunSummary<CommandsReport>): void {
  for (const result of summary.results) {
    if (!result.data?.parsed) continue;
    for (const parsed of result.data.parsed) {
      out.line(out.colors.bold(`=== ${result.device}: ${parsed.command} ===`) + out.colors.dim(`  (${describeSource(parsed.source)}, ${parsed.records.length} record(s))`));
      printRecords(out, parsed.records);
      out.line();
    }
  }
}
