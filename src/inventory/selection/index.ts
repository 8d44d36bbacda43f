import type { Device } from '../types.js';
import { compileNode, type DevicePredicate } from './evaluate.js';
import { parseSelection } from './parser.js';

export { parseSelection, SELECTION_FIELDS, type SelectionField, type SelectionNode } from './parser.js';
export type { DevicePredicate } from './evaluate.js';

/**
 * Compiles a `--on` expression once into a predicate. Throws ValidationError with the column of a
 * syntax error. See docs/selection.md for the grammar.
 */
export function compileSelection(expr: string): DevicePredicate {
  return compileNode(parseSelection(expr));
}

/** The devices an expression selects; no expression (undefined or blank) selects all. */
export function selectDevices(devices: Device[], expr: string | undefined): Device[] {
  return expr && expr.trim() !== '' ? devices.filter(compileSelection(expr)) : devices;
}
