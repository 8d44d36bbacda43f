/** Line breaks as Python's str.splitlines() knows them. */
const LINE_BREAK = /\r\n|[\n\r\u000b\u000c\u001c\u001d\u001e\u0085\u2028\u2029]/;

/** Splits like Python's `str.splitlines()`: no trailing empty line, `\r\n` is one break. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(LINE_BREAK);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Whitespace as Python's str.isspace() knows it. */
export const PY_WHITESPACE = /[\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const TRAILING = new RegExp(`${PY_WHITESPACE.source}+$`);
const LEADING = new RegExp(`^${PY_WHITESPACE.source}+`);

export function pyRstrip(text: string): string {
  return text.replace(TRAILING, '');
}

export function pyStrip(text: string): string {
  return text.replace(LEADING, '').replace(TRAILING, '');
}
