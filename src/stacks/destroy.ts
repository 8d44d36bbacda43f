import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OperationEnv } from '../operations/types.js';
import type { RunSummary } from '../runner/types.js';
import type { DeployOptions, DeployOutcome } from './deploy.js';
import { serviceOrder, type StackDefinition, type StackService } from './file.js';
import type { DevicePlan } from './plan.js';
import type { DeployedLine, PreviousLine } from './state.js';

/**
 * `stack destroy` as a library: takes off the devices what the stack put there, through the deploy
 * machinery (src/stacks/deploy.ts: plan, confirm, lock, push with the device's safety net,
 * post-check, rollback, record), so a destroy behaves exactly as a deploy does.
 *
 * What a destroy pushes, per device, from the stack's recorded state (src/stacks/state.ts):
 * - a service with a delete template (`delete_template:` in the stack file, else the `delete:` its
 *   template's metadata links) renders it with the service's variables;
 * - every line the stack deployed there is removed (a section it created goes with its last line);
 * - a value the stack overwrote (a description, a hostname) or an owned section's former lines are
 *   put back as recorded before the first deploy. A secret that was masked cannot be put back.
 * Services are taken off in reverse dependency order. The stack's state on a device is cleared once
 * its destroy succeeded; a failed device keeps it, so the destroy can be run again.
 *
 * It is the deploy of a derived stack: the delete templates as services, the restored values as a
 * generated template with per-device variables, and every recorded line no longer rendered, which
 * the deploy removes as it removes any line a stack stopped rendering.
 */
export type DestroyOptions = DeployOptions;

const RESTORE_TEMPLATE = 'netstacks-destroy/restore';
const RESTORE_VARIABLE = 'netstacks_restore';

export async function destroyStack(env: OperationEnv, stack: StackDefinition, options: DestroyOptions): Promise<DeployOutcome> {
  const state = await import('./state.js');
  const deployed = await state.deployedLines(env.db, stack.name);
  const previous = await state.previousLines(env.db, stack.name);
  if (deployed.length === 0) {
    const note = `stack '${stack.name}' has nothing deployed: nothing to destroy`;
    options.onNote?.(note);
    return { status: 'unchanged', plan: emptySummary(), devices: {}, notes: [note] };
  }

  const folder = mkdtempSync(join(tmpdir(), 'netstacks-destroy-'));
  try {
    mkdirSync(join(folder, 'netstacks-destroy'));
    writeFileSync(join(folder, `${RESTORE_TEMPLATE}.j2`), `{{ ${RESTORE_VARIABLE} }}\n`);
    const templateFolders = [folder, ...(options.templateFolders ?? [])];
    const derived = await destroyServices(env, stack, deployed, previous, { ...options, templateFolders });
    const usesDeleteTemplates = derived.some((s) => s.template !== RESTORE_TEMPLATE);
    const destroyStackDefinition: StackDefinition = { ...stack, required: usesDeleteTemplates ? stack.required : [], services: derived };
    const outcome = await (await import('./deploy.js')).deployStack(env, destroyStackDefinition, { ...options, templateFolders });
    if (outcome.deploymentId !== undefined) {
      const id = outcome.deploymentId;
      await options.store.write((tx) => tx.updateTable('deployments').set({ action: 'destroy' }).where('id', '=', id).execute());
      // the derived stack's own lines were recorded as state: a destroyed device has none
      for (const [device, result] of Object.entries(outcome.devices)) {
        if (result === 'applied' || result === 'unchanged') await state.clearDeviceState(options.store, stack.name, device);
      }
    }
    return outcome;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The derived stack's services: delete templates, then the values to restore, in reverse dependency order. */
async function destroyServices(env: OperationEnv, stack: StackDefinition, deployed: readonly DeployedLine[], previous: readonly PreviousLine[], options: DestroyOptions): Promise<StackService[]> {
  const { openTemplates } = await import('../templates/library/open.js');
  const renderer = await openTemplates({ db: env.db, home: env.home, folders: options.templateFolders, cwd: options.cwd, secrets: () => Promise.resolve(env.secrets) });
  const { getDevice, listDevices } = await import('../inventory/index.js');
  // a device taken out of the inventory since cannot be reached: its state stays
  const inventory = new Set((await listDevices(env.db)).map((d) => d.name));
  const { configModelFor, ConfigNode } = await import('../config/index.js');
  const { MASK } = await import('../session/masking.js');
  const devicesOf = (service: string, lines: readonly { device: string; service: string }[]) => [
    ...new Set(lines.filter((l) => l.service === service && inventory.has(l.device)).map((l) => l.device)),
  ];

  const out: StackService[] = [];
  for (const service of [...serviceOrder(stack)].reverse()) {
    const linked = service.delete_template ?? renderer.meta(renderer.source(service.template).entry)?.delete;
    const targets = devicesOf(service.name, deployed);
    let name = service.name;
    if (linked && targets.length) {
      renderer.source(linked);
      out.push({ ...service, template: linked, targets, depends_on: [] });
      name = `${service.name} (restore)`;
    }
    const restore: Record<string, Record<string, unknown>> = {};
    for (const device of devicesOf(service.name, previous)) {
      const lines = previous.filter((p) => p.device === device && p.service === service.name && !p.path.some((l) => l.includes(MASK)));
      if (lines.length === 0) continue;
      const model = configModelFor((await getDevice(env.db, device)).platform);
      const tree = new ConfigNode('');
      for (const { path } of lines) {
        let node = tree;
        for (const line of path) node = node.add(line, model.rules.keyOf(line));
      }
      restore[device] = { [RESTORE_VARIABLE]: model.render(tree).join('\n') };
    }
    if (Object.keys(restore).length) {
      out.push({ name, template: RESTORE_TEMPLATE, targets: Object.keys(restore), variables: {}, per_device: restore, depends_on: [] });
    }
  }
  return out;
}

function emptySummary(): RunSummary<DevicePlan> {
  return { results: [], counts: { ok: 0, failed: 0, skipped: 0, total: 0 }, interrupted: false, durationMs: 0 };
}
