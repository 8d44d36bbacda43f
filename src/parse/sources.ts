import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NetstacksError } from '../core/errors.js';
import { resolveHome } from '../core/paths.js';
import { getPlatform, listPlatforms } from '../platforms/index.js';
import type { PlatformDefinition } from '../platforms/types.js';
import { loadIndex, loadTemplateFile, matchIndexRow, parseWithTemplates, rowTemplates, type CliIndex } from './clitable.js';
import { NoParserError } from './errors.js';
import type { ParsedRecord } from './template.js';

export type SourceKind = 'file' | 'user' | 'ntc' | 'builtin' | 'native';

export interface ParserSource {
  kind: SourceKind;
  /** template file(s) (':'-joined as in the index), or the command sent for native output */
  template: string;
}

/** The parse.* settings. */
export interface ParseSettings {
  /** parse.templates: the user's own template folder (with an index) */
  templates?: string | null;
  /** parse.ntc_templates: an ntc-templates folder */
  ntcTemplates?: string | null;
}

export interface FindParserOptions {
  templateFile?: string;
  /** NETSTACKS_HOME; the user folder defaults to HOME/textfsm */
  home?: string;
  settings?: ParseSettings;
  env?: NodeJS.ProcessEnv;
  /** prefer the platform's native structured output when it has one (live runs, not saved text) */
  native?: boolean;
}

export interface Parser {
  platform: string;
  command: string;
  /** what to send to the device: the command, or the command with the native JSON suffix */
  send: string;
  source: ParserSource;
  parse(text: string): ParsedRecord[];
}

export interface ParseResult {
  records: ParsedRecord[];
  source: ParserSource;
}

interface IndexSource {
  kind: 'user' | 'ntc' | 'builtin';
  dir: string;
}

export class ParseSourceError extends NetstacksError {
  constructor(message: string, hint: string) {
    super('parse-source', message, { exit: 'invalidInput', hint });
  }
}

let builtinDirCache: string | undefined;

/** src/parse/templates when running from source, dist/parse/templates when built or bundled. */
export function builtinTemplatesDir(): string {
  if (builtinDirCache) return builtinDirCache;
  const here = fileURLToPath(new URL('.', import.meta.url));
  const candidates = [join(here, 'templates'), join(here, '..', 'parse', 'templates'), join(here, '..', '..', 'src', 'parse', 'templates')];
  builtinDirCache = candidates.find((dir) => existsSync(join(dir, 'index'))) ?? candidates[0]!;
  return builtinDirCache;
}

/** An ntc-templates folder holds `index` itself or in `templates/` (the package layout). */
function ntcDir(dir: string, origin: string): string {
  for (const candidate of [dir, join(dir, 'templates')]) if (existsSync(join(candidate, 'index'))) return candidate;
  throw new ParseSourceError(
    `the ntc-templates folder ${dir} (from ${origin}) has no index file`,
    "point it at ntc-templates' templates folder, the one holding 'index' and the .textfsm files",
  );
}

function indexSources(options: FindParserOptions): IndexSource[] {
  const env = options.env ?? process.env;
  const sources: IndexSource[] = [];
  const userDir = options.settings?.templates ? resolve(options.settings.templates) : join(resolveHome(options.home, env), 'textfsm');
  if (existsSync(join(userDir, 'index'))) sources.push({ kind: 'user', dir: userDir });
  const ntc = env.NET_TEXTFSM ? { dir: env.NET_TEXTFSM, origin: 'NET_TEXTFSM' } : options.settings?.ntcTemplates ? { dir: options.settings.ntcTemplates, origin: 'the parse.ntc_templates setting' } : undefined;
  if (ntc) sources.push({ kind: 'ntc', dir: ntcDir(resolve(ntc.dir), ntc.origin) });
  const builtin = builtinTemplatesDir();
  if (existsSync(join(builtin, 'index'))) sources.push({ kind: 'builtin', dir: builtin });
  return sources;
}

function knownPlatform(name: string): PlatformDefinition | undefined {
  try {
    return getPlatform(name);
  } catch {
    return undefined;
  }
}

function howToAdd(platform: string, command: string, options: FindParserOptions): string {
  const userDir = options.settings?.templates ?? join(resolveHome(options.home, options.env ?? process.env), 'textfsm');
  return (
    `add a TextFSM template: pass --template FILE, or put it in ${userDir} with an 'index' row ` +
    `'my_template.textfsm, .*, ${platform}, ${command}', or set NET_TEXTFSM to an ntc-templates folder; ` +
    `'netstacks parse --list --platform ${platform}' shows what can be parsed`
  );
}

/**
 * The parser for a platform's command, looked up without touching a device: --template, then the
 * user's folder, the platform's native JSON (when asked), ntc-templates, the built-in templates.
 */
export function findParser(platformName: string, command: string, options: FindParserOptions = {}): Parser {
  const known = knownPlatform(platformName);
  // index rows name ntc platforms; an alias (eos) stands for its platform (arista_eos)
  const platform = known?.name ?? platformName.trim();
  const cmd = command.trim();
  if (options.templateFile) {
    const file = resolve(options.templateFile);
    const template = loadTemplateFile(file);
    return { platform, command: cmd, send: cmd, source: { kind: 'file', template: file }, parse: (text) => template.parse(text) };
  }
  const sources = indexSources(options);
  const user = sources.find((s) => s.kind === 'user');
  const ordered = [...(user ? [user] : []), ...sources.filter((s) => s.kind !== 'user')];
  const attributes = { Platform: platform, Command: cmd };
  if (user) {
    const found = fromIndex(user, attributes);
    if (found) return found;
  }
  if (options.native && known?.nativeJson) {
    const send = `${cmd}${known.nativeJson.suffix}`;
    return {
      platform,
      command: cmd,
      send,
      source: { kind: 'native', template: send },
      parse: (text) => parseNativeJson(text, send),
    };
  }
  for (const source of ordered) {
    if (source.kind === 'user') continue;
    const found = fromIndex(source, attributes);
    if (found) return found;
  }
  throw new NoParserError(platform, cmd, howToAdd(platform, cmd, options));

  function fromIndex(source: IndexSource, attrs: Record<string, string>): Parser | undefined {
    const index = loadIndex(source.dir);
    const row = matchIndexRow(index, attrs);
    if (!row) return undefined;
    const templates = rowTemplates(index, row);
    return {
      platform,
      command: cmd,
      send: cmd,
      source: { kind: source.kind, template: row.templates.map((t) => join(index.dir, t)).join(':') },
      parse: (text) => parseWithTemplates(templates, text),
    };
  }
}

function parseNativeJson(text: string, sent: string): ParsedRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ParseSourceError(`'${sent}' did not return JSON`, 'the device may not support native JSON for this command; use a TextFSM template instead');
  }
  // native output is the device's own structure, returned as one record (or its list)
  return (Array.isArray(value) ? value : [value]) as ParsedRecord[];
}

/** Parses saved output: the records and which source gave them. */
export function parseOutput(options: {
  platform: string;
  command: string;
  text: string;
  templateFile?: string;
  home?: string;
  settings?: ParseSettings;
  env?: NodeJS.ProcessEnv;
  native?: boolean;
}): ParseResult {
  const parser = findParser(options.platform, options.command, options);
  return { records: parser.parse(options.text), source: parser.source };
}

export interface ParserListing {
  source: SourceKind;
  /** the index's Platform column (a regex), or the platform name for native output */
  platform: string;
  /** the Command column as written, abbreviations included */
  command: string;
  templates: string;
  /** folder of the index */
  dir: string;
}

/** What can be parsed, from which source, in lookup order; optionally only for one platform. */
export function listParsers(options: FindParserOptions & { platform?: string } = {}): ParserListing[] {
  const out: ParserListing[] = [];
  const platform = options.platform ? (knownPlatform(options.platform)?.name ?? options.platform) : undefined;
  const sources = indexSources(options);
  const add = (source: IndexSource, index: CliIndex): void => {
    for (const row of index.rows) {
      if (platform !== undefined) {
        const re = row.matchers.get('Platform');
        if (re) {
          re.lastIndex = 0;
          if (!re.test(platform)) continue;
        }
      }
      out.push({ source: source.kind, platform: row.columns.Platform ?? '', command: row.columns.Command ?? '', templates: row.templates.join(':'), dir: index.dir });
    }
  };
  for (const source of sources.filter((s) => s.kind === 'user')) add(source, loadIndex(source.dir));
  const natives = platform ? [knownPlatform(platform)].filter((p) => p !== undefined) : [];
  if (!platform) natives.push(...listPlatforms());
  for (const p of natives) {
    if (p.nativeJson) out.push({ source: 'native', platform: p.name, command: `any show command (run --parse sends it with '${p.nativeJson.suffix}')`, templates: '', dir: '' });
  }
  for (const source of sources.filter((s) => s.kind !== 'user')) add(source, loadIndex(source.dir));
  return out;
}
