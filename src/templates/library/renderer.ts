import { readFileSync } from 'node:fs';
import { createEngine, type TemplateEngine, type TemplateEnvName } from '../engine/index.js';
import type { TemplateEntry, TemplateLibrary } from './discovery.js';
import { readTemplateMeta, type TemplateMeta } from './meta.js';
import { renderWithSecrets, TemplateSecrets } from './secrets.js';
import { discoverVariables, type VariableReport } from './variables.js';

export interface TemplateRendererOptions {
  library: TemplateLibrary;
  /** the `templates.env` setting: used when neither the call nor the template's metadata names one */
  defaultEnv?: TemplateEnvName;
  /** render undefined variables as empty instead of failing */
  allowUndefined?: boolean;
  /** resolves secret(); without it, a template calling secret() fails */
  secrets?: TemplateSecrets;
  /** platform names a sidecar's `platforms` may use (unchecked when absent) */
  knownPlatforms?: readonly string[];
}

export interface RenderOptions {
  /** --env: wins over the template's metadata and the default */
  env?: TemplateEnvName;
}

export interface RenderResult {
  name: string;
  path: string;
  env: TemplateEnvName;
  /** the rendered text, secrets included: for pushing to devices only */
  text: string;
  /** the same with every secret() value replaced by ******** — for anything shown or stored */
  masked: string;
  /** required variable paths that were not in the context (rendered empty with allowUndefined) */
  undefinedVariables: string[];
}

/**
 * Renders templates of a library: one engine per environment (templates compile once and are
 * cached by the engine), metadata read once per template.
 */
export class TemplateRenderer {
  readonly library: TemplateLibrary;
  readonly secrets: TemplateSecrets;
  private readonly engines = new Map<TemplateEnvName, TemplateEngine>();
  private readonly metas = new Map<string, TemplateMeta | undefined>();

  constructor(private readonly options: TemplateRendererOptions) {
    this.library = options.library;
    this.secrets = options.secrets ?? new TemplateSecrets();
  }

  get defaultEnv(): TemplateEnvName {
    return this.options.defaultEnv ?? 'ansible';
  }

  engine(env: TemplateEnvName): TemplateEngine {
    let engine = this.engines.get(env);
    if (!engine) {
      engine = createEngine({
        env,
        searchPaths: this.library.searchPaths,
        allowUndefined: this.options.allowUndefined ?? false,
        globals: { secret: this.secrets.global },
      });
      this.engines.set(env, engine);
    }
    return engine;
  }

  /** The sidecar metadata of a template (validated), or undefined when it has none. */
  meta(entry: TemplateEntry): TemplateMeta | undefined {
    if (!this.metas.has(entry.path)) this.metas.set(entry.path, entry.metaPath ? readTemplateMeta(entry.metaPath, this.options.knownPlatforms) : undefined);
    return this.metas.get(entry.path);
  }

  envFor(entry: TemplateEntry, override?: TemplateEnvName): TemplateEnvName {
    return override ?? this.meta(entry)?.env ?? this.defaultEnv;
  }

  /** Which variables the template reads (following includes and imports). */
  variables(name: string, options: RenderOptions = {}): VariableReport {
    const entry = this.library.find(name);
    const engine = this.engine(this.envFor(entry, options.env));
    return discoverVariables(entry.file, entry.path, {
      parse: (source, templateName) => engine.parse(source, templateName),
      resolver: this.library,
    });
  }

  /** Renders `name` with `context`; secret() values are fetched as the template asks for them. */
  async render(name: string, context: Record<string, unknown>, options: RenderOptions = {}): Promise<RenderResult> {
    const entry = this.library.find(name);
    const env = this.envFor(entry, options.env);
    const engine = this.engine(env);
    const text = await renderWithSecrets(this.secrets, () => engine.render(entry.file, context));
    const undefinedVariables = this.options.allowUndefined ? missingPaths(this.variables(name, options), context) : [];
    return { name: entry.name, path: entry.path, env, text, masked: this.secrets.mask(text), undefinedVariables };
  }

  /** The template's source exactly as on disk. */
  source(name: string): { entry: TemplateEntry; source: string } {
    const entry = this.library.find(name);
    return { entry, source: readFileSync(entry.path, 'utf8') };
  }
}

/** Required paths of a report that `context` does not hold (for saying what rendered empty). */
export function missingPaths(report: VariableReport, context: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const variable of report.required) {
    if (!(variable.name in context)) {
      missing.push(variable.name);
      continue;
    }
    for (const { path, required } of variable.paths) {
      if (required && !pathExists(context, path)) missing.push(path);
    }
  }
  return missing;
}

/** True when every value the path reaches exists (`[]` and `.*` must hold for each element). */
export function pathExists(context: Record<string, unknown>, path: string): boolean {
  const segments = path.match(/\[\]|\.\*|\.?[^.[\]]+/g) ?? [];
  let values: unknown[] = [context];
  for (const raw of segments) {
    const next: unknown[] = [];
    for (const value of values) {
      if (value === null || typeof value !== 'object') {
        // a string or number read further (a method call or an index) — not a mapping to check
        if (raw === '[]') continue;
        return false;
      }
      if (raw === '[]') next.push(...(Array.isArray(value) ? value : Object.values(value)));
      else if (raw === '.*') next.push(...Object.values(value));
      else {
        const key = raw.startsWith('.') ? raw.slice(1) : raw;
        if (!(key in value)) return false;
        next.push((value as Record<string, unknown>)[key]);
      }
    }
    values = next;
  }
  return true;
}
