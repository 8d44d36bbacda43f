import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, resolve } from 'node:path';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { z } from 'zod';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { nearest } from '../core/suggest.js';
import { ENGINE_STEP_KEYS } from './steps/types.js';
import type { LoadedMop, MopIssue, MopListing, MopLocation } from './engine/types.js';

/**
 * A MOP file (docs/mops.md is the reference): name, description, targets, typed inputs, a strategy,
 * settings, steps and rollback steps. Parsed with `yaml` keeping positions, checked with zod, and
 * every problem reported as file:line:column.
 */

const INPUT_TYPES = ['string', 'number', 'boolean', 'list', 'dict'] as const;
export type InputType = (typeof INPUT_TYPES)[number];

const inputSchema = z
  .object({
    type: z.enum(INPUT_TYPES).default('string'),
    description: z.string().optional(),
    required: z.boolean().default(false),
    default: z.unknown().optional(),
    /** allowed values */
    choices: z.array(z.unknown()).min(1).optional(),
    /** masked in records and output (e.g. a one-off key) */
    secret: z.boolean().default(false),
  })
  .strict();
export type MopInput = z.infer<typeof inputSchema>;

const countOrPercent = z.union([z.number().int().min(1), z.string().regex(/^\d+(\.\d+)?%$/, 'a count or a percentage like "25%"')]);
const thresholdSchema = z.union([z.number().int().min(0), z.string().regex(/^\d+(\.\d+)?%$/, 'a count or a percentage like "10%"')]);

const strategySchema = z.union([
  z.enum(['serial', 'parallel', 'canary']).transform((type) => ({ type }) as { type: 'serial' | 'parallel' | 'canary' }),
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('serial') }).strict(),
    z.object({ type: z.literal('parallel'), limit: z.number().int().min(1).optional() }).strict(),
    z
      .object({
        type: z.literal('canary'),
        /** the canary batch: this many devices first */
        first: z.number().int().min(1).default(1),
        /** then batches of this size or percentage of all targets */
        batch: countOrPercent.default('100%'),
        /** stop starting devices once failed devices exceed this (count or % of all targets); default 0 */
        max_failures: thresholdSchema.default(0),
        /** parallelism within a batch (default: the batch's size) */
        limit: z.number().int().min(1).optional(),
      })
      .strict(),
  ]),
]);
export type MopStrategy =
  | { type: 'serial' }
  | { type: 'parallel'; limit?: number }
  | { type: 'canary'; first: number; batch: number | string; max_failures: number | string; limit?: number };

const settingsSchema = z
  .object({
    /** a step visited more often than this on one device (jump cycle) fails the device */
    max_visits: z.number().int().min(1).default(10),
    /** nested `mop` steps deeper than this fail */
    max_depth: z.number().int().min(1).default(5),
    /** default seconds between attempts of steps with retries/until */
    interval: z.number().min(0).default(5),
    /** default per-step timeout in seconds (0: none) */
    step_timeout: z.number().min(0).default(0),
  })
  .strict();
export type MopSettings = z.infer<typeof settingsSchema>;

const stepId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'letters, digits, _ and -, starting with a letter or _');

/** The engine's keys of a step; everything else goes to the step type as its parameters. */
const stepSchema = z
  .object({
    id: stepId.optional(),
    name: z.string().optional(),
    type: z.string().min(1),
    description: z.string().optional(),
    when: z.union([z.string().min(1), z.boolean()]).optional(),
    on_success: stepId.optional(),
    on_failure: stepId.optional(),
    continue_on_error: z.boolean().default(false),
    run_once: z.boolean().default(false),
    per_batch: z.boolean().default(false),
    retries: z.union([z.number().int().min(0), z.string()]).default(0),
    until: z.union([z.string().min(1), z.boolean()]).optional(),
    interval: z.union([z.number().min(0), z.string()]).optional(),
    timeout: z.union([z.number().min(0), z.string()]).optional(),
  })
  .catchall(z.unknown());

export interface MopStep {
  id: string;
  name?: string;
  type: string;
  description?: string;
  when?: string | boolean;
  on_success?: string;
  on_failure?: string;
  continue_on_error: boolean;
  run_once: boolean;
  per_batch: boolean;
  retries: number | string;
  until?: string | boolean;
  interval?: number | string;
  timeout?: number | string;
  /** the step type's parameters (unrendered) */
  params: Record<string, unknown>;
  /** index in `steps` (or `rollback`) */
  index: number;
  phase: 'main' | 'rollback';
}

const targetsSchema = z.union([
  z.string().min(1).transform((on) => ({ on }) as { on?: string; devices?: string[] }),
  z.array(z.string().min(1)).min(1).transform((devices) => ({ devices }) as { on?: string; devices?: string[] }),
  z
    .object({ on: z.string().min(1).optional(), devices: z.array(z.string().min(1)).min(1).optional() })
    .strict()
    .refine((t) => t.on !== undefined || t.devices !== undefined, 'give `on` or `devices`'),
]);

const mopSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    targets: targetsSchema.optional(),
    inputs: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'input names are identifiers'), inputSchema).default({}),
    vars: z.record(z.string(), z.unknown()).default({}),
    strategy: strategySchema.default({ type: 'parallel' }),
    settings: settingsSchema.default({ max_visits: 10, max_depth: 5, interval: 5, step_timeout: 0 }),
    steps: z.array(stepSchema).min(1),
    rollback: z.array(stepSchema).default([]),
  })
  .strict();

export interface MopFile {
  name: string;
  description?: string;
  /** undefined: targets must come from --on/--device */
  targets?: { on?: string; devices?: string[] };
  inputs: Record<string, MopInput>;
  vars: Record<string, unknown>;
  strategy: MopStrategy;
  settings: MopSettings;
  steps: MopStep[];
  rollback: MopStep[];
}

/** A MOP file that does not parse or fails its schema: exit 4, every issue with file:line:column. */
export class MopInvalidError extends ValidationError {
  readonly issues: MopIssue[];
  constructor(issues: MopIssue[]) {
    const errors = issues.filter((i) => i.severity === 'error');
    const first = errors[0] ?? issues[0]!;
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
    super(`${formatIssue(first)}${more}`, first.hint);
    this.issues = issues;
  }
}

export function formatIssue(issue: MopIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.column}` : issue.file;
  return `${where}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}

/** The parsed document with positions, kept for later checks (validateMop); read on first use. */
export interface ParsedMopSource {
  file: string;
  readonly doc: Document;
  readonly lineCounter: LineCounter;
}

/** Positions are only needed for messages: the `yaml` parse that knows them runs when one is asked for. */
function lazySource(file: string, text: string): ParsedMopSource {
  let parsed: { doc: Document; lineCounter: LineCounter } | undefined;
  const load = (): { doc: Document; lineCounter: LineCounter } => {
    if (!parsed) {
      const lineCounter = new LineCounter();
      parsed = { doc: parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true }), lineCounter };
    }
    return parsed;
  };
  return {
    file,
    get doc() {
      return load().doc;
    },
    get lineCounter() {
      return load().lineCounter;
    },
  };
}

/**
 * js-yaml first: several times faster than the \`yaml\` package (a 200-step MOP: ~8 ms against ~40 ms).
 * Undefined when it cannot read the text, or the text holds an unquoted \`{{\` (the careful parse says why).
 */
function readFast(text: string): { value: unknown } | undefined {
  if (unquotedTemplateLines(text).size > 0) return undefined;
  try {
    return { value: loadYaml(text, { schema: CORE_SCHEMA }) };
  } catch {
    return undefined;
  }
}

const QUOTE_HINT = "a value that starts with '{{' must be quoted in YAML: key: \"{{ value }}\"";

export function pathString(path: readonly (string | number)[]): string {
  let out = '';
  for (const piece of path) out += typeof piece === 'number' ? `[${piece}]` : out ? `.${piece}` : piece;
  return out;
}

/** Position of the node at `path` (or its nearest existing parent). */
export function positionOf(parsed: ParsedMopSource, path: readonly (string | number)[], key = false): { line: number; column: number } {
  for (let depth = path.length; depth >= 0; depth--) {
    const parent = depth > 0 ? parsed.doc.getIn(path.slice(0, depth - 1), true) : undefined;
    // the key's position reads better for a missing or unknown member
    if (key && depth === path.length && isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[depth - 1]);
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
      if (range) return toPos(parsed, range[0]);
    }
    const node = (depth === 0 ? parsed.doc.contents : parsed.doc.getIn(path.slice(0, depth), true)) as { range?: [number, number, number] | null } | undefined | null;
    if (node && typeof node === 'object' && node.range) return toPos(parsed, node.range[0]);
  }
  return { line: 1, column: 1 };
}

function toPos(parsed: ParsedMopSource, offset: number): { line: number; column: number } {
  const { line, col } = parsed.lineCounter.linePos(offset);
  return { line, column: col };
}

/** Parses and schema-checks MOP text: the MOP, or every issue found (never throws for bad input). */
export function parseMopText(text: string, file: string): { mop?: MopFile; parsed?: ParsedMopSource; issues: MopIssue[] } {
  // `mop run` parses its file when loading it and again when the engine starts: the same text, the same answer
  if (lastParse && lastParse.text === text && lastParse.file === file) return lastParse.result;
  const result = parseMopTextOnce(text, file);
  lastParse = { text, file, result };
  return result;
}

let lastParse: { text: string; file: string; result: ReturnType<typeof parseMopTextOnce> } | undefined;

function parseMopTextOnce(text: string, file: string): { mop?: MopFile; parsed?: ParsedMopSource; issues: MopIssue[] } {
  const fast = readFast(text);
  if (fast && fast.value !== null && typeof fast.value === 'object' && !Array.isArray(fast.value)) {
    const parsed = lazySource(file, text);
    const result = mopSchema.safeParse(fast.value);
    if (result.success) {
      const built = buildMop(result.data, parsed);
      if (built.issues.length === 0) return built;
    }
  }
  return parseCarefully(text, file);
}

function parseCarefully(text: string, file: string): { mop?: MopFile; parsed?: ParsedMopSource; issues: MopIssue[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const parsed: ParsedMopSource = { file, doc, lineCounter };
  const issues: MopIssue[] = [];
  const unquoted = unquotedTemplateLines(text);
  for (const error of doc.errors) {
    const { line, column } = toPos(parsed, error.pos[0]);
    const hinted = unquoted.has(line) || unquoted.has(line - 1);
    issues.push({ file, line, column, path: '', message: error.message.split('\n')[0]!, ...(hinted ? { hint: QUOTE_HINT } : {}), severity: 'error' });
  }
  if (issues.length > 0) return { issues };
  // `key: {{ x }}` parses as a flow mapping of a flow mapping: valid YAML, never what was meant
  visit(doc, {
    Map(_key, node, path) {
      if (!node.flow || !node.range) return;
      if (text.startsWith('{{', node.range[0])) {
        const { line, column } = toPos(parsed, node.range[0]);
        issues.push({ file, line, column, path: pathString(yamlPath(path)), message: 'an unquoted {{ }} is read by YAML as a mapping', hint: QUOTE_HINT, severity: 'error' });
        return visit.SKIP;
      }
      return undefined;
    },
  });
  if (!isMap(doc.contents)) {
    issues.push({ file, line: 1, column: 1, path: '', message: 'a MOP file is a mapping with name, steps, …', severity: 'error' });
    return { issues, parsed };
  }
  if (issues.length > 0) return { issues, parsed };

  const result = mopSchema.safeParse(doc.toJS());
  if (!result.success) {
    for (const issue of result.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          const { line, column } = positionOf(parsed, [...path, key], true);
          const known = Object.keys(path.length === 0 ? mopSchema.shape : {});
          const guess = known.length ? nearest(key, known) : undefined;
          issues.push({ file, line, column, path: pathString([...path, key]), message: `unknown key '${key}'`, ...(guess ? { hint: `did you mean '${guess}'?` } : {}), severity: 'error' });
        }
        continue;
      }
      const { line, column } = positionOf(parsed, path);
      // `description` is every step's own text: check_interfaces' "description present" is require_description
      const descriptionFlag = path.length === 3 && path[2] === 'description' && issue.code === 'invalid_type';
      const hint = descriptionFlag ? "a step's `description` is its text; check_interfaces wants `require_description: true` for a description on every interface" : undefined;
      issues.push({ file, line, column, path: pathString(path), message: issue.message, ...(hint ? { hint } : {}), severity: 'error' });
    }
    return { issues, parsed };
  }
  return buildMop(result.data, parsed);
}

function buildMop(data: z.infer<typeof mopSchema>, parsed: ParsedMopSource): { mop: MopFile; parsed: ParsedMopSource; issues: MopIssue[] } {
  const toStep = (raw: z.infer<typeof stepSchema>, index: number, phase: 'main' | 'rollback'): MopStep => {
    const params: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw)) if (!(ENGINE_STEP_KEYS as readonly string[]).includes(key)) params[key] = value;
    const step: MopStep = {
      id: raw.id ?? (phase === 'main' ? `step${index + 1}` : `rollback${index + 1}`),
      type: raw.type,
      continue_on_error: raw.continue_on_error,
      run_once: raw.run_once,
      per_batch: raw.per_batch,
      retries: raw.retries,
      params,
      index,
      phase,
    };
    for (const key of ['name', 'description', 'when', 'on_success', 'on_failure', 'until', 'interval', 'timeout'] as const) {
      if (raw[key] !== undefined) (step as unknown as Record<string, unknown>)[key] = raw[key];
    }
    return step;
  };
  const mop: MopFile = {
    name: data.name,
    ...(data.description !== undefined ? { description: data.description } : {}),
    ...(data.targets ? { targets: data.targets } : {}),
    inputs: data.inputs,
    vars: data.vars,
    strategy: data.strategy as MopStrategy,
    settings: data.settings,
    steps: data.steps.map((s, i) => toStep(s, i, 'main')),
    rollback: data.rollback.map((s, i) => toStep(s, i, 'rollback')),
  };
  return { mop, parsed, issues: structureIssues(mop, parsed) };
}

function yamlPath(path: readonly unknown[]): (string | number)[] {
  const out: (string | number)[] = [];
  for (const item of path) {
    if (isSeq(item) || isMap(item)) continue;
    const pair = item as { key?: unknown };
    if (pair && typeof pair === 'object' && 'key' in pair && isScalar(pair.key)) out.push(String(pair.key.value));
  }
  return out;
}

/** Lines (1-based) holding a plain (unquoted) value that starts with `{{`. */
function unquotedTemplateLines(text: string): Set<number> {
  const lines = new Set<number>();
  if (!text.includes('{{')) return lines;
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    if (/(?:^|[:-]\s+|^\s*-\s*)\{\{/.test(all[i]!)) lines.add(i + 1);
  }
  return lines;
}

/** Ids unique, jumps name existing steps of their own phase, run_once steps jump nowhere else. */
function structureIssues(mop: MopFile, parsed: ParsedMopSource): MopIssue[] {
  const issues: MopIssue[] = [];
  const add = (path: (string | number)[], message: string, hint?: string): void => {
    const { line, column } = positionOf(parsed, path);
    issues.push({ file: parsed.file, line, column, path: pathString(path), message, ...(hint ? { hint } : {}), severity: 'error' });
  };
  const seen = new Map<string, string>();
  for (const [phase, steps] of [['steps', mop.steps], ['rollback', mop.rollback]] as const) {
    steps.forEach((step, i) => {
      const previous = seen.get(step.id);
      if (previous) add([phase, i, 'id'], `step id '${step.id}' is used twice (first at ${previous})`);
      else seen.set(step.id, pathString([phase, i]));
      if (step.per_batch && !step.run_once) add([phase, i, 'per_batch'], 'per_batch applies to run_once steps only');
      if (phase === 'rollback' && step.run_once) add([phase, i, 'run_once'], 'rollback steps run per device; run_once is not allowed here');
    });
  }
  const mainIds = mop.steps.map((s) => s.id);
  const segments = segmentOf(mop.steps);
  for (const [phase, steps] of [['steps', mop.steps], ['rollback', mop.rollback]] as const) {
    const ids = steps.map((s) => s.id);
    steps.forEach((step, i) => {
      for (const key of ['on_success', 'on_failure'] as const) {
        const target = step[key];
        if (target === undefined) continue;
        const at = ids.indexOf(target);
        if (at < 0) {
          const guess = nearest(target, ids);
          add([phase, i, key], `${key} jumps to unknown step '${target}'`, guess ? `did you mean '${guess}'?` : `step ids: ${ids.join(', ')}`);
        } else if (phase === 'steps' && (step.run_once || steps[at]!.run_once) && at !== i) {
          add([phase, i, key], `jumps into or out of a run_once step are not allowed ('${step.id}' → '${target}')`);
        } else if (phase === 'steps' && segments[at] !== segments[i]) {
          add([phase, i, key], `'${target}' is on the other side of a run_once barrier`, 'jumps stay between two run_once steps');
        }
      }
    });
  }
  void mainIds;
  return issues;
}

/** Segment index of each step: run_once steps split the device pipeline into segments. */
export function segmentOf(steps: readonly MopStep[]): number[] {
  let segment = 0;
  let inOnce = false;
  return steps.map((step) => {
    if (step.run_once !== inOnce) {
      segment++;
      inOnce = step.run_once;
    }
    return segment;
  });
}

function hashOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The folders MOPs are looked up in: `<cwd>/mops`, then the `mops` setting's folders. */
export function mopDirs(location: MopLocation): string[] {
  return [join(location.cwd, 'mops'), ...(location.mopsDirs ?? []).map((d) => resolve(location.cwd, d))];
}

const MOP_EXTENSIONS = ['.yaml', '.yml'];

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** A path (relative to cwd, or absolute) or a MOP name (file base name, or `name:` in the mops folders). */
export function resolveMopPath(pathOrName: string, location: MopLocation): string {
  const direct = isAbsolute(pathOrName) ? pathOrName : resolve(location.cwd, pathOrName);
  if (isFile(direct)) return direct;
  for (const dir of mopDirs(location)) {
    for (const ext of ['', ...MOP_EXTENSIONS]) {
      const file = join(dir, pathOrName + ext);
      if (isFile(file)) return file;
    }
  }
  const listing = listMops(location);
  const byName = listing.find((m) => m.name === pathOrName);
  if (byName) return byName.path;
  throw new NotFoundError('mop', pathOrName, nearest(pathOrName, listing.map((m) => m.name)));
}

/** Reads, parses and schema-checks a MOP: throws NotFoundError (3) or MopInvalidError (4). */
export function loadMopFile(pathOrName: string, location: MopLocation): LoadedMop & { parsed: ParsedMopSource; warnings: MopIssue[] } {
  const path = resolveMopPath(pathOrName, location);
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch {
    throw new NotFoundError('mop', pathOrName);
  }
  const { mop, parsed, issues } = parseMopText(source, path);
  const errors = issues.filter((i) => i.severity === 'error');
  if (!mop || !parsed || errors.length > 0) throw new MopInvalidError(issues);
  return {
    name: mop.name,
    ...(mop.description !== undefined ? { description: mop.description } : {}),
    path,
    source,
    hash: hashOf(source),
    mop,
    parsed,
    warnings: issues.filter((i) => i.severity !== 'error'),
  };
}

/** Every MOP file in the mops folders, loaded enough to show its name (a broken one shows its error). */
export function listMops(location: MopLocation): MopListing[] {
  const out: MopListing[] = [];
  const seen = new Set<string>();
  for (const dir of mopDirs(location)) {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!MOP_EXTENSIONS.includes(extname(entry))) continue;
      const path = join(dir, entry);
      if (seen.has(path) || !isFile(path)) continue;
      seen.add(path);
      try {
        const text = readFileSync(path, 'utf8');
        const { mop, issues } = parseMopText(text, path);
        const raw = mop ? undefined : readFast(text)?.value;
        const record = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
        const name = mop?.name ?? (typeof record.name === 'string' ? record.name : basename(entry, extname(entry)));
        const listing: MopListing = { name, path };
        const description = mop ? mop.description : record.description;
        if (typeof description === 'string') listing.description = description;
        const error = issues.find((i) => i.severity === 'error');
        if (error) listing.error = formatIssue(error);
        out.push(listing);
      } catch (error) {
        out.push({ name: basename(entry, extname(entry)), path, error: (error as Error).message });
      }
    }
  }
  return out;
}
