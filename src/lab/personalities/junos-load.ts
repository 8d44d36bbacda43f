import { applyDelete, applySet, parseCurly } from '../config/setlines.js';
import type { CommandSpec } from '../commands.js';
import type { JunosSession } from './juniper_junos.js';

/**
 * Junos `load set terminal` and a top-level `delete`: what a full-config restore sends besides
 * `load override terminal` (juniper_junos.ts). Input is read up to Ctrl-D on a line of its own,
 * as on a real box; the candidate changes, nothing is committed.
 */

/** Leaves out the statements the device's `loadIgnores` state names (types.ts): a load that does not fully take. */
export function withoutIgnored(s: JunosSession, statements: string[]): string[] {
  const ignored = s.shell.id.ops?.loadIgnores ?? [];
  if (ignored.length === 0) return statements;
  return statements.filter((l) => !ignored.some((p) => l === p || l.startsWith(p + ' ')));
}

/** The curly-brace config as set lines (the top-level `version` leaf dropped), with Junos-style errors. */
export function curlyToSetLines(text: string): { lines: string[]; errors: string[] } {
  const parsed = parseCurly(text);
  if ('error' in parsed) return { lines: [], errors: [`terminal:${parsed.line}:(${parsed.column}) syntax error: ${parsed.error}`] };
  return { lines: parsed.lines.filter((line) => !/^version\s/.test(line)), errors: [] };
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
          const statement = (m[2] as string).trim();
          if (m[1] === 'set' && withoutIgnored(s, [statement]).length === 0) return;
          candidate = m[1] === 'set' ? applySet(candidate, statement) : applyDelete(candidate, statement).lines;
        });
        if (errors.length === 0) s.candidate = candidate;
        return loaded(errors);
      },
    },
  ];
}
