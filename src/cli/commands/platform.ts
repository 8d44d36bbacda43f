import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import type { Interaction, PlatformDefinition } from '../../platforms/types.js';

export function registerPlatformCommands(program: Command): void {
  const platform = program.command('platform').description('the device platforms NetStacks drives: list, show');

  platform
    .command('list')
    .alias('ls')
    .description('list platforms with aliases, vendor, transport and config style')
    .action(action(listCommand));

  platform
    .command('show <name>')
    .description('show a platform: modes and prompts, transitions, pagers, failure patterns, cleanup rules, timeouts')
    .action(action(showCommand));
}

async function listCommand(ctx: CliContext): Promise<void> {
  const { listPlatforms } = await import('../../platforms/index.js');
  ctx.out.list(
    listPlatforms(),
    [
      { header: 'name', value: (p) => p.name },
      { header: 'aliases', value: (p) => p.aliases ?? [] },
      { header: 'vendor', value: (p) => p.vendor },
      { header: 'transport', value: (p) => p.transport },
      { header: 'config', value: (p) => p.config.style },
      { header: 'description', value: (p) => p.description },
    ],
    (p) => ({ name: p.name, aliases: p.aliases ?? [], vendor: p.vendor, transport: p.transport, configStyle: p.config.style, description: p.description }),
  );
}

const answer = (i: Interaction): string =>
  typeof i.respond === 'string' ? (i.respond === '' ? '<enter>' : JSON.stringify(i.respond)) + (i.noNewline ? ' (no newline)' : '') : `<${i.respond.secret} secret>`;

/** The timeouts a device on this platform gets before any override: platform value, else the setting's default. */
async function effectiveTimeouts(platform: PlatformDefinition): Promise<Record<string, { seconds: number; from: string }>> {
  const { SETTINGS } = await import('../../settings/registry.js');
  const timeouts: Record<string, { seconds: number; from: string }> = {};
  for (const definition of SETTINGS) {
    if (!definition.key.startsWith('timeouts.')) continue;
    const key = definition.key.slice('timeouts.'.length) as keyof NonNullable<PlatformDefinition['timeouts']>;
    const own = platform.timeouts?.[key];
    timeouts[key] = own !== undefined ? { seconds: own, from: 'platform' } : { seconds: definition.default as number, from: `setting ${definition.key} (default)` };
  }
  return timeouts;
}

async function showCommand(ctx: CliContext, name: string): Promise<void> {
  const { getPlatform, nearestPlatforms } = await import('../../platforms/index.js');
  const { NotFoundError } = await import('../../core/errors.js');
  let platform: PlatformDefinition;
  try {
    platform = getPlatform(name);
  } catch {
    throw new NotFoundError('platform', name, nearestPlatforms(name).join("', '") || undefined);
  }
  const timeouts = await effectiveTimeouts(platform);
  if (ctx.out.structured) {
    ctx.out.data({ ...platform, effectiveTimeouts: timeouts });
    return;
  }
  const out = ctx.out;
  const bold = out.colors.bold;
  out.line(`${bold(platform.name)}  ${platform.vendor}: ${platform.description}`);
  if (platform.aliases?.length) out.line(`aliases: ${platform.aliases.join(', ')}`);
  out.line(`transport: ${platform.transport}   config style: ${platform.config.style}   default mode: ${platform.defaultMode}${platform.configMode ? `   config mode: ${platform.configMode}` : ''}`);
  const section = (title: string, lines: string[]): void => {
    out.line('');
    out.line(bold(title));
    for (const line of lines.length > 0 ? lines : ['(none)']) out.line(`  ${line}`);
  };
  section('modes and prompts', platform.modes.map((m) => `${m.name.padEnd(14)} /${m.prompt}/${m.notContains ? `  (not containing ${m.notContains.map((s) => `'${s}'`).join(', ')})` : ''}`));
  section(
    'transitions',
    platform.transitions.map((t) => {
      const asks = (t.interactions ?? []).map((i) => `/${i.pattern}/ → ${answer(i)}`).join('; ');
      return `${t.from} → ${t.to}: send '${t.send}'${asks ? `  answering ${asks}` : ''}`;
    }),
  );
  section('after login', [
    ...(platform.loginInteractions ?? []).map((i) => `screen /${i.pattern}/ → ${answer(i)}`),
    ...platform.onOpen.map((c) => `send '${c}'`),
  ]);
  section('pagers', platform.pagers.map((i) => `/${i.pattern}/ → ${answer(i)}`));
  section('failure patterns', platform.failurePatterns.map((p) => `'${p}'`));
  if (platform.outputNoise?.length) section('output noise (lines removed)', platform.outputNoise.map((p) => `/${p}/`));
  const config = platform.config;
  section(
    'configuration',
    [
      config.commit && `commit: '${config.commit}'`,
      config.commitConfirmed && `commit confirmed: '${config.commitConfirmed}'`,
      config.abort && `abort: '${config.abort}'`,
      config.rollback && `rollback: '${config.rollback}'`,
      config.save && `save: '${config.save}'`,
      ...(config.interactions ?? []).map((i) => `question /${i.pattern}/ → ${answer(i)}`),
    ].filter((l): l is string => Boolean(l)),
  );
  section(
    `running config ('${platform.runningConfig.command}') cleanup rules`,
    platform.runningConfig.cleanup.map((r) => `/${r.pattern}/ → ${r.replace === '' ? '(removed)' : `'${r.replace}'`}${r.note ? `  # ${r.note}` : ''}`),
  );
  section('autodetect', platform.detect.map((d) => `'${d.command}' matches /${d.pattern}/`));
  section('timeouts (seconds, before overrides)', Object.entries(timeouts).map(([key, t]) => `${key.padEnd(8)} ${String(t.seconds).padStart(4)}  ${t.from}`));
}
