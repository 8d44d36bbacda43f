import { ValidationError } from '../../core/errors.js';

/**
 * A syntax error that shows where it is:
 *
 *   selection syntax error at column 14: expected ')'
 *     core-* and (tag:edge
 *                         ^
 */
export function selectionError(expr: string, column: number, problem: string, hint?: string): ValidationError {
  const caret = ' '.repeat(Math.max(0, column - 1)) + '^';
  return new ValidationError(
    `selection syntax error at column ${column}: ${problem}\n  ${expr}\n  ${caret}`,
    hint ?? 'see docs/selection.md for the grammar, e.g. --on "site:lon and (role:core or tag:edge)"',
  );
}
