import type { ConfigModel, ConfigNode } from '../config/index.js';
import { remediate } from '../config/remediate.js';
import type { DeployedLine, DeviceState } from './state.js';

/**
 * What one device's deploy is, computed from its running config, the services' rendered configs
 * and what the stack deployed there before. Pure: no I/O, so the plan, the deploy and the bench
 * share it. Raw (unmasked) commands are for pushing only; everything shown or stored is masked.
 */
export interface ServiceInput {
  service: string;
  template: string;
  /** the rendered config, secrets included */
  text: string;
  /** the same, secrets masked */
  masked: string;
  /** sections the template declares fully owned (`owns:`), as paths */
  owned: string[][];
}

export interface DeviceInput {
  running: string;
  services: readonly ServiceInput[];
  /** what the stack deployed on this device before (masked paths) */
  deployed: readonly DeployedLine[];
  mask: (text: string) => string;
}

export interface ServiceStep {
  service: string;
  /** masked, as shown */
  commands: string[];
  /** raw, as pushed */
  push: string[];
}

export interface PreparedDevice {
  steps: ServiceStep[];
  /** every step's commands in service order (masked / raw) */
  commands: string[];
  push: string[];
  /** the commands that take the device back to its running config (masked / raw) */
  rollback: string[];
  rollbackPush: string[];
  /** lines the stack deployed before and no longer renders, removed by this deploy (masked, `a > b`) */
  removed: string[];
  /** the running config rendered before and after (both empty when nothing changes) */
  before: string;
  after: string;
  /** the services' rendered configs joined (raw), for platforms that load whole blocks */
  intendedText: string;
  /** the stack's state on the device once this deploy succeeds */
  state: DeviceState;
  /** what the post-check looks for in the running config afterwards (raw paths) */
  check: { present: string[][]; absent: string[][] };
}

const keyPath = (model: ConfigModel, path: readonly string[]): string => path.map((line) => model.rules.keyOf(line)).join('\u0000');

/** The node at `path` compared by key; a masked secret segment matches the line it masks. */
export function resolvePath(model: ConfigModel, tree: ConfigNode, path: readonly string[], mask: (text: string) => string): ConfigNode | undefined {
  let node: ConfigNode | undefined = tree;
  for (const line of path) {
    if (!node) return undefined;
    const parent: ConfigNode = node;
    node = parent.get(model.rules.keyOf(line)) ?? parent.children.find((child) => mask(child.text) === line);
  }
  return node === tree ? undefined : node;
}

function isNegation(model: ConfigModel, text: string): boolean {
  const rules = model.rules;
  if (rules.syntax === 'set') return text.startsWith(`${rules.verbs.delete} `);
  return text.startsWith(rules.negation);
}

/** Nodes of `a` whose path `b` lacks (not descending into them). */
function* missingFrom(a: ConfigNode, b: ConfigNode): Generator<ConfigNode> {
  for (const child of a.children) {
    const other = b.get(child.key);
    if (!other) yield child;
    else yield* missingFrom(child, other);
  }
}

function hasPath(model: ConfigModel, tree: ConfigNode, path: readonly string[]): boolean {
  let node: ConfigNode | undefined = tree;
  for (const line of path) node = node?.get(model.rules.keyOf(line));
  return node !== undefined && node !== tree;
}

export function prepareDevice(model: ConfigModel, input: DeviceInput): PreparedDevice {
  const { mask } = input;
  const running = model.parse(input.running);
  const intended = input.services.map((s) => ({ service: s, tree: model.parse(s.text) }));

  // what the stack renders now: leaves (lines) and sections, by key path
  const renderedLeaves = new Map<string, { path: string[]; service: string }>();
  const renderedSections = new Map<string, { path: string[]; service: string }>();
  const present: string[][] = [];
  const absent: string[][] = [];
  for (const { service, tree } of intended) {
    for (const node of tree.walk()) {
      const path = node.path();
      if (node.isSection) {
        renderedSections.set(keyPath(model, path), { path, service: service.service });
        continue;
      }
      if (isNegation(model, node.text)) {
        if (model.rules.syntax !== 'set') absent.push([...path.slice(0, -1), node.text.slice(model.rules.negation.length)]);
        continue;
      }
      renderedLeaves.set(keyPath(model, path), { path, service: service.service });
      present.push(path);
    }
  }

  // lines deployed before and no longer rendered: stale, removed (Terraform-like state)
  const deployedKeys = new Set(input.deployed.map((d) => keyPath(model, d.path)));
  const staleByService = new Map<string, string[][]>();
  const removed: string[] = [];
  const addStale = (service: string, path: string[], shown: string[]) => {
    staleByService.set(service, [...(staleByService.get(service) ?? []), path]);
    removed.push(shown.join(' > '));
    absent.push(path);
  };
  for (const line of input.deployed) {
    if (!line.section || renderedSections.has(keyPath(model, line.path))) continue;
    const node = resolvePath(model, running, line.path, mask);
    if (!node) continue;
    // a section the stack created goes with it, unless someone else has put lines in it since
    const foreign = [...node.walk()].some((child) => !child.isSection && !deployedKeys.has(keyPath(model, child.path())));
    if (!foreign) addStale(line.service, node.path(), line.path);
  }
  const goneSections = [...(staleByService.values())].flat().map((p) => keyPath(model, p));
  for (const line of input.deployed) {
    if (line.section) continue;
    if (renderedLeaves.has(keyPath(model, line.path))) continue;
    const node = resolvePath(model, running, line.path, mask);
    if (!node) continue;
    const key = keyPath(model, node.path());
    // inside a section that goes as a whole: nothing to remove on its own
    if (goneSections.some((section) => key.startsWith(section + '\u0000'))) continue;
    addStale(line.service, node.path(), line.path);
  }

  // one step per service, in service order, each on top of the one before
  const steps: ServiceStep[] = [];
  const previous = new Map<string, { path: string[]; replacedBy: string[] | null; service: string }>();
  let current = running;
  const stepOrder = [...intended.map((i) => i.service.service), ...[...staleByService.keys()].filter((s) => !input.services.some((i) => i.service === s))];
  for (const name of stepOrder) {
    const tree = intended.find((i) => i.service.service === name);
    const owned = tree?.service.owned ?? [];
    const next = model.target(current, tree?.tree ?? model.parse(''), { mode: 'merge', owned, stale: staleByService.get(name) ?? [] });
    const forward = remediate(current, next, model.rules);
    const push = model.render(forward, true);
    if (push.length) steps.push({ service: name, commands: model.render(forward).map(mask), push });
    // what this step overwrote or removed that was not the stack's own: destroy puts it back
    for (const gone of missingFrom(current, next)) {
      const path = gone.path();
      if (deployedKeys.has(keyPath(model, path)) || !hasPath(model, running, path)) continue;
      const overwrite = model.rules.overwriteKey(gone.text);
      const parent = path.length > 1 ? resolvePath(model, next, path.slice(0, -1), mask) : next;
      const replacement = overwrite === undefined ? undefined : parent?.children.find((c) => model.rules.overwriteKey(c.text) === overwrite);
      const masked = path.map(mask);
      previous.set(keyPath(model, path), { path: masked, replacedBy: replacement ? replacement.path().map(mask) : null, service: name });
    }
    current = next;
  }
  // nothing to push (the idempotent case): no rollback or diff to compute
  const changed = steps.length > 0;
  const backward = changed ? remediate(current, running, model.rules) : undefined;
  const before = changed ? model.render(running).join('\n') + '\n' : '';

  // the state once deployed: every rendered line, and the sections the stack created
  const lines: DeviceState['lines'] = [...renderedLeaves.values()].map((l) => ({ path: l.path.map(mask), service: l.service, section: false }));
  for (const [key, section] of renderedSections) {
    const createdBefore = input.deployed.some((d) => d.section && keyPath(model, d.path) === key);
    if (createdBefore || !hasPath(model, running, section.path)) lines.push({ path: section.path.map(mask), service: section.service, section: true });
  }

  return {
    steps,
    commands: steps.flatMap((s) => s.commands),
    push: steps.flatMap((s) => s.push),
    rollback: backward ? model.render(backward).map(mask) : [],
    rollbackPush: backward ? model.render(backward, true) : [],
    removed,
    before,
    after: changed ? model.render(current).join('\n') + '\n' : before,
    intendedText: input.services.map((s) => s.text).join('\n'),
    state: { lines, previous: [...previous.values()] },
    check: { present, absent },
  };
}

/** The post-check: intended lines the running config lacks, and removed lines it still has (`a > b`, masked). */
export function postCheck(model: ConfigModel, runningText: string, check: PreparedDevice['check'], mask: (text: string) => string): { missing: string[]; unexpected: string[] } {
  const running = model.parse(runningText);
  return {
    missing: check.present.filter((p) => !hasPath(model, running, p)).map((p) => p.map(mask).join(' > ')),
    unexpected: check.absent.filter((p) => hasPath(model, running, p)).map((p) => p.map(mask).join(' > ')),
  };
}

/** Rendered leaf lines of a config, as key paths, for the two-stacks check. */
export function leafKeys(model: ConfigModel, text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const node of model.parse(text).walk()) {
    if (node.isSection || isNegation(model, node.text)) continue;
    const path = node.path();
    out.set(keyPath(model, path), path);
  }
  return out;
}

export function pathKey(model: ConfigModel, path: readonly string[]): string {
  return keyPath(model, path);
}
