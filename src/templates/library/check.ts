import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { NetstacksError } from '../../core/errors.js';
import type { TemplateEngine } from '../engine/index.js';
import type { TemplateEntry } from './discovery.js';
import { TemplateMetaError } from './errors.js';
import type { TemplateRenderer } from './renderer.js';
import type { AstNode } from './variables.js';

export type CheckProblemKind = 'syntax' | 'unknown_filter' | 'unknown_test' | 'missing_template' | 'missing_link' | 'metadata';

export interface CheckProblem {
  template: string;
  kind: CheckProblemKind;
  message: string;
  file: string;
  line?: number;
  column?: number;
}

export interface CheckReport {
  /** names of the templates checked */
  checked: string[];
  problems: CheckProblem[];
}

/**
 * Parses and compiles every template (or the named ones) and reports every problem found, not
 * only the first: syntax errors, unknown filters and tests, include/import/extends of templates
 * that do not exist, invalid metadata, and delete/validation links to missing templates.
 */
export function checkTemplates(renderer: TemplateRenderer, names?: readonly string[]): CheckReport {
  const library = renderer.library;
  const named = names && names.length > 0;
  const queue: TemplateEntry[] = named ? names.map((name) => library.find(name)) : library.list();
  const seen = new Set(queue.map((e) => e.path));
  const checked: string[] = [];
  const problems: CheckProblem[] = [];
  // named templates bring what they include, import and extend along
  for (let i = 0; i < queue.length; i++) {
    const entry = queue[i] as TemplateEntry;
    const { problems: found, references } = checkOne(renderer, entry);
    checked.push(entry.name);
    problems.push(...found);
    if (!named) continue;
    for (const reference of references) {
      const target = library.lookup(reference);
      if (target && !seen.has(target.path)) {
        seen.add(target.path);
        queue.push(target);
      }
    }
  }
  return { checked, problems };
}

function checkOne(renderer: TemplateRenderer, entry: TemplateEntry): { problems: CheckProblem[]; references: string[] } {
  const problems: CheckProblem[] = [];
  const references: string[] = [];
  const base = { template: entry.name, file: entry.path };
  let env = renderer.defaultEnv;
  try {
    const meta = renderer.meta(entry);
    env = renderer.envFor(entry);
    for (const link of ['delete', 'validation'] as const) {
      const target = meta?.[link];
      if (target !== undefined && !renderer.library.lookup(target)) {
        problems.push({ ...base, file: entry.metaPath ?? entry.path, kind: 'missing_link', message: `${link} template '${target}' does not exist` });
      }
    }
  } catch (error) {
    if (error instanceof TemplateMetaError) {
      problems.push({ ...base, kind: 'metadata', message: error.message, file: error.position.file, line: error.position.line, column: error.position.column });
    } else throw error;
  }
  const engine: TemplateEngine = renderer.engine(env);
  let ast: AstNode;
  let compileError: unknown;
  try {
    const inspected = engine.inspect(readFileSync(entry.path, 'utf8'), entry.file, entry.path);
    ast = inspected.tree as AstNode;
    compileError = inspected.compileError;
  } catch (error) {
    problems.push(syntaxProblem(base, error, renderer));
    return { problems, references };
  }
  for (const use of namedUses(ast)) {
    if (use.kind === 'filter' && !engine.filterNames.has(use.name)) {
      problems.push({ ...base, kind: 'unknown_filter', message: `unknown filter '${use.name}'`, line: use.line, column: use.column });
    } else if (use.kind === 'test' && !engine.testNames.has(use.name)) {
      problems.push({ ...base, kind: 'unknown_test', message: `unknown test '${use.name}'`, line: use.line, column: use.column });
    } else if (use.kind === 'template') references.push(use.name);
    if (use.kind === 'template' && !use.optional && !renderer.library.has(use.name)) {
      problems.push({ ...base, kind: 'missing_template', message: `${use.statement} of '${use.name}', which does not exist`, line: use.line, column: use.column });
    }
  }
  // errors compiling the tree are those of the template itself
  if (compileError !== undefined) problems.push(syntaxProblem(base, compileError, renderer));
  return { problems, references };
}

function syntaxProblem(base: { template: string; file: string }, error: unknown, renderer: TemplateRenderer): CheckProblem {
  if (!(error instanceof Error)) return { ...base, kind: 'syntax', message: String(error) };
  const located = error as Error & { file?: string; line?: number; column?: number; lineno?: number; colno?: number };
  const line = located.line ?? (typeof located.lineno === 'number' ? located.lineno + 1 : undefined);
  const column = located.column ?? (typeof located.colno === 'number' ? located.colno + 1 : undefined);
  const kind: CheckProblemKind = /unknown filter|no filter named/i.test(error.message) ? 'unknown_filter' : /unknown test|no test named/i.test(error.message) ? 'unknown_test' : 'syntax';
  return {
    ...base,
    // the engine names files as include names them (relative to a folder): show where they are
    file: located.file === undefined ? base.file : isAbsolute(located.file) ? located.file : (renderer.library.resolveFile(located.file) ?? located.file),
    kind,
    message: error instanceof NetstacksError || !located.file ? stripLocation(error.message) : error.message,
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
  };
}

/** "file:3: message" → "message" (the problem carries file and line itself). */
function stripLocation(message: string): string {
  return message.replace(/^\S+?:\d+(?::\d+)?: /, '');
}

interface NamedUse {
  kind: 'filter' | 'test' | 'template';
  name: string;
  statement?: string;
  /** an include that may be missing (`ignore missing`, or one of a list) */
  optional?: boolean;
  line: number;
  column: number;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as { typename?: unknown }).typename === 'string';
}

function nameOf(node: unknown): string | undefined {
  if (!isNode(node)) return undefined;
  if (node.typename === 'Symbol' && typeof node.value === 'string') return node.value;
  if (node.typename === 'LookupVal') {
    // ansible.utils.ipaddr: the dotted name as written
    const target = nameOf(node.target);
    const val = isNode(node.val) && typeof node.val.value === 'string' ? node.val.value : undefined;
    return target !== undefined && val !== undefined ? `${target}.${val}` : undefined;
  }
  return undefined;
}

/** Filters, tests and literal template references in a parsed template. */
export function namedUses(root: AstNode): NamedUse[] {
  const uses: NamedUse[] = [];
  const at = (node: AstNode) => ({ line: (node.lineno ?? 0) + 1, column: (node.colno ?? 0) + 1 });
  const visit = (node: AstNode): void => {
    switch (node.typename) {
      case 'Filter':
      case 'FilterAsync': {
        const name = nameOf(node.name);
        if (name !== undefined) uses.push({ kind: 'filter', name, ...at(node) });
        break;
      }
      case 'Is': {
        const right = node.right;
        const name = isNode(right) && right.typename === 'FunCall' ? nameOf(right.name) : nameOf(right);
        if (name !== undefined) uses.push({ kind: 'test', name, ...at(node) });
        break;
      }
      case 'Include':
      case 'Import':
      case 'FromImport':
      case 'Extends': {
        const template = node.template;
        const list = isNode(template) && ['Array', 'Tuple'].includes(template.typename);
        const literals = isNode(template) ? (list ? (template.children ?? []) : [template]).filter((n) => n.typename === 'Literal') : [];
        // with `ignore missing` none needs to exist; of a list, any one will do
        const optional = node.ignoreMissing === true || list;
        for (const literal of literals) {
          if (typeof literal.value === 'string') uses.push({ kind: 'template', name: literal.value, optional, statement: node.typename.toLowerCase().replace('fromimport', 'from-import'), ...at(node) });
        }
        break;
      }
    }
    for (const field of node.fields ?? []) {
      const value = node[field];
      if (isNode(value)) visit(value);
      else if (Array.isArray(value)) for (const item of value) if (isNode(item)) visit(item);
    }
    if (!(node.fields ?? []).includes('children') && Array.isArray(node.children)) for (const child of node.children) if (isNode(child)) visit(child);
  };
  visit(root);
  return uses;
}
