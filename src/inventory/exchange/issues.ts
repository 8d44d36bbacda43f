import type { z } from 'zod';
import { ValidationError } from '../../core/errors.js';
import { nearest } from '../../core/suggest.js';

/** Problems found in an inventory file, each already prefixed with `file:line:column`. */
export class ProblemList {
  readonly problems: string[] = [];

  add(where: string, message: string): void {
    this.problems.push(`${where}: ${message}`);
  }

  /** Throws one ValidationError listing the first few problems, when there are any. */
  throwIfAny(file: string, hint: string): void {
    if (this.problems.length === 0) return;
    const shown = this.problems.slice(0, MAX_SHOWN);
    const more = this.problems.length - shown.length;
    const heading = this.problems.length === 1 ? '' : `${this.problems.length} problems in ${file}:\n`;
    throw new ValidationError(heading + shown.join('\n') + (more > 0 ? `\n… and ${more} more` : ''), hint);
  }
}

const MAX_SHOWN = 10;

/** What a zod issue means for one field, in words, with the nearest field for an unknown key. */
export function describeIssue(issue: z.core.$ZodIssue, knownFields: readonly string[], entry: unknown): { field: string; message: string } {
  const field = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const suggestion = nearest(key, knownFields);
    return {
      field: key,
      message: `unknown field '${key}'${suggestion ? `; did you mean '${suggestion}'?` : `; known fields: ${knownFields.join(', ')}`}`,
    };
  }
  if (field && valueAt(entry, issue.path) === undefined) return { field, message: `${field} is required` };
  return { field, message: field ? `${field}: ${issue.message}` : issue.message };
}

/** "device #3 'core-1'" or "device #3" when the entry has no usable name. */
export function entryLabel(kind: string, index: number, raw: unknown): string {
  const name = raw !== null && typeof raw === 'object' ? (raw as Record<string, unknown>).name : undefined;
  return typeof name === 'string' || typeof name === 'number' ? `${kind} #${index + 1} '${name}'` : `${kind} #${index + 1}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
