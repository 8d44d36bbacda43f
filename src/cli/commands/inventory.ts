import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';

interface ImportOptions {
  dryRun?: boolean;
  prune?: boolean;
}

interface ExportOptions {
  format?: string;
  output?: string;
  on?: string;
}

export function registerInventoryCommands(program: Command): void {
  const inventory = program.command('inventory').description('import and export the inventory as YAML or CSV');

  inventory
    .command('import <file>')
    .description(
      'add and update devices and groups from a .yaml/.yml/.json or .csv file, matched by name. A YAML entry ' +
        'declares every field (left-out fields take their defaults); a CSV file declares only its columns.',
    )
    .option('--dry-run', 'show what would be added, changed and removed, field by field, and write nothing')
    .option('--prune', "also remove devices that an earlier import added (source 'import') and that the file no longer lists")
    .action(action(importCommand));

  inventory
    .command('export')
    .description('write the inventory as YAML (default) or CSV; importing it back changes nothing (--json prints it as JSON)')
    .option('--format <format>', 'yaml or csv (default: csv for an --output ending in .csv, else yaml)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--on <expr>', "export only the selected devices, e.g. 'site:lon and role:core' (see docs/selection.md)")
    .action(action(exportCommand));
}

async function importCommand(ctx: CliContext, file: string, options: ImportOptions): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const { UsageError } = await import('../../core/errors.js');
  const exchange = await import('../../inventory/exchange/index.js');
  const format = exchange.formatOf(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, 'check the path');
  }
  const document = exchange.parseInventoryFile(file, text);
  const store = await ctx.store();
  const plan = await exchange.planImport(store.db, document, { prune: options.prune });
  if (!options.dryRun) await exchange.applyImport(store, plan);

  if (ctx.out.structured) {
    ctx.out.data({ ...exchange.describePlan(plan), dryRun: Boolean(options.dryRun) });
    return 0;
  }
  const { devices, groups } = plan;
  if (options.dryRun) {
    for (const name of groups.added) ctx.out.line(`+ group ${name}`);
    for (const change of groups.changed) printChange(ctx, 'group', change);
    for (const name of devices.added) ctx.out.line(`+ device ${name}`);
    for (const change of devices.changed) printChange(ctx, 'device', change);
    for (const name of devices.removed) ctx.out.line(`- device ${name}`);
  }
  const verb = options.dryRun ? 'would be ' : '';
  const groupNote =
    groups.added.length + groups.changed.length > 0 ? `; groups: ${groups.added.length} ${verb}added, ${groups.changed.length} ${verb}changed` : '';
  ctx.out.line(
    `${options.dryRun ? 'dry run, nothing written: ' : ''}${devices.added.length} ${verb}added, ${devices.changed.length} ${verb}changed, ` +
      `${devices.unchanged.length} unchanged, ${devices.removed.length} ${verb}removed${groupNote} (${format.toUpperCase()} ${file})`,
  );
  return 0;
}

function printChange(ctx: CliContext, kind: string, change: { name: string; changes: Array<{ field: string; from: unknown; to: unknown }> }): void {
  ctx.out.line(`~ ${kind} ${change.name}`);
  for (const { field, from, to } of change.changes) ctx.out.line(`    ${field}: ${show(from)} → ${show(to)}`);
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.join(', ')}]`;
  if (typeof value === 'object') return JSON.stringify(value);
  return typeof value === 'string' ? value : String(value);
}

async function exportCommand(ctx: CliContext, options: ExportOptions): Promise<void> {
  const { UsageError } = await import('../../core/errors.js');
  const exchange = await import('../../inventory/exchange/index.js');
  const format = options.format ?? (options.output?.toLowerCase().endsWith('.csv') ? 'csv' : 'yaml');
  if (format !== 'yaml' && format !== 'csv') throw new UsageError(`unknown export format '${format}'`, 'use --format yaml or --format csv');
  const store = await ctx.store();
  if (ctx.out.format === 'json' && !options.format && !options.output) {
    ctx.out.data(await exchange.exportDocument(store.db, { on: options.on }));
    return;
  }
  const text = await exchange.exportInventory(store.db, format, { on: options.on });
  if (options.output) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(options.output, text);
    ctx.out.info(`wrote ${options.output}`);
  } else process.stdout.write(text);
}
