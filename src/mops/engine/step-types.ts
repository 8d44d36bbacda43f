import { builtinStepTypes } from '../steps/index.js';
import type { StepType } from '../steps/types.js';
import type { MopIssue, MopLocation } from './types.js';

/** Step types a MOP can use: the built-in ones (canonical names and aliases) and user-defined ones. */
export interface StepTypeSet {
  types: ReadonlyMap<string, StepType>;
  /** problems loading user-defined step types (mops/step-types/*.yaml) */
  issues: MopIssue[];
}

/**
 * The built-in registry, plus the user-defined step types from src/mops/user-steps.ts when that
 * module provides `loadUserStepTypes(location)` returning `{ types: Map<string, StepType>, issues? }`
 * or a Map. Built-in names win over user-defined ones.
 */
export async function resolveStepTypes(location: MopLocation): Promise<StepTypeSet> {
  const builtins = builtinStepTypes();
  const types = new Map<string, StepType>();
  const issues: MopIssue[] = [];
  const user = await loadUserTypes(location, issues);
  for (const [name, type] of user) types.set(name, type);
  for (const [name, type] of builtins) types.set(name, type);
  for (const [name, type] of registered) types.set(name, type);
  return { types, issues };
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

interface UserStepsModule {
  loadUserStepTypes?: (location: MopLocation) => unknown;
}

async function loadUserTypes(location: MopLocation, issues: MopIssue[]): Promise<ReadonlyMap<string, StepType>> {
  let module: UserStepsModule;
  try {
    // optional module (user-defined step types); a variable specifier keeps tsc from requiring it
    const specifier = '../user-steps.js';
    module = (await import(specifier)) as UserStepsModule;
  } catch {
    return new Map();
  }
  if (typeof module.loadUserStepTypes !== 'function') return new Map();
  const loaded = (await module.loadUserStepTypes(location)) as unknown;
  if (loaded instanceof Map) return loaded as ReadonlyMap<string, StepType>;
  if (loaded && typeof loaded === 'object' && 'types' in loaded) {
    const { types, issues: found } = loaded as { types: ReadonlyMap<string, StepType> | StepType[]; issues?: MopIssue[] };
    if (Array.isArray(found)) issues.push(...found);
    if (types instanceof Map) return types;
    if (Array.isArray(types)) return new Map(types.map((t) => [t.name, t]));
  }
  if (Array.isArray(loaded)) return new Map((loaded as StepType[]).map((t) => [t.name, t]));
  return new Map();
}
