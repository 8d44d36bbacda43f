import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { nearest } from '../../core/suggest.js';
import { TemplateFolderError, TemplateNotFoundError } from './errors.js';

/** Where a template folder comes from, in search order. */
export type TemplateFolderOrigin = 'option' | 'setting' | 'project' | 'home';

export interface TemplateFolder {
  /** absolute path */
  path: string;
  origin: TemplateFolderOrigin;
}

export interface TemplateFolderOptions {
  /** `--templates DIR` (repeatable), searched first */
  folders?: readonly string[];
  /** the `templates` setting */
  settingFolders?: readonly string[];
  /** the current project; its `templates` folder is searched third (default: process.cwd()) */
  cwd?: string;
  /** NETSTACKS_HOME; its `templates` folder is searched last */
  home?: string;
}

const ORIGIN_LABEL: Record<TemplateFolderOrigin, string> = {
  option: '--templates',
  setting: 'the templates setting',
  project: 'the current project',
  home: 'NETSTACKS_HOME',
};

export function folderOriginLabel(origin: TemplateFolderOrigin): string {
  return ORIGIN_LABEL[origin];
}

/**
 * The template folders in search order: --templates, the `templates` setting, ./templates, then
 * $NETSTACKS_HOME/templates. A folder named explicitly (option or setting) must exist; the two
 * conventional ones are skipped when absent. The same folder reached twice is searched once.
 */
export function resolveTemplateFolders(options: TemplateFolderOptions): TemplateFolder[] {
  const cwd = options.cwd ?? process.cwd();
  const candidates: { path: string; origin: TemplateFolderOrigin; required: boolean }[] = [
    ...(options.folders ?? []).map((path) => ({ path: resolve(cwd, path), origin: 'option' as const, required: true })),
    ...(options.settingFolders ?? []).map((path) => ({ path: resolve(cwd, path), origin: 'setting' as const, required: true })),
    { path: join(cwd, 'templates'), origin: 'project', required: false },
    ...(options.home ? [{ path: join(options.home, 'templates'), origin: 'home' as const, required: false }] : []),
  ];
  const seen = new Set<string>();
  const folders: TemplateFolder[] = [];
  for (const candidate of candidates) {
    let real: string;
    try {
      if (!statSync(candidate.path).isDirectory()) {
        if (candidate.required) throw new TemplateFolderError(candidate.path, ORIGIN_LABEL[candidate.origin], 'is not a folder');
        continue;
      }
      real = realpathSync(candidate.path);
    } catch (error) {
      if (error instanceof TemplateFolderError) throw error;
      if (candidate.required) throw new TemplateFolderError(candidate.path, ORIGIN_LABEL[candidate.origin]);
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    folders.push({ path: candidate.path, origin: candidate.origin });
  }
  return folders;
}

/** One template file as found in a folder. */
export interface TemplateEntry {
  /** how it is named: the path relative to its folder, without `.j2` */
  name: string;
  /** the path relative to its folder, as include/import use it */
  file: string;
  /** absolute path */
  path: string;
  folder: TemplateFolder;
  /** absolute path of the sidecar NAME.meta.yaml, when there is one */
  metaPath?: string;
}

const TEMPLATE_SUFFIXES = ['.j2', '.jinja2', '.jinja'];
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

/** The name a template file is known by: its relative path with '/' separators, without `.j2`. */
export function templateNameOf(file: string): string {
  const posix = file.split(sep).join('/');
  return posix.endsWith('.j2') ? posix.slice(0, -3) : posix;
}

/** The sidecar metadata file of a template: `ntp.j2` → `ntp.meta.yaml` (`.meta.yml` also works). */
export function sidecarPath(templatePath: string): string | undefined {
  const base = templatePath.endsWith('.j2') ? templatePath.slice(0, -3) : templatePath;
  for (const candidate of [`${base}.meta.yaml`, `${base}.meta.yml`]) if (existsSync(candidate)) return candidate;
  return undefined;
}

function entryFor(folder: TemplateFolder, file: string): TemplateEntry {
  const path = join(folder.path, file);
  const metaPath = sidecarPath(path);
  return { name: templateNameOf(file), file: file.split(sep).join('/'), path, folder, ...(metaPath ? { metaPath } : {}) };
}

function walk(root: string, dir: string, out: string[]): void {
  let names: import('node:fs').Dirent[];
  try {
    names = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of names) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(root, full, out);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && TEMPLATE_SUFFIXES.some((suffix) => entry.name.endsWith(suffix))) {
      out.push(relative(root, full));
    }
  }
}

/**
 * The templates of a set of folders. A name found in an earlier folder hides the same name in a
 * later one (as PATH does); `list({ shadowed: true })` shows those too.
 */
export class TemplateLibrary {
  private listing?: { visible: TemplateEntry[]; shadowed: TemplateEntry[] };
  /** include/import names already resolved (check and discovery ask for the same ones often) */
  private readonly resolved = new Map<string, string | undefined>();

  constructor(readonly folders: readonly TemplateFolder[]) {}

  static open(options: TemplateFolderOptions): TemplateLibrary {
    return new TemplateLibrary(resolveTemplateFolders(options));
  }

  get searchPaths(): string[] {
    return this.folders.map((f) => f.path);
  }

  list(options: { shadowed?: boolean } = {}): TemplateEntry[] {
    if (!this.listing) {
      const visible: TemplateEntry[] = [];
      const shadowed: TemplateEntry[] = [];
      const seen = new Set<string>();
      for (const folder of this.folders) {
        const files: string[] = [];
        walk(folder.path, folder.path, files);
        for (const file of files) {
          const entry = entryFor(folder, file);
          if (seen.has(entry.name)) shadowed.push(entry);
          else {
            seen.add(entry.name);
            visible.push(entry);
          }
        }
      }
      visible.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      this.listing = { visible, shadowed };
    }
    return options.shadowed ? [...this.listing.visible, ...this.listing.shadowed] : this.listing.visible;
  }

  /** The template called `name` (`.j2` optional; a path relative to a folder works), or undefined. */
  lookup(name: string): TemplateEntry | undefined {
    const relativeName = normalizeName(name);
    if (relativeName === undefined) return undefined;
    const candidates = relativeName.endsWith('.j2') ? [relativeName] : [`${relativeName}.j2`, relativeName];
    for (const folder of this.folders) {
      for (const candidate of candidates) {
        const path = join(folder.path, candidate);
        try {
          if (statSync(path).isFile()) return entryFor(folder, candidate);
        } catch {
          // not in this folder
        }
      }
    }
    return undefined;
  }

  /** Like lookup, but an unknown name is a TemplateNotFoundError suggesting the nearest name. */
  find(name: string): TemplateEntry {
    const entry = this.lookup(name);
    if (entry) return entry;
    const wanted = templateNameOf(normalizeName(name) ?? name);
    const names = this.list().map((e) => e.name);
    const base = (n: string) => n.slice(n.lastIndexOf('/') + 1);
    const suggestion = nearest(wanted, names) ?? names.find((n) => base(n) === base(wanted)) ?? nearestByBase(base(wanted), names);
    throw new TemplateNotFoundError(name, suggestion, this.searchPaths);
  }

  /** True when `file` (as an include names it, relative to a folder) exists in one of the folders. */
  has(file: string): boolean {
    return this.resolveFile(file) !== undefined;
  }

  /** The absolute path an include/import of `file` loads, as Jinja2's FileSystemLoader finds it. */
  resolveFile(file: string): string | undefined {
    if (this.resolved.has(file)) return this.resolved.get(file);
    const relativeName = normalizeName(file);
    let found: string | undefined;
    for (const folder of relativeName === undefined ? [] : this.folders) {
      const path = join(folder.path, relativeName as string);
      try {
        if (statSync(path).isFile()) {
          found = path;
          break;
        }
      } catch {
        // next folder
      }
    }
    this.resolved.set(file, found);
    return found;
  }
}

function nearestByBase(base: string, names: readonly string[]): string | undefined {
  const bases = names.map((n) => n.slice(n.lastIndexOf('/') + 1));
  const hit = nearest(base, bases);
  return hit === undefined ? undefined : names[bases.indexOf(hit)];
}

/**
 * A name as a relative path inside a folder: `./a/b` → `a/b`; absolute paths and names that climb
 * out of the folder (`../x`) are refused (undefined), as Jinja2's loader refuses them.
 */
export function normalizeName(name: string): string | undefined {
  const parts: string[] = [];
  if (isAbsolute(name)) return undefined;
  for (const part of name.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.length === 0 ? undefined : parts.join('/');
}
