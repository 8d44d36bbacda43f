import { parseDocument } from 'yaml';
import { ValidationError } from '../core/errors.js';

/** Secrets a caller can pipe in with `--secrets-stdin`. */
export interface PipedSecrets {
  password?: string;
  enable?: string;
  passphrase?: string;
  private_key?: string;
  token?: string;
}

const FIELDS = ['password', 'enable', 'passphrase', 'private_key', 'token'] as const;

/**
 * Reads `key: value` lines (YAML; block scalars allowed for private_key). Every scalar stays a
 * string (YAML failsafe schema), so `password: 0123` is "0123", not 83. Errors name lines and
 * keys only: the text around an error may be a secret.
 */
export function parsePipedSecrets(text: string): PipedSecrets {
  const document = parseDocument(text, { schema: 'failsafe', prettyErrors: false });
  const problem = document.errors[0];
  if (problem) {
    const line = problem.linePos?.[0].line;
    throw new ValidationError(`the secrets on stdin are not valid 'key: value' YAML${line ? ` (line ${line})` : ''}`, secretsFormatHint());
  }
  const value: unknown = document.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ValidationError('the secrets on stdin must be `key: value` lines', secretsFormatHint());
  const secrets: PipedSecrets = {};
  for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
    if (!(FIELDS as readonly string[]).includes(key)) {
      throw new ValidationError(`unknown key '${key}' in the secrets on stdin`, secretsFormatHint());
    }
    if (entry === null) continue;
    if (typeof entry !== 'string') throw new ValidationError(`'${key}' in the secrets on stdin must be a plain value`, secretsFormatHint());
    if (entry !== '') secrets[key as (typeof FIELDS)[number]] = entry;
  }
  return secrets;
}

/** The first line of `text`, without its line ending (for --password-stdin). */
export function firstLine(text: string): string {
  const end = text.search(/\r?\n/);
  return end === -1 ? text : text.slice(0, end);
}

function secretsFormatHint(): string {
  return `allowed keys: ${FIELDS.join(', ')}; e.g. 'password: s3cret' on one line and 'enable: other' on the next`;
}
