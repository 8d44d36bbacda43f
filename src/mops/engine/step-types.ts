import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { builtinStepTypeNames, loadAllBuiltinStepTypes, loadBuiltinStepTypes } from '../steps/registry.js';
import type { StepType } from '../steps/types.js';
import type { MopFile } from '../file.js';
import type { MopIssue, MopLocation } from './types.js';

/** Step types a MOP can use: the built-in ones (canonical names and aliases) and user-defined ones. */
export interface StepTypeSet {
  types: ReadonlyMap<string, StepType>;
  /** problems loading user-defined step types (mops/step-types/*.yaml) */
  issues: MopIssue[];
}

/**
 * The built-in registry, plus the user-defined step types (src/mops/user-steps.ts) and types
 * registered in this process. Built-in names win over user-defined ones.
 *
 * With `used` (the type names a MOP's steps name), only those built-in types are loaded (`mop run`
 * need not build 20 schemas for one type). When a name is not built-in, or a step runs a sub-MOP
 * (which may use any type), every built-in is loaded, so an unknown name still gets its
 * "did you mean" among all of them.
 */
export async function resolveStepTypes(location: MopLocation, used?: Iterable<string>): Promise<StepTypeSet> {
  const names = used ? new Set(used) : undefined;
  const known = new Set(builtinStepTypeNames());
  const partial = names !== undefined && !names.has('mop') && [...names].every((n) => known.has(n));
  const builtins = partial ? await loadBuiltinStepTypes(names) : await loadAllBuiltinStepTypes();
  const types = new Map<string, StepType>();
  const issues: MopIssue[] = [];
  const user = await loadUserTypes(location, issues);
  for (const [name, type] of user) types.set(name, type);
  for (const [name, type] of builtins) types.set(name, type);
  for (const [name, type] of registered) types.set(name, type);
  return { types, issues };
}

/** the step type names a MOP's steps (main and rollback) name */
export function usedStepTypes(mop: Pick<MopFile, 'steps' | 'rollback'>): Set<string> {
  return new Set([...mop.steps, ...mop.rollback].map((s) => s.type));
}

const registered = new Map<string, StepType>();

/**
 * Adds a step type for this process (embedding NetStacks as a library, and tests' fake types);
 * returns a function that removes it again. A registered type overrides a built-in of the same name.
 */
export function registerStepType(type: StepType): () => void {
  const names = [type.name, ...(type.aliases ?? [])];
  for (const name of names) registered.set(name, type);
  return () => {
    for (const name of names) if (registered.get(name) === type) registered.delete(name);
  };
}

/** user-defined step types (mops/step-types/*.yaml and the `mops` setting's folders); bad files become issues */
async function loadUserTypes(location: MopLocation, issues: MopIssue[]): Promise<ReadonlyMap<string, StepType>> {
  // the loader (and the template engine it needs) only when there is a file to load
  if (!stepTypeFolders(location).some(hasYamlFiles)) return new Map();
  const { loadUserStepTypes } = await import('../user-steps.js');
  const loaded = loadUserStepTypes(location);
  issues.push(...loaded.issues);
  return loaded.types;
}

/** the folders user-defined step types are read from: the same as userStepTypeDirs() in src/mops/user-steps.ts */
export function stepTypeFolders(location: { cwd: string; mopsDirs?: string[] }): string[] {
  return [join(location.cwd, 'mops', 'step-types'), ...(location.mopsDirs ?? []).map((dir) => join(dir, 'step-types'))];
}

function hasYamlFiles(dir: string): boolean {
  try {
    return readdirSync(dir).some((n) => /\.ya?ml$/.test(n));
  } catch {
    return false;
  }
}
