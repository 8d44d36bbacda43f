import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';

interface ParseFlags {
  platform?: string;
  command?: string;
  template?: string;
  list?: boolean;
}

export function registerParseCommands(program: Command): void {
  program
    .command('parse [file]')
    .description("parse saved show output into records: netstacks parse --platform cisco_ios --command 'show ip bgp summary' out.txt ('-' or nothing: stdin)")
    .option('--platform <platform>', 'the platform that printed the output (any ntc-templates platform name)')
    .option('--command <command>', 'the command that printed it (abbreviations work as the index allows)')
    .option('--template <file>', 'parse with this TextFSM template instead of looking one up')
    .option('--list', 'list what can be parsed and where each template comes from (with --platform: only that platform)')
    .action(action(parseCommand));
}

async function parseSettings(ctx: CliContext): Promise<{ templates: string | null; ntcTemplates: string | null }> {
  const { readSettings } = await import('../../settings/index.js');
  const settings = await readSettings((await ctx.store()).db);
  return { templates: settings.parseTemplates, ntcTemplates: settings.parseNtcTemplates };
}

async function readInput(file: string | undefined): Promise<string> {
  if (file === undefined || file === '-') {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text;
  }
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const { ValidationError } = await import('../../core/errors.js');
    throw new ValidationError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function parseCommand(ctx: CliContext, file: string | undefined, flags: ParseFlags): Promise<void> {
  const { UsageError } = await import('../../core/errors.js');
  const settings = await parseSettings(ctx);
  const parse = await import('../../parse/index.js');
  if (flags.list) {
    const rows = parse.listParsers({ home: ctx.home, settings, ...(flags.platform ? { platform: flags.platform } : {}) });
    ctx.out.list(rows, [
      { header: 'source', value: (r) => r.source },
      { header: 'platform', value: (r) => r.platform },
      { header: 'command', value: (r) => r.command },
      { header: 'templates', value: (r) => r.templates },
    ]);
    return;
  }
  if (!flags.platform || (!flags.command && !flags.template)) {
    throw new UsageError('parse needs --platform P and --command CMD (or --template FILE)', "e.g. netstacks parse --platform cisco_ios --command 'show version' output.txt");
  }
  // the parser first: an unknown command fails (no-parser, exit 3) before any input is read
  const parser = parse.findParser(flags.platform, flags.command ?? '', { home: ctx.home, settings, ...(flags.template ? { templateFile: flags.template } : {}) });
  const result = { records: parser.parse(await readInput(file)), source: parser.source };
  const { describeSource, printRecords } = await import('./parse-output.js');
  if (ctx.out.structured) {
    ctx.out.data({ platform: flags.platform, command: flags.command ?? null, source: result.source, records: result.records });
    return;
  }
  ctx.out.info(ctx.out.colors.dim(`${result.records.length} record(s) from ${describeSource(result.source)}`));
  printRecords(ctx.out, result.records);
}
