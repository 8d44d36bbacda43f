/**
 * The template engine: Jinja2's lexer and grammar (./lexer.ts, ./parser.ts) building nunjucks AST nodes
 * (./nodes.ts), compiled once per template into closures (./runtime.ts) over a Python value layer
 * (../values.ts), so templates render byte for byte as Jinja2 and Ansible render them.
 *
 * Environments: `jinja2` (Jinja2's defaults), `trim` (trim_blocks + lstrip_blocks), `ansible`
 * (trim_blocks, Ansible's trailing-newline rule, `#jinja2:` header overrides, Ansible's filters/tests).
 * Ansible's filters and tests (network ones included) are registered in every environment; on a name
 * clash with a Jinja2 builtin, Jinja2's wins in `jinja2`/`trim` and Ansible's in `ansible`.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { NetstacksError } from '../../core/errors.js';
import { ansibleFilters, ansibleTests, networkFilters } from '../filters/index.js';
import { createBuiltins } from './builtins.js';
import type { JNode } from './nodes.js';
import { ParseError, parseTemplate } from './parser.js';
import { RenderError, collectNames, compileTemplate, renderTemplate, type Compiled, type RenderState, type TemplateLoader } from './runtime.js';

export type TemplateEnvName = 'jinja2' | 'trim' | 'ansible';
export const TEMPLATE_ENVS: readonly TemplateEnvName[] = ['jinja2', 'trim', 'ansible'];

export interface EngineOptions {
  env: TemplateEnvName;
  searchPaths: string[];
  allowUndefined?: boolean;
  globals?: Record<string, unknown>;
  filters?: Record<string, (...args: unknown[]) => unknown>;
  tests?: Record<string, (...args: unknown[]) => boolean>;
}

export interface TemplateEngine {
  render(name: string, context: Record<string, unknown>): string;
  renderString(source: string, context: Record<string, unknown>, name?: string): string;
  /** Parses and compiles; throws TemplateError with file and line. */
  compile(name: string): void;
  /** The nunjucks AST root (nodes.Root) of our parser, for variable discovery. */
  parse(source: string, name: string): unknown;
  /**
   * Parses `source` as `parse` does and compiles the tree, uncached and without checking filter and
   * test names (`template check` reports every one of those itself): the tree, and what compiling
   * it threw, if anything. Throws TemplateError on a syntax error.
   */
  inspect(source: string, name: string, file: string): { tree: unknown; compileError?: unknown };
  /** Resolves a template name to its file, or null. */
  resolve(name: string): string | null;
  readonly filterNames: ReadonlySet<string>;
  readonly testNames: ReadonlySet<string>;
}

export class TemplateError extends NetstacksError {
  constructor(
    message: string,
    readonly file: string | undefined,
    readonly line: number | undefined,
    readonly column: number | undefined,
    options: { hint?: string; cause?: unknown; code?: string } = {},
  ) {
    super(options.code ?? 'template_error', formatLocation(message, file, line), {
      exit: 'invalidInput',
      hint: options.hint,
      cause: options.cause,
    });
  }
}

function formatLocation(message: string, file: string | undefined, line: number | undefined): string {
  if (!file) return message;
  return `${file}${line ? `:${line}` : ''}: ${message}`;
}

interface LexSettings {
  trimBlocks: boolean;
  lstripBlocks: boolean;
  keepTrailingNewline: boolean;
}

const ENV_SETTINGS: Record<TemplateEnvName, LexSettings> = {
  jinja2: { trimBlocks: false, lstripBlocks: false, keepTrailingNewline: false },
  trim: { trimBlocks: true, lstripBlocks: true, keepTrailingNewline: false },
  ansible: { trimBlocks: true, lstripBlocks: false, keepTrailingNewline: false },
};

const HEADER = '#jinja2:';
const HEADER_KEYS: Record<string, keyof LexSettings> = {
  trim_blocks: 'trimBlocks',
  lstrip_blocks: 'lstripBlocks',
  keep_trailing_newline: 'keepTrailingNewline',
};

/** Ansible's `#jinja2: key: value, …` first line: removed, and its settings apply to the render. */
export function parseAnsibleHeader(source: string, file: string): { body: string; overrides: Partial<LexSettings> } {
  if (!source.startsWith(HEADER)) return { body: source, overrides: {} };
  const eol = source.indexOf('\n');
  const line = source.slice(HEADER.length, eol < 0 ? undefined : eol);
  const body = eol < 0 ? '' : source.slice(eol + 1);
  const overrides: Partial<LexSettings> = {};
  for (const pair of line.split(',')) {
    const k = pair.indexOf(':');
    if (k < 0) throw new TemplateError(`failed to parse jinja2 override '${line.trim()}'`, file, 1, 1);
    const key = pair.slice(0, k).trim();
    const raw = pair.slice(k + 1).trim();
    const setting = HEADER_KEYS[key];
    if (!setting) {
      throw new TemplateError(`'#jinja2:' header: setting '${key}' is not supported (only trim_blocks, lstrip_blocks, keep_trailing_newline)`, file, 1, 1);
    }
    if (raw !== 'True' && raw !== 'False') throw new TemplateError(`'#jinja2:' header: ${key} must be True or False, got ${raw}`, file, 1, 1);
    overrides[setting] = raw === 'True';
  }
  return { body, overrides };
}

/** Ansible's _count_newlines_from_end: '\n' characters only (a '\r' stops the count). */
function countTrailingNewlines(s: string): number {
  let n = 0;
  while (n < s.length && s[s.length - 1 - n] === '\n') n++;
  return n;
}

function toTemplateError(e: unknown, fallbackFile?: string): unknown {
  if (e instanceof TemplateError) return e;
  if (e instanceof RenderError) {
    const hint = e.kind === 'undefined' ? 'pass the variable (--var, --vars) or render with --allow-undefined' : undefined;
    return new TemplateError(e.message, e.file, e.line, undefined, { hint, cause: e.original ?? e, code: e.kind === 'undefined' ? 'template_undefined' : e.kind === 'missing-template' ? 'template_not_found' : 'template_error' });
  }
  if (e instanceof ParseError) return new TemplateError(e.message, fallbackFile, e.lineno + 1, e.colno + 1, { code: 'template_syntax' });
  return e;
}

interface CacheEntry {
  compiled: Compiled;
  mtimeMs: number;
  size: number;
  newlines: number;
  overrides: Partial<LexSettings>;
}

export function createEngine(options: EngineOptions): TemplateEngine {
  const env = options.env;
  const base = ENV_SETTINGS[env];
  const searchPaths = options.searchPaths.map((p) => resolve(p));
  const filters: Record<string, (...args: unknown[]) => unknown> = {};
  const tests: Record<string, (...args: unknown[]) => unknown> = {};
  const strict = !options.allowUndefined;
  const builtins = createBuiltins({ filters, tests, strict });
  // Ansible's filters and tests are there in every environment (the corpus renders its ansible-filters
  // cases in all three); where a name is both Jinja2's and Ansible's (unique, min, max…), Jinja2's wins
  // outside the `ansible` environment and Ansible's inside it.
  const ansF = { ...(ansibleFilters as Record<string, (...args: unknown[]) => unknown>), ...(networkFilters as Record<string, (...args: unknown[]) => unknown>) };
  const ansT = ansibleTests as Record<string, (...args: unknown[]) => unknown>;
  if (env === 'ansible') {
    Object.assign(filters, builtins.filters, ansF);
    Object.assign(tests, builtins.tests, ansT);
  } else {
    Object.assign(filters, ansF, builtins.filters);
    Object.assign(tests, ansT, builtins.tests);
  }
  Object.assign(filters, options.filters ?? {});
  Object.assign(tests, options.tests ?? {});
  // Ansible's template module defines ansible_managed (DEFAULT_MANAGED_STR); the context may override it
  const envGlobals: Record<string, unknown> = env === 'ansible' ? { ansible_managed: 'Ansible managed' } : {};
  const globals = { ...builtins.globals, ...envGlobals, ...(options.globals ?? {}) };
  const cache = new Map<string, CacheEntry>();
  const stringCache = new Map<string, Map<string, { compiled: Compiled; newlines: number }>>();

  const resolveIn = (dir: string, name: string): string | null => {
    const pieces = name.split('/').filter((p) => p && p !== '.');
    if (pieces.some((p) => p === '..') || isAbsolute(name)) return null;
    const file = join(dir, ...pieces);
    try {
      return statSync(file).isFile() ? file : null;
    } catch {
      return null; // not in this folder
    }
  };
  const resolveFile = (name: string): string | null => {
    for (const dir of searchPaths) {
      const file = resolveIn(dir, name);
      if (file) return file;
    }
    return null;
  };

  const checkNames = (ast: JNode, file: string): void => {
    const { filters: fs, tests: ts } = collectNames(ast);
    for (const f of fs) {
      const n = f.name.value as string;
      if (!(n in filters)) throw new TemplateError(`no filter named '${n}'`, file, f.lineno + 1, f.colno + 1, { code: 'template_unknown_filter' });
    }
    for (const t of ts) {
      const n = (t.right.typename === 'FunCall' ? t.right.name.value : t.right.value) as string;
      if (!(n in tests)) throw new TemplateError(`no test named '${n}'`, file, t.lineno + 1, t.colno + 1, { code: 'template_unknown_test' });
    }
  };

  const compileSource = (source: string, name: string, file: string, settings: LexSettings): Compiled => {
    let ast: JNode;
    try {
      ast = parseTemplate(source, settings);
    } catch (e) {
      throw toTemplateError(e, file);
    }
    checkNames(ast, file);
    try {
      return compileTemplate(ast, name, file);
    } catch (e) {
      throw toTemplateError(e, file);
    }
  };

  /** Loads and compiles a file with the given settings (cached by file, settings and mtime). */
  const loadFile = (name: string, file: string, settings: LexSettings, top: boolean): CacheEntry => {
    const st = statSync(file);
    const key = `${settings.trimBlocks ? 1 : 0}${settings.lstripBlocks ? 1 : 0}${settings.keepTrailingNewline ? 1 : 0}${top ? 'T' : 'I'}${file}`;
    const hit = cache.get(key);
    if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit;
    let source = readFileSync(file, 'utf8');
    let overrides: Partial<LexSettings> = {};
    if (top && env === 'ansible') {
      const h = parseAnsibleHeader(source, file);
      source = h.body;
      overrides = h.overrides;
    }
    const eff = { ...settings, ...overrides };
    const entry: CacheEntry = {
      compiled: compileSource(source, name, file, eff),
      mtimeMs: st.mtimeMs,
      size: st.size,
      newlines: countTrailingNewlines(source),
      overrides,
    };
    cache.set(key, entry);
    return entry;
  };

  const makeState = (settings: LexSettings, topFile: string): RenderState => {
    // Ansible's template action also searches the directory of the template it renders
    const topDir = env === 'ansible' && isAbsolute(topFile) ? dirname(topFile) : null;
    const loader: TemplateLoader = {
      load(name: string): Compiled {
        const file = resolveFile(name) ?? (topDir ? resolveIn(topDir, name) : null);
        if (!file) {
          throw new RenderError(`template '${name}' not found in ${searchPaths.join(', ') || '(no template folders)'}`, '', 0, 'missing-template');
        }
        try {
          return loadFile(name, file, settings, false).compiled;
        } catch (e) {
          if (e instanceof TemplateError) throw new RenderError(e.message.replace(`${e.file}:${e.line}: `, ''), e.file ?? file, e.line ?? 0, 'syntax', e);
          throw e;
        }
      },
    };
    return { loader, strict, globals, filters, tests, blocks: new Map(), depth: 0, noneAsEmpty: env === 'ansible', chainUndefined: env === 'ansible', unrollIterators: env === 'ansible' };
  };

  const finish = (out: string, newlines: number): string => {
    if (env !== 'ansible') return out;
    const have = countTrailingNewlines(out);
    return have < newlines ? out + '\n'.repeat(newlines - have) : out;
  };

  const run = (compiled: Compiled, context: Record<string, unknown>, settings: LexSettings, newlines: number): string => {
    try {
      return finish(renderTemplate(compiled, context, makeState(settings, compiled.file)), newlines);
    } catch (e) {
      const te = toTemplateError(e, compiled.file);
      if (te instanceof RenderError || te instanceof TemplateError) throw te;
      if (e instanceof RangeError) throw new TemplateError(`recursion too deep: ${e.message}`, compiled.file, undefined, undefined);
      throw te;
    }
  };

  const resolveName = (name: string): string | null => {
    if (isAbsolute(name)) {
      try {
        return statSync(name).isFile() ? name : null;
      } catch {
        return null;
      }
    }
    return resolveFile(name) ?? (name.endsWith('.j2') ? null : resolveFile(name + '.j2'));
  };

  const loadTop = (name: string): CacheEntry => {
    const file = resolveName(name);
    if (!file) {
      throw new TemplateError(`template '${name}' not found in ${searchPaths.join(', ') || '(no template folders)'}`, undefined, undefined, undefined, { code: 'template_not_found' });
    }
    const rel = searchPaths.find((d) => file.startsWith(d + sep));
    const tname = rel ? file.slice(rel.length + 1).split(sep).join('/') : file;
    return loadFile(tname, file, base, true);
  };

  const parse = (source: string, name: string): JNode => {
    let body = source;
    let settings = base;
    if (env === 'ansible') {
      const h = parseAnsibleHeader(source, name);
      body = h.body;
      settings = { ...base, ...h.overrides };
    }
    try {
      return parseTemplate(body, settings);
    } catch (e) {
      throw toTemplateError(e, name);
    }
  };

  return {
    filterNames: new Set(Object.keys(filters)),
    testNames: new Set(Object.keys(tests)),
    resolve: resolveName,
    render(name, context) {
      const entry = loadTop(name);
      return run(entry.compiled, context, { ...base, ...entry.overrides }, entry.newlines);
    },
    renderString(source, context, name = '<string>') {
      let body = source;
      let overrides: Partial<LexSettings> = {};
      if (env === 'ansible') {
        const h = parseAnsibleHeader(source, name);
        body = h.body;
        overrides = h.overrides;
      }
      const settings = { ...base, ...overrides };
      const skey = `${settings.trimBlocks ? 1 : 0}${settings.lstripBlocks ? 1 : 0}${settings.keepTrailingNewline ? 1 : 0}${name}`;
      let byBody = stringCache.get(skey);
      if (!byBody) stringCache.set(skey, (byBody = new Map()));
      let hit = byBody.get(body);
      if (!hit) {
        hit = { compiled: compileSource(body, name, name, settings), newlines: countTrailingNewlines(body) };
        if (byBody.size > 500) byBody.clear();
        byBody.set(body, hit);
      }
      return run(hit.compiled, context, settings, hit.newlines);
    },
    compile(name) {
      loadTop(name);
    },
    inspect(source, name, file) {
      const tree = parse(source, name);
      try {
        compileTemplate(tree, name, file);
        return { tree };
      } catch (compileError) {
        return { tree, compileError };
      }
    },
    parse,
  };
}

export { RenderError };
