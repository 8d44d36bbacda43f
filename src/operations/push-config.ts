import type { RunSummary } from '../runner/types.js';
import { withDeviceSession } from './connect.js';
import { configModelFor } from '../config/index.js';
import type { PlatformDefinition } from '../platforms/types.js';
import { configChanges, linesNotPresent } from './config-diff.js';
import { fanOutOverTargets } from './fan-out.js';
import { resolveTargets } from './targets.js';
import type { FanOutRequest, OperationEnv } from './types.js';

export interface PushOptions {
  lines: string[];
  /** connect read-only, compare with the running config, never enter config mode */
  dryRun?: boolean;
  /** save to startup after applying (platform's save command) */
  save?: boolean;
}

export interface PushReport {
  platform: string;
  dryRun: boolean;
  /** the mode lines go to, e.g. 'configuration' */
  configMode: string;
  style: 'lines' | 'candidate';
  /** the lines asked for */
  candidate: string[];
  /**
   * what a push would change: the merge remediation from the config model (sections with the
   * lines they lack, overwritten values), or, on a platform without a model, the lines missing
   */
  missing: string[];
  /** after a real push */
  sent?: string[];
  committed?: boolean;
  saved?: boolean;
  /** running config lines added and removed by the push (`section > line` for children) */
  added?: string[];
  removed?: string[];
  /** what the device said while applying, where it said anything */
  output?: string;
}

/**
 * `netstacks config push`. Dry run: read the running config and report the lines not already
 * there. Otherwise apply, then compare the running config before and after. Config lines are sent
 * once: the only retries are connection attempts, before any session exists.
 */
export async function pushConfig(env: OperationEnv, request: FanOutRequest<PushReport>, options: PushOptions): Promise<RunSummary<PushReport>> {
  const lines = options.lines.filter((l) => l.trim() !== '');
  const targets = request.targets ?? (await resolveTargets(env, request));
  return fanOutOverTargets(env, targets, request, (plan, deps, context) =>
    withDeviceSession(plan, deps, context, async ({ session, platform }) => {
      context.progress('reading running config');
      const before = await session.runningConfig();
      const base: PushReport = {
        platform: platform.name,
        dryRun: Boolean(options.dryRun),
        configMode: platform.configMode ?? 'configuration',
        style: platform.config.style,
        candidate: lines,
        missing: changesToMake(platform, lines, before),
      };
      if (options.dryRun) return base;
      context.progress('applying');
      const pushed = await session.pushConfig(lines, { save: Boolean(options.save) });
      context.progress('reading running config');
      const after = await session.runningConfig();
      return { ...base, sent: pushed.sent, committed: pushed.committed, saved: pushed.saved, output: pushed.output, ...configChanges(before, after) };
    }),
  4 + Math.ceil(lines.length / 20));
}

/** The config model's merge remediation: what `config push` would change, section by section. */
function changesToMake(platform: PlatformDefinition, lines: string[], running: string): string[] {
  if (!platform.config.model) return linesNotPresent(lines, running);
  return configModelFor(platform).remediation(running, lines.join('\n'), { mode: 'merge' }).commands;
}
