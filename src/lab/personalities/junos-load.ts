import { applyDelete, applySet } from '../config/setlines.js';
import type { CommandSpec } from '../commands.js';
import type { JunosSession } from './juniper_junos.js';

/**
 * Junos `load override terminal`, `load merge terminal`, `load set terminal` and a top-level
 * `delete`: what a full-config restore sends. Input is read up to Ctrl-D on a line of its own,
 * as on a real box; the candidate changes, nothing is committed.
 */

/** The curly-brace config as set lines (comments, `## SECRET-DATA` marks and the `version` leaf dropped). */
export function curlyToSetLines(text: string): { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  const path: string[] = [];
  const source = text.replace(/\/\*[\s\S]*?\*\//g, '');
  source.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\s*##.*$/, '').replace(/^\s*#.*$/, '').trim().replace(/^(inactive|replace|protect):\s*/, '');
    if (!line) return;
    if (line === '}') {
      if (path.length === 0) errors.push(`terminal:${index + 1}:(1) syntax error: }`);
      path.pop();
    } else if (line.endsWith('{')) path.push(line.slice(0, -1).trim());
    else if (line.endsWith(';')) {
      const leaf = line.slice(0, -1).trim();
      if (path.length === 0 && /^version\s/.test(leaf)) return;
      lines.push([...path, leaf].join(' '));
    } else errors.push(`terminal:${index + 1}:(${raw.length - raw.trimStart().length + 1}) syntax error: ${line.split(/\s+/)[0]}`);
  });
  if (path.length > 0) errors.push(`terminal:${source.split('\n').length}:(1) syntax error: missing }`);
  return { lines, errors };
}

async function readTerminal(s: JunosSession): Promise<string[] | null> {
  await s.shell.print('[Type ^D at a new line to end input]\n');
  const lines: string[] = [];
  for (;;) {
    const line = await s.shell.ask('');
    if (line === null || line === '\x03') return null;
    if (line === '\x04') return lines;
    lines.push(line);
  }
}

function loaded(errors: string[]): string {
  return errors.length ? `${errors.join('\n')}\nload complete (${errors.length} errors)\n` : 'load complete\n';
}

export function junosLoadCommands(): CommandSpec<JunosSession>[] {
  return [
    {
      path: 'delete',
      run: async (s) => {
        if (s.editPath.length > 0) {
          s.candidate = applyDelete(s.candidate, s.editPath.join(' ')).lines;
          return undefined;
        }
        const answer = s.shell.exec ? 'yes' : await s.shell.ask('Delete everything under this level? [yes,no] (no) ');
        if (answer === null || !/^y/i.test(answer.trim())) return undefined;
        s.candidate = [];
        return undefined;
      },
    },
    {
      path: 'load override terminal',
      run: async (s) => {
        const input = await readTerminal(s);
        if (input === null) return '\n';
        const { lines, errors } = curlyToSetLines(input.join('\n'));
        if (errors.length === 0) s.candidate = lines;
        return loaded(errors);
      },
    },
    {
      path: 'load merge terminal',
      run: async (s) => {
        const input = await readTerminal(s);
        if (input === null) return '\n';
        const { lines, errors } = curlyToSetLines(input.join('\n'));
        if (errors.length === 0) for (const line of lines) s.candidate = applySet(s.candidate, line);
        return loaded(errors);
      },
    },
    {
      path: 'load set terminal',
      run: async (s) => {
        const input = await readTerminal(s);
        if (input === null) return '\n';
        const errors: string[] = [];
        let candidate = s.candidate;
        input.forEach((raw, index) => {
          const line = raw.trim();
          if (!line || line.startsWith('#')) return;
          const m = /^(set|delete)\s+(.+)$/.exec(line);
          if (!m) {
            errors.push(`terminal:${index + 1}:(1) syntax error: ${line.split(/\s+/)[0]}`);
            return;
          }
          candidate = m[1] === 'set' ? applySet(candidate, (m[2] as string).trim()) : applyDelete(candidate, (m[2] as string).trim()).lines;
        });
        if (errors.length === 0) s.candidate = candidate;
        return loaded(errors);
      },
    },
  ];
}
