import { parse as parseYaml } from 'yaml';
import { ValidationError } from '../core/errors.js';
import type { SshOptions } from './types.js';

/** Turns command-line text into inventory values: `--var key=value` and numeric options. */

/** `key=value` pairs to a mapping; each value is read as a YAML scalar (`10` → 10, `true` → true, `[a, b]` → list). */
export function parseAssignments(assignments: readonly string[] | undefined): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const assignment of assignments ?? []) {
    const at = assignment.indexOf('=');
    const key = at < 0 ? '' : assignment.slice(0, at).trim();
    if (!key) throw new ValidationError(`invalid variable '${assignment}'`, "write it as key=value, for example --var vlan=10");
    variables[key] = parseValue(assignment.slice(at + 1));
  }
  return variables;
}

function parseValue(text: string): unknown {
  if (text.trim() === '') return '';
  try {
    return parseYaml(text) as unknown;
  } catch {
    return text;
  }
}

/** A number given on the command line (exit 2 when bad): the one parser in src/core/numbers.ts. */
export { numberOption as parseNumberOption } from '../core/numbers.js';

/** `--jump-host` replaces the list (`--no-jump-host`, given as false, clears it); `--[no-]legacy-algorithms` sets the flag. */
export function applySshFlags(current: SshOptions, flags: { jumpHost?: string[] | false; legacyAlgorithms?: boolean }): SshOptions {
  const ssh: SshOptions = { ...current };
  if (flags.jumpHost === false) delete ssh.jumpHosts;
  else if (flags.jumpHost !== undefined) ssh.jumpHosts = flags.jumpHost;
  if (flags.legacyAlgorithms !== undefined) ssh.legacyAlgorithms = flags.legacyAlgorithms;
  return ssh;
}
