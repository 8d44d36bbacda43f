import { cloneConfig, diffConfig, parseConfig } from '../config/lines.js';
import type { IosCommand, IosLikeSession } from './ios-like.js';

/**
 * The device-side safety nets of the IOS family, as the real boxes have them: IOS `configure
 * terminal revert timer` (+ `configure confirm`, `configure revert now`), EOS configuration
 * sessions with `commit timer`, NX-OS checkpoints. A lab "minute" lasts `minuteMs`.
 */

type Command = IosCommand & { privileged?: boolean };

/** IOS / IOS-XE: the archive's rollback confirmed change. */
export function iosRevertCommands(): Command[] {
  const none = '% No Rollback Confirmed Change pending\n';
  const arm = (s: IosLikeSession, minutes: number) => {
    const state = s.state;
    const snapshot = state.revert?.config ?? cloneConfig(state.config);
    if (state.revert) clearTimeout(state.revert.timer);
    const timer = setTimeout(() => {
      state.revert = undefined;
      state.config = snapshot;
      state.lastChange = new Date();
      state.lastChangeBy = 'console';
    }, minutes * s.shell.minuteMs);
    timer.unref();
    state.revert = { config: snapshot, timer };
  };
  const minutesOf = (s: IosLikeSession, word: string | undefined): number | string => {
    const minutes = Number(word);
    return Number.isInteger(minutes) && minutes >= 1 && minutes <= 120 ? minutes : s.spec.errors.invalid('', 0, 0);
  };
  return [
    {
      path: 'configure terminal revert timer <n>',
      privileged: true,
      run: (s, a) => {
        const minutes = minutesOf(s, a[0]);
        if (typeof minutes === 'string') return minutes;
        arm(s, minutes);
        return `Rollback Confirmed Change: Backing up current running config to flash:${s.host}-rollback-1\n` + s.enterConfig();
      },
    },
    {
      path: 'configure confirm',
      privileged: true,
      run: (s) => {
        if (!s.state.revert) return none;
        clearTimeout(s.state.revert.timer);
        s.state.revert = undefined;
        return undefined;
      },
    },
    {
      path: 'configure revert now',
      privileged: true,
      run: (s) => {
        const revert = s.state.revert;
        if (!revert) return none;
        clearTimeout(revert.timer);
        s.state.revert = undefined;
        s.state.config = revert.config;
        s.touch();
        return 'Rollback Confirmed Change: Rolling back to flash:' + s.host + '-rollback-1\n';
      },
    },
    {
      path: 'configure revert timer <n>',
      privileged: true,
      run: (s, a) => {
        if (!s.state.revert) return none;
        const minutes = minutesOf(s, a[0]);
        if (typeof minutes === 'string') return minutes;
        arm(s, minutes);
        return undefined;
      },
    },
  ];
}

/** EOS: `configure session NAME` edits a copy; `commit timer hh:mm:ss` reverts unless `configure session NAME commit`. */
export function eosSessionCommands(): Command[] {
  const sessions = (s: IosLikeSession) => (s.state.sessions ??= new Map());
  const unknown = (name: string) => `% Session ${name} not found\n`;
  return [
    {
      path: 'configure session <name>',
      privileged: true,
      run: (s, a) => {
        const name = a[0] as string;
        const existing = sessions(s).get(name);
        if (existing?.pending) return `% Cannot enter session ${name} (commit timer pending)\n`;
        s.enterConfig();
        const entry = existing ?? { config: cloneConfig(s.state.config) };
        sessions(s).set(name, entry);
        s.candidate = entry.config;
        s.configSession = name;
        return undefined;
      },
    },
    {
      path: 'configure session <name> commit',
      privileged: true,
      run: (s, a) => {
        const entry = sessions(s).get(a[0] as string);
        if (!entry) return unknown(a[0] as string);
        if (entry.pending) clearTimeout(entry.pending.timer);
        else {
          settle(s, entry);
          commitSession(s, entry.config);
        }
        sessions(s).delete(a[0] as string);
        return undefined;
      },
    },
    {
      path: 'configure session <name> abort',
      privileged: true,
      run: (s, a) => {
        const entry = sessions(s).get(a[0] as string);
        if (!entry) return unknown(a[0] as string);
        if (entry.pending) {
          clearTimeout(entry.pending.timer);
          s.state.config = entry.pending.before;
          s.touch();
        }
        sessions(s).delete(a[0] as string);
        return undefined;
      },
    },
    {
      path: 'show configuration sessions',
      privileged: true,
      run: (s) => {
        const rows = [...sessions(s)].map(([name, e]) => `  ${name.padEnd(28)}${e.pending ? 'pendingCommitTimer' : 'pending'}`);
        return `Maximum number of completed sessions: 1\nMaximum number of pending sessions: 5\n\n  Name                        State\n  --------------------------- ------------------\n${rows.join('\n')}\n`;
      },
    },
  ];
}

type SessionEntry = NonNullable<IosLikeSession['state']['sessions']> extends Map<string, infer E> ? E : never;

/**
 * A session started from `rollback clean-config` holds a whole config typed in: EOS places each
 * line by its grammar, which the lab stands in for with the indentation (a line is kept as typed,
 * `no switchport` included, and nested under the less-indented line above it). Lines are kept
 * and read when the session is shown or committed. Returns the refusal, undefined when taken,
 * false when the shell is not in such a session.
 */
export function cleanSessionLine(s: IosLikeSession, raw: string): string | undefined | false {
  const entry = s.configSession === undefined ? undefined : s.state.sessions?.get(s.configSession);
  if (!entry?.typed) return false;
  const line = raw.trim();
  if (line === '' || line.startsWith('!')) return undefined;
  const words = line.toLowerCase().split(/\s+/);
  const keyword = (words[0] === 'no' || words[0] === 'default' ? words[1] : words[0]) ?? '';
  if (!/^\s/.test(raw) && !s.spec.globalKeywords.includes(keyword)) return s.spec.errors.invalid(line, 0, s.prompt().length);
  entry.typed.push(raw.replace(/\s+$/, ''));
  return undefined;
}

/** A clean session's typed lines as its config (see cleanSessionLine). */
function settle(s: IosLikeSession, entry: SessionEntry): void {
  if (!entry.typed) return;
  entry.config = parseConfig(entry.typed.join('\n'));
  if (s.configSession !== undefined && s.state.sessions?.get(s.configSession) === entry) s.candidate = entry.config;
}

/** EOS config-mode commands inside a session. */
export function eosSessionConfigCommands(): IosCommand[] {
  const inSession = (s: IosLikeSession) => (s.configSession === undefined ? '% Not in a configuration session\n' : undefined);
  const leave = (s: IosLikeSession) => {
    s.state.sessions?.delete(s.configSession as string);
    s.leaveConfig();
  };
  return [
    {
      path: 'show session-config diffs',
      run: (s) => {
        const refused = inSession(s);
        if (refused) return refused;
        const entry = s.state.sessions?.get(s.configSession as string);
        if (entry) settle(s, entry);
        return s.renderCandidateDiff(true);
      },
    },
    {
      // the session starts from an empty config: what is typed next is the whole config (NAPALM's replace)
      path: 'rollback clean-config',
      run: (s) => {
        const refused = inSession(s);
        if (refused) return refused;
        const entry = s.state.sessions?.get(s.configSession as string);
        if (!entry) return '% Session vanished\n';
        entry.config = [];
        entry.typed = [];
        s.candidate = entry.config;
        return undefined;
      },
    },
    {
      path: 'commit',
      run: (s) => {
        const refused = inSession(s);
        if (refused) return refused;
        const entry = s.state.sessions?.get(s.configSession as string);
        if (entry) settle(s, entry);
        commitSession(s, s.candidate ?? s.state.config);
        leave(s);
        return undefined;
      },
    },
    {
      path: 'commit timer <hms>',
      run: (s, a) => {
        const refused = inSession(s);
        if (refused) return refused;
        const m = /^(\d{1,2}):(\d{2}):(\d{2})$/.exec(a[0] ?? '');
        if (!m) return '% Invalid input (timer format is hh:mm:ss)\n';
        const seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
        if (seconds < 1) return '% Invalid input (timer must be at least 1 second)\n';
        const name = s.configSession as string;
        const entry = s.state.sessions?.get(name);
        if (!entry) return '% Session vanished\n';
        settle(s, entry);
        const state = s.state;
        const before = cloneConfig(state.config);
        commitSession(s, entry.config);
        const timer = setTimeout(() => {
          state.sessions?.delete(name);
          state.config = before;
          state.lastChange = new Date();
          state.lastChangeBy = 'commit-timer';
        }, (seconds * s.shell.minuteMs) / 60);
        timer.unref();
        entry.pending = { before, timer };
        s.leaveConfig();
        return undefined;
      },
    },
    {
      path: 'abort',
      run: (s) => {
        const refused = inSession(s);
        if (refused) return refused;
        leave(s);
        return undefined;
      },
    },
  ];
}

function commitSession(s: IosLikeSession, config: ReturnType<typeof cloneConfig>): void {
  if (diffConfig(s.state.config, config).length === 0) return;
  s.state.config = cloneConfig(config);
  s.touch();
}

/** NX-OS: `checkpoint NAME`, `rollback running-config checkpoint NAME`, `no checkpoint NAME`. */
export function nxosCheckpointCommands(): Command[] {
  const checkpoints = (s: IosLikeSession) => (s.state.checkpoints ??= new Map());
  return [
    {
      path: 'checkpoint <name>',
      privileged: true,
      run: (s, a) => {
        const name = a[0] as string;
        if (checkpoints(s).has(name)) return `ERROR: Checkpoint name already exists: ${name}\n`;
        checkpoints(s).set(name, cloneConfig(s.state.config));
        return '.......Done\n';
      },
    },
    {
      path: 'no checkpoint <name>',
      privileged: true,
      run: (s, a) => (checkpoints(s).delete(a[0] as string) ? undefined : `ERROR: No checkpoint with name ${a[0]}\n`),
    },
    {
      path: 'rollback running-config checkpoint <name>',
      privileged: true,
      run: (s, a) => {
        const saved = checkpoints(s).get(a[0] as string);
        if (!saved) return `ERROR: No checkpoint with name ${a[0]}\n`;
        s.state.config = cloneConfig(saved);
        s.touch();
        return 'Note: Applying config parallelly may fail Rollback verification\nCollecting Running-Config\n#Generating Rollback Patch\nExecuting Rollback Patch\nGenerating Running-config for verification\nGenerating Patch for verification\nVerification is Successful.\n\nRollback completed successfully.\n';
      },
    },
    {
      path: 'show checkpoint summary',
      privileged: true,
      run: (s) => [...checkpoints(s).keys()].map((name, i) => `${i + 1}) ${name}:\nCreated by ${s.shell.username}\nCreated at ${new Date().toUTCString()}\n`).join('\n') || 'No checkpoints\n',
    },
  ];
}

/** IOS-XR: `configure exclusive` and the candidate's diff. */
export function xrExclusiveCommands(): Command[] {
  return [{ path: 'configure exclusive', privileged: true, run: (s) => s.enterConfig() }];
}

export function xrConfigCommands(): IosCommand[] {
  return [{ path: 'show commit changes diff', run: (s) => 'Building configuration...\n!! IOS XR Configuration\n' + s.renderCandidateDiff(true) + 'end\n' }];
}
