import type { Command } from 'commander';
import { action } from '../context.js';

export function registerSecretsCommands(program: Command): void {
  const secrets = program.command('secrets').description('where secrets are stored: the OS keychain or the encrypted vault');

  secrets
    .command('status')
    .description('show the secret backend in use, why it was chosen, and where it keeps secrets')
    .action(
      action(async (ctx) => {
        const { VaultBackend } = await import('../../secrets/index.js');
        const { ExitCode } = await import('../../core/errors.js');
        const store = await ctx.secrets();
        const status = store.status();
        ctx.out.record(
          {
            backend: status.backend,
            reason: status.reason,
            location: status.location,
            ...(status.masterKey ? { 'master key': status.masterKey } : {}),
            ...(status.usable === false ? { usable: 'no' } : {}),
          },
          status,
        );
        // A vault the current master key cannot open is reported as the error it will cause later.
        if (store.primary instanceof VaultBackend) await store.primary.verify();
        return status.usable === false ? ExitCode.secrets : 0;
      }),
    );
}
