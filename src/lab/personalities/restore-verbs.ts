import { parseConfig } from '../config/lines.js';
import type { IosCommand, IosLikeSession, IosLikeState } from './ios-like.js';

/**
 * What a full-config restore needs from the IOS-like lab devices:
 * - IOS / IOS XE: a flash file system, written the way NAPALM's inline transfer writes it
 *   (`tclsh`, `puts [open "flash:f" w+] { ... }`, `tclquit`), `dir`, `more`, `delete /force`, and
 *   `configure replace flash:f [force]`, which makes the running config the file's.
 * EOS restores through the configure sessions of safety-nets.ts (`rollback clean-config`).
 */

const flash = new WeakMap<IosLikeState, Map<string, string>>();

function filesOf(state: IosLikeState): Map<string, string> {
  let files = flash.get(state);
  if (!files) {
    files = new Map();
    flash.set(state, files);
  }
  return files;
}

interface TclState {
  /** collecting the body of `puts [open "file" w+] {` until its closing brace */
  file?: string;
  body: string[];
  depth: number;
}

const tcl = new WeakMap<IosLikeSession, TclState>();

function flashName(typed: string): string | undefined {
  const m = /^(?:flash|bootflash|nvram):\/?(\S+)$/i.exec(typed.replace(/^"|"$/g, ''));
  return m ? `flash:${m[1]}` : undefined;
}

/** The prompt while a restore verb owns the session (`+>` inside a Tcl brace, `(tcl)#`). */
export function restorePrompt(s: IosLikeSession): string | undefined {
  const t = tcl.get(s);
  if (t) return t.file !== undefined ? '+>' : `${s.host}(tcl)#`;
  return undefined;
}

function braceBalance(line: string): number {
  let balance = 0;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\') i++;
    else if (ch === '{') balance++;
    else if (ch === '}') balance--;
  }
  return balance;
}

/** Handles a line typed while tclsh is open; false lets the normal CLI have it. */
export async function interceptRestoreLine(s: IosLikeSession, raw: string): Promise<boolean> {
  const t = tcl.get(s);
  if (t) {
    await tclLine(s, t, raw);
    return true;
  }
  return false;
}

async function tclLine(s: IosLikeSession, t: TclState, raw: string): Promise<void> {
  if (t.file !== undefined) {
    const balance = t.depth + braceBalance(raw);
    if (balance <= 0) {
      // the closing brace: what came before it on this line is the last of the body
      const end = raw.lastIndexOf('}');
      if (end > 0) t.body.push(raw.slice(0, end));
      filesOf(s.state).set(t.file, t.body.join('\n') + '\n');
      t.file = undefined;
      t.body = [];
      t.depth = 0;
      return;
    }
    t.depth = balance;
    t.body.push(raw);
    return;
  }
  const line = raw.trim();
  if (line === '' || line === '\x03') return;
  if (line === 'tclquit' || line === 'exit') {
    tcl.delete(s);
    return;
  }
  const open = /^puts\s+\[open\s+"?([^"\s\]]+)"?\s+w\+?\]\s+\{(.*)$/.exec(line);
  if (open) {
    const file = flashName(open[1] as string);
    if (!file) return s.shell.print(`couldn't open "${open[1]}": no such file or directory\n`);
    const rest = open[2] as string;
    t.file = file;
    t.body = [];
    t.depth = 1 + braceBalance(rest);
    if (rest.trim()) t.body.push(rest);
    return;
  }
  await s.shell.print(`invalid command name "${line.split(/\s+/)[0]}"\n`);
}

const REPLACE_QUESTION =
  'This will apply all necessary additions and deletions\nto replace the current running configuration with the\ncontents of the specified configuration file, which is\nassumed to be a complete configuration, not a partial\nconfiguration. Enter Y if you are sure you want to proceed. ? [no]: ';

function configureReplace(s: IosLikeSession, file: string): string {
  const text = filesOf(s.state).get(file);
  if (text === undefined) return `%Error opening ${file} (File not found)\n`;
  const body = text
    .split('\n')
    .filter((l) => !/^(Building configuration\.\.\.|Current configuration : \d+ bytes)\s*$/.test(l))
    .join('\n');
  s.state.config = parseConfig(body);
  s.touch();
  return 'Total number of passes: 1\nRollback Done\n\n';
}

/** The commands above, for the platforms that have them. */
export function restoreCommands(platform: string): (IosCommand & { privileged?: boolean })[] {
  if (platform === 'cisco_ios' || platform === 'cisco_xe') {
    return [
      {
        path: 'tclsh',
        privileged: true,
        run: (s) => {
          tcl.set(s, { body: [], depth: 0 });
          return undefined;
        },
      },
      {
        path: 'dir <*>',
        privileged: true,
        run: (s, a) => {
          const files = [...filesOf(s.state)].filter(([name]) => !a[0] || name.startsWith(flashName(a[0]) ?? a[0]));
          const rows = files.map(([name, text], i) => `${String(i + 1).padStart(5)}  -rw-  ${String(text.length).padStart(10)}  <no date>  ${name.slice('flash:'.length)}`);
          return `Directory of flash:/\n\n${rows.join('\n')}${rows.length ? '\n' : ''}\n256487424 bytes total\n`;
        },
      },
      {
        path: 'more <file>',
        privileged: true,
        run: (s, a) => {
          const file = flashName(a[0] ?? '');
          const text = file ? filesOf(s.state).get(file) : undefined;
          return text ?? `%Error opening ${a[0]} (No such file or directory)\n`;
        },
      },
      {
        path: 'delete <*>',
        privileged: true,
        run: async (s, a) => {
          const words = (a[0] ?? '').split(/\s+/).filter(Boolean);
          const force = words.includes('/force');
          const file = flashName(words.filter((w) => !w.startsWith('/')).pop() ?? '');
          if (!file || !filesOf(s.state).has(file)) return `%Error deleting ${file ?? a[0]} (No such file or directory)\n`;
          if (!force && !s.shell.exec) {
            const answer = await s.shell.ask(`Delete filename [${file.slice('flash:'.length)}]? `);
            if (answer === null) return undefined;
            const confirm = await s.shell.ask(`Delete ${file}? [confirm]`);
            if (confirm === null || /^n/i.test(confirm.trim())) return undefined;
          }
          filesOf(s.state).delete(file);
          return undefined;
        },
      },
      {
        path: 'configure replace <file> <*>',
        privileged: true,
        run: async (s, a) => {
          const file = flashName(a[0] ?? '');
          if (!file) return `%Error opening ${a[0]} (No such file or directory)\n`;
          const options = (a[1] ?? '').split(/\s+/).filter(Boolean);
          if (!options.includes('force') && !s.shell.exec) {
            const answer = await s.shell.ask(REPLACE_QUESTION);
            if (answer === null || !/^y/i.test(answer.trim())) return undefined;
          }
          return configureReplace(s, file);
        },
      },
    ];
  }
  return [];
}
