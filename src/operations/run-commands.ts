import type { ParsedRecord, Parser, ParserSource } from '../parse/index.js';
import { PartialFailure } from '../runner/classify.js';
import type { RunSummary } from '../runner/types.js';
import type { CommandResult } from '../session/types.js';
import { withDeviceSession } from './connect.js';
import { fanOutOverTargets } from './fan-out.js';
import { resolveTargets } from './targets.js';
import type { FanOutRequest, OperationEnv } from './types.js';

/** One command's records and where they came from (`run --parse`). */
export interface ParsedCommand {
  command: string;
  /** what was sent: the command, or the command with the platform's native JSON suffix */
  sent: string;
  source: ParserSource;
  records: ParsedRecord[];
}

export interface CommandsReport {
  platform: string;
  outputs: CommandResult[];
  /** with `--parse`: each command's records, in command order */
  parsed?: ParsedCommand[];
  /** TCP connect to authenticated, ms */
  connectMs: number;
  /** authenticated to the first prompt, ms */
  sessionMs: number;
}

export interface RunCommandsOptions {
  /** parse every output into records; the parsers are looked up before any device is contacted */
  parse?: { templateFile?: string };
}

/**
 * `netstacks run`: the same show commands on every selected device, outputs per device. A
 * command that matches the platform's failure patterns fails that device (command-error); the
 * outputs of the commands before it are kept in the failed result's `data`.
 * With `parse`, a command that no template (or native output) covers on any selected platform
 * fails the whole run before connecting (no-parser, exit 3); on some platforms only, those
 * devices fail with no-parser and the others run.
 */
export async function runCommands(
  env: OperationEnv,
  request: FanOutRequest<CommandsReport>,
  commands: string[],
  options: RunCommandsOptions = {},
): Promise<RunSummary<CommandsReport>> {
  const targets = request.targets ?? (await resolveTargets(env, request));
  const lookup = options.parse ? await parserLookup(env, options.parse.templateFile) : undefined;
  if (lookup) {
    const platforms = [...new Set(targets.plans.map((p) => p.platform))];
    for (const command of commands) {
      // a platform known only after connecting (autodetect) may still have a parser
      const failures = platforms.map((platform) => (platform === 'autodetect' ? undefined : lookup(platform, command))).filter((r) => r instanceof Error);
      if (platforms.length > 0 && failures.length === platforms.length) throw failures[0]!;
    }
  }
  return fanOutOverTargets(env, targets, request, async (plan, deps, context) => {
    const early = lookup && plan.platform !== 'autodetect' ? commands.map((c) => lookup(plan.platform, c)) : undefined;
    const missing = early?.find((p) => p instanceof Error);
    if (missing) throw missing;
    return withDeviceSession(plan, deps, context, async ({ session, platform, connectMs, sessionMs }) => {
      const outputs: CommandResult[] = [];
      const parsed: ParsedCommand[] = [];
      try {
        for (const command of commands) {
          context.progress(command);
          const parser = lookup?.(platform.name, command);
          if (parser instanceof Error) throw parser;
          const result = await session.send(parser?.send ?? command);
          outputs.push(result);
          if (parser) parsed.push({ command, sent: parser.send, source: parser.source, records: parser.parse(result.output) });
        }
      } catch (error) {
        // the device fails, but what the earlier commands printed stays in its result
        throw outputs.length > 0 ? new PartialFailure(error, { platform: platform.name, outputs, ...(lookup ? { parsed } : {}), connectMs, sessionMs }) : error;
      }
      return { platform: platform.name, outputs, ...(lookup ? { parsed } : {}), connectMs, sessionMs };
    });
  }, commands.length + 2);
}

/** Parser per platform and command, or the no-parser error; found once per run. */
async function parserLookup(env: OperationEnv, templateFile: string | undefined): Promise<(platform: string, command: string) => Parser | Error> {
  const { findParser, NoParserError } = await import('../parse/index.js');
  const cache = new Map<string, Parser | Error>();
  const settings = { templates: env.settings.parseTemplates, ntcTemplates: env.settings.parseNtcTemplates };
  return (platform, command) => {
    const key = `${platform}\u0000${command}`;
    let found = cache.get(key);
    if (!found) {
      try {
        found = findParser(platform, command, { ...(templateFile ? { templateFile } : {}), home: env.home, settings, native: true });
      } catch (error) {
        if (!(error instanceof NoParserError)) throw error;
        found = error;
      }
      cache.set(key, found);
    }
    return found;
  };
}
