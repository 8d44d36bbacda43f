/** Field comparison for import plans: list fields ignore order, mappings ignore key order. */

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

const UNORDERED_LISTS = new Set(['tags', 'groups']);
const MAPPINGS = new Set(['variables', 'ssh']);

/** The changes that writing `wanted` (declared fields only; undefined = not declared) would make. */
export function fieldChanges(current: Record<string, unknown>, wanted: Record<string, unknown>, fields: readonly string[]): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const to = wanted[field];
    if (to === undefined) continue;
    const from = current[field] ?? null;
    if (!sameValue(field, from, to)) changes.push({ field, from, to });
  }
  return changes;
}

function sameValue(field: string, from: unknown, to: unknown): boolean {
  if (UNORDERED_LISTS.has(field)) return sameSet(from as string[], to as string[]);
  if (MAPPINGS.has(field)) return canonicalJson(from) === canonicalJson(to);
  return from === to;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const left = new Set(a);
  const right = new Set(b);
  return left.size === right.size && [...right].every((x) => left.has(x));
}

/** JSON with object keys sorted at every level, so `{a,b}` equals `{b,a}`. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}
