import type { CleanupRule } from '../platforms/types.js';

/** How far into the output the command echo may start (after a stale prompt or two). */
const ECHO_WINDOW = 4096;

/** The part of a command's echo used to find it: long commands may wrap or scroll. */
export function echoProbe(command: string): string {
  return command.trim().slice(0, 60);
}

/** Drops the command echo (and anything before it), noise lines, and blank lines at both ends. */
export function extractOutput(text: string, command: string | undefined, noise: readonly RegExp[]): string {
  let body = text;
  const probe = command === undefined ? '' : echoProbe(command);
  if (probe.length > 0) {
    const at = body.slice(0, ECHO_WINDOW + probe.length).indexOf(probe);
    if (at >= 0) {
      const lineEnd = body.indexOf('\n', at + probe.length);
      body = lineEnd === -1 ? '' : body.slice(lineEnd + 1);
    }
  }
  if (noise.length > 0) {
    body = body
      .split('\n')
      .filter((line) => !noise.some((n) => n.test(line)))
      .join('\n');
  }
  return body.replace(/^(?:[ \t]*\n)+/, '').trimEnd();
}

/** Devices put their complaint right after the echo, or last: only there does a failure pattern count. */
const FAILURE_HEAD_LINES = 8;
const FAILURE_TAIL_LINES = 3;

/**
 * The lines near the start or end of `output` that contain a failure pattern: the device's own
 * error message. The middle of a long output (a config, a log) may quote such text harmlessly.
 */
export function failureLines(output: string, patterns: readonly string[]): string | undefined {
  if (patterns.length === 0) return undefined;
  const head = lineSlice(output, FAILURE_HEAD_LINES);
  const tail = output.length > head.length ? lastLines(output, FAILURE_TAIL_LINES) : '';
  const hits = `${head}\n${tail}`
    .split('\n')
    .filter((line) => patterns.some((p) => line.includes(p)))
    .map((line) => line.trim());
  return hits.length > 0 ? [...new Set(hits)].join('\n') : undefined;
}

function lineSlice(text: string, count: number): string {
  let end = -1;
  for (let i = 0; i < count; i++) {
    end = text.indexOf('\n', end + 1);
    if (end === -1) return text;
  }
  return text.slice(0, end);
}

function lastLines(text: string, count: number): string {
  let start = text.length;
  for (let i = 0; i < count; i++) {
    start = text.lastIndexOf('\n', start - 1);
    if (start === -1) return text;
  }
  return text.slice(start + 1);
}

/** Applies a platform's running-config cleanup rules; a rule that empties a line removes the line. */
export function applyCleanup(config: string, rules: readonly CleanupRule[]): string {
  let out = config;
  for (const rule of rules) {
    const pattern = new RegExp(rule.replace === '' ? `(?:${rule.pattern})\\n?` : rule.pattern, 'gm');
    out = out.replace(pattern, rule.replace);
  }
  return out.replace(/^(?:[ \t]*\n)+/, '').trimEnd() + '\n';
}
