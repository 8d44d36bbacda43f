/**
 * Turning what a terminal receives into plain text: ANSI/VT100 codes out, line ends as '\n',
 * carriage-return overwrites and backspaces applied. Works chunk by chunk: an escape sequence
 * cut in two by the network is held back until its end arrives.
 */

// CSI sequences, OSC strings, and two-byte escapes
const ANSI = /\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[@-Z\\-_=>78])/g;
// these move the cursor to the start of the line: whatever follows overwrites the line
const TO_LINE_START = /\x1b\[(?:[12]K|\d*G|\d*D)/g;
const COMPLETE_ESCAPE = /^\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[@-Z\\-_=>78])/;

/** Splits off an escape sequence that is cut off at the end of `text`. */
export function splitIncompleteEscape(text: string): [complete: string, held: string] {
  const esc = text.lastIndexOf('\x1b');
  if (esc === -1 || text.length - esc > 64) return [text, ''];
  if (COMPLETE_ESCAPE.test(text.slice(esc))) return [text, ''];
  return [text.slice(0, esc), text.slice(esc)];
}

export function stripAnsi(text: string): string {
  if (!text.includes('\x1b')) return text;
  return text.replace(TO_LINE_START, '\r').replace(ANSI, '');
}

/** '\r\n', '\r\r\n' and '\n\r' are all one line end. */
export function normalizeLineEnds(text: string): string {
  if (!text.includes('\r')) return text;
  return text.replace(/\r+\n/g, '\n').replace(/\n\r(?!\n)/g, '\n');
}

/**
 * What one line shows on screen: a bare '\r' followed by text means the text overwrote the line
 * (keep what came after it); a backspace removes the character before it.
 */
export function resolveLine(line: string): string {
  let text = line;
  if (text.includes('\r')) {
    const parts = text.split('\r');
    let last = '';
    for (let i = parts.length - 1; i >= 0; i--) {
      if (parts[i] !== '') {
        last = parts[i] ?? '';
        break;
      }
    }
    text = last;
  }
  if (text.includes('\b')) {
    const out: string[] = [];
    for (const ch of text) {
      if (ch === '\b') out.pop();
      else out.push(ch);
    }
    text = out.join('');
  }
  return text.includes('\x07') ? text.replace(/\x07/g, '') : text;
}

/** resolveLine for every line of a block of complete lines. */
export function resolveLines(text: string): string {
  if (!/[\r\b\x07]/.test(text)) return text;
  return text
    .split('\n')
    .map((line) => resolveLine(line))
    .join('\n');
}

/** All of it at once, for text that is already complete. */
export function normalizeText(text: string): string {
  return resolveLines(normalizeLineEnds(stripAnsi(text)));
}
