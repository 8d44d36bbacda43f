import { readFileSync } from 'node:fs';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { PYYAML_11_OPTIONS, yamlToPy } from '../engine/yaml.js';
import { TemplateVarsError } from './errors.js';

/**
 * Variables given on the command line are read as Ansible reads them: YAML 1.1 as PyYAML does, so
 * `yes`, `on` and `true` are true, `5.0` stays a float (it prints `5.0`), dates stay text.
 */
const YAML_11 = PYYAML_11_OPTIONS;

/** The top level of a variables file as a plain object (its keys are variable names). */
function topLevel(value: unknown): Record<string, unknown> {
  if (value instanceof Map) return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), v]));
  return (value ?? {}) as Record<string, unknown>;
}

/** Reads a --vars file: a YAML 1.1 mapping. Errors name the file, line and column. */
export function readVarsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TemplateVarsError({ file }, `cannot read the variables file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseVars(text, file);
}

export function parseVars(text: string, file: string): Record<string, unknown> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_11, lineCounter, prettyErrors: false });
  const [error] = doc.errors;
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    throw new TemplateVarsError({ file, line, column: col }, `invalid YAML: ${error.message.split('\n')[0] ?? ''}`);
  }
  if (doc.contents === null) return {};
  if (!isMap(doc.contents)) {
    const offset = doc.contents.range?.[0];
    const position = offset === undefined ? { file } : { file, line: lineCounter.linePos(offset).line, column: lineCounter.linePos(offset).col };
    throw new TemplateVarsError(position, 'a variables file must be a mapping of names to values', 'write it as name: value lines');
  }
  return topLevel(yamlToPy(doc));
}

/** `--var key=value`: the value is a YAML 1.1 scalar or flow collection (`10`, `yes`, `[a, b]`); a later one wins. */
export function parseVarAssignments(assignments: readonly string[] | undefined): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const assignment of assignments ?? []) {
    const at = assignment.indexOf('=');
    const key = at < 0 ? '' : assignment.slice(0, at).trim();
    if (!key) throw new TemplateVarsError({ file: '--var' }, `invalid assignment '${assignment}'`, 'write it as key=value, for example --var vlan=10');
    variables[key] = parseScalar(assignment.slice(at + 1));
  }
  return variables;
}

function parseScalar(text: string): unknown {
  if (text.trim() === '') return '';
  const doc = parseDocument(text, YAML_11);
  if (doc.errors.length > 0 || doc.warnings.length > 0) return text;
  // a value that YAML reads as a block mapping ("a: b") was meant as text; {a: b} is a mapping
  if (isMap(doc.contents) && !doc.contents.flow) return text;
  return yamlToPy(doc);
}
