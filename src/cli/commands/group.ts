import type { Command } from 'commander';
import { action, collect, type CliContext } from '../context.js';

interface GroupOptions {
  description?: string;
  priority?: string;
  var?: string[];
  credential?: string | false;
  jumpHost?: string[] | false;
  legacyAlgorithms?: boolean;
}

interface EditOptions extends GroupOptions {
  rename?: string;
  unsetVar?: string[];
}

export function registerGroupCommands(program: Command): void {
  const group = program
    .command('group')
    .description('groups of devices with shared variables, SSH options and credential (the group "defaults" applies to all)');

  groupOptions(group.command('add <name>').description('add a group')).action(action(addCommand));
  group.command('list').description('list groups in precedence order (later wins)').action(action(listCommand));
  group.command('show <name>').description('show a group with its variables and members').action(action(showCommand));
  groupOptions(group.command('edit <name>').description('change a group'))
    .option('--no-credential', 'clear the group credential')
    .option('--rename <new-name>', 'rename the group')
    .option('--unset-var <key>', 'remove a variable (repeatable)', collect)
    .option('--no-jump-host', 'clear the jump hosts')
    .option('--no-legacy-algorithms', 'refuse legacy SSH algorithms for members')
    .action(action(editCommand));
  group.command('rm <name>').description('remove a group (its devices stay)').action(action(removeCommand));
  group.command('add-device <group> <devices...>').description('add devices to a group').action(action(addDevicesCommand));
  group.command('remove-device <group> <devices...>').description('remove devices from a group').action(action(removeDevicesCommand));
}

function groupOptions(command: Command): Command {
  return command
    .option('--description <text>', 'free text')
    .option('--priority <n>', 'precedence: groups apply in ascending priority, then name; later wins (default 0)')
    .option('--var <key=value>', 'variable, value read as YAML (repeatable)', collect)
    .option('--credential <name>', 'credential set for members without their own')
    .option('--jump-host <hop>', 'SSH jump host for members, first hop first (repeatable)', collect)
    .option('--legacy-algorithms', 'allow legacy SSH algorithms for members');
}

async function addCommand(ctx: CliContext, name: string, options: GroupOptions): Promise<void> {
  const { addGroup } = await import('../../inventory/groups.js');
  const { applySshFlags, parseAssignments, parseNumberOption } = await import('../../inventory/input-parsing.js');
  const group = await addGroup(await ctx.store(), {
    name,
    description: options.description,
    priority: parseNumberOption('--priority', options.priority, { integer: true }),
    variables: options.var ? parseAssignments(options.var) : undefined,
    credential: typeof options.credential === 'string' ? options.credential : undefined,
    ssh: applySshFlags({}, options),
  });
  if (ctx.out.structured) ctx.out.data(group);
  else ctx.out.line(`added group ${group.name} (priority ${group.priority})`);
}

async function listCommand(ctx: CliContext): Promise<void> {
  const { listGroups } = await import('../../inventory/groups.js');
  const store = await ctx.store();
  ctx.out.list(await listGroups(store.db), [
    { header: 'name', value: (g) => g.name },
    { header: 'priority', value: (g) => g.priority },
    { header: 'devices', value: (g) => g.members.length },
    { header: 'credential', value: (g) => g.credential },
    { header: 'variables', value: (g) => Object.keys(g.variables) },
    { header: 'description', value: (g) => g.description },
  ]);
}

async function showCommand(ctx: CliContext, name: string): Promise<void> {
  const { getGroup } = await import('../../inventory/groups.js');
  const store = await ctx.store();
  const group = await getGroup(store.db, name);
  ctx.out.record(
    {
      name: group.name,
      description: group.description,
      priority: group.priority,
      credential: group.credential,
      variables: Object.keys(group.variables).length ? group.variables : null,
      ssh: Object.keys(group.ssh).length ? group.ssh : null,
      devices: group.members,
    },
    group,
  );
}

async function editCommand(ctx: CliContext, name: string, options: EditOptions): Promise<void> {
  const { getGroup, updateGroup } = await import('../../inventory/groups.js');
  const { applySshFlags, parseAssignments, parseNumberOption } = await import('../../inventory/input-parsing.js');
  const { UsageError } = await import('../../core/errors.js');
  const store = await ctx.store();
  const current = await getGroup(store.db, name);
  const patch: Parameters<typeof updateGroup>[2] = {};
  if (options.rename !== undefined) patch.name = options.rename;
  if (options.description !== undefined) patch.description = options.description;
  if (options.priority !== undefined) patch.priority = parseNumberOption('--priority', options.priority, { integer: true });
  if (options.credential !== undefined) patch.credential = options.credential === false ? null : options.credential;
  if (options.var || options.unsetVar) {
    const variables = { ...current.variables, ...parseAssignments(options.var) };
    for (const key of options.unsetVar ?? []) delete variables[key];
    patch.variables = variables;
  }
  if (options.jumpHost !== undefined || options.legacyAlgorithms !== undefined) patch.ssh = applySshFlags(current.ssh, options);
  if (Object.keys(patch).length === 0) throw new UsageError('nothing to change', `see 'netstacks group edit --help'`);
  const group = await updateGroup(store, name, patch);
  if (ctx.out.structured) ctx.out.data(group);
  else ctx.out.line(`updated group ${group.name}`);
}

async function removeCommand(ctx: CliContext, name: string): Promise<void> {
  const { removeGroup } = await import('../../inventory/groups.js');
  await removeGroup(await ctx.store(), name);
  if (ctx.out.structured) ctx.out.data({ removed: name });
  else ctx.out.line(`removed group ${name}`);
}

async function addDevicesCommand(ctx: CliContext, name: string, devices: string[]): Promise<void> {
  const { addDeviceToGroup } = await import('../../inventory/groups.js');
  const group = await addDeviceToGroup(await ctx.store(), name, devices);
  if (ctx.out.structured) ctx.out.data(group);
  else ctx.out.line(`group ${name}: added ${devices.join(', ')}`);
}

async function removeDevicesCommand(ctx: CliContext, name: string, devices: string[]): Promise<void> {
  const { removeDeviceFromGroup } = await import('../../inventory/groups.js');
  const group = await removeDeviceFromGroup(await ctx.store(), name, devices);
  if (ctx.out.structured) ctx.out.data(group);
  else ctx.out.line(`group ${name}: removed ${devices.join(', ')}`);
}
