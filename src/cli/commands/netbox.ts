import type { Command } from 'commander';
import { action, collect, type CliContext } from '../context.js';

interface SyncOptions {
  url?: string;
  filter?: string[];
  platformMap?: string;
  dryRun?: boolean;
  tokenStdin?: boolean;
  pageSize?: string;
  timeout?: string;
}

interface SetTokenOptions {
  tokenStdin?: boolean;
}

export function registerNetboxCommands(program: Command): void {
  const netbox = program.command('netbox').description('pull devices from NetBox');

  netbox
    .command('sync')
    .description(
      'add and update devices from NetBox /api/dcim/devices/ (matched by NetBox id, then name). Devices NetBox no longer ' +
        'lists get missing_since set and are never deleted; devices that did not come from NetBox are never changed.',
    )
    .option('--url <url>', 'NetBox base URL (default: setting netbox.url)')
    .option('--filter <key=value>', 'NetBox query filter, e.g. site=lon or status=active (repeatable)', collect)
    .option('--platform-map <file>', 'YAML/JSON mapping of NetBox platform or manufacturer slugs to platforms; wins over netbox.platform_map')
    .option('--dry-run', 'show what would be added, changed and marked missing, and write nothing')
    .option('--token-stdin', 'read the API token from stdin (else NETBOX_TOKEN, else the stored token)')
    .option('--page-size <n>', 'devices per request (default 500)')
    .option('--timeout <seconds>', 'per-request timeout (default 30)')
    .action(action(syncCommand));

  netbox
    .command('set-token')
    .description('store the NetBox API token in the secret store (keychain or vault)')
    .option('--token-stdin', 'read the token from stdin instead of prompting')
    .action(action(setTokenCommand));
}

async function syncCommand(ctx: CliContext, options: SyncOptions): Promise<void> {
  const { UsageError } = await import('../../core/errors.js');
  const netbox = await import('../../netbox/index.js');
  const { numberOption } = await import('../../core/numbers.js');
  const pageSize = numberOption('--page-size', options.pageSize, { integer: true, min: 1 });
  const timeoutS = numberOption('--timeout', options.timeout, { above: 0, unit: 'seconds' });
  const isKnown = await platformNames();
  const store = await ctx.store();
  const settings = await netbox.readNetboxSettings(store.db, isKnown);
  const url = options.url ?? settings.url;
  if (!url) throw new UsageError('no NetBox URL', "pass --url or set it once with 'netstacks settings set netbox.url https://netbox.example.com'");
  const filters = (options.filter ?? []).map(parseFilter(UsageError));
  const fileMap = options.platformMap ? await netbox.readPlatformMapFile(options.platformMap, isKnown) : {};
  const stdin = options.tokenStdin ? await readToken() : undefined;
  const { token } = await netbox.resolveNetboxToken({ stdin, secrets: () => ctx.secrets() });

  const insecure = !settings.verifyTls && url.trim().toLowerCase().startsWith('https:');
  if (insecure) ctx.out.warn(`not verifying the TLS certificate of ${new URL(url).host} (setting netbox.verify_tls is false)`);
  const { plan, pages, fetched } = await netbox.syncFromNetbox(store, {
    ...(insecure ? { fetch: (await import('../../netbox/insecure-fetch.js')).insecureFetch } : {}),
    url,
    token,
    filters,
    platformMap: { ...settings.platformMap, ...fileMap },
    dryRun: options.dryRun,
    pageSize,
    timeoutMs: timeoutS === undefined ? undefined : timeoutS * 1000,
  });

  for (const conflict of plan.conflicts) ctx.out.warn(`NetBox device '${conflict.name}' (id ${conflict.netboxId}) not synced: ${conflict.reason}`);
  for (const skipped of plan.skipped) ctx.out.warn(`NetBox device id ${skipped.netboxId} skipped: ${skipped.reason}`);
  for (const [slug, count] of Object.entries(plan.unmappedPlatforms)) {
    ctx.out.warn(`${count} device(s) with platform/manufacturer '${slug}' have no platform mapping; using ${netbox.FALLBACK_PLATFORM} (map it with --platform-map or the setting netbox.platform_map)`);
  }
  if (!plan.missingChecked) ctx.out.warn('filters limited the pull, so devices absent from it are not marked missing');

  if (ctx.out.structured) {
    ctx.out.data({ ...netbox.describeSyncPlan(plan), pages, fetched, dryRun: Boolean(options.dryRun) });
    return;
  }
  if (options.dryRun) {
    for (const name of plan.added) ctx.out.line(`+ device ${name}`);
    for (const change of plan.changed) {
      ctx.out.line(`~ device ${change.name}`);
      for (const { field, from, to } of change.changes) ctx.out.line(`    ${field}: ${show(from)} → ${show(to)}`);
    }
    for (const name of plan.missing) ctx.out.line(`! device ${name} (missing from NetBox)`);
  }
  const verb = options.dryRun ? 'would be ' : '';
  ctx.out.line(
    `${options.dryRun ? 'dry run, nothing written: ' : ''}${plan.added.length} ${verb}added, ${plan.changed.length} ${verb}changed, ` +
      `${plan.unchanged.length} unchanged, ${plan.missing.length} ${verb}marked missing, ${plan.conflicts.length} conflicts ` +
      `(${fetched} devices in ${pages} page${pages === 1 ? '' : 's'})`,
  );
}

async function setTokenCommand(ctx: CliContext, options: SetTokenOptions): Promise<void> {
  const { UsageError } = await import('../../core/errors.js');
  const prompt = await import('../prompt.js');
  const { NETBOX_TOKEN_KEY } = await import('../../netbox/config.js');
  const token = (options.tokenStdin ? await readToken() : await prompt.promptSecret('NetBox API token: '))?.trim();
  if (!token) throw new UsageError('no token given', 'pipe it in with --token-stdin, or type it at the prompt');
  const secrets = await ctx.secrets();
  await secrets.primary.set(NETBOX_TOKEN_KEY, token);
  ctx.out.info(`stored the NetBox token in the ${secrets.primary.name}`);
}

/** The token from piped stdin; on a terminal, asked for without echo rather than read to EOF. */
async function readToken(): Promise<string | undefined> {
  const prompt = await import('../prompt.js');
  return prompt.stdinIsTerminal() ? prompt.promptSecret('NetBox API token: ') : prompt.readStdinText();
}

/** Known platform names for checking platform maps, loaded only when a sync runs. */
async function platformNames(): Promise<(platform: string) => string | true> {
  const { isKnownPlatform, unknownPlatformHint } = await import('../../platforms/index.js');
  const { platformChecker } = await import('../../netbox/config.js');
  return platformChecker(isKnownPlatform, unknownPlatformHint);
}

type UsageErrorClass = typeof import('../../core/errors.js').UsageError;

function parseFilter(UsageError: UsageErrorClass): (text: string) => [string, string] {
  return (text) => {
    const eq = text.indexOf('=');
    if (eq <= 0) throw new UsageError(`--filter '${text}' is not key=value`, 'e.g. --filter site=lon --filter status=active');
    return [text.slice(0, eq).trim(), text.slice(eq + 1).trim()];
  };
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `[${value.join(', ')}]`;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
