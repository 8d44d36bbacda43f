import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { DEVICE_DEFAULTS, DEVICE_FIELDS, GROUP_DEFAULTS, GROUP_FIELDS, type GroupEntry, type InventoryDocument } from './document.js';
import { deviceEntrySchema, groupEntrySchema, yamlDocumentSchema } from './schema.js';
import { describeIssue, entryLabel, ProblemList } from './issues.js';
import type { DeviceInput } from '../types.js';

const HINT = 'fix the file and run the import again; `netstacks inventory export` shows the expected shape';

/**
 * Parses and validates a YAML inventory: `{devices: [...], groups: [...]}`. Each entry declares
 * every field, so the fields it leaves out take their defaults. Every problem names
 * `file:line:column`, the entry (index and name) and the field.
 */
export function parseYamlInventory(file: string, text: string): InventoryDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  const problems = new ProblemList();
  const at = (offset: number | undefined): string => {
    const pos = lineCounter.linePos(offset ?? 0);
    return `${file}:${pos.line}:${pos.col}`;
  };

  for (const error of doc.errors) {
    const pos = error.linePos?.[0];
    const [summary, ...context] = error.message.split('\n');
    const message = (summary ?? '').replace(/ at line \d+, column \d+:?$/, '');
    problems.add(pos ? `${file}:${pos.line}:${pos.col}` : at(error.pos[0]), [message, ...context].join('\n').trimEnd());
  }
  problems.throwIfAny(file, HINT);

  const root: unknown = doc.toJS() ?? {};
  const top = yamlDocumentSchema.safeParse(root);
  if (!top.success) {
    for (const issue of top.error.issues) {
      const { message } = describeIssue(issue, ['devices', 'groups'], root);
      problems.add(at(locate(doc, issue.path, issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined)), message);
    }
  }
  // keep checking the entries after a top-level problem, so one run reports everything
  const rawDevices = listAt(root, 'devices');
  const rawGroups = listAt(root, 'groups');
  const deviceNodes = itemsOf(doc, 'devices');

  const devices: DeviceInput[] = [];
  const deviceOrigins: string[] = [];
  rawDevices.forEach((raw, index) => {
    const parsed = deviceEntrySchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const { message } = describeIssue(issue, DEVICE_FIELDS, raw);
        const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
        problems.add(at(locate(doc, ['devices', index, ...issue.path], unknownKey)), `${entryLabel('device', index, raw)}: ${message}`);
      }
      return;
    }
    devices.push({ ...DEVICE_DEFAULTS, ...parsed.data });
    deviceOrigins.push(at(deviceNodes[index]?.range?.[0]));
  });

  const groups: GroupEntry[] = [];
  rawGroups.forEach((raw, index) => {
    const parsed = groupEntrySchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const { message } = describeIssue(issue, GROUP_FIELDS, raw);
        const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
        problems.add(at(locate(doc, ['groups', index, ...issue.path], unknownKey)), `${entryLabel('group', index, raw)}: ${message}`);
      }
      return;
    }
    groups.push({ ...GROUP_DEFAULTS, ...parsed.data });
  });
  problems.throwIfAny(file, HINT);
  return { file, format: 'yaml', devices, groups, deviceOrigins };
}

function listAt(root: unknown, key: string): unknown[] {
  const value = root !== null && typeof root === 'object' ? (root as Record<string, unknown>)[key] : undefined;
  return Array.isArray(value) ? value : [];
}

function itemsOf(doc: Document, key: string): Array<{ range?: [number, number, number] | null }> {
  const seq = doc.get(key, true);
  return isSeq(seq) ? (seq.items as Array<{ range?: [number, number, number] | null }>) : [];
}

/** Start offset of the deepest node on `path` that exists; for an unknown key, the key itself. */
function locate(doc: Document, path: readonly PropertyKey[], unknownKey?: string): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : (doc.getIn(path.slice(0, depth) as unknown[], true) as Node | undefined);
    if (!node) continue;
    if (unknownKey !== undefined && depth === path.length && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === unknownKey);
      if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
    }
    if (node.range) return node.range[0];
  }
  return undefined;
}
