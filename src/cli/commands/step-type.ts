import type { Command } from 'commander';
import { action, type CliContext } from '../context.js';

interface ParameterView {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  enum?: unknown[];
  description?: string;
}

interface TypeView {
  name: string;
  source: string;
  aliases: string[];
  scope: string;
  readOnly: boolean;
  description: string;
}

export function registerStepTypeCommands(program: Command): void {
  const stepType = program
    .command('step-type')
    .description('MOP step types: the built-in ones and yours from mops/step-types/*.yaml (list, show, validate)');

  stepType
    .command('list')
    .alias('ls')
    .description('list built-in and user-defined step types')
    .option('--dir <folder>', 'read user-defined step types from this folder instead of ./mops/step-types and the mops setting')
    .action(action(listCommand));

  stepType
    .command('show <name>')
    .description("show a step type's parameters (type, required, default, allowed values) and, for yours, the steps it expands into")
    .option('--dir <folder>', 'read user-defined step types from this folder')
    .action(action(showCommand));

  stepType
    .command('validate <file...>')
    .description('check user-defined step type files; every problem names file:line:col (exit 4 on errors)')
    .action(action(validateCommand));
}

async function loadUser(ctx: CliContext, dir: string | undefined) {
  const { loadUserStepTypes, userStepTypeDirs, formatIssue } = await import('../../mops/user-steps.js');
  let dirs: string[];
  if (dir) dirs = [dir];
  else {
    const { readSettings } = await import('../../settings/index.js');
    const settings = await readSettings((await ctx.store()).db);
    dirs = userStepTypeDirs({ cwd: process.cwd(), mopsDirs: settings.mopsFolders });
  }
  const loaded = loadUserStepTypes(dirs);
  for (const issue of loaded.issues) ctx.out.warn(formatIssue(issue));
  return loaded;
}

async function listCommand(ctx: CliContext, options: { dir?: string }): Promise<void> {
  const { builtinStepTypeList } = await import('../../mops/steps/index.js');
  const { relative } = await import('node:path');
  const user = await loadUser(ctx, options.dir);
  const rows: TypeView[] = [
    ...builtinStepTypeList().map((t) => ({ name: t.name, source: 'built-in', aliases: [...(t.aliases ?? [])], scope: t.scope, readOnly: t.readOnly, description: t.description })),
    ...user.definitions.map((d) => {
      const type = user.types.get(d.name)!;
      return { name: d.name, source: relative(process.cwd(), d.file) || d.file, aliases: [], scope: type.scope, readOnly: type.readOnly, description: type.description };
    }),
  ];
  ctx.out.list(rows, [
    { header: 'NAME', value: (r) => r.name },
    { header: 'SOURCE', value: (r) => r.source },
    { header: 'ALIASES', value: (r) => r.aliases.join(', ') },
    { header: 'SCOPE', value: (r) => r.scope },
    { header: 'READ-ONLY', value: (r) => (r.readOnly ? 'yes' : 'no') },
    { header: 'DESCRIPTION', value: (r) => r.description },
  ]);
}

async function showCommand(ctx: CliContext, name: string, options: { dir?: string }): Promise<void> {
  const { builtinStepTypes } = await import('../../mops/steps/index.js');
  const { NotFoundError } = await import('../../core/errors.js');
  const { nearest } = await import('../../core/suggest.js');
  const builtins = builtinStepTypes();
  const builtin = builtins.get(name);
  let view: TypeView & { parameters: ParameterView[]; expandsInto?: Record<string, unknown>[]; file?: string };
  if (builtin) {
    view = {
      name: builtin.name,
      source: 'built-in',
      aliases: [...(builtin.aliases ?? [])],
      scope: builtin.scope,
      readOnly: builtin.readOnly,
      description: builtin.description,
      parameters: await zodParameters(builtin.params),
    };
  } else {
    const user = await loadUser(ctx, options.dir);
    const definition = user.definitions.find((d) => d.name === name);
    if (!definition) throw new NotFoundError('step-type', name, nearest(name, [...builtins.keys(), ...user.types.keys()]));
    const type = user.types.get(name)!;
    view = {
      name,
      source: definition.file,
      aliases: [],
      scope: type.scope,
      readOnly: type.readOnly,
      description: type.description,
      parameters: Object.entries(definition.parameters).map(([pname, p]) => ({
        name: pname,
        type: p.type,
        required: p.required && p.default === undefined,
        ...(p.default !== undefined ? { default: p.default } : {}),
        ...(p.enum ? { enum: p.enum } : {}),
        ...(p.description ? { description: p.description } : {}),
      })),
      expandsInto: definition.steps,
      file: definition.file,
    };
  }
  if (ctx.out.structured) {
    ctx.out.data(view);
    return;
  }
  ctx.out.record({
    name: view.name,
    source: view.source,
    aliases: view.aliases.join(', ') || '-',
    scope: view.scope,
    'read-only': view.readOnly ? 'yes (runs under --dry-run)' : 'no (honours --dry-run)',
    description: view.description,
  });
  ctx.out.line('');
  ctx.out.list(view.parameters, [
    { header: 'PARAMETER', value: (p) => p.name },
    { header: 'TYPE', value: (p) => p.type },
    { header: 'REQUIRED', value: (p) => (p.required ? 'yes' : '') },
    { header: 'DEFAULT', value: (p) => (p.default === undefined ? '' : JSON.stringify(p.default)) },
    { header: 'ALLOWED', value: (p) => (p.enum ? p.enum.map(String).join(', ') : '') },
    { header: 'DESCRIPTION', value: (p) => p.description ?? '' },
  ]);
  if (view.expandsInto) {
    // yaml is CommonJS: in the bundle a dynamic import may hold it under `default` only
    const yaml = (await import('yaml')) as typeof import('yaml') & { default?: typeof import('yaml') };
    const stringify = yaml.stringify ?? yaml.default!.stringify;
    ctx.out.line('');
    ctx.out.line('expands into:');
    ctx.out.line(stringify(view.expandsInto).trimEnd().replace(/^/gm, '  '));
  }
}

async function validateCommand(ctx: CliContext, files: string[]): Promise<number> {
  const { readUserStepTypeFile, formatIssue } = await import('../../mops/user-steps.js');
  const { ExitCode } = await import('../../core/errors.js');
  const results = files.map((file) => {
    const { definition, issues } = readUserStepTypeFile(file);
    return { file, name: definition?.name ?? null, valid: definition !== undefined, issues };
  });
  if (ctx.out.structured) ctx.out.data(results);
  else {
    for (const result of results) {
      for (const issue of result.issues) {
        const text = `${issue.severity === 'warning' ? 'warning: ' : ''}${formatIssue(issue)}${issue.hint ? ` (${issue.hint})` : ''}`;
        if (issue.severity === 'warning') ctx.out.warn(formatIssue(issue));
        else ctx.out.line(text);
      }
      if (result.valid) ctx.out.line(`${result.file}: ok (step type '${result.name}')`);
    }
  }
  return results.every((r) => r.valid) ? 0 : ExitCode.invalidInput;
}

/** Parameters of a built-in type from its zod schema (JSON Schema view). */
async function zodParameters(schema: unknown): Promise<ParameterView[]> {
  const { z } = await import('zod');
  let json: { properties?: Record<string, JsonProperty>; required?: string[] };
  try {
    json = z.toJSONSchema(schema as Parameters<typeof z.toJSONSchema>[0], { io: 'input', unrepresentable: 'any' }) as typeof json;
  } catch {
    return [];
  }
  const required = new Set(json.required ?? []);
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    type: typeName(property),
    required: required.has(name) && property.default === undefined,
    ...(property.default !== undefined ? { default: property.default } : {}),
    ...(property.enum ? { enum: property.enum } : {}),
    ...(property.description ? { description: property.description } : {}),
  }));
}

interface JsonProperty {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  anyOf?: JsonProperty[];
  items?: JsonProperty;
}

function typeName(property: JsonProperty): string {
  if (property.anyOf) return [...new Set(property.anyOf.map(typeName))].join(' | ');
  if (property.enum) return 'string';
  const type = Array.isArray(property.type) ? property.type.join(' | ') : property.type;
  if (type === 'array') return property.items ? `list of ${typeName(property.items)}` : 'list';
  if (type === 'object') return 'dict';
  return type ?? 'any';
}
