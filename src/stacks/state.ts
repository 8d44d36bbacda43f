import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { NotFoundError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import { nowIso } from '../core/time.js';
import { currentProcess, currentUser, processLiveness } from '../locks/process.js';
import type { Db, Store, Tx } from '../store/store.js';
import type { DeploymentResultRow, DeploymentRow, StackRow } from '../store/schema.js';

/**
 * The stack repository: registered stacks, deployments with their per-device/service results, and
 * what each stack deployed on each device (its state, as Terraform keeps one).
 *
 * State, for `destroy` and the next deploy:
 * - `deployedLines(db, stack, device?)`: every line this stack deployed on a device, as a path in
 *   the config tree (top-level line first, secrets masked). `section: true` marks a section the
 *   stack created itself (it goes when the stack's last line in it goes).
 * - `previousLines(db, stack, device?)`: lines the stack's first deploy overwrote (a description,
 *   a hostname: `replacedBy` is the stack's line) or removed (an owned section's former lines:
 *   `replacedBy` null). Destroy puts these back. Recorded once, at the first deploy that changed
 *   them, and kept until `clearDeviceState`. A masked secret cannot be put back (the value is
 *   not kept anywhere).
 * - `recordDeviceState(store, …)` after a successful push; `clearDeviceState(store, stack, device)`
 *   after a successful destroy of a device.
 * Paths are compared by the platform's comparison key (`model.rules.keyOf`), not as raw text.
 */

export type DeploymentAction = 'deploy' | 'destroy';
export type OnError = 'continue' | 'stop' | 'rollback-all';
export type DeploymentStatus = 'deploying' | 'deployed' | 'partial' | 'failed' | 'interrupted' | 'unchanged';
/** the seed's stack states */
export type StackState = 'pending' | 'deploying' | 'deployed' | 'partial' | 'failed';

export interface DeployedLine {
  device: string;
  path: string[];
  service: string;
  section: boolean;
  deploymentId: number;
}

export interface PreviousLine {
  device: string;
  path: string[];
  replacedBy: string[] | null;
  service: string;
}

export interface ResultRecord {
  device: string;
  service: string;
  template?: string | null;
  rendered?: string | null;
  remediation?: string[] | null;
  rollback?: string[] | null;
  diff?: string | null;
  deviceCompare?: string | null;
  result: string;
  error?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
}

const json = (value: unknown): string => JSON.stringify(value);
const parsePath = (text: string): string[] => JSON.parse(text) as string[];

/** sha256 of a stack file's text: an edited file shows pending changes against the last deploy. */
export function stackContentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// ---------------------------------------------------------------- registered stacks

export async function registerStack(store: Store, name: string, path: string, description?: string): Promise<{ created: boolean }> {
  const now = nowIso();
  return store.write(async (tx) => {
    const existing = await tx.selectFrom('stacks').select('id').where('name', '=', name).executeTakeFirst();
    if (existing) {
      await tx.updateTable('stacks').set({ path, description: description ?? null, updated_at: now }).where('id', '=', existing.id).execute();
      return { created: false };
    }
    await tx.insertInto('stacks').values({ name, path, description: description ?? null, created_at: now, updated_at: now }).execute();
    return { created: true };
  });
}

export async function listRegisteredStacks(db: Db): Promise<StackRow[]> {
  return db.selectFrom('stacks').selectAll().orderBy('name').execute();
}

export async function getRegisteredStack(db: Db, name: string): Promise<StackRow | undefined> {
  return db.selectFrom('stacks').selectAll().where('name', '=', name).executeTakeFirst();
}

/**
 * A stack argument: a path to a stack file, or the name of a registered stack (its recorded path).
 * Unknown names suggest the nearest registered one.
 */
export async function resolveStackFile(db: Db, argument: string, cwd = process.cwd()): Promise<string> {
  const path = resolve(cwd, argument);
  if (existsSync(path) && statSync(path).isFile()) return path;
  const registered = await getRegisteredStack(db, argument);
  if (registered) return registered.path;
  const names = (await listRegisteredStacks(db)).map((s) => s.name);
  const looksLikePath = /[/\\]|\.ya?ml$/i.test(argument);
  if (looksLikePath) throw new NotFoundError('stack file', argument);
  throw new NotFoundError('stack', argument, nearest(argument, names));
}

// ---------------------------------------------------------------- deployments

export interface NewDeployment {
  stack: string;
  stackPath: string;
  action: DeploymentAction;
  contentHash: string;
  /** inputs, already masked */
  variables: Record<string, unknown>;
  onError: OnError;
}

export async function startDeployment(store: Store, deployment: NewDeployment): Promise<number> {
  const me = currentProcess();
  const row = await store.write((tx) =>
    tx
      .insertInto('deployments')
      .values({
        stack: deployment.stack,
        stack_path: deployment.stackPath,
        action: deployment.action,
        os_user: currentUser(),
        hostname: me.hostname,
        pid: me.pid,
        process_start: me.processStart,
        content_hash: deployment.contentHash,
        variables: json(deployment.variables),
        on_error: deployment.onError,
        status: 'deploying',
        started_at: nowIso(),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return row.id;
}

/** Writes (or updates) result rows; `fresh`: the rows are new (one multi-row insert, the deploy's first write). */
export async function recordResults(store: Store, deploymentId: number, results: readonly ResultRecord[], options: { fresh?: boolean } = {}): Promise<void> {
  if (results.length === 0) return;
  await store.write(async (tx) => {
    if (options.fresh) {
      for (let i = 0; i < results.length; i += 200) {
        const rows = results.slice(i, i + 200).map((r) => ({ deployment_id: deploymentId, device: r.device, service: r.service, ...resultValues(r) }));
        await tx.insertInto('deployment_results').values(rows).execute();
      }
      return;
    }
    for (const r of results) await upsertResult(tx, deploymentId, r);
  });
}

/** Updates every result row of a device in a deployment (its services and its device row) at once. */
export async function updateDeviceResults(store: Store, deploymentId: number, device: string, values: Omit<ResultRecord, 'device' | 'service'>): Promise<void> {
  await store.write((tx) =>
    tx
      .updateTable('deployment_results')
      .set(resultValues({ ...values, device, service: '*' }))
      .where('deployment_id', '=', deploymentId)
      .where('device', '=', device)
      .execute(),
  );
}

function resultValues(r: ResultRecord) {
  return {
    ...(r.template !== undefined ? { template: r.template } : {}),
    ...(r.rendered !== undefined ? { rendered: r.rendered } : {}),
    ...(r.remediation !== undefined ? { remediation: r.remediation === null ? null : json(r.remediation) } : {}),
    ...(r.rollback !== undefined ? { rollback: r.rollback === null ? null : json(r.rollback) } : {}),
    ...(r.diff !== undefined ? { diff: r.diff } : {}),
    ...(r.deviceCompare !== undefined ? { device_compare: r.deviceCompare } : {}),
    result: r.result,
    ...(r.error !== undefined ? { error: r.error } : {}),
    ...(r.startedAt !== undefined ? { started_at: r.startedAt } : {}),
    ...(r.finishedAt !== undefined ? { finished_at: r.finishedAt } : {}),
  };
}

async function upsertResult(tx: Tx, deploymentId: number, r: ResultRecord): Promise<void> {
  const values = resultValues(r);
  const existing = await tx
    .selectFrom('deployment_results')
    .select('id')
    .where('deployment_id', '=', deploymentId)
    .where('device', '=', r.device)
    .where('service', '=', r.service)
    .executeTakeFirst();
  if (existing) await tx.updateTable('deployment_results').set(values).where('id', '=', existing.id).execute();
  else await tx.insertInto('deployment_results').values({ deployment_id: deploymentId, device: r.device, service: r.service, ...values }).execute();
}

export async function finishDeployment(store: Store, deploymentId: number, status: DeploymentStatus, summary: Record<string, unknown>): Promise<void> {
  await store.write((tx) =>
    tx.updateTable('deployments').set({ status, summary: json(summary), finished_at: nowIso() }).where('id', '=', deploymentId).where('status', '=', 'deploying').execute(),
  );
}

/**
 * Deployments left `deploying` by a process that is gone (killed, crashed, power cut) become
 * `interrupted`, and their results still `pending` become `interrupted` too. A live process, or
 * one on another host, is left alone. Called whenever a stack command opens the store.
 */
export async function markInterruptedDeployments(store: Store): Promise<number[]> {
  const running = await store.db.selectFrom('deployments').select(['id', 'pid', 'hostname', 'process_start']).where('status', '=', 'deploying').execute();
  const dead = running.filter((r) => processLiveness({ pid: r.pid, hostname: r.hostname, processStart: r.process_start }) === 'dead');
  if (dead.length === 0) return [];
  const ids = dead.map((d) => d.id);
  await store.write(async (tx) => {
    await tx.updateTable('deployments').set({ status: 'interrupted', finished_at: nowIso() }).where('id', 'in', ids).where('status', '=', 'deploying').execute();
    await tx.updateTable('deployment_results').set({ result: 'interrupted' }).where('deployment_id', 'in', ids).where('result', 'in', ['pending', 'pushing']).execute();
  });
  return ids;
}

export async function getDeployment(db: Db, id: number): Promise<DeploymentRow | undefined> {
  return db.selectFrom('deployments').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deploymentResults(db: Db, id: number): Promise<DeploymentResultRow[]> {
  return db.selectFrom('deployment_results').selectAll().where('deployment_id', '=', id).orderBy('id').execute();
}

export async function deploymentHistory(db: Db, stack: string, limit = 50): Promise<DeploymentRow[]> {
  return db.selectFrom('deployments').selectAll().where('stack', '=', stack).orderBy('id', 'desc').limit(limit).execute();
}

/** The last deployment's result per device and service (deploys and destroys alike). */
export async function lastResults(db: Db, stack: string): Promise<(DeploymentResultRow & { action: string; deployment_started_at: string })[]> {
  const rows = await db
    .selectFrom('deployment_results as r')
    .innerJoin('deployments as d', 'd.id', 'r.deployment_id')
    .selectAll('r')
    .select(['d.action as action', 'd.started_at as deployment_started_at'])
    .where('d.stack', '=', stack)
    .orderBy('r.deployment_id', 'desc')
    .orderBy('r.id')
    .execute();
  const seen = new Set<string>();
  const out: typeof rows = [];
  for (const row of rows) {
    const key = `${row.device}\u0000${row.service}`;
    if (seen.has(key) || row.result === 'not-pushed') continue;
    seen.add(key);
    out.push(row);
  }
  return out.sort((a, b) => a.device.localeCompare(b.device) || a.id - b.id);
}

export interface StackStatus {
  name: string;
  state: StackState;
  /** the file's content differs from the last deploy's */
  pendingChanges: boolean;
  lastDeployment?: DeploymentRow;
}

/**
 * The seed's states: pending (never deployed, or destroyed), deploying (a live deploy holds it),
 * deployed, partial (some devices failed), failed (all failed, or interrupted). `pendingChanges`
 * compares the file's current hash with the last deploy's.
 */
export async function stackStatus(db: Db, name: string, currentHash?: string): Promise<StackStatus> {
  const last = await db.selectFrom('deployments').selectAll().where('stack', '=', name).where('status', '!=', 'unchanged').orderBy('id', 'desc').limit(1).executeTakeFirst();
  const lastDeploy = await db
    .selectFrom('deployments')
    .select(['content_hash', 'status'])
    .where('stack', '=', name)
    .where('action', '=', 'deploy')
    .where('status', 'in', ['deployed', 'partial', 'unchanged'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const state: StackState = !last
    ? 'pending'
    : last.status === 'deploying'
      ? 'deploying'
      : last.action === 'destroy' && last.status === 'deployed'
        ? 'pending'
        : last.status === 'deployed'
          ? 'deployed'
          : last.status === 'partial'
            ? 'partial'
            : 'failed';
  const destroyed = last?.action === 'destroy' && last.status === 'deployed';
  const pendingChanges = state === 'pending' || destroyed ? true : currentHash !== undefined && lastDeploy !== undefined && lastDeploy.content_hash !== currentHash;
  return { name, state, pendingChanges, ...(last ? { lastDeployment: last } : {}) };
}

/** Names of every stack with a deployment or a registration. */
export async function knownStacks(db: Db): Promise<string[]> {
  const deployed = await db.selectFrom('deployments').select('stack').distinct().execute();
  const registered = await listRegisteredStacks(db);
  return [...new Set([...registered.map((r) => r.name), ...deployed.map((d) => d.stack)])].sort();
}

/** The stack file's hash now, or undefined when it cannot be read. */
export function fileHash(path: string): string | undefined {
  try {
    return stackContentHash(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- per-device state

export async function deployedLines(db: Db, stack: string, device?: string): Promise<DeployedLine[]> {
  let query = db.selectFrom('stack_lines').selectAll().where('stack', '=', stack);
  if (device !== undefined) query = query.where('device', '=', device);
  const rows = await query.orderBy('device').orderBy('rowid' as 'path').execute();
  return rows.map((r) => ({ device: r.device, path: parsePath(r.path), service: r.service, section: r.section === 1, deploymentId: r.deployment_id }));
}

/** Devices on which this stack has deployed something. */
export async function stackDevices(db: Db, stack: string): Promise<string[]> {
  const rows = await db.selectFrom('stack_lines').select('device').distinct().where('stack', '=', stack).orderBy('device').execute();
  return rows.map((r) => r.device);
}

/** Lines other stacks deployed on these devices (to refuse two stacks rendering one line). */
export async function otherStacksLines(db: Db, stack: string, devices: readonly string[]): Promise<(DeployedLine & { stack: string })[]> {
  if (devices.length === 0) return [];
  const rows = await db.selectFrom('stack_lines').selectAll().where('stack', '!=', stack).where('device', 'in', devices).where('section', '=', 0).execute();
  return rows.map((r) => ({ stack: r.stack, device: r.device, path: parsePath(r.path), service: r.service, section: false, deploymentId: r.deployment_id }));
}

export async function previousLines(db: Db, stack: string, device?: string): Promise<PreviousLine[]> {
  let query = db.selectFrom('stack_previous').selectAll().where('stack', '=', stack);
  if (device !== undefined) query = query.where('device', '=', device);
  const rows = await query.orderBy('device').orderBy('rowid' as 'path').execute();
  return rows.map((r) => ({ device: r.device, path: parsePath(r.path), replacedBy: r.replaced_by === null ? null : parsePath(r.replaced_by), service: r.service }));
}

export interface DeviceState {
  /** every line the stack now has on the device (masked paths) */
  lines: { path: string[]; service: string; section: boolean }[];
  /** lines this deploy overwrote or removed that were not the stack's own (kept if already recorded) */
  previous: { path: string[]; replacedBy: string[] | null; service: string }[];
}

/** After a successful push: the device's lines become exactly `state.lines`; previous values are added once. */
export async function recordDeviceState(store: Store, stack: string, device: string, deploymentId: number, state: DeviceState): Promise<void> {
  const now = nowIso();
  await store.write(async (tx) => {
    await tx.deleteFrom('stack_lines').where('stack', '=', stack).where('device', '=', device).execute();
    const seen = new Set<string>();
    const rows = [];
    for (const line of state.lines) {
      const path = json(line.path);
      if (seen.has(path)) continue;
      seen.add(path);
      rows.push({ stack, device, path, service: line.service, section: line.section ? 1 : 0, deployment_id: deploymentId, updated_at: now });
    }
    for (let i = 0; i < rows.length; i += 200) await tx.insertInto('stack_lines').values(rows.slice(i, i + 200)).execute();
    for (const previous of state.previous) {
      await tx
        .insertInto('stack_previous')
        .values({
          stack,
          device,
          path: json(previous.path),
          replaced_by: previous.replacedBy ? json(previous.replacedBy) : null,
          service: previous.service,
          deployment_id: deploymentId,
          recorded_at: now,
        })
        .onConflict((oc) => oc.columns(['stack', 'device', 'path']).doNothing())
        .execute();
    }
  });
}

/** After a successful destroy (or removal from the targets): the stack holds nothing there any more. */
export async function clearDeviceState(store: Store, stack: string, device: string): Promise<void> {
  await store.write(async (tx) => {
    await tx.deleteFrom('stack_lines').where('stack', '=', stack).where('device', '=', device).execute();
    await tx.deleteFrom('stack_previous').where('stack', '=', stack).where('device', '=', device).execute();
  });
}
