import type { ModeTransition, PlatformDefinition } from '../platforms/types.js';

/**
 * The shortest list of transitions from one mode to another (breadth-first over the platform's
 * graph); [] when already there, undefined when the graph has no way.
 */
export function findModePath(platform: PlatformDefinition, from: string, to: string): ModeTransition[] | undefined {
  if (from === to) return [];
  const previous = new Map<string, ModeTransition>();
  const queue = [from];
  const seen = new Set([from]);
  while (queue.length > 0) {
    const mode = queue.shift() as string;
    for (const edge of platform.transitions) {
      if (edge.from !== mode || seen.has(edge.to)) continue;
      seen.add(edge.to);
      previous.set(edge.to, edge);
      if (edge.to === to) return walkBack(previous, from, to);
      queue.push(edge.to);
    }
  }
  return undefined;
}

function walkBack(previous: Map<string, ModeTransition>, from: string, to: string): ModeTransition[] {
  const path: ModeTransition[] = [];
  let at = to;
  while (at !== from) {
    const edge = previous.get(at) as ModeTransition;
    path.unshift(edge);
    at = edge.from;
  }
  return path;
}
