import { ValidationError } from '../core/errors.js';
import { createEngine, type TemplateEngine } from '../templates/engine/index.js';
import { collectNames } from '../templates/engine/runtime.js';
import type { JNode } from '../templates/engine/nodes.js';
import { dictEntries, isDict, isTuple, PyFloat, PyUndefined, pyTruthy } from '../templates/values.js';
import { hasTemplate, wholeExpression } from './template-text.js';

export { containsTemplate, hasTemplate, referencedSteps, wholeExpression } from './template-text.js';

/**
 * Templating inside MOPs: every string may hold `{{ }}` (the project's Jinja2-exact engine, Ansible
 * environment, strict undefined). A string that is one whole `{{ expr }}` keeps the expression's
 * native type (number, boolean, list, dict), as Ansible's native types do; `when:` and `until:` are
 * bare expressions (`result.status == 'passed'`), as Ansible writes them.
 */

const NATIVE_FILTER = '__mop_native';

/** A template in a MOP failed to render: the step fails with this message. */
export class MopTemplateError extends ValidationError {
  constructor(message: string, hint?: string) {
    super(message, hint);
  }
}

/** A Python value from the template layer as plain JSON-able JS. */
export function toNative(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value;
  if (value instanceof PyUndefined) return null;
  if (value === undefined) return null;
  if (Array.isArray(value)) return (isTuple(value) ? [...value] : value).map(toNative);
  if (value instanceof Map || (isDict(value) && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)) {
    if (isDict(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of dictEntries(value)) out[String(k)] = toNative(v);
      return out;
    }
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toNative(v);
    return out;
  }
  return value;
}

export class MopTemplating {
  private readonly engine: TemplateEngine;
  private captured: unknown;

  constructor(options: { searchPaths?: string[] } = {}) {
    this.engine = createEngine({
      env: 'ansible',
      searchPaths: options.searchPaths ?? [],
      filters: {
        [NATIVE_FILTER]: (value: unknown) => {
          this.captured = value;
          return '';
        },
      },
    });
  }

  /** Renders every string in `value` (deeply); whole-`{{ }}` strings keep their native type. */
  render(value: unknown, scope: Record<string, unknown>, where = 'value'): unknown {
    if (typeof value === 'string') {
      if (!hasTemplate(value)) return value;
      const expr = wholeExpression(value);
      if (expr !== undefined) return this.evaluate(expr, scope, where);
      return this.renderString(value, scope, where);
    }
    if (Array.isArray(value)) return value.map((v, i) => this.render(v, scope, `${where}[${i}]`));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.render(v, scope, `${where}.${k}`);
      return out;
    }
    return value;
  }

  renderString(source: string, scope: Record<string, unknown>, where = 'value'): string {
    try {
      return this.engine.renderString(source, scope, where);
    } catch (error) {
      throw this.wrap(error, where);
    }
  }

  /** Evaluates a bare expression to its native value. */
  evaluate(expression: string, scope: Record<string, unknown>, where = 'expression'): unknown {
    this.captured = undefined;
    try {
      this.engine.renderString(`{{ (${expression}) | ${NATIVE_FILTER} }}`, scope, where);
    } catch (error) {
      throw this.wrap(error, where);
    }
    const value = this.captured;
    this.captured = undefined;
    return toNative(value);
  }

  /** `when:` / `until:`: a bare expression (a `{{ }}` one is accepted too), judged by Python truthiness. */
  condition(expression: string | boolean, scope: Record<string, unknown>, where = 'when'): boolean {
    if (typeof expression === 'boolean') return expression;
    const expr = wholeExpression(expression) ?? expression;
    this.captured = undefined;
    try {
      this.engine.renderString(`{{ (${expr}) | ${NATIVE_FILTER} }}`, scope, where);
    } catch (error) {
      throw this.wrap(error, where);
    }
    const value = this.captured;
    this.captured = undefined;
    return pyTruthy(value);
  }

  /** Why a template string does not parse (or uses an unknown filter/test); undefined when fine. */
  problem(source: string, kind: 'template' | 'expression'): string | undefined {
    const text = kind === 'expression' ? `{{ (${wholeExpression(source) ?? source}) }}` : source;
    let ast: JNode;
    try {
      ast = this.engine.parse(text, kind) as JNode;
    } catch (error) {
      const message = (error as Error).message.replace(/^(template|expression)(:\d+)?: /, '');
      return message;
    }
    // filters and tests need a `|` or an ` is `: most strings have neither, and the tree walk is not free
    if (!text.includes('|') && !/\sis\s/.test(text)) return undefined;
    const { filters, tests } = collectNames(ast);
    for (const f of filters) {
      const name = f.name.value as string;
      if (!this.engine.filterNames.has(name)) return `no filter named '${name}'`;
    }
    for (const t of tests) {
      const name = (t.right.typename === 'FunCall' ? t.right.name.value : t.right.value) as string;
      if (!this.engine.testNames.has(name)) return `no test named '${name}'`;
    }
    return undefined;
  }

  private wrap(error: unknown, where: string): Error {
    const message = error instanceof Error ? error.message : String(error);
    const hint = error instanceof Error && 'hint' in error && typeof error.hint === 'string' ? error.hint : undefined;
    const clean = message.replace(new RegExp(`^${where.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:\\d+)?: `), '');
    return new MopTemplateError(`${where}: ${clean}`, hint?.includes('--allow-undefined') ? 'define it as an input, a var, or an earlier step result' : hint);
  }
}
