import { Command, CommanderError, Option } from 'commander';
import { ExitCode, NetstacksError } from '../core/errors.js';
import { registerCommands } from './commands/index.js';
import { exitQuietlyOnBrokenPipe } from './epipe.js';

export function buildProgram(): Command {
  const program = new Command('netstacks')
    .description('Network automation from the command line: inventory, credentials, SSH sessions, stacks, MOPs, backups')
    .version('0.1.0', '-V, --version')
    .option('--home <dir>', 'state folder (default: $NETSTACKS_HOME, else $XDG_DATA_HOME/netstacks)')
    .addOption(new Option('--json', 'machine-readable JSON output').conflicts('yaml'))
    .option('--yaml', 'machine-readable YAML output')
    .option('--no-color', 'no ANSI colours (NO_COLOR is honoured too)')
    .option('--debug', 'show stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  exitQuietlyOnBrokenPipe();
  const program = buildProgram();
  const debug = argv.includes('--debug');
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    return reportError(error, { debug, json });
  }
}

function reportError(error: unknown, options: { debug: boolean; json: boolean }): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return 0;
    return ExitCode.usage;
  }
  const noColor = 'NO_COLOR' in process.env || !process.stderr.isTTY;
  const red = (s: string) => (noColor ? s : `\x1b[31m${s}\x1b[39m`);
  if (error instanceof NetstacksError) {
    if (options.json) process.stderr.write(JSON.stringify(error.toJSON()) + '\n');
    else {
      process.stderr.write(red(`error: ${error.message}`) + '\n');
      if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    }
    if (options.debug && error.stack) process.stderr.write(error.stack + '\n');
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (options.json) process.stderr.write(JSON.stringify({ error: 'internal', message }) + '\n');
  else process.stderr.write(red(`error: ${message}`) + '\n' + (options.debug ? '' : 'hint: run again with --debug for details\n'));
  if (options.debug && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
  return ExitCode.internal;
}
