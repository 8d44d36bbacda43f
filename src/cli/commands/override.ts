import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';

interface SetOptions {
  host?: string;
  port?: string;
  platform?: string;
  credential?: string;
  connectTimeout?: string;
  authTimeout?: string;
  bannerTimeout?: string;
  promptTimeout?: string;
  commandTimeout?: string;
  disable?: boolean;
  reason?: string;
  enable?: boolean;
  notes?: string;
}

const SECONDS = { above: 0, unit: 'seconds' };

export function registerOverrideCommands(device: Command): void {
  const override = device
    .command('override')
    .description('per-device connection overrides: they win over the device, its groups and settings');

  override
    .command('set <device>')
    .description('set override fields (others stay as they are)')
    .option('--host <host>', 'connect to this address instead')
    .option('--port <port>', 'connect to this port instead')
    .option('--platform <platform>', 'treat the device as this platform')
    .option('--credential <name>', 'log in with this credential set')
    .option('--connect-timeout <seconds>', 'TCP connect timeout')
    .option('--auth-timeout <seconds>', 'SSH authentication timeout')
    .option('--banner-timeout <seconds>', 'SSH banner timeout')
    .option('--prompt-timeout <seconds>', 'login to first prompt timeout')
    .option('--command-timeout <seconds>', 'per-command timeout')
    .option('--disable', 'skip the device in every operation')
    .option('--reason <text>', 'why it is disabled (shown when it is skipped)')
    .option('--enable', 'stop skipping the device')
    .option('--notes <text>', 'free text (also the reason shown for --disable)')
    .action(action(setCommand));

  override
    .command('unset <device> [fields...]')
    .description('clear override fields (host, port, platform, credential, connect-timeout, auth-timeout, banner-timeout, prompt-timeout, command-timeout, disabled, notes); none named clears all')
    .action(action(unsetCommand));

  override.command('show <device>').description("show the device's override").action(action(showCommand));
}

async function setCommand(ctx: CliContext, device: string, options: SetOptions): Promise<void> {
  const { setOverride } = await import('../../inventory/overrides.js');
  const { parseNumberOption } = await import('../../inventory/input-parsing.js');
  const { UsageError } = await import('../../core/errors.js');
  if (options.enable && options.disable) throw new UsageError('--enable and --disable contradict each other');
  if (options.reason !== undefined && options.notes !== undefined) throw new UsageError('give either --reason or --notes, not both');
  const patch = {
    host: options.host,
    port: parseNumberOption('--port', options.port, { integer: true, min: 1, max: 65535 }),
    platform: options.platform,
    credential: options.credential,
    connectTimeout: parseNumberOption('--connect-timeout', options.connectTimeout, SECONDS),
    authTimeout: parseNumberOption('--auth-timeout', options.authTimeout, SECONDS),
    bannerTimeout: parseNumberOption('--banner-timeout', options.bannerTimeout, SECONDS),
    promptTimeout: parseNumberOption('--prompt-timeout', options.promptTimeout, SECONDS),
    commandTimeout: parseNumberOption('--command-timeout', options.commandTimeout, SECONDS),
    disabled: options.disable ? true : options.enable ? false : undefined,
    notes: options.reason ?? options.notes,
  };
  if (Object.values(patch).every((v) => v === undefined)) {
    throw new UsageError('nothing to set', `see 'netstacks device override set --help'`);
  }
  const override = await setOverride(await ctx.store(), device, patch);
  printOverride(ctx, device, override, (await import('../../inventory/overrides.js')).describeOverride(override));
}

async function unsetCommand(ctx: CliContext, device: string, fields: string[]): Promise<void> {
  const { unsetOverride, describeOverride } = await import('../../inventory/overrides.js');
  const override = await unsetOverride(await ctx.store(), device, fields);
  printOverride(ctx, device, override, describeOverride(override));
}

async function showCommand(ctx: CliContext, device: string): Promise<void> {
  const { getOverride, describeOverride } = await import('../../inventory/overrides.js');
  const store = await ctx.store();
  const override = await getOverride(store.db, device);
  if (ctx.out.structured || !override) {
    printOverride(ctx, device, override, describeOverride(override));
    return;
  }
  ctx.out.record({
    device: override.device,
    host: override.host,
    port: override.port,
    platform: override.platform,
    credential: override.credential,
    'connect timeout': seconds(override.connectTimeout),
    'auth timeout': seconds(override.authTimeout),
    'banner timeout': seconds(override.bannerTimeout),
    'prompt timeout': seconds(override.promptTimeout),
    'command timeout': seconds(override.commandTimeout),
    disabled: override.disabled ? 'yes' : 'no',
    notes: override.notes,
    updated: override.updatedAt,
  });
}

function printOverride(ctx: CliContext, device: string, override: unknown, summary: string): void {
  if (ctx.out.structured) ctx.out.data(override ?? null);
  else ctx.out.line(summary ? `${device} override: ${summary}` : `${device} has no override`);
}

const seconds = (value: number | null): string | null => (value === null ? null : `${value}s`);
