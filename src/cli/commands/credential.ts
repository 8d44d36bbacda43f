import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';
import type { Credential, CredentialUsage } from '../../credentials/index.js';

interface SecretSourceOptions {
  passwordStdin?: boolean;
  tokenStdin?: boolean;
  secretsStdin?: boolean;
  keyFile?: string;
  storeKey?: boolean;
}

interface AddOptions extends SecretSourceOptions {
  username?: string;
  type: string;
  description?: string;
  default?: boolean;
  prompt?: boolean;
}

interface EditOptions extends SecretSourceOptions {
  username?: string;
  description?: string;
  rename?: string;
  prompt?: boolean;
  clearPassword?: boolean;
  clearEnable?: boolean;
  clearKey?: boolean;
  clearPassphrase?: boolean;
  default?: boolean;
}

interface GatheredSecrets {
  password?: string;
  enable?: string;
  passphrase?: string;
  privateKey?: string;
  keyPath?: string;
  token?: string;
}

const SECRETS_STDIN_HELP = `
Secrets never go on the command line. Give them one of these ways:
  - on a terminal, you are asked for the password and enable secret (input hidden; empty = none)
  - --password-stdin: the first line of stdin is the password
      printf '%s\\n' "$PW" | netstacks credential add lab --username admin --password-stdin
  - --secrets-stdin: 'key: value' lines (YAML) with keys password, enable, passphrase, private_key
      printf 'password: %s\\nenable: %s\\n' "$PW" "$EN" | netstacks credential add core --username admin --secrets-stdin
  - --token-stdin (token credentials, for MOP http steps): the first line of stdin is the token
      printf '%s\\n' "$TOKEN" | netstacks credential add netbox-api --type token --token-stdin
`;

export function registerCredentialCommands(program: Command): void {
  const credential = program
    .command('credential')
    .description('credential sets (username, password, enable secret, SSH key); secrets live in the keychain or the encrypted vault');

  withSecretSources(
    credential
      .command('add <name>')
      .description('add a credential set: a login (username, password, enable, key) or, with --type token, a bearer token or API key')
      .option('--type <kind>', 'login (SSH/device logins) or token (bearer token or API key for MOP http steps)', 'login')
      .option('-u, --username <user>', 'login user name (login credentials)')
      .option('--description <text>', 'free text')
      .option('--default', 'make this the default credential')
      .option('--no-prompt', 'never ask on the terminal'),
  )
    .addHelpText('after', SECRETS_STDIN_HELP)
    .action(
      action(async (ctx, name: string, options: AddOptions) => {
        const { addCredential, CREDENTIAL_KINDS } = await import('../../credentials/index.js');
        const { UsageError } = await import('../../core/errors.js');
        const kind = CREDENTIAL_KINDS.find((k) => k === options.type);
        if (!kind) throw new UsageError(`unknown credential type '${options.type}'`, `use one of: ${CREDENTIAL_KINDS.join(', ')}`);
        if (kind === 'login' && !options.username) throw new UsageError("required option '-u, --username <user>' not specified", 'token credentials take --type token');
        if (kind === 'login' && options.tokenStdin) throw new UsageError('--token-stdin is for token credentials', 'add --type token');
        if (kind === 'token' && (options.username || options.passwordStdin || options.keyFile)) {
          throw new UsageError('a token credential has no username, password or key', 'give only the token, with --token-stdin or on the terminal');
        }
        const secrets = await gatherSecrets(options, { prompt: options.prompt !== false, username: options.username ?? name, kind });
        if (Object.values(secrets).every((v) => v === undefined) && !process.stdin.isTTY && !options.passwordStdin && !options.secretsStdin) {
          ctx.out.warn('adding without password or key: stdin is not a terminal, so nothing was asked (use --password-stdin or --secrets-stdin)');
        }
        const store = await ctx.store();
        const credential = await addCredential(store, await ctx.secrets(), {
          name,
          kind,
          username: options.username,
          description: options.description,
          isDefault: options.default,
          ...secrets,
        });
        if (!ctx.out.structured) ctx.out.info(`credential '${credential.name}' added; secrets are in the ${credential.secretBackend}`);
        printCredential(ctx, credential);
      }),
    );

  credential
    .command('list')
    .alias('ls')
    .description('list credential sets (never shows secrets)')
    .action(
      action(async (ctx) => {
        const { listCredentials } = await import('../../credentials/index.js');
        const credentials = await listCredentials((await ctx.store()).db);
        ctx.out.list(credentials, [
          { header: 'NAME', value: (c) => c.name },
          { header: 'TYPE', value: (c) => c.kind },
          { header: 'USERNAME', value: (c) => c.username },
          { header: 'PASSWORD', value: (c) => yesNo(c.hasPassword) },
          { header: 'ENABLE', value: (c) => yesNo(c.hasEnable) },
          { header: 'KEY', value: (c) => keyLabel(c) },
          { header: 'BACKEND', value: (c) => c.secretBackend },
          { header: 'DEFAULT', value: (c) => (c.isDefault ? 'yes' : '') },
        ]);
      }),
    );

  credential
    .command('show <name>')
    .description('show one credential set: which secrets are set, never their values')
    .action(
      action(async (ctx, name: string) => {
        const { getCredential, credentialUsage } = await import('../../credentials/index.js');
        const db = (await ctx.store()).db;
        const credential = await getCredential(db, name);
        printCredential(ctx, credential, await credentialUsage(db, credential.id));
      }),
    );

  withSecretSources(
    credential
      .command('edit <name>')
      .description('change a credential set; only the options given change')
      .option('-u, --username <user>', 'new login user name')
      .option('--description <text>', 'new description')
      .option('--rename <new-name>', 'new name (devices keep using it)')
      .option('--prompt', 'ask on the terminal for a new password and enable secret')
      .option('--clear-password', 'remove the password')
      .option('--clear-enable', 'remove the enable secret')
      .option('--clear-key', 'remove the private key (stored or file)')
      .option('--clear-passphrase', 'remove the key passphrase')
      .option('--default', 'make this the default credential'),
  )
    .addHelpText('after', SECRETS_STDIN_HELP)
    .action(
      action(async (ctx, name: string, options: EditOptions) => {
        const { updateCredential, getCredential } = await import('../../credentials/index.js');
        const store = await ctx.store();
        const { kind } = await getCredential(store.db, name);
        const secrets = await gatherSecrets(options, { prompt: options.prompt === true, username: options.username ?? name, kind });
        const credential = await updateCredential(store, await ctx.secrets(), name, {
          name: options.rename,
          username: options.username,
          description: options.description,
          isDefault: options.default ? true : undefined,
          password: options.clearPassword ? null : secrets.password,
          enable: options.clearEnable ? null : secrets.enable,
          passphrase: options.clearPassphrase ? null : secrets.passphrase,
          privateKey: options.clearKey ? null : secrets.privateKey,
          keyPath: options.clearKey ? null : secrets.keyPath,
          token: secrets.token,
        });
        if (!ctx.out.structured) ctx.out.info(`credential '${credential.name}' updated`);
        printCredential(ctx, credential);
      }),
    );

  credential
    .command('rm <name>')
    .alias('remove')
    .description('remove a credential set and its secrets')
    .option('--force', 'remove it even if devices, groups or overrides use it (they lose the reference) or its secret backend cannot be reached')
    .action(
      action(async (ctx, name: string, options: { force?: boolean }) => {
        const { removeCredential, describeUsage } = await import('../../credentials/index.js');
        const { credential, unlinked, secretsRemoved } = await removeCredential(await ctx.store(), await ctx.secrets(), name, options);
        const hadSecrets = credential.hasPassword || credential.hasEnable || credential.hasPrivateKey || credential.hasPassphrase;
        if (hadSecrets && !secretsRemoved) ctx.out.warn(`the ${credential.secretBackend} could not be reached; the secrets of '${credential.name}' were left there`);
        if (ctx.out.structured) ctx.out.data({ removed: credential.name, unlinked, secretsRemoved });
        else {
          const users = describeUsage(unlinked);
          ctx.out.line(`removed credential '${credential.name}'${users ? `; unlinked from ${users}` : ''}`);
        }
      }),
    );

  credential
    .command('set-default <name>')
    .description('make a credential set the default (used when nothing else names one)')
    .action(
      action(async (ctx, name: string) => {
        const { setDefaultCredential } = await import('../../credentials/index.js');
        const credential = await setDefaultCredential(await ctx.store(), name);
        if (ctx.out.structured) ctx.out.data(credential);
        else ctx.out.line(`default credential is now '${credential.name}'`);
      }),
    );
}

function withSecretSources(command: Command): Command {
  return command
    .option('--password-stdin', 'read the password from the first line of stdin')
    .option('--token-stdin', 'token credentials: read the token from the first line of stdin')
    .option('--secrets-stdin', "read 'key: value' lines from stdin: password, enable, passphrase, private_key, token")
    .option('--key-file <path>', 'SSH private key file (read at connect time)')
    .option('--store-key', 'with --key-file: copy the key into the secret store instead of referencing the file');
}

async function gatherSecrets(options: SecretSourceOptions, context: { prompt: boolean; username: string; kind: 'login' | 'token' }): Promise<GatheredSecrets> {
  const { UsageError } = await import('../../core/errors.js');
  const { firstLine, parsePipedSecrets } = await import('../../credentials/index.js');
  const { promptSecret, readStdinText, stdinIsTerminal } = await import('../prompt.js');
  if ([options.passwordStdin, options.secretsStdin, options.tokenStdin].filter(Boolean).length > 1) {
    throw new UsageError('use one of --password-stdin, --token-stdin or --secrets-stdin');
  }
  if (options.storeKey && !options.keyFile) throw new UsageError('--store-key needs --key-file PATH');

  const gathered: GatheredSecrets = {};
  if (options.keyFile) {
    if (options.storeKey) {
      const { readFile } = await import('node:fs/promises');
      const { ValidationError } = await import('../../core/errors.js');
      try {
        gathered.privateKey = await readFile(options.keyFile, 'utf8');
      } catch (error) {
        throw new ValidationError(`cannot read key file ${options.keyFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
    } else gathered.keyPath = options.keyFile;
  }

  if (options.tokenStdin) {
    const token = firstLine(await readStdinText());
    if (token.trim() === '') throw new UsageError('--token-stdin was given but stdin has no token on its first line');
    gathered.token = token;
  } else if (options.passwordStdin) {
    const password = firstLine(await readStdinText());
    if (password === '') throw new UsageError('--password-stdin was given but stdin has no password on its first line');
    gathered.password = password;
  } else if (options.secretsStdin) {
    const piped = parsePipedSecrets(await readStdinText());
    if (piped.private_key !== undefined && options.keyFile) throw new UsageError('give the private key either on stdin or with --key-file, not both');
    gathered.password = piped.password;
    gathered.enable = piped.enable;
    gathered.passphrase = piped.passphrase;
    if (piped.private_key !== undefined) gathered.privateKey = piped.private_key;
    gathered.token = piped.token;
  } else if (context.prompt && stdinIsTerminal() && context.kind === 'token') {
    const token = await promptSecret('Token: ');
    if (token !== '') gathered.token = token;
  } else if (context.prompt && stdinIsTerminal()) {
    gathered.password = await promptSecret(`Password for ${context.username} (empty for none): `);
    gathered.enable = await promptSecret('Enable secret (empty for none): ');
    if (options.keyFile) gathered.passphrase = await promptSecret('Key passphrase (empty for none): ');
  }
  return gathered;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

function keyLabel(credential: Credential): string {
  if (credential.hasPrivateKey) return 'stored';
  if (credential.keyPath) return 'file';
  return 'no';
}

function setOrNot(value: boolean): string {
  return value ? 'set' : 'not set';
}

function printCredential(ctx: CliContext, credential: Credential, usage?: CredentialUsage): void {
  const human: Record<string, unknown> = { name: credential.name, type: credential.kind };
  if (credential.kind === 'token') {
    Object.assign(human, { description: credential.description, token: setOrNot(credential.hasToken), backend: credential.secretBackend, default: yesNo(credential.isDefault) });
  } else Object.assign(human, {
    username: credential.username,
    description: credential.description,
    password: setOrNot(credential.hasPassword),
    enable: setOrNot(credential.hasEnable),
    'private key': credential.hasPrivateKey ? 'stored' : credential.keyPath ? `file ${credential.keyPath}` : 'none',
    passphrase: setOrNot(credential.hasPassphrase),
    backend: credential.secretBackend,
    default: yesNo(credential.isDefault),
  });
  if (usage) {
    human['used by'] = [`${usage.devices.count} devices`, `${usage.groups.count} groups`, `${usage.overrides.count} overrides`].join(', ');
  }
  human.created = credential.createdAt;
  human.updated = credential.updatedAt;
  ctx.out.record(human, usage ? { ...credential, usage } : credential);
}
