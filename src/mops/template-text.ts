/**
 * What a MOP's strings say about templates, without the template engine: the engine (its filters
 * pull in ip-address, jmespath, …) loads only when a MOP holds a template (src/mops/template.ts).
 */

export function hasTemplate(value: string): boolean {
  return value.includes('{{') || value.includes('{%');
}

/** true when any string inside `value` holds a template */
export function containsTemplate(value: unknown): boolean {
  if (typeof value === 'string') return hasTemplate(value);
  if (value === null || typeof value !== 'object') return false;
  return Array.isArray(value) ? value.some(containsTemplate) : Object.values(value).some(containsTemplate);
}

/** The expression of a string that is exactly one `{{ … }}` (whitespace control allowed), else undefined. */
export function wholeExpression(value: string): string | undefined {
  const s = value.trim();
  if (!s.startsWith('{{') || !s.endsWith('}}')) return undefined;
  let inner = s.slice(2, -2);
  if (inner.includes('{{') || inner.includes('}}') || inner.includes('{%') || inner.includes('{#')) return undefined;
  if (inner.startsWith('-') || inner.startsWith('+')) inner = inner.slice(1);
  if (inner.endsWith('-') || inner.endsWith('+')) inner = inner.slice(0, -1);
  return inner.trim() || undefined;
}

/** The step ids a template reads through `steps.<id>` or `steps['<id>']`. */
export function referencedSteps(source: string): string[] {
  if (!source.includes('steps')) return [];
  const ids = new Set<string>();
  for (const m of source.matchAll(/(?<![\w.])steps\s*(?:\.\s*([A-Za-z_][\w-]*)|\[\s*['"]([^'"]+)['"]\s*\])/g)) ids.add((m[1] ?? m[2])!);
  return [...ids];
}
