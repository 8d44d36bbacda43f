import { NetstacksError, ValidationError } from '../../core/errors.js';

/** A position in a file, 1-based, as editors show it. */
export interface SourcePosition {
  file: string;
  line?: number;
  column?: number;
}

export function formatPosition(position: SourcePosition): string {
  if (position.line === undefined) return position.file;
  return `${position.file}:${position.line}${position.column === undefined ? '' : `:${position.column}`}`;
}

/** An unknown template name; the hint names the nearest existing one, or where NetStacks looked. */
export class TemplateNotFoundError extends NetstacksError {
  constructor(
    readonly templateName: string,
    readonly suggestion: string | undefined,
    readonly folders: readonly string[],
  ) {
    super('template_not_found', `template '${templateName}' not found`, {
      exit: 'notFound',
      hint: suggestion
        ? `did you mean '${suggestion}'?`
        : folders.length > 0
          ? `searched ${folders.join(', ')}; run 'netstacks template list' to see what exists`
          : 'no template folder exists: create ./templates, pass --templates DIR or set the templates setting',
    });
  }
}

/** A configured template folder (--templates or the `templates` setting) that does not exist. */
export class TemplateFolderError extends NetstacksError {
  constructor(
    readonly folder: string,
    readonly origin: string,
    reason = 'does not exist',
  ) {
    super('template_folder_missing', `template folder ${folder} (from ${origin}) ${reason}`, {
      exit: 'notFound',
      hint: origin === 'the templates setting' ? "fix it with 'netstacks settings set templates DIR,...' or 'netstacks settings unset templates'" : 'check the path',
    });
  }
}

/** A sidecar NAME.meta.yaml that is not valid YAML or does not match the schema. */
export class TemplateMetaError extends ValidationError {
  constructor(
    readonly position: SourcePosition,
    detail: string,
    hint?: string,
  ) {
    super(`${formatPosition(position)}: ${detail}`, hint);
  }
}

/** A variables file (--vars) or a --var assignment that cannot be read. */
export class TemplateVarsError extends ValidationError {
  constructor(
    readonly position: SourcePosition,
    detail: string,
    hint?: string,
  ) {
    super(`${formatPosition(position)}: ${detail}`, hint);
  }
}
