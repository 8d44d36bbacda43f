import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';

export function registerCompletionCommands(program: Command): void {
  program
    .command('completion <shell>')
    .description('print the shell completion script for bash, zsh or fish (see the README for installing it)')
    .addHelpText(
      'after',
      `
Install:
  bash: echo 'eval "$(netstacks completion bash)"' >> ~/.bashrc
  zsh:  echo 'eval "$(netstacks completion zsh)"' >> ~/.zshrc     (after compinit)
  fish: netstacks completion fish > ~/.config/fish/completions/netstacks.fish`,
    )
    .action(action((ctx, shell: string) => completionCommand(ctx, shell, program)));
}

async function completionCommand(ctx: CliContext, shell: string, program: Command): Promise<void> {
  const { UsageError } = await import('../../core/errors.js');
  const completion = await import('../completion.js');
  const { platformNames } = await import('../../platforms/index.js');
  const { SETTING_KEYS } = await import('../../settings/registry.js');
  const { SELECTION_FIELDS } = await import('../../inventory/selection/parser.js');
  const render = { bash: completion.bashScript, zsh: completion.zshScript, fish: completion.fishScript }[shell];
  if (!render) throw new UsageError(`no completion for shell '${shell}'`, 'choose bash, zsh or fish');
  const data = completion.completionData(program, { platforms: platformNames(), settings: [...SETTING_KEYS], onFields: [...SELECTION_FIELDS] });
  process.stdout.write(render(data));
  // the names files may not exist yet for an older home: write them now if a database is there
  const { existsSync } = await import('node:fs');
  const { homeFiles } = await import('../../core/paths.js');
  if (existsSync(homeFiles.database(ctx.home))) await ctx.store();
}
