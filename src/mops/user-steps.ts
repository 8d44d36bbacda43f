import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { ValidationError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import { createEngine, type TemplateEngine } from '../templates/engine/index.js';
import type { JNode } from '../templates/engine/nodes.js';
import { builtinStepTypes } from './steps/index.js';
import { formatIssue } from './file.js';
import type { MopIssue } from './engine/types.js';
import { ENGINE_STEP_KEYS, type CheckItem, type StepContext, type StepOutcome, type StepType } from './steps/types.js';

/**
 * User-defined step types: YAML files (conventionally `mops/step-types/*.yaml`) declaring typed
 * parameters and the built-in steps they expand into, with `{{ params.x }}` substituted:
 *
 *   name: interface_up
 *   description: an interface is up/up
 *   parameters:
 *     interface: { type: string, required: true, description: the interface name }
 *     state: { type: string, enum: [up, down], default: up }
 *   steps:
 *     - type: command
 *       command: "show interfaces {{ params.interface }}"
 *       contains: "line protocol is {{ params.state }}"
 *
 * Only `{{ }}` expressions that use `params` alone are substituted at expansion; the others
 * (`{{ steps.x… }}`, `{{ inputs.y }}`) are left for the engine to render in the run's scope. A
 * value that is one whole `{{ params.x }}` keeps the parameter's type.
 */

export const PARAMETER_TYPES = ['string', 'integer', 'number', 'boolean', 'list', 'dict'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

const parameterSchema = z
  .object({
    type: z.enum(PARAMETER_TYPES).default('string'),
    description: z.string().optional(),
    required: z.boolean().default(false),
    default: z.unknown().optional(),
    enum: z.array(z.union([z.string(), z.number(), z.boolean()])).min(1).optional(),
  })
  .strict();

const innerStepSchema = z.looseObject({ type: z.string().min(1), id: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'ids are letters, digits, _ and -').optional() });

const fileSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'a step type name is letters, digits, _ and -').optional(),
    description: z.string().default(''),
    parameters: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'parameter names are identifiers'), parameterSchema).default({}),
    steps: z.array(innerStepSchema).min(1, 'a step type expands into at least one step'),
  })
  .strict();

export type UserParameter = z.infer<typeof parameterSchema>;

export interface UserStepTypeDefinition {
  name: string;
  description: string;
  parameters: Record<string, UserParameter>;
  /** the built-in steps it expands into, as written (templates unrendered) */
  steps: Record<string, unknown>[];
  /** absolute path of the file */
  file: string;
}

/** A problem in a step-type file: the engine's MopIssue, printed by the same formatIssue. */
export type UserStepTypeIssue = MopIssue;
export { formatIssue };

export class UserStepTypeError extends ValidationError {
  constructor(readonly issues: UserStepTypeIssue[]) {
    super(issues.map(formatIssue).join('\n'), issues[0]?.hint);
  }
}

/** Where user step types live for a project: `<cwd>/mops/step-types`, then `<dir>/step-types` of each extra MOP folder. */
export function userStepTypeDirs(location: { cwd: string; mopsDirs?: string[] }): string[] {
  return [join(location.cwd, 'mops', 'step-types'), ...(location.mopsDirs ?? []).map((dir) => join(dir, 'step-types'))];
}

export interface LoadedUserStepTypes {
  /** name → runnable step type (it expands and runs its built-in steps) */
  types: Map<string, StepType>;
  definitions: UserStepTypeDefinition[];
  issues: UserStepTypeIssue[];
}

/**
 * Reads every `*.yaml`/`*.yml` in the folders (missing folders are fine). Bad files become issues
 * with file:line:col and are left out; the first folder wins a name defined twice.
 */
export function loadUserStepTypes(where: readonly string[] | { cwd: string; mopsDirs?: string[] }): LoadedUserStepTypes {
  const dirs = Array.isArray(where) ? (where as readonly string[]) : userStepTypeDirs(where as { cwd: string; mopsDirs?: string[] });
  const result: LoadedUserStepTypes = { types: new Map(), definitions: [], issues: [] };
  const builtins = builtinStepTypes();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
    } catch {
      continue;
    }
    for (const fileName of names) {
      const file = resolve(dir, fileName);
      if (!statSync(file).isFile()) continue;
      const { definition, issues } = readUserStepTypeFile(file);
      result.issues.push(...issues);
      if (!definition) continue;
      if (builtins.has(definition.name)) {
        result.issues.push({ file, line: 1, column: 1, path: 'name', message: `'${definition.name}' is a built-in step type`, hint: 'give the user-defined type another name', severity: 'error' });
        continue;
      }
      if (result.types.has(definition.name)) {
        const first = result.definitions.find((d) => d.name === definition.name)!;
        result.issues.push({ file, line: 1, column: 1, path: 'name', message: `step type '${definition.name}' is already defined in ${first.file}; this one is ignored`, severity: 'warning' });
        continue;
      }
      result.definitions.push(definition);
      result.types.set(definition.name, userStepType(definition));
    }
  }
  return result;
}

/** Parses and checks one step-type file; `definition` is undefined when it has errors. */
export function readUserStepTypeFile(file: string): { definition?: UserStepTypeDefinition; issues: UserStepTypeIssue[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { issues: [{ file, line: 0, column: 0, path: '', message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`, severity: 'error' }] };
  }
  return parseUserStepType(text, file);
}

export function parseUserStepType(text: string, file: string): { definition?: UserStepTypeDefinition; issues: UserStepTypeIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (path: (string | number)[], problem: string, hint?: string): UserStepTypeIssue => {
    const offset = nodeAt(doc, path)?.range?.[0];
    const pos = offset === undefined ? { line: 0, col: 0 } : lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col, path: pathText(path), message: problem, ...(hint ? { hint } : {}), severity: 'error' };
  };
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, path: '', message: e.message.split('\n')[0]!, severity: 'error' as const };
      }),
    };
  }
  if (!isMap(doc.contents)) return { issues: [at([], 'a step type file is a mapping with name, parameters and steps')] };
  const parsed = fileSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      issues: parsed.error.issues.map((issue) => {
        const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        const guess = keys.length === 1 ? nearest(keys[0]!, ['name', 'description', 'parameters', 'steps', 'type', 'required', 'default', 'enum']) : undefined;
        return at(keys.length === 1 ? [...path, keys[0]!] : path, keys.length > 0 ? `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}` : issue.message, guess ? `did you mean '${guess}'?` : undefined);
      }),
    };
  }
  const data = parsed.data;
  const definition: UserStepTypeDefinition = {
    name: data.name ?? basename(file).replace(/\.ya?ml$/, ''),
    description: data.description,
    parameters: data.parameters,
    steps: data.steps as Record<string, unknown>[],
    file,
  };
  const issues: UserStepTypeIssue[] = [];
  // parameters: defaults of the declared type and in the enum
  for (const [name, parameter] of Object.entries(definition.parameters)) {
    if (parameter.default === undefined) continue;
    if (parameter.required) issues.push({ ...at(['parameters', name, 'required'], `parameter '${name}' is required and has a default`, 'drop one of them'), severity: 'warning' });
    const checked = parameterValueSchema(parameter).safeParse(parameter.default);
    if (!checked.success) issues.push(at(['parameters', name, 'default'], `default of '${name}': ${checked.error.issues[0]!.message}`));
  }
  // steps: built-in types, no engine keys, templates that parse and use only declared params
  const builtins = builtinStepTypes();
  const engine = templateEngine();
  const declared = Object.keys(definition.parameters);
  definition.steps.forEach((step, index) => {
    const type = String(step.type);
    if (!builtins.has(type)) {
      const guess = nearest(type, [...builtins.keys()]);
      issues.push(at(['steps', index, 'type'], `unknown built-in step type '${type}'`, guess ? `did you mean '${guess}'?` : 'a user-defined type expands into built-in steps only'));
    }
    for (const key of Object.keys(step)) {
      if (key !== 'type' && key !== 'id' && key !== 'name' && key !== 'description' && (ENGINE_STEP_KEYS as readonly string[]).includes(key)) {
        issues.push(at(['steps', index, key], `'${key}' belongs on the MOP step that uses '${definition.name}', not inside the type`));
      }
    }
    walkStrings(step, ['steps', index], (value, path) => {
      for (const block of templateBlocks(value)) {
        let names: Set<string>;
        try {
          names = referencedNames(engine.parse(block.text, file) as JNode);
        } catch (error) {
          issues.push(at(path, `template does not parse: ${(error as Error).message.replace(/^.*?: /, '')}`));
          continue;
        }
        if (!names.has('params')) continue;
        const others = [...names].filter((n) => n !== 'params' && !TEMPLATE_GLOBALS.has(n));
        if (others.length > 0) issues.push(at(path, `'${block.text}' mixes params with ${others.join(', ')}`, 'use params alone in one {{ }}, and the run values in another'));
        for (const used of paramsUsed(block.text)) {
          if (!declared.includes(used)) {
            const guess = nearest(used, declared);
            issues.push(at(path, `params.${used} is not a declared parameter`, guess ? `did you mean 'params.${guess}'?` : `declared: ${declared.join(', ') || 'none'}`));
          }
        }
      }
    });
  });
  if (!issues.some((i) => i.severity === 'error')) issues.push(...checkInnerParameters(definition, at));
  return issues.some((i) => i.severity === 'error') ? { issues } : { definition, issues };
}

/** A value each parameter could take, to check the expanded steps against the built-in schemas. */
function sampleValue(parameter: UserParameter): unknown {
  if (parameter.default !== undefined) return parameter.default;
  if (parameter.enum) return parameter.enum[0];
  return { string: 'x', integer: 1, number: 1, boolean: true, list: [], dict: {} }[parameter.type];
}

/**
 * Expands with sample parameters and checks each step against its built-in schema. Values holding
 * `{{ }}` in the file (parameters, or the run's scope) cannot be judged here and are left out.
 */
function checkInnerParameters(definition: UserStepTypeDefinition, at: (path: (string | number)[], problem: string, hint?: string) => UserStepTypeIssue): UserStepTypeIssue[] {
  const builtins = builtinStepTypes();
  const sample = Object.fromEntries(Object.entries(definition.parameters).map(([name, p]) => [name, sampleValue(p)]));
  let expanded: Record<string, unknown>[];
  try {
    expanded = expandUserStep(definition, sample);
  } catch {
    return [];
  }
  const issues: UserStepTypeIssue[] = [];
  expanded.forEach((step, index) => {
    const type = builtins.get(String(step.type));
    if (!type) return;
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(step)) if (key !== 'type' && key !== 'id' && key !== 'name' && key !== 'description') raw[key] = value;
    const parsed = type.params.safeParse(raw);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      // judged on the file as written: a value holding any {{ }} depends on the parameters or the run
      let value: unknown = definition.steps[index];
      for (const key of path) value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[key] : undefined;
      if (hasTemplate(value)) continue;
      const message = keys.length > 0 ? `'${type.name}' has no parameter${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}` : issue.message;
      const guess = keys.length === 1 ? nearest(keys[0]!, Object.keys((type.params as unknown as { shape?: Record<string, unknown> }).shape ?? {})) : undefined;
      issues.push(at(['steps', index, ...(keys.length === 1 ? [keys[0]!] : path)], message, guess ? `did you mean '${guess}'?` : `see 'netstacks step-type show ${type.name}'`));
    }
  });
  return issues;
}

function hasTemplate(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{') || value.includes('{%');
  if (Array.isArray(value)) return value.some(hasTemplate);
  if (value && typeof value === 'object') return Object.values(value).some(hasTemplate);
  return false;
}

/** The zod schema of a user step's parameters (what a MOP step using the type may set). */
export function parametersSchema(definition: UserStepTypeDefinition): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, parameter] of Object.entries(definition.parameters)) {
    const value = parameterValueSchema(parameter);
    shape[name] = parameter.default !== undefined ? value.default(parameter.default as never) : parameter.required ? value : value.optional();
  }
  return z.object(shape).strict() as unknown as z.ZodType<Record<string, unknown>>;
}

function parameterValueSchema(parameter: UserParameter): z.ZodType {
  let schema: z.ZodType;
  switch (parameter.type) {
    case 'string':
      schema = z.union([z.string(), z.number().transform(String)]);
      break;
    case 'integer':
      schema = z.coerce.number().int();
      break;
    case 'number':
      schema = z.coerce.number();
      break;
    case 'boolean':
      schema = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]);
      break;
    case 'list':
      schema = z.array(z.unknown());
      break;
    case 'dict':
      schema = z.record(z.string(), z.unknown());
      break;
  }
  const allowed = parameter.enum;
  if (allowed) schema = schema.refine((v) => allowed.some((a) => a === v || String(a) === String(v)), { message: `must be one of: ${allowed.join(', ')}` });
  return schema;
}

/**
 * The built-in steps a use of `definition` stands for: parameters checked against the schema
 * (defaults applied), `{{ params.x }}` substituted. Inner ids become `<stepId>_<inner id or n>`
 * when `stepId` is given. Throws ValidationError naming the parameter.
 */
export function expandUserStep(definition: UserStepTypeDefinition, params: Record<string, unknown>, stepId?: string): Record<string, unknown>[] {
  const checked = parametersSchema(definition).safeParse(params);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const declared = Object.keys(definition.parameters);
    const guess = keys.length === 1 ? nearest(keys[0]!, declared) : undefined;
    const what = keys.length > 0 ? `unknown parameter${keys.length > 1 ? 's' : ''} ${keys.map((k) => `'${k}'`).join(', ')}` : `parameter '${issue.path.join('.')}': ${issue.message}`;
    throw new ValidationError(`step type '${definition.name}' (${definition.file}): ${what}`, guess ? `did you mean '${guess}'?` : `parameters: ${declared.join(', ') || 'none'}`);
  }
  const values = checked.data;
  const engine = templateEngine();
  return definition.steps.map((step, index) => {
    const expanded = substitute(step, values, engine) as Record<string, unknown>;
    if (stepId !== undefined) expanded.id = definition.steps.length === 1 && step.id === undefined ? stepId : `${stepId}_${String(step.id ?? index + 1)}`;
    return expanded;
  });
}

/**
 * A user-defined type as a step type the engine runs like any other: its run() expands the steps
 * and runs them in order with the same context, stopping at the first failure. Captures merge (a
 * later step's win); records are the last step's; items, pushed lines and undo lines add up.
 */
export function userStepType(definition: UserStepTypeDefinition): StepType {
  const builtins = builtinStepTypes();
  const inner = definition.steps.map((s) => builtins.get(String(s.type))).filter((t): t is StepType => t !== undefined);
  const scope = inner.some((t) => t.scope === 'device') ? 'device' : inner.some((t) => t.scope === 'run') ? 'run' : 'any';
  return {
    name: definition.name,
    description: definition.description || `user-defined (${basename(definition.file)})`,
    scope,
    readOnly: inner.every((t) => t.readOnly),
    params: parametersSchema(definition),
    async run(params, ctx) {
      return runExpanded(definition, expandUserStep(definition, params as Record<string, unknown>), ctx);
    },
  };
}

async function runExpanded(definition: UserStepTypeDefinition, steps: Record<string, unknown>[], ctx: StepContext): Promise<StepOutcome> {
  const builtins = builtinStepTypes();
  const combined: StepOutcome = { status: 'passed' };
  const outputs: string[] = [];
  const items: CheckItem[] = [];
  const messages: string[] = [];
  for (const [index, step] of steps.entries()) {
    const label = `${definition.name}[${String(step.id ?? index + 1)}] ${String(step.type)}`;
    const type = builtins.get(String(step.type));
    if (!type) return { status: 'failed', message: `${label}: unknown built-in step type` };
    const raw: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(step)) if (key !== 'type' && key !== 'id' && key !== 'name' && key !== 'description') raw[key] = value;
    const rendered = await ctx.render(raw);
    const parsed = type.params.safeParse(rendered);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { status: 'failed', message: `${label}: ${issue.path.join('.') || 'parameters'}: ${issue.message}` };
    }
    const outcome = await type.run(parsed.data, ctx);
    if (outcome.output) outputs.push(outcome.output);
    if (outcome.items) items.push(...outcome.items);
    if (outcome.captures) combined.captures = { ...combined.captures, ...outcome.captures };
    if (outcome.records) combined.records = outcome.records;
    if (outcome.changed) combined.changed = true;
    if (outcome.pushed) combined.pushed = [...(combined.pushed ?? []), ...outcome.pushed];
    if (outcome.undo) combined.undo = [...(outcome.undo ?? []), ...(combined.undo ?? [])];
    if (outcome.data) combined.data = { ...combined.data, [String(step.id ?? index + 1)]: outcome.data };
    if (outcome.message) messages.push(`${label}: ${outcome.message}`);
    if (outcome.status === 'failed') {
      combined.status = 'failed';
      break;
    }
  }
  if (outputs.length > 0) combined.output = outputs.join('\n');
  if (items.length > 0) combined.items = items;
  if (messages.length > 0) combined.message = combined.status === 'failed' ? messages.at(-1) : messages.join('; ');
  return combined;
}

// --- templates ---------------------------------------------------------------------------------

const TEMPLATE_GLOBALS = new Set(['range', 'dict', 'lipsum', 'cycler', 'joiner', 'namespace', 'true', 'false', 'none', 'True', 'False', 'None', 'loop']);
let engineCache: TemplateEngine | undefined;

function templateEngine(): TemplateEngine {
  engineCache ??= createEngine({ env: 'jinja2', searchPaths: [] });
  return engineCache;
}

/** `{{ … }}` blocks of a string, with their place. */
function templateBlocks(value: string): { text: string; start: number; end: number }[] {
  const blocks: { text: string; start: number; end: number }[] = [];
  const pattern = /\{\{-?([\s\S]*?)-?\}\}/g;
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) blocks.push({ text: match[0], start: match.index, end: match.index + match[0].length });
  return blocks;
}

/** Variable names an expression reads (filter and test names are not variables). */
function referencedNames(ast: JNode): Set<string> {
  const names = new Set<string>();
  const walk = (x: unknown): void => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) return x.forEach(walk);
    const node = x as JNode & Record<string, unknown>;
    if (!node.typename || !node.fields) return;
    if (node.typename === 'Symbol') names.add(String(node.value));
    for (const field of node.fields) {
      if (node.typename === 'Filter' && field === 'name') continue;
      if (node.typename === 'Is' && field === 'right') continue;
      walk(node[field]);
    }
  };
  walk(ast);
  return names;
}

function paramsUsed(text: string): string[] {
  return [...text.matchAll(/\bparams\.([A-Za-z_][A-Za-z0-9_]*)|\bparams\[['"]([^'"]+)['"]\]/g)].map((m) => m[1] ?? m[2]!);
}

const WHOLE_PARAM = /^\{\{-?\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*-?\}\}$/;

function substitute(value: unknown, params: Record<string, unknown>, engine: TemplateEngine): unknown {
  if (typeof value === 'string') return substituteString(value, params, engine);
  if (Array.isArray(value)) return value.map((v) => substitute(v, params, engine));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, params, engine)]));
  return value;
}

function substituteString(value: string, params: Record<string, unknown>, engine: TemplateEngine): unknown {
  const whole = WHOLE_PARAM.exec(value.trim());
  if (whole) return params[whole[1]!] ?? null;
  if (!value.includes('params')) return value;
  let out = '';
  let last = 0;
  for (const block of templateBlocks(value)) {
    out += value.slice(last, block.start);
    last = block.end;
    const names = referencedNames(engine.parse(block.text, '<step type>') as JNode);
    out += names.has('params') ? engine.renderString(block.text, { params }) : block.text;
  }
  return out + value.slice(last);
}

function walkStrings(value: unknown, path: (string | number)[], visit: (text: string, path: (string | number)[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], visit));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit);
}

function pathText(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function nodeAt(doc: Document, path: (string | number)[]): { range?: [number, number, number] | null } | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] | null } | undefined;
    if (node && typeof node === 'object' && 'range' in node) return node;
  }
  return undefined;
}
