import { nearest } from '../../core/suggest.js';
import { loadMopFile, MopInvalidError, pathString, positionOf, type MopFile, type MopStep, type ParsedMopSource } from '../file.js';
import type { MopTemplating } from '../template.js';
import { containsTemplate, hasTemplate, referencedSteps } from '../template-text.js';
import { resolveStepTypes, type StepTypeSet } from './step-types.js';
import type { LoadedMop, MopIssue, MopLocation } from './types.js';

/** Reads and schema-checks a MOP file or name: throws NotFoundError (exit 3) or MopInvalidError (exit 4). */
export async function loadMop(pathOrName: string, location: MopLocation): Promise<LoadedMop> {
  const { parsed: _parsed, warnings: _warnings, ...loaded } = loadMopFile(pathOrName, location);
  return loaded;
}

/**
 * Every problem of a MOP, each with file:line:column; [] when valid. Beyond the schema: step types
 * exist and their parameters fit (values holding templates are checked once rendered, at run time),
 * every step id a jump, `when` or template reads exists, every `{{ }}` parses, and each step type's
 * own static checks (a template, stack or command exists). Throws only NotFoundError (exit 3).
 */
export async function validateMop(pathOrName: string, location: MopLocation): Promise<MopIssue[]> {
  let loaded: ReturnType<typeof loadMopFile>;
  try {
    loaded = loadMopFile(pathOrName, location);
  } catch (error) {
    if (error instanceof MopInvalidError) return error.issues;
    throw error;
  }
  const stepTypes = await resolveStepTypes(location);
  return [...loaded.warnings, ...stepTypes.issues, ...(await checkMop(loaded.mop, loaded.parsed, stepTypes, location))];
}

let sharedTemplating: MopTemplating | undefined;

/** the template engine, loaded only for a MOP that holds a template or a `when`/`until` expression */
async function templatingFor(mop: MopFile): Promise<MopTemplating | undefined> {
  if (sharedTemplating) return sharedTemplating;
  const expressions = [...mop.steps, ...mop.rollback].some((s) => typeof s.when === 'string' || typeof s.until === 'string');
  if (!expressions && !containsTemplate(mop)) return undefined;
  const { MopTemplating } = await import('../template.js');
  return (sharedTemplating ??= new MopTemplating());
}

/** The checks past the schema; also what runMop runs before starting (errors stop the run with exit 4). */
export async function checkMop(mop: MopFile, parsed: ParsedMopSource, stepTypes: StepTypeSet, location: MopLocation): Promise<MopIssue[]> {
  const templating = await templatingFor(mop);
  const issues: MopIssue[] = [];
  const add = (path: (string | number)[], message: string, hint?: string, severity: MopIssue['severity'] = 'error'): void => {
    const { line, column } = positionOf(parsed, path);
    issues.push({ file: parsed.file, line, column, path: pathString(path), message, ...(hint ? { hint } : {}), severity });
  };
  const allIds = [...mop.steps, ...mop.rollback].map((s) => s.id);
  const typeNames = [...stepTypes.types.keys()];

  /** every string under `value`: its templates parse, and the steps they read exist */
  const checkStrings = (value: unknown, path: (string | number)[], known: readonly string[]): void => {
    if (typeof value === 'string') {
      if (!hasTemplate(value)) return;
      const problem = templating?.problem(value, 'template');
      if (problem) add(path, `template does not parse: ${problem}`);
      checkReferences(value, path, known);
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => checkStrings(v, [...path, i], known));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) checkStrings(v, [...path, k], known);
  };
  const checkReferences = (source: string, path: (string | number)[], known: readonly string[]): void => {
    for (const id of referencedSteps(source)) {
      if (known.includes(id)) continue;
      // a later step may have run by then through a backward jump: worth a warning, not an error
      if (allIds.includes(id)) add(path, `'${id}' has not run yet here unless a jump ran it first: only earlier steps can be read`, undefined, 'warning');
      else {
        const guess = nearest(id, allIds);
        add(path, `unknown step '${id}'`, guess ? `did you mean '${guess}'?` : undefined);
      }
    }
  };

  checkStrings(mop.vars, ['vars'], []);
  if (mop.targets?.on) checkStrings(mop.targets.on, ['targets'], []);
  for (const [name, input] of Object.entries(mop.inputs)) {
    if (input.default !== undefined && input.required) add(['inputs', name, 'required'], `input '${name}' is required and has a default; drop one`, undefined, 'warning');
  }

  const checkStep = async (step: MopStep, section: 'steps' | 'rollback', known: readonly string[]): Promise<void> => {
    const base: (string | number)[] = [section, step.index];
    const type = stepTypes.types.get(step.type);
    for (const key of ['when', 'until'] as const) {
      const value = step[key];
      if (typeof value !== 'string') continue;
      const problem = templating?.problem(value, 'expression');
      if (problem) add([...base, key], `expression does not parse: ${problem}`);
      // `until` may read the step's own result
      checkReferences(value, [...base, key], key === 'until' ? [...known, step.id] : known);
    }
    for (const key of ['name', 'description', 'retries', 'interval', 'timeout'] as const) checkStrings(step[key], [...base, key], known);
    checkStrings(step.params, base, known);
    if (!type) {
      const guess = nearest(step.type, typeNames);
      add([...base, 'type'], `unknown step type '${step.type}'`, guess ? `did you mean '${guess}'?` : `run 'netstacks step-type list' to see them`);
      return;
    }
    if (type.scope === 'run' && !step.run_once) add([...base, 'type'], `step type '${type.name}' runs once per run: add run_once: true`);
    if (type.scope === 'device' && step.run_once) add([...base, 'run_once'], `step type '${type.name}' runs on a device and cannot be run_once`);
    const result = type.params.safeParse(step.params);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
        if (issue.code !== 'unrecognized_keys' && templatedAt(step.params, path)) continue; // checked once rendered
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys) {
            const guess = nearest(key, paramKeys(type.params));
            add([...base, ...path, key], `step type '${type.name}' has no parameter '${key}'`, guess ? `did you mean '${guess}'?` : undefined);
          }
          continue;
        }
        add([...base, ...path], issue.message);
      }
      return;
    }
    if (type.check && !containsTemplate(step.params)) {
      try {
        for (const message of await type.check(result.data, { cwd: location.cwd, home: location.home })) add(base, message);
      } catch (error) {
        add(base, (error as Error).message);
      }
    }
  };

  const mainIds = mop.steps.map((s) => s.id);
  for (const step of mop.steps) await checkStep(step, 'steps', mainIds.slice(0, step.index));
  for (const step of mop.rollback) await checkStep(step, 'rollback', [...mainIds, ...mop.rollback.slice(0, step.index).map((s) => s.id)]);
  return issues;
}

/** true when the value at `path` (or any parent of it) is a templated string, or holds one */
function templatedAt(params: Record<string, unknown>, path: readonly (string | number)[]): boolean {
  let value: unknown = params;
  for (const piece of path) {
    if (typeof value === 'string') return hasTemplate(value);
    if (value === null || typeof value !== 'object') return false;
    value = (value as Record<string | number, unknown>)[piece];
  }
  return containsTemplate(value);
}

function paramKeys(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}
