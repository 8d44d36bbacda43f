import { closest, distance } from 'fastest-levenshtein';

/** The candidate nearest to `name`, or undefined when nothing is plausibly what the user meant. */
export function nearest(name: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const lower = name.toLowerCase();
  const prefixed = candidates.find((c) => c.toLowerCase().startsWith(lower) && lower.length >= 2);
  if (prefixed) return prefixed;
  const best = closest(name, candidates as string[]);
  const limit = Math.max(2, Math.floor(name.length / 3));
  return distance(lower, best.toLowerCase()) <= limit ? best : undefined;
}
