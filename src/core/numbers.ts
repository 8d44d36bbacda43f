import { UsageError, ValidationError } from './errors.js';

/** What a number must be. `above` is an exclusive lower bound (a timeout is above 0). */
export interface NumberRules {
  integer?: boolean;
  min?: number;
  above?: number;
  max?: number;
  /** shown after the range, e.g. 'seconds' */
  unit?: string;
}

/**
 * Where the text came from, which decides the exit code: a command-line option is a usage error
 * (exit 2); a value read from a file, a setting or the database is invalid input (exit 4).
 */
export type NumberSource = 'option' | 'value';

/** 'a whole number from 1 to 65535', 'a number greater than 0 (seconds)'. */
export function describeNumber(rules: NumberRules = {}): string {
  const kind = rules.integer ? 'a whole number' : 'a number';
  const low = rules.above !== undefined ? { bound: rules.above, exclusive: true } : rules.min !== undefined ? { bound: rules.min, exclusive: false } : undefined;
  let range = '';
  if (low && rules.max !== undefined) range = low.exclusive ? ` greater than ${low.bound} and at most ${rules.max}` : ` from ${low.bound} to ${rules.max}`;
  else if (low) range = low.exclusive ? ` greater than ${low.bound}` : ` of at least ${low.bound}`;
  else if (rules.max !== undefined) range = ` of at most ${rules.max}`;
  return `${kind}${range}${rules.unit ? ` (${rules.unit})` : ''}`;
}

function fits(value: number, rules: NumberRules): boolean {
  if (!Number.isFinite(value)) return false;
  if (rules.integer && !Number.isInteger(value)) return false;
  if (rules.min !== undefined && value < rules.min) return false;
  if (rules.above !== undefined && value <= rules.above) return false;
  if (rules.max !== undefined && value > rules.max) return false;
  return true;
}

/**
 * The one number parser: text (or a number already parsed from YAML/JSON) checked against
 * `rules`. Every failure reads `invalid value 'X' for WHAT: expected …`, where WHAT is the option
 * (`--port`) or the place (`setting 'concurrency'`).
 */
export function parseNumber(input: unknown, what: string, rules: NumberRules = {}, source: NumberSource = 'value', hint?: string): number {
  const value = typeof input === 'number' ? input : typeof input === 'string' && input.trim() !== '' ? Number(input.trim()) : Number.NaN;
  if (fits(value, rules)) return value;
  const shown = typeof input === 'string' ? `'${input}'` : JSON.stringify(input) ?? String(input);
  const message = `invalid value ${shown} for ${what}: expected ${describeNumber(rules)}`;
  throw source === 'option' ? new UsageError(message, hint) : new ValidationError(message, hint);
}

/** A numeric command-line option: undefined when not given, exit 2 when bad. */
export function numberOption(option: string, text: string | undefined, rules: NumberRules = {}): number | undefined {
  return text === undefined ? undefined : parseNumber(text, option, rules, 'option');
}
