import { withDeviceSession, type ConnectDeps } from '../operations/connect.js';
import type { ConnectionPlan } from '../inventory/types.js';
import type { CleanupRule, PlatformDefinition } from '../platforms/types.js';
import { applyCleanup } from '../session/output.js';
import type { DeviceSession } from '../session/types.js';

/** What one device gave a backup, cleaned. */
export interface FetchedConfig {
  platform: string;
  /** native | set */
  format: string;
  config: string;
  /** facts by name (show version, inventory), cleaned; a fact whose command failed is left out */
  facts: Record<string, string>;
  /** running differs from startup; undefined where the platform has no startup config */
  unsaved?: boolean;
}

export class EmptyConfigError extends Error {
  readonly errorClass = 'command-error' as const;
  constructor(command: string) {
    super(`'${command}' returned an empty configuration; the last good backup is kept`);
  }
}

/** The command and cleanup rules for the configured format (Junos `| display set` or native). */
export function configCommand(platform: PlatformDefinition, junosFormat: string): { command: string; cleanup: CleanupRule[]; format: string } {
  const alternative = platform.backup?.formats?.[junosFormat];
  if (alternative) return { ...alternative, format: junosFormat };
  return { command: platform.runningConfig.command, cleanup: platform.runningConfig.cleanup, format: 'native' };
}

const CONFIG_TIMEOUT_MS = 120_000;

async function fetchFrom(session: DeviceSession, platform: PlatformDefinition, junosFormat: string, commandTimeoutMs: number, progress: (m: string) => void): Promise<FetchedConfig> {
  const { command, cleanup, format } = configCommand(platform, junosFormat);
  progress(command);
  const timeoutMs = Math.max(commandTimeoutMs, CONFIG_TIMEOUT_MS);
  const config = applyCleanup((await session.send(command, { timeoutMs })).output, cleanup);
  if (config.trim() === '') throw new EmptyConfigError(command);

  const facts: Record<string, string> = {};
  for (const fact of platform.backup?.facts ?? []) {
    progress(fact.command);
    try {
      facts[fact.name] = applyCleanup((await session.send(fact.command)).output, fact.cleanup);
    } catch (error) {
      // a device without `show inventory` still gets its config backed up
      if ((error as { errorClass?: string }).errorClass !== 'command-error') throw error;
    }
  }

  let unsaved: boolean | undefined;
  const startupCommand = platform.backup?.startupConfig;
  if (startupCommand) {
    progress(startupCommand);
    try {
      const startup = applyCleanup((await session.send(startupCommand, { timeoutMs })).output, cleanup);
      unsaved = startup !== config;
    } catch (error) {
      if ((error as { errorClass?: string }).errorClass !== 'command-error') throw error;
    }
  }
  return { platform: platform.name, format, config, facts, ...(unsaved !== undefined ? { unsaved } : {}) };
}

/** Connects (enable mode where the platform has one: its default mode), fetches, disconnects. */
export function fetchConfig(
  plan: ConnectionPlan,
  deps: ConnectDeps,
  context: { signal: AbortSignal; progress: (message: string) => void },
  junosFormat: string,
): Promise<FetchedConfig> {
  return withDeviceSession(plan, deps, context, ({ session, platform }) =>
    fetchFrom(session, platform, junosFormat, Math.round(plan.timeouts.command * 1000), context.progress),
  );
}
