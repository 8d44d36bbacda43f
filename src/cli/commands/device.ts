import type { Command } from 'commander';
import { action, collect, type CliContext } from '../context.js';
import type { Device, DeviceInput } from '../../inventory/types.js';
import { confirm } from '../prompt.js';

interface DeviceFieldOptions {
  host?: string;
  port?: string;
  platform?: string;
  site?: string;
  role?: string;
  vendor?: string;
  model?: string;
  description?: string;
  tag?: string[];
  var?: string[];
  credential?: string | false;
  group?: string[];
  jumpHost?: string[] | false;
  legacyAlgorithms?: boolean;
}

interface AddOptions extends DeviceFieldOptions {
  disabled?: boolean;
}

interface EditOptions extends DeviceFieldOptions {
  rename?: string;
  enable?: boolean;
  disable?: boolean;
  untag?: string[];
  unsetVar?: string[];
  ungroup?: string[];
}

const PORT_RULES = { integer: true, min: 1, max: 65535 };

function fieldOptions(command: Command): Command {
  return command
    .option('--port <port>', 'SSH port (default 22)')
    .option('--platform <platform>', 'Netmiko-style platform: cisco_ios, arista_eos, juniper_junos, … (default cisco_ios)')
    .option('--site <site>', 'site name')
    .option('--role <role>', 'role, e.g. core, access')
    .option('--vendor <vendor>', 'vendor')
    .option('--model <model>', 'hardware model')
    .option('--description <text>', 'free text')
    .option('--tag <tag>', 'tag (repeatable)', collect)
    .option('--var <key=value>', 'template variable, value read as YAML (repeatable)', collect)
    .option('--credential <name>', 'credential set to log in with')
    .option('--group <group>', 'add to group (repeatable)', collect)
    .option('--jump-host <hop>', 'SSH jump host, first hop first: a device name or user@host:port (repeatable)', collect)
    .option('--legacy-algorithms', 'allow legacy SSH algorithms (old IOS: group1/group14-sha1, CBC ciphers, ssh-rsa)');
}

export function registerDeviceCommands(device: Command): void {
  fieldOptions(device.command('add <name>').description('add a device').requiredOption('--host <host>', 'IP address or DNS name'))
    .option('--disabled', 'add it disabled (every operation skips it)')
    .action(action(addCommand));

  device
    .command('list')
    .description('list devices')
    .option('--on <expr>', "select devices, e.g. 'site:lon and tag:core' (see docs/selection.md)")
    .action(action(listCommand));

  device
    .command('show <name>')
    .description('show a device with its groups, resolved credential and override')
    .option('--vars', 'show the merged variables (defaults < groups < device) and where each came from')
    .action(action(showCommand));

  fieldOptions(device.command('edit <name>').description('change a device').option('--host <host>', 'IP address or DNS name'))
    .option('--no-credential', 'clear the device credential (groups or the default then apply)')
    .option('--rename <new-name>', 'rename the device')
    .option('--enable', 'enable the device')
    .option('--disable', 'disable the device (every operation skips it)')
    .option('--untag <tag>', 'remove a tag (repeatable)', collect)
    .option('--unset-var <key>', 'remove a variable (repeatable)', collect)
    .option('--ungroup <group>', 'remove from group (repeatable)', collect)
    .option('--no-jump-host', 'clear the jump hosts (those of the groups then apply)')
    .option('--no-legacy-algorithms', 'refuse legacy SSH algorithms even when a group allows them')
    .action(action(editCommand));

  device
    .command('rm <name>')
    .description('remove a device with its override and group memberships')
    .option('-y, --yes', 'do not ask for confirmation')
    .action(action(removeCommand));
}

async function addCommand(ctx: CliContext, name: string, options: AddOptions): Promise<void> {
  const { addDevice } = await import('../../inventory/devices.js');
  const { applySshFlags, parseAssignments, parseNumberOption } = await import('../../inventory/input-parsing.js');
  const store = await ctx.store();
  const device = await addDevice(store, {
    name,
    host: options.host ?? '',
    port: parseNumberOption('--port', options.port, PORT_RULES),
    platform: options.platform,
    site: options.site,
    role: options.role,
    vendor: options.vendor,
    model: options.model,
    description: options.description,
    tags: options.tag,
    variables: options.var ? parseAssignments(options.var) : undefined,
    credential: typeof options.credential === 'string' ? options.credential : undefined,
    groups: options.group,
    ssh: applySshFlags({}, options),
    enabled: !options.disabled,
  });
  if (ctx.out.structured) ctx.out.data(device);
  else ctx.out.line(`added device ${device.name} (${device.host}:${device.port}, ${device.platform})`);
}

async function listCommand(ctx: CliContext, options: { on?: string }): Promise<void> {
  const { listDevices } = await import('../../inventory/devices.js');
  const { selectDevices } = await import('../../inventory/selection/index.js');
  const store = await ctx.store();
  const devices = selectDevices(await listDevices(store.db), options.on);
  ctx.out.list(devices, [
    { header: 'name', value: (d) => d.name },
    { header: 'host', value: (d) => (d.port === 22 ? d.host : `${d.host}:${d.port}`) },
    { header: 'platform', value: (d) => d.platform },
    { header: 'site', value: (d) => d.site },
    { header: 'role', value: (d) => d.role },
    { header: 'tags', value: (d) => d.tags },
    { header: 'enabled', value: (d) => ctx.out.status(d.enabled ? 'enabled' : 'disabled') },
  ]);
}

async function showCommand(ctx: CliContext, name: string, options: { vars?: boolean }): Promise<void> {
  const inventory = await import('../../inventory/index.js');
  const store = await ctx.store();
  const device = await inventory.getDevice(store.db, name);
  if (options.vars) {
    const { variables, origin } = await inventory.mergedVariables(store.db, device);
    if (ctx.out.structured) ctx.out.data({ device: device.name, variables, origin });
    else ctx.out.list(Object.entries(variables), [
      { header: 'variable', value: ([key]) => key },
      { header: 'value', value: ([, value]) => (typeof value === 'string' ? value : JSON.stringify(value)) },
      { header: 'from', value: ([key]) => origin[key] },
    ]);
    return;
  }
  const [resolved, override] = await Promise.all([inventory.resolveCredential(store.db, device), inventory.getOverride(store.db, name)]);
  const skipReason = inventory.skipReasonFor(device, override);
  const shown: Record<string, unknown> = {
    name: device.name,
    host: device.host,
    port: device.port,
    platform: device.platform,
    site: device.site,
    role: device.role,
    vendor: device.vendor,
    model: device.model,
    description: device.description,
    tags: device.tags,
    groups: device.groups,
    status: skipReason ? ctx.out.status('disabled') + ` (${skipReason})` : ctx.out.status('enabled'),
    credential: resolved.credential ? `${resolved.credential} (from ${resolved.source})` : '(none)',
    'credential order': 'override > device > group (highest priority) > default',
    override: inventory.describeOverride(override) || '(none)',
    ssh: Object.keys(device.ssh).length ? device.ssh : null,
    variables: Object.keys(device.variables).length ? device.variables : null,
    source: device.missingSince ? `${device.source} (missing since ${device.missingSince})` : device.source,
    updated: device.updatedAt,
  };
  for (const [key, value] of Object.entries(shown)) if (value === null || (Array.isArray(value) && value.length === 0)) delete shown[key];
  ctx.out.record(
    shown,
    { ...device, resolvedCredential: { name: resolved.credential, source: resolved.source }, override: override ?? null, skipReason },
  );
}

async function editCommand(ctx: CliContext, name: string, options: EditOptions): Promise<void> {
  const { updateDevice } = await import('../../inventory/devices.js');
  const { applySshFlags, parseAssignments, parseNumberOption } = await import('../../inventory/input-parsing.js');
  const { UsageError } = await import('../../core/errors.js');
  if (options.enable && options.disable) throw new UsageError('--enable and --disable contradict each other');
  const port = parseNumberOption('--port', options.port, PORT_RULES);
  const variables = options.var ? parseAssignments(options.var) : undefined;
  // the patch is built from the device as read inside the write transaction, so two concurrent edits cannot lose one
  const patchFor = (current: Device): Partial<DeviceInput> => {
    const patch: Partial<DeviceInput> = {};
    if (options.rename !== undefined) patch.name = options.rename;
    if (options.host !== undefined) patch.host = options.host;
    if (port !== undefined) patch.port = port;
    for (const field of ['platform', 'site', 'role', 'vendor', 'model', 'description'] as const) {
      if (options[field] !== undefined) patch[field] = options[field];
    }
    if (options.credential !== undefined) patch.credential = options.credential === false ? null : options.credential;
    if (options.enable) patch.enabled = true;
    if (options.disable) patch.enabled = false;
    if (options.tag || options.untag) {
      const untag = new Set(options.untag ?? []);
      patch.tags = [...current.tags, ...(options.tag ?? [])].filter((t) => !untag.has(t));
    }
    if (variables || options.unsetVar) {
      const merged = { ...current.variables, ...variables };
      for (const key of options.unsetVar ?? []) delete merged[key];
      patch.variables = merged;
    }
    if (options.group || options.ungroup) {
      const ungroup = new Set(options.ungroup ?? []);
      patch.groups = [...current.groups, ...(options.group ?? [])].filter((g) => !ungroup.has(g));
    }
    if (options.jumpHost !== undefined || options.legacyAlgorithms !== undefined) patch.ssh = applySshFlags(current.ssh, options);
    if (Object.keys(patch).length === 0) throw new UsageError('nothing to change', `see 'netstacks device edit --help' for what can be changed`);
    return patch;
  };
  const device = await updateDevice(await ctx.store(), name, patchFor);
  if (ctx.out.structured) ctx.out.data(device);
  else ctx.out.line(`updated device ${device.name}`);
}

async function removeCommand(ctx: CliContext, name: string, options: { yes?: boolean }): Promise<number | void> {
  const { getDevice, removeDevice } = await import('../../inventory/devices.js');
  const { UsageError } = await import('../../core/errors.js');
  const store = await ctx.store();
  await getDevice(store.db, name);
  if (!options.yes) {
    if (!process.stdin.isTTY || !process.stderr.isTTY) throw new UsageError(`not removing device '${name}' without confirmation`, 'pass --yes to remove it');
    if (!(await confirm(`remove device '${name}' with its override and group memberships? [y/N] `))) {
      ctx.out.info('nothing removed');
      return 2;
    }
  }
  await removeDevice(store, name);
  if (ctx.out.structured) ctx.out.data({ removed: name });
  else ctx.out.line(`removed device ${name}`);
}
