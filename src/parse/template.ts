import { ParseActionError, TemplateError } from './errors.js';
import { pyRstrip, pyStrip, splitLines } from './lines.js';
import { RegexTranslationError, translatePythonRegex, type RepeatSite } from './regex.js';

/** One entry of a nested List value: the named groups of the value's own regex. */
export type NestedMatch = Record<string, string | null>;
export type ParsedValue = string | (string | null | NestedMatch)[];
/** A record with lower-cased keys, as ntc-templates' tests compare them. */
export type ParsedRecord = Record<string, ParsedValue>;

export const VALUE_OPTIONS = ['Filldown', 'Fillup', 'Key', 'List', 'Required'] as const;
export type ValueOption = (typeof VALUE_OPTIONS)[number];

const LINE_OPS = ['Continue', 'Next', 'Error'] as const;
const RECORD_OPS = ['Clear', 'Clearall', 'Record', 'NoRecord'] as const;
type LineOp = (typeof LINE_OPS)[number] | '';
type RecordOp = (typeof RECORD_OPS)[number] | '';

const MAX_NAME_LEN = 48;
const W = '[\\p{L}\\p{N}_]';
const S = '[\\t\\n\\u000b\\u000c\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const NEW_STATE = `(?<newState>${W}+|".*")`;
const OPERATOR = `(?<lineOp>${LINE_OPS.join('|')})(?:\\.(?<recordOp>${RECORD_OPS.join('|')}))?`;
const ACTION_RES = [
  new RegExp(`^${S}+${OPERATOR}(?:${S}+${NEW_STATE})?$`, 'u'),
  new RegExp(`^${S}+(?<recordOp>${RECORD_OPS.join('|')})(?:${S}+${NEW_STATE})?$`, 'u'),
  new RegExp(`^(?:${S}+${NEW_STATE})?$`, 'u'),
];
const MATCH_ACTION = new RegExp(`^(?<match>.*)${S}->(?<action>.*)$`, 'u');
const STATE_NAME = new RegExp(`^${W}+$`, 'u');
const COMMENT = new RegExp(`^${S}*#`, 'u');
/** string.Template's placeholder syntax: $$, $name, ${name}, anything else after $ is invalid */
const PLACEHOLDER = /\$(?:(\$)|([_a-zA-Z][_a-zA-Z0-9]*)|\{([_a-zA-Z][_a-zA-Z0-9]*)\}|)/g;

interface ValueDef {
  name: string;
  options: ValueOption[];
  /** the regex as written, e.g. '(\S+)' */
  regex: string;
  /** the regex with the value's named group, substituted into rules */
  template: string;
  /** List values with more than one group: the nested regex and its group names */
  nested?: { regex: RegExp; names: string[]; replays: Replay[] };
  line: number;
}

/** A repeated group holding named groups, with the regexes that replay one repetition at a time. */
class Replay {
  private readonly steps = new Map<number, RegExp>();
  constructor(
    private readonly site: RepeatSite,
    private readonly flags: string,
  ) {}

  get names(): string[] {
    return this.site.names;
  }

  /**
   * Python's values for the site's groups: from the last repetition that set each of them. The
   * repetitions are found again as the engine chose them: at each step the first (priority order)
   * repetition from which the remaining ones can still end exactly where the whole repeat ended.
   */
  values(match: RegExpExecArray, line: string): Record<string, string> {
    const span = match.indices?.[this.site.group];
    const found: Record<string, string> = {};
    if (!span || span[1] <= span[0]) return found;
    const subject = line.slice(0, span[1]);
    let position = span[0];
    for (let k = 0; position < span[1] && k < this.site.max; k++) {
      const step = this.step(k);
      step.lastIndex = position;
      const m = step.exec(subject);
      if (!m || m[0] === '') break;
      for (const name of this.site.names) {
        const value = m.groups?.[name];
        if (value !== undefined) found[name] = value;
      }
      position += m[0].length;
    }
    return found;
  }

  private step(k: number): RegExp {
    let re = this.steps.get(k);
    if (!re) {
      const lo = Math.max(0, this.site.min - k - 1);
      const hi = this.site.max === Infinity ? '' : String(this.site.max - k - 1);
      re = new RegExp(`(?:${this.site.body})(?=(?:${this.site.bodyNoCapture}){${lo},${hi}}$)`, this.flags + 'y');
      this.steps.set(k, re);
    }
    return re;
  }
}

interface Rule {
  line: number;
  /** the regex as written (before substitution) */
  match: string;
  /** built on first use: V8 spends most of a template's compile time on \p{…} classes, and most text is ASCII */
  regex: () => RegExp;
  /** the same regex for pure-ASCII text: Python's \w \d \s as ASCII classes, cheaper to run */
  asciiRegex: RegExp;
  replays: Replay[];
  asciiReplays: Replay[];
  /** named groups of the rule regex, in pattern order, with the value index (-1: not a value) */
  assigns: { group: string; value: number }[];
  lineOp: LineOp;
  recordOp: RecordOp;
  newState: string;
}

interface CompiledState {
  name: string;
  rules: Rule[];
}

class Runtime {
  values: (ParsedValue | null)[];
  filldown: (ParsedValue | null)[];
  lists: (string | null | NestedMatch)[][];
  result: (ParsedValue | null)[][] = [];

  constructor(private readonly defs: readonly ValueDef[]) {
    this.values = defs.map(() => null);
    this.filldown = defs.map(() => null);
    this.lists = defs.map(() => []);
  }

  assign(index: number, value: string | null): void {
    const def = this.defs[index]!;
    this.values[index] = value;
    for (const option of def.options) {
      if (option === 'Filldown') this.filldown[index] = value;
      else if (option === 'Fillup') {
        if (!value) continue;
        for (let r = this.result.length - 1; r >= 0; r--) {
          const row = this.result[r]!;
          if (truthy(row[index] ?? null)) break;
          row[index] = value;
        }
      } else if (option === 'List') {
        let nested: NestedMatch | undefined;
        if (def.nested && value !== null) {
          def.nested.regex.lastIndex = 0;
          const m = def.nested.regex.exec(value);
          if (m && def.nested.names.length > 0) {
            const groups: Record<string, string | undefined> = def.nested.replays.length > 0 ? pythonGroups(m, value, def.nested.replays) : (m.groups ?? {});
            nested = {};
            for (const name of def.nested.names) nested[name] = groups[name] ?? null;
          }
        }
        this.lists[index]!.push(nested ?? value);
      }
    }
  }

  clearRecord(): void {
    this.defs.forEach((def, index) => {
      this.values[index] = null;
      for (const option of def.options) {
        if (option === 'Filldown') this.values[index] = this.filldown[index]!;
        else if (option === 'List' && !def.options.includes('Filldown')) this.lists[index] = [];
      }
    });
  }

  clearAll(): void {
    this.defs.forEach((def, index) => {
      this.values[index] = null;
      this.filldown[index] = null;
      this.lists[index] = [];
    });
  }

  appendRecord(): void {
    if (this.defs.length === 0) return;
    const record: (ParsedValue | null)[] = [];
    for (let index = 0; index < this.defs.length; index++) {
      for (const option of this.defs[index]!.options) {
        if (option === 'Required' && !truthy(this.values[index]!)) {
          this.clearRecord();
          return;
        }
        if (option === 'List') this.values[index] = [...this.lists[index]!];
      }
      record.push(this.values[index]!);
    }
    if (record.every((v) => v === null || (Array.isArray(v) && v.length === 0))) return;
    this.result.push(record.map((v) => v ?? ''));
    this.clearRecord();
  }
}

function truthy(value: ParsedValue | null): boolean {
  return value !== null && value.length > 0;
}

/** A compiled TextFSM template: parse any number of texts with it. */
export class TextFsmTemplate {
  /** value names, in template order */
  readonly header: string[];
  /** names of the Key values */
  readonly keys: string[];
  private readonly start: CompiledState;
  private readonly states: Map<string, CompiledState>;
  private readonly hasEofState: boolean;

  constructor(
    readonly file: string,
    private readonly values: ValueDef[],
    states: Map<string, CompiledState>,
    hasEofState: boolean,
  ) {
    this.header = values.map((v) => v.name);
    this.keys = values.filter((v) => v.options.includes('Key')).map((v) => v.name);
    this.states = states;
    this.start = states.get('Start')!;
    this.hasEofState = hasEofState;
  }

  /** Rows in header order (what textfsm's ParseText returns). */
  parseRows(text: string): ParsedValue[][] {
    const runtime = new Runtime(this.values);
    const ascii = ASCII_ONLY.test(text);
    let state = this.start;
    let stateName = 'Start';
    const lines = splitLines(text);
    for (let n = 0; n < lines.length; n++) {
      const line = lines[n]!;
      for (const rule of state.rules) {
        const regex = ascii ? rule.asciiRegex : rule.regex();
        regex.lastIndex = 0;
        const m = regex.exec(line);
        if (!m) continue;
        if (rule.assigns.length > 0) {
          let groups: Record<string, string | undefined> = m.groups!;
          const replays = ascii ? rule.asciiReplays : rule.replays;
          if (replays.length > 0) groups = pythonGroups(m, line, replays);
          for (const { group, value } of rule.assigns) if (value >= 0) runtime.assign(value, groups[group] ?? null);
        }
        if (rule.recordOp === 'Record') runtime.appendRecord();
        else if (rule.recordOp === 'Clear') runtime.clearRecord();
        else if (rule.recordOp === 'Clearall') runtime.clearAll();
        if (rule.lineOp === 'Error') {
          throw new ParseActionError(this.file, rule.line, n + 1, line, rule.newState ? rule.newState.replace(/^"(.*)"$/, '$1') : undefined);
        }
        if (rule.lineOp === 'Continue') continue;
        if (rule.newState) {
          if (rule.newState !== 'End' && rule.newState !== 'EOF') state = this.states.get(rule.newState)!;
          stateName = rule.newState;
        }
        break;
      }
      if (stateName === 'End' || stateName === 'EOF') break;
    }
    if (stateName !== 'End' && !this.hasEofState) runtime.appendRecord();
    return runtime.result as ParsedValue[][];
  }

  /** Records with lower-cased keys. */
  parse(text: string): ParsedRecord[] {
    const keys = this.header.map((h) => h.toLowerCase());
    return this.parseRows(text).map((row) => {
      const record: ParsedRecord = {};
      keys.forEach((key, i) => (record[key] = row[i]!));
      return record;
    });
  }
}

const ASCII_ONLY = /^[\x00-\x7f]*$/;

/** Named groups as Python reports them: inside repeated groups, the last value set wins. */
function pythonGroups(m: RegExpExecArray, line: string, replays: readonly Replay[]): Record<string, string | undefined> {
  const groups: Record<string, string | undefined> = { ...m.groups };
  for (const replay of replays) {
    if (replay.names.every((name) => groups[name] !== undefined)) continue;
    const values = replay.values(m, line);
    for (const name of replay.names) if (groups[name] === undefined && values[name] !== undefined) groups[name] = values[name];
  }
  return groups;
}

/** `regex()` is built on first call; the ASCII variant, built at once, has already checked the syntax. */
function compileLazyRegex(pattern: string, file: string, line: number): { regex: () => RegExp; names: string[]; groups: number; replays: Replay[] } {
  let translated;
  try {
    translated = translatePythonRegex(pattern);
  } catch (error) {
    if (error instanceof RegexTranslationError) throw new TemplateError(file, line, `unsupported or invalid regex construct '${error.construct}': ${error.message} in '${pattern}'`);
    throw error;
  }
  const { source, flags: base, names, groups, repeats } = translated;
  const replays = repeats.map((site) => new Replay(site, base));
  let built: RegExp | undefined;
  const regex = (): RegExp => (built ??= new RegExp(source, base + (replays.length > 0 ? 'dy' : 'y')));
  return { regex, names, groups, replays };
}

function compileRegex(pattern: string, file: string, line: number, asciiSubject = false): { regex: RegExp; names: string[]; groups: number; replays: Replay[] } {
  let translated;
  try {
    translated = translatePythonRegex(pattern, { asciiSubject });
  } catch (error) {
    if (error instanceof RegexTranslationError) throw new TemplateError(file, line, `unsupported or invalid regex construct '${error.construct}': ${error.message} in '${pattern}'`);
    throw error;
  }
  try {
    const replays = translated.repeats.map((site) => new Replay(site, translated.flags));
    const flags = translated.flags + (replays.length > 0 ? 'dy' : 'y');
    return { regex: new RegExp(translated.source, flags), names: translated.names, groups: translated.groups, replays };
  } catch (error) {
    throw new TemplateError(file, line, `invalid regular expression '${pattern}': ${(error as Error).message}`);
  }
}

function parseValue(text: string, file: string, line: number): ValueDef {
  const tokens = text.split(' ');
  if (tokens.length < 3) throw new TemplateError(file, line, 'expected at least 3 tokens on a Value line');
  let options: ValueOption[] = [];
  let name: string;
  let regex: string;
  if (!tokens[2]!.startsWith('(')) {
    for (const option of tokens[1]!.split(',')) {
      if (options.includes(option as ValueOption)) throw new TemplateError(file, line, `duplicate option "${option}"`);
      if (!(VALUE_OPTIONS as readonly string[]).includes(option)) {
        throw new TemplateError(file, line, `unknown option "${option}" (known: ${VALUE_OPTIONS.join(', ')})`);
      }
      options = [...options, option as ValueOption];
    }
    name = tokens[2]!;
    regex = tokens.slice(3).join(' ');
  } else {
    name = tokens[1]!;
    regex = tokens.slice(2).join(' ');
  }
  if (name.length > MAX_NAME_LEN) throw new TemplateError(file, line, `invalid Value name '${name}' or name too long`);
  if (!/^\(.*\)$/.test(regex) || regex.split('(').length !== regex.split(')').length) {
    throw new TemplateError(file, line, `Value '${regex}' must be contained within a '()' pair`);
  }
  const def: ValueDef = { name, options, regex, template: `(?P<${name}>` + regex.slice(1), line };
  if (options.includes('List')) {
    const compiled = compileRegex(regex, file, line);
    if (compiled.groups > 1) def.nested = { regex: compiled.regex, names: compiled.names, replays: compiled.replays };
  }
  return def;
}

function parseRule(raw: string, line: number, file: string, valueMap: Map<string, string>, values: readonly ValueDef[]): Rule {
  const text = pyStrip(raw);
  const matchAction = MATCH_ACTION.exec(text);
  const match = matchAction ? matchAction.groups!.match! : text;
  let regex = match;
  if (valueMap.size > 0) {
    regex = match.replace(PLACEHOLDER, (whole, escaped?: string, named?: string, braced?: string) => {
      if (escaped) return '$';
      const name = named ?? braced;
      const template = name === undefined ? undefined : valueMap.get(name);
      if (template === undefined) throw new TemplateError(file, line, `duplicate or invalid variable substitution '${whole}' in '${match}'`);
      return template;
    });
  }
  const compiled = compileLazyRegex(regex, file, line);
  const rule: Rule = {
    line,
    match,
    regex: compiled.regex,
    replays: compiled.replays,
    ...(() => {
      const ascii = compileRegex(regex, file, line, true);
      return { asciiRegex: ascii.regex, asciiReplays: ascii.replays };
    })(),
    assigns: compiled.names.map((group) => ({ group, value: values.findIndex((v) => v.name === group) })),
    lineOp: '',
    recordOp: '',
    newState: '',
  };
  if (!matchAction) return rule;
  const action = matchAction.groups!.action!;
  const parsed = ACTION_RES.map((re) => re.exec(action)).find((m) => m !== null);
  if (!parsed) throw new TemplateError(file, line, `badly formatted rule '${text}'`);
  rule.lineOp = (parsed.groups?.lineOp ?? '') as LineOp;
  rule.recordOp = (parsed.groups?.recordOp ?? '') as RecordOp;
  rule.newState = parsed.groups?.newState ?? '';
  if (rule.lineOp === 'Continue' && rule.newState) throw new TemplateError(file, line, `action 'Continue' cannot change state (to '${rule.newState}')`);
  if (rule.lineOp !== 'Error' && rule.newState && !new RegExp(`^${W}`, 'u').test(rule.newState)) {
    throw new TemplateError(file, line, 'alphanumeric characters only in state names');
  }
  return rule;
}

/** Template file lines as Python's text-mode file iteration gives them (universal newlines). */
function templateLines(source: string): string[] {
  const lines = source.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Compiles a TextFSM template; errors name `file`, the line and the problem. */
export function compileTemplate(source: string, file: string): TextFsmTemplate {
  const lines = templateLines(source);
  let n = 0;
  const values: ValueDef[] = [];
  const valueMap = new Map<string, string>();

  // Values: a contiguous block at the head, ended by a blank line
  while (n < lines.length) {
    const line = pyRstrip(lines[n++]!);
    if (!line) break;
    if (COMMENT.test(line)) continue;
    if (line.startsWith('Value ')) {
      const value = parseValue(line, file, n);
      if (values.some((v) => v.name === value.name)) throw new TemplateError(file, n, `duplicate declarations for Value '${value.name}'`);
      values.push(value);
      valueMap.set(value.name, value.template);
    } else if (values.length === 0) {
      throw new TemplateError(file, n, 'no Value definitions found');
    } else {
      throw new TemplateError(file, n, 'expected a blank line after the last Value entry');
    }
  }

  const raw = new Map<string, { line: number; rules: Rule[] }>();
  const order: string[] = [];
  while (n < lines.length) {
    let stateName = '';
    while (n < lines.length) {
      const line = pyRstrip(lines[n++]!);
      if (!line || COMMENT.test(line)) continue;
      if (!STATE_NAME.test(line) || line.length > MAX_NAME_LEN || (LINE_OPS as readonly string[]).includes(line) || (RECORD_OPS as readonly string[]).includes(line)) {
        throw new TemplateError(file, n, `invalid state name: '${line}'`);
      }
      if (raw.has(line)) throw new TemplateError(file, n, `duplicate state name: '${line}'`);
      stateName = line;
      raw.set(line, { line: n, rules: [] });
      order.push(line);
      break;
    }
    if (!stateName) break;
    while (n < lines.length) {
      const line = pyRstrip(lines[n++]!);
      if (!line) break;
      if (COMMENT.test(line)) continue;
      if (!(line.startsWith(' ^') || line.startsWith('  ^') || line.startsWith('\t^'))) {
        throw new TemplateError(file, n, "missing white space or caret ('^') before rule");
      }
      raw.get(stateName)!.rules.push(parseRule(line, n, file, valueMap, values));
    }
  }

  if (!raw.has('Start')) throw new TemplateError(file, undefined, "missing state 'Start'");
  const end = raw.get('End');
  if (end && end.rules.length > 0) throw new TemplateError(file, end.line, "non-empty 'End' state");
  const eof = raw.get('EOF');
  if (eof && eof.rules.length > 0) throw new TemplateError(file, eof.line, "non-empty 'EOF' state");
  raw.delete('End');
  const states = new Map<string, CompiledState>();
  for (const [name, state] of raw) {
    for (const rule of state.rules) {
      if (rule.lineOp === 'Error' || !rule.newState || rule.newState === 'End' || rule.newState === 'EOF') continue;
      if (!raw.has(rule.newState)) throw new TemplateError(file, rule.line, `state '${rule.newState}' not found, referenced in state '${name}'`);
    }
    states.set(name, { name, rules: state.rules });
  }
  return new TextFsmTemplate(file, values, states, raw.has('EOF'));
}
