import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';

/** `stack add|list|show|history`: registered stacks, their state and their deployments. */
export function registerStackRecordCommands(stack: Command): void {
  stack
    .command('add <file>')
    .description('register a stack file by its name, so `deploy NAME` finds it (the file stays the truth)')
    .addHelpText('after', '\n  netstacks stack add stacks/campus.yaml\n  netstacks deploy campus --dry-run')
    .action(action(addCommand));
  stack
    .command('list')
    .description('registered and deployed stacks: state, pending changes, last deployment')
    .addHelpText('after', '\n  netstacks stack list\n  netstacks stack list --json')
    .action(action(listCommand));
  stack
    .command('show <stack>')
    .description('a stack: state, pending changes, and the last deployment per device and service')
    .addHelpText('after', '\n  netstacks stack show campus\n  netstacks stack show stacks/campus.yaml --json')
    .action(action(showCommand));
  stack
    .command('history <stack>')
    .description("a stack's deployments, newest first: who, when, status")
    .option('--limit <n>', 'how many (default 50)')
    .addHelpText('after', '\n  netstacks stack history campus --limit 10')
    .action(action(historyCommand));
}

async function openState(ctx: CliContext) {
  const store = await ctx.store();
  const state = await import('../../stacks/state.js');
  await state.markInterruptedDeployments(store);
  return { store, state };
}

async function addCommand(ctx: CliContext, file: string): Promise<void> {
  const { resolve } = await import('node:path');
  const { readStackFile } = await import('../../stacks/file.js');
  const path = resolve(file);
  const stack = readStackFile(path);
  const { store, state } = await openState(ctx);
  const { created } = await state.registerStack(store, stack.name, path, stack.description);
  if (ctx.out.structured) ctx.out.data({ name: stack.name, path, created });
  else ctx.out.line(`${created ? 'registered' : 'updated'} stack ${stack.name} → ${path}`);
}

/** A stack argument: a registered or deployed name, or a stack file (its name). */
async function stackName(ctx: CliContext, argument: string): Promise<{ name: string; path?: string }> {
  const { state, store } = await openState(ctx);
  const registered = await state.getRegisteredStack(store.db, argument);
  if (registered) return { name: registered.name, path: registered.path };
  const known = await state.knownStacks(store.db);
  if (known.includes(argument)) return { name: argument };
  const { existsSync } = await import('node:fs');
  const { resolve } = await import('node:path');
  if (existsSync(resolve(argument))) {
    const { readStackFile } = await import('../../stacks/file.js');
    return { name: readStackFile(resolve(argument)).name, path: resolve(argument) };
  }
  const { NotFoundError } = await import('../../core/errors.js');
  const { nearest } = await import('../../core/suggest.js');
  throw new NotFoundError('stack', argument, nearest(argument, known));
}

async function listCommand(ctx: CliContext): Promise<void> {
  const { store, state } = await openState(ctx);
  const registered = new Map((await state.listRegisteredStacks(store.db)).map((r) => [r.name, r.path]));
  const rows = [];
  for (const name of await state.knownStacks(store.db)) {
    const path = registered.get(name);
    const status = await state.stackStatus(store.db, name, path ? state.fileHash(path) : undefined);
    rows.push({
      name,
      path: path ?? null,
      state: status.state,
      pendingChanges: status.pendingChanges,
      lastDeployment: status.lastDeployment
        ? { id: status.lastDeployment.id, action: status.lastDeployment.action, status: status.lastDeployment.status, user: status.lastDeployment.os_user, startedAt: status.lastDeployment.started_at }
        : null,
    });
  }
  ctx.out.list(rows, [
    { header: 'NAME', value: (r) => r.name },
    { header: 'STATE', value: (r) => r.state },
    { header: 'PENDING CHANGES', value: (r) => (r.pendingChanges ? 'yes' : 'no') },
    { header: 'LAST', value: (r) => (r.lastDeployment ? `#${r.lastDeployment.id} ${r.lastDeployment.action} ${r.lastDeployment.status} by ${r.lastDeployment.user} at ${r.lastDeployment.startedAt}` : '') },
    { header: 'PATH', value: (r) => r.path ?? '' },
  ]);
}

async function showCommand(ctx: CliContext, argument: string): Promise<void> {
  const { name, path } = await stackName(ctx, argument);
  const { store, state } = await openState(ctx);
  const status = await state.stackStatus(store.db, name, path ? state.fileHash(path) : undefined);
  const results = await state.lastResults(store.db, name);
  const rows = results.map((r) => ({
    device: r.device,
    service: r.service,
    deployment: r.deployment_id,
    action: r.action,
    result: r.result,
    startedAt: r.started_at ?? r.deployment_started_at,
    finishedAt: r.finished_at,
    commands: r.remediation ? (JSON.parse(r.remediation) as string[]) : [],
    error: r.error,
  }));
  const lines = await state.deployedLines(store.db, name);
  if (ctx.out.structured) {
    ctx.out.data({ name, path: path ?? null, state: status.state, pendingChanges: status.pendingChanges, lastDeployment: status.lastDeployment ?? null, results: rows, deployedLines: lines });
    return;
  }
  ctx.out.record({
    name,
    path: path ?? '',
    state: status.state,
    'pending changes': status.pendingChanges ? 'yes' : 'no',
    'last deployment': status.lastDeployment ? `#${status.lastDeployment.id} ${status.lastDeployment.action} ${status.lastDeployment.status} by ${status.lastDeployment.os_user} at ${status.lastDeployment.started_at}` : 'never',
    'deployed lines': `${lines.filter((l) => !l.section).length} on ${new Set(lines.map((l) => l.device)).size} device(s)`,
  });
  ctx.out.list(rows.filter((r) => r.service !== '*' || r.error), [
    { header: 'DEVICE', value: (r) => r.device },
    { header: 'SERVICE', value: (r) => (r.service === '*' ? '(device)' : r.service) },
    { header: 'DEPLOYMENT', value: (r) => `#${r.deployment} ${r.action}` },
    { header: 'RESULT', value: (r) => (r.result === 'applied' ? ctx.out.status('ok').replace('ok', 'applied') : ctx.out.status(r.result)) },
    { header: 'COMMANDS', value: (r) => r.commands.length },
    { header: 'FINISHED', value: (r) => r.finishedAt ?? '' },
    { header: 'ERROR', value: (r) => r.error ?? '' },
  ]);
}

async function historyCommand(ctx: CliContext, argument: string, flags: { limit?: string }): Promise<void> {
  const { numberOption } = await import('../../core/numbers.js');
  const limit = numberOption('--limit', flags.limit, { integer: true, min: 1 }) ?? 50;
  const { name } = await stackName(ctx, argument);
  const { store, state } = await openState(ctx);
  const rows = (await state.deploymentHistory(store.db, name, limit)).map((d) => ({
    id: d.id,
    action: d.action,
    status: d.status,
    user: d.os_user,
    host: d.hostname,
    startedAt: d.started_at,
    finishedAt: d.finished_at,
    onError: d.on_error,
    contentHash: d.content_hash,
    variables: JSON.parse(d.variables) as unknown,
    summary: d.summary ? (JSON.parse(d.summary) as unknown) : null,
  }));
  ctx.out.list(rows, [
    { header: 'ID', value: (r) => r.id },
    { header: 'ACTION', value: (r) => r.action },
    { header: 'STATUS', value: (r) => r.status },
    { header: 'USER', value: (r) => r.user },
    { header: 'STARTED', value: (r) => r.startedAt },
    { header: 'FINISHED', value: (r) => r.finishedAt ?? '' },
    { header: 'ON ERROR', value: (r) => r.onError },
    { header: 'HASH', value: (r) => r.contentHash.slice(0, 12) },
    { header: 'SUMMARY', value: (r) => (r.summary ? Object.entries(r.summary as Record<string, unknown>).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ') : '') },
  ]);
}
