/**
 * The template engine: nunjucks' lexer/parser extended for Jinja2 syntax, our own compiler to JS and a
 * Python value layer (../values.ts), so templates render byte for byte as Jinja2 and Ansible render them.
 */
import { NetstacksError } from '../../core/errors.js';

export type TemplateEnvName = 'jinja2' | 'trim' | 'ansible';

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

export function createEngine(_options: EngineOptions): TemplateEngine {
  throw new Error('template engine: not implemented yet');
}
