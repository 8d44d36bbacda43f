import { Option, type Command } from 'commander';
import { action, collect, type CliContext } from '../context.js';
import type { TemplateRenderer } from '../../templates/library/index.js';

interface FolderOptions {
  templates?: string[];
}

interface RenderCommandOptions extends FolderOptions {
  device?: string;
  vars?: string[];
  var?: string[];
  env?: 'jinja2' | 'trim' | 'ansible';
  allowUndefined?: boolean;
}

const ENV_CHOICES = ['jinja2', 'trim', 'ansible'];

function withFolders(command: Command): Command {
  return command.option('--templates <dir>', 'template folder searched first (repeatable)', collect);
}

const envOption = () =>
  new Option('--env <env>', 'environment: jinja2 (Jinja2 defaults), trim (trim+lstrip blocks) or ansible (default: the template\'s, else setting templates.env)').choices(ENV_CHOICES);

const RENDER_HELP = `
Context, lowest first (a later one wins): the device's merged variables and facts (--device),
then --vars files (YAML 1.1, as Ansible reads them), then --var key=value.
Examples:
  netstacks template render ios/ntp --device core1
  netstacks template render ios/bgp-neighbor --vars site.yml --var peer_ip=192.0.2.1 --var remote_as=65001
  netstacks template render ./access/ports.j2 --env trim --templates ~/net/templates
A credential's secret is read with {{ secret('bgp-keys', 'password') }}; it is masked in what is printed.
`;

export function registerTemplateCommands(program: Command): void {
  const template = program
    .command('template')
    .description('Jinja2 templates: list, show, vars, render, check (folders: --templates, setting templates, ./templates, $NETSTACKS_HOME/templates)');

  withFolders(template.command('list').alias('ls').description('list templates: name, type, platforms, folder and links'))
    .option('--type <type>', 'only this type: deploy, delete or validation')
    .option('--platform <platform>', 'only templates for this platform')
    .action(action(listCommand));

  withFolders(template.command('show <name>').description('print a template\'s source and metadata')).action(action(showCommand));

  withFolders(template.command('vars <name>').description('list the variables a template reads (required and optional, with paths)'))
    .addOption(envOption())
    .action(action(varsCommand));

  withFolders(
    template
      .command('render <name>')
      .description('render a template and print the result')
      .option('-d, --device <device>', 'render for this inventory device (its variables and facts)')
      .option('--vars <file>', 'YAML variables file (repeatable; later files win)', collect)
      .option('--var <key=value>', 'variable, value read as YAML 1.1 (repeatable; wins over --vars)', collect)
      .addOption(envOption())
      .option('--allow-undefined', 'render undefined variables as empty instead of failing'),
  )
    .addHelpText('after', RENDER_HELP)
    .action(action(renderCommand));

  withFolders(
    template
      .command('check [names...]')
      .description('parse every template (or the named ones): syntax errors, unknown filters and tests, missing includes and links; exit 4 if any'),
  ).action(action(checkCommand));
}

async function openRenderer(ctx: CliContext, options: FolderOptions & { allowUndefined?: boolean }): Promise<TemplateRenderer> {
  const { openTemplates } = await import('../../templates/library/index.js');
  const store = await ctx.store();
  return openTemplates({ db: store.db, home: ctx.home, folders: options.templates, allowUndefined: options.allowUndefined, secrets: () => ctx.secrets() });
}

async function listCommand(ctx: CliContext, options: FolderOptions & { type?: string; platform?: string }): Promise<void> {
  const { folderOriginLabel, TemplateMetaError } = await import('../../templates/library/index.js');
  const renderer = await openRenderer(ctx, options);
  const rows = renderer.library.list().map((entry) => {
    let meta;
    try {
      meta = renderer.meta(entry);
    } catch (error) {
      if (!(error instanceof TemplateMetaError)) throw error;
      ctx.out.warn(`${error.message} (run 'netstacks template check')`);
    }
    return {
      name: entry.name,
      type: meta?.type ?? null,
      platforms: meta?.platforms ?? [],
      description: meta?.description ?? null,
      folder: entry.folder.path,
      origin: folderOriginLabel(entry.folder.origin),
      path: entry.path,
      delete: meta?.delete ?? null,
      validation: meta?.validation ?? null,
      owns: meta?.owns ?? [],
      env: meta?.env ?? null,
    };
  });
  const wanted = rows.filter(
    (row) => (!options.type || row.type === options.type) && (!options.platform || row.platforms.length === 0 || row.platforms.includes(options.platform)),
  );
  ctx.out.list(wanted, [
    { header: 'NAME', value: (r) => r.name },
    { header: 'TYPE', value: (r) => r.type ?? '' },
    { header: 'PLATFORMS', value: (r) => r.platforms },
    { header: 'FOLDER', value: (r) => r.folder },
    { header: 'LINKS', value: (r) => [r.delete ? `delete: ${r.delete}` : '', r.validation ? `validation: ${r.validation}` : ''].filter(Boolean).join(', ') },
  ]);
}

async function showCommand(ctx: CliContext, name: string, options: FolderOptions): Promise<void> {
  const { TemplateMetaError } = await import('../../templates/library/index.js');
  const renderer = await openRenderer(ctx, options);
  const { entry, source } = renderer.source(name);
  let meta;
  try {
    meta = renderer.meta(entry);
  } catch (error) {
    // the source is still worth showing; the broken sidecar is named
    if (!(error instanceof TemplateMetaError)) throw error;
    ctx.out.warn(error.message);
  }
  if (ctx.out.structured) {
    ctx.out.data({ name: entry.name, path: entry.path, folder: entry.folder.path, metaPath: entry.metaPath ?? null, meta: meta ?? null, env: meta?.env ?? renderer.defaultEnv, source });
    return;
  }
  const c = ctx.out.colors;
  const header: [string, string][] = [
    ['name', entry.name],
    ['path', entry.path],
    ['env', meta?.env ?? `${renderer.defaultEnv} (default)`],
  ];
  if (meta) {
    if (meta.description) header.push(['description', meta.description]);
    if (meta.type) header.push(['type', meta.type]);
    if (meta.platforms.length) header.push(['platforms', meta.platforms.join(', ')]);
    if (meta.delete) header.push(['delete', meta.delete]);
    if (meta.validation) header.push(['validation', meta.validation]);
    if (meta.owns.length) header.push(['owns', meta.owns.join('; ')]);
  }
  // the metadata as '#' lines, then the source byte for byte
  for (const [key, value] of header) ctx.out.line(`${c.dim(`# ${key}:`)} ${value}`);
  ctx.out.line(c.dim('# ---'));
  process.stdout.write(source);
  if (!source.endsWith('\n') && source !== '') ctx.out.line();
}

async function varsCommand(ctx: CliContext, name: string, options: FolderOptions & { env?: 'jinja2' | 'trim' | 'ansible' }): Promise<void> {
  const { DEVICE_FACT_NAMES } = await import('../../templates/library/index.js');
  const renderer = await openRenderer(ctx, options);
  const report = renderer.variables(name, { env: options.env });
  if (ctx.out.structured) {
    ctx.out.data({ ...report, deviceFacts: [...report.required, ...report.optional].map((v) => v.name).filter((n) => DEVICE_FACT_NAMES.includes(n)) });
    return;
  }
  const rows = [...report.required, ...report.optional];
  ctx.out.list(rows, [
    { header: 'VARIABLE', value: (v) => v.name },
    { header: 'REQUIRED', value: (v) => (v.required ? 'yes' : 'no') },
    { header: 'FROM', value: (v) => (DEVICE_FACT_NAMES.includes(v.name) ? 'device fact' : '') },
    { header: 'PATHS', value: (v) => v.paths.map((p) => (p.required || !v.required ? p.path : `${p.path} (optional)`)) },
    { header: 'FIRST READ', value: (v) => `${v.firstRead.template}:${v.firstRead.line}` },
  ]);
  if (report.templates.length > 1) ctx.out.info(`read through: ${report.templates.join(', ')}`);
  for (const dynamic of report.dynamic) ctx.out.warn(`${dynamic.template}:${dynamic.line}: an include/import with a computed name was not followed`);
  for (const missing of report.missing) ctx.out.warn(`${missing.template}:${missing.line}: '${missing.name}' does not exist`);
}

async function renderCommand(ctx: CliContext, name: string, options: RenderCommandOptions): Promise<void> {
  const { buildRenderContext } = await import('../../templates/library/index.js');
  const renderer = await openRenderer(ctx, options);
  const db = (await ctx.store()).db;
  let device;
  if (options.device) {
    const { getDevice } = await import('../../inventory/index.js');
    device = await getDevice(db, options.device);
    const platforms = renderer.meta(renderer.library.find(name))?.platforms ?? [];
    if (platforms.length > 0 && !platforms.includes(device.platform)) {
      ctx.out.warn(`template '${name}' is for ${platforms.join(', ')}; device '${device.name}' is ${device.platform}`);
    }
  }
  const readsHostvars = device !== undefined && readsVariable(renderer, name, options.env, 'hostvars');
  const context = await buildRenderContext({ db, device, hostvars: readsHostvars, varsFiles: options.vars, vars: options.var });
  const result = await renderer.render(name, context, { env: options.env });
  if (options.allowUndefined) {
    ctx.out.warn(
      result.undefinedVariables.length > 0
        ? `--allow-undefined: undefined variables rendered empty: ${result.undefinedVariables.join(', ')}`
        : '--allow-undefined: undefined variables render empty (none found in this render)',
    );
  }
  if (ctx.out.structured) {
    ctx.out.data({ template: result.name, path: result.path, env: result.env, device: device?.name ?? null, text: result.masked, undefinedVariables: result.undefinedVariables });
    return;
  }
  process.stdout.write(result.masked);
}

/** Whether the template reads `variable` at all (hostvars loads the whole inventory, so only then). */
function readsVariable(renderer: TemplateRenderer, name: string, env: RenderCommandOptions['env'], variable: string): boolean {
  const report = renderer.variables(name, { env });
  return [...report.required, ...report.optional].some((v) => v.name === variable);
}

async function checkCommand(ctx: CliContext, names: string[], options: FolderOptions): Promise<number> {
  const { checkTemplates } = await import('../../templates/library/index.js');
  const { ExitCode } = await import('../../core/errors.js');
  const renderer = await openRenderer(ctx, options);
  const report = checkTemplates(renderer, names);
  if (ctx.out.structured) ctx.out.data(report);
  else {
    for (const problem of report.problems) {
      const where = `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ''}${problem.column !== undefined ? `:${problem.column}` : ''}`;
      ctx.out.line(`${where}: ${ctx.out.status('error')} [${problem.kind}] ${problem.message}`);
    }
    const failed = new Set(report.problems.map((p) => p.template)).size;
    ctx.out.info(`${report.checked.length} template${report.checked.length === 1 ? '' : 's'} checked, ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}${failed ? ` in ${failed}` : ''}`);
  }
  return report.problems.length > 0 ? ExitCode.invalidInput : ExitCode.ok;
}
