import { PartialFailure } from '../runner/classify.js';
import type { RunSummary } from '../runner/types.js';
import type { CommandResult } from '../session/types.js';
import { withDeviceSession } from './connect.js';
import { fanOutOverTargets } from './fan-out.js';
import { resolveTargets } from './targets.js';
import type { FanOutRequest, OperationEnv } from './types.js';

export interface CommandsReport {
  platform: string;
  outputs: CommandResult[];
  /** TCP connect to authenticated, ms */
  connectMs: number;
  /** authenticated to the first prompt, ms */
  sessionMs: number;
}

/**
 * `netstacks run`: the same show commands on every selected device, outputs per device. A
 * command that matches the platform's failure patterns fails that device (command-error); the
 * outputs of the commands before it are kept in the failed result's `data`.
 */
export async function runCommands(env: OperationEnv, request: FanOutRequest<CommandsReport>, commands: string[]): Promise<RunSummary<CommandsReport>> {
  const targets = request.targets ?? (await resolveTargets(env, request));
  return fanOutOverTargets(env, targets, request, (plan, deps, context) =>
    withDeviceSession(plan, deps, context, async ({ session, platform, connectMs, sessionMs }) => {
      const outputs: CommandResult[] = [];
      try {
        for (const command of commands) {
          context.progress(command);
          outputs.push(await session.send(command));
        }
      } catch (error) {
        // the device fails, but what the earlier commands printed stays in its result
        throw outputs.length > 0 ? new PartialFailure(error, { platform: platform.name, outputs, connectMs, sessionMs }) : error;
      }
      return { platform: platform.name, outputs, connectMs, sessionMs };
    }),
  commands.length + 2);
}
