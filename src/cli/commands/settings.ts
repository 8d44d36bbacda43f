import type { Command } from 'commander';
import { action } from '../context.js';

/** How a setting value reads on a terminal: null as empty, maps as JSON. */
function shown(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function registerSettingsCommands(program: Command): void {
  const settings = program.command('settings').description('typed, validated settings: timezone, timeouts, concurrency, backups, NetBox, secrets');

  settings
    .command('list')
    .alias('ls')
    .description('list every setting with its value and default')
    .action(
      action(async (ctx) => {
        const { listSettings } = await import('../../settings/index.js');
        const views = await listSettings((await ctx.store()).db);
        ctx.out.list(views, [
          { header: 'KEY', value: (v) => v.key },
          { header: 'VALUE', value: (v) => shown(v.value) + (v.isDefault ? ' (default)' : '') },
          { header: 'DESCRIPTION', value: (v) => v.description },
        ]);
      }),
    );

  settings
    .command('get <key>')
    .description('print one setting value (the default when unset)')
    .action(
      action(async (ctx, key: string) => {
        const { getSetting } = await import('../../settings/index.js');
        const view = await getSetting((await ctx.store()).db, key);
        if (ctx.out.structured) ctx.out.data(view);
        else ctx.out.line(shown(view.value));
      }),
    );

  settings
    .command('set <key> <value>')
    .description('set a setting; the value is checked against its type and range')
    .addHelpText(
      'after',
      `
Examples:
  netstacks settings set timezone Europe/Amsterdam
  netstacks settings set timeouts.command 60
  netstacks settings set netbox.url https://netbox.example.com
  netstacks settings set netbox.platform_map '{"ios": "cisco_ios", "eos": "arista_eos"}'
  netstacks settings set netbox.url ''          (clears it)`,
    )
    .action(
      action(async (ctx, key: string, value: string) => {
        const { setSetting } = await import('../../settings/index.js');
        const view = await setSetting(await ctx.store(), key, value);
        if (ctx.out.structured) ctx.out.data(view);
        else ctx.out.line(`${view.key} = ${shown(view.value)}`);
      }),
    );

  settings
    .command('unset <key>')
    .description('go back to the default value')
    .action(
      action(async (ctx, key: string) => {
        const { unsetSetting } = await import('../../settings/index.js');
        const view = await unsetSetting(await ctx.store(), key);
        if (ctx.out.structured) ctx.out.data(view);
        else ctx.out.line(`${view.key} = ${shown(view.value)} (default)`);
      }),
    );
}
