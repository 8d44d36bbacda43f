import { CommandSet, splitPipes, tokenize, type CommandSpec, type MatchResult } from '../commands.js';
import { generateJunos } from '../config/generate-setstyle.js';
import { applyDelete, applySet, compareSetLines, parseCurly, renderCurly } from '../config/setlines.js';
import { isoTime, type DeviceIdentity, type DeviceSession, type Personality, type Shell } from '../personality.js';
import { bannerFor, runOperationalCommand, serialFor, uptimeFor } from './common.js';
import { junosFacts } from '../ops/facts.js';
import * as junos from '../ops/junos.js';
import { junosLoadCommands, withoutIgnored } from './junos-load.js';
import { buildView, pingFails } from '../ops/model.js';

export interface JunosState {
  /** committed config, as set lines */
  committed: string[];
  /** shared candidate while someone is in configuration mode */
  candidate: string[] | null;
  /** rollback 0 is the active config; older commits follow */
  history: { lines: string[]; at: Date; by: string }[];
  confirmTimer?: NodeJS.Timeout;
}

const TOP_LEVEL = [
  'system', 'interfaces', 'protocols', 'routing-options', 'policy-options', 'firewall', 'snmp', 'vlans', 'security', 'chassis',
  'class-of-service', 'forwarding-options', 'routing-instances', 'groups', 'apply-groups', 'services', 'event-options', 'poe',
  'access', 'bridge-domains', 'version', 'applications', 'multi-chassis', 'switch-options',
];

type JunosCommand = CommandSpec<JunosSession> & {
  /** native structured output for `<command> | display json` */
  json?: (ctx: JunosSession, args: string[]) => string;
};

function showVersion(id: DeviceIdentity): string {
  return `Hostname: ${id.hostname}
Model: mx240
Junos: 21.4R3.15
JUNOS OS Kernel 64-bit  [20230120.e1b5b1b_builder_stable_12]
JUNOS OS libs [20230120.e1b5b1b_builder_stable_12]
JUNOS OS runtime [20230120.e1b5b1b_builder_stable_12]
JUNOS Packet Forwarding Engine Support (MX Common) [21.4R3.15]
JUNOS Routing Software Suite [21.4R3.15]
JUNOS Web Management Platform Package [21.4R3.15]
`;
}

export class JunosSession implements DeviceSession {
  inConfig = false;
  /** junos-root-shell: a root login lands in the FreeBSD shell; `cli` starts the Junos CLI */
  inRootShell: boolean;
  /** the `edit` hierarchy level, e.g. ['interfaces', 'ge-0/0/0'] */
  editPath: string[] = [];
  /** `configure private`: this session's own candidate, thrown away when it leaves (or drops) */
  privateCandidate: string[] | null = null;
  private readonly operational: CommandSet<JunosSession>;
  private readonly configuration: CommandSet<JunosSession>;

  constructor(
    readonly shell: Shell,
    readonly state: JunosState,
  ) {
    this.operational = new CommandSet(operationalCommands());
    this.configuration = new CommandSet(configurationCommands());
    this.inRootShell = shell.quirks.includes('junos-root-shell') && !shell.exec;
  }

  /** The prompt follows the committed host-name, as on a real device. */
  get host(): string {
    const line = this.state.committed.find((l) => l.startsWith('system host-name '));
    return line ? line.slice('system host-name '.length) : this.shell.id.hostname;
  }

  prompt(): string {
    if (this.inRootShell) return `root@${this.host}:RE:0% `;
    const level = this.editPath.length ? `[edit ${this.editPath.join(' ')}]` : '[edit]';
    return this.inConfig ? `\n${level}\n${this.shell.username}@${this.host}# ` : `${this.shell.username}@${this.host}> `;
  }

  get candidate(): string[] {
    if (this.privateCandidate) return this.privateCandidate;
    this.state.candidate ??= [...this.state.committed];
    return this.state.candidate;
  }

  set candidate(lines: string[]) {
    if (this.privateCandidate) this.privateCandidate = lines;
    else this.state.candidate = lines;
  }

  async execute(raw: string): Promise<void> {
    const line = raw.trim();
    if (!line || line === '\x03' || line === '\x1a') return;
    if (this.inRootShell) return this.rootShell(line);
    const { command, pipes } = splitPipes(line);
    const set = this.inConfig ? this.configuration : this.operational;
    const match = set.match(command);
    if (match.kind !== 'ok') return this.shell.print(this.errorText(match, command));
    const jsonAt = pipes.findIndex((p) => /^disp\w*\s+json$/.test(p));
    const json = (match.spec as JunosCommand).json;
    if (jsonAt >= 0 && !json) return this.shell.print(`${' '.repeat(this.promptWidth() + line.indexOf(pipes[jsonAt] as string))}^\nsyntax error, expecting <command>.\n`);
    const output = jsonAt >= 0 && json ? json(this, match.args) : await match.spec.run(this, match.args);
    if (typeof output !== 'string') return;
    let text = output;
    for (const pipe of pipes.filter((_, i) => i !== jsonAt)) {
      const piped = this.pipe(text, pipe);
      if (piped === null) return this.shell.print(`${' '.repeat(this.promptWidth() + line.indexOf(pipe))}^\nsyntax error, expecting <command>.\n`);
      text = piped;
    }
    await this.shell.print(text);
  }

  /** csh as root: only `cli` (and `exit`) mean anything here */
  private async rootShell(line: string): Promise<void> {
    const [word = ''] = line.split(/\s+/);
    if (word === 'cli') {
      this.inRootShell = false;
      return;
    }
    if (word === 'exit' || word === 'logout') return this.shell.exit();
    return this.shell.print(`${word}: Command not found.\n`);
  }

  private promptWidth(): number {
    const prompt = this.prompt();
    return this.shell.exec ? 0 : prompt.length - prompt.lastIndexOf('\n') - 1;
  }

  errorText(match: MatchResult<JunosSession>, line: string): string {
    const pad = (column: number) => ' '.repeat(this.promptWidth() + column);
    switch (match.kind) {
      case 'invalid': {
        const first = tokenize(line)[0]?.column ?? 0;
        return match.column === first ? `${pad(match.column)}^\nunknown command.\n` : `${pad(match.column)}^\nsyntax error, expecting <command>.\n`;
      }
      case 'ambiguous':
        return `${pad(match.column)}^\n'${match.word}' is ambiguous.\nPossible completions:\n${match.candidates.map((c) => `  ${c.padEnd(22)}`).join('\n')}\n`;
      case 'incomplete':
        return `${pad(line.length)}^\nsyntax error, expecting <command>.\n`;
      default:
        return '';
    }
  }

  /** `| display set`, `| compare [rollback N]`, `| match X`, `| except X`, `| count`, `| no-more`. */
  private pipe(text: string, pipe: string): string | null {
    const [verb = '', ...rest] = pipe.split(/\s+/);
    const arg = rest.join(' ').replace(/^"|"$/g, '');
    if ('no-more'.startsWith(verb) && verb.length >= 2) {
      return text;
    }
    if ('match'.startsWith(verb) && verb.length >= 2) return text.split('\n').filter((l) => new RegExp(arg).test(l)).join('\n') + '\n';
    if ('except'.startsWith(verb) && verb.length >= 2) return text.split('\n').filter((l) => !new RegExp(arg).test(l)).join('\n');
    if ('count'.startsWith(verb) && verb.length >= 2) return `Count: ${text.split('\n').filter(Boolean).length} lines\n`;
    return null;
  }

  /** A statement typed at the current `edit` level, as a full path from the top. */
  absolute(statement: string): string {
    return [...this.editPath, statement].filter(Boolean).join(' ');
  }

  async enterConfig(mode: 'shared' | 'private' | 'exclusive' = 'shared'): Promise<string> {
    if (mode === 'private' && this.state.candidate && compareSetLines(this.state.committed, this.state.candidate)) {
      return 'error: shared configuration database modified\nUsers currently editing the configuration:\n';
    }
    this.inConfig = true;
    this.editPath = [];
    if (mode === 'private') this.privateCandidate = [...this.state.committed];
    void this.candidate;
    return mode === 'private'
      ? 'warning: uncommitted changes will be discarded on exit\nEntering configuration mode\n'
      : 'Entering configuration mode\n';
  }

  async leaveConfig(): Promise<string | undefined> {
    if (this.privateCandidate) {
      this.privateCandidate = null;
      this.inConfig = false;
      return 'Exiting configuration mode\n';
    }
    if (this.state.candidate && compareSetLines(this.state.committed, this.state.candidate)) {
      await this.shell.print('The configuration has been changed but not committed\n');
      const answer = ((await this.shell.ask('Exit with uncommitted changes? [yes,no] (yes) ')) ?? 'yes').trim().toLowerCase();
      if (answer.startsWith('n')) return undefined;
    }
    this.inConfig = false;
    return 'Exiting configuration mode\n';
  }

  commit(options: { confirmedMinutes?: number } = {}): string {
    const confirmingEarlier = this.state.confirmTimer !== undefined;
    if (this.state.confirmTimer) clearTimeout(this.state.confirmTimer);
    this.state.confirmTimer = undefined;
    const lines = [...this.candidate];
    const changed = compareSetLines(this.state.committed, lines) !== '';
    // a private commit reaches the shared database too, when nobody has changed it
    const sharedClean = this.state.candidate === null || compareSetLines(this.state.committed, this.state.candidate) === '';
    if (changed || !confirmingEarlier) {
      this.state.committed = lines;
      this.state.history.unshift({ lines, at: new Date(), by: this.shell.username });
      this.state.history.length = Math.min(this.state.history.length, 50);
    }
    if (this.privateCandidate) {
      this.privateCandidate = [...lines];
      if (sharedClean) this.state.candidate = null;
    } else this.state.candidate = [...lines];
    let out = '';
    if (options.confirmedMinutes !== undefined) {
      const minutes = options.confirmedMinutes;
      out += `configuration check succeeds\ncommit confirmed will be automatically rolled back in ${minutes} minutes unless confirmed\n`;
      this.state.confirmTimer = setTimeout(() => {
        this.state.confirmTimer = undefined;
        const previous = this.state.history[1];
        if (!previous) return;
        this.state.committed = [...previous.lines];
        this.state.history.unshift({ lines: [...previous.lines], at: new Date(), by: 'root' });
        if (this.state.candidate) this.state.candidate = [...previous.lines];
      }, minutes * this.shell.minuteMs);
      this.state.confirmTimer.unref();
    }
    return out + 'commit complete\n';
  }

  showConfiguration(lines: string[], path: string | undefined, header: boolean): string {
    const selected = path ? lines.filter((l) => l === path || l.startsWith(path + ' ')).map((l) => l.slice(path.length + 1)).filter(Boolean) : lines;
    const last = this.state.history[0];
    const head = header && last ? `## Last commit: ${isoTime(last.at)} UTC by ${last.by}\nversion 21.4R3.15;\n` : '';
    return head + renderCurly(selected);
  }

  displaySet(lines: string[], path?: string): string {
    const selected = path ? lines.filter((l) => l === path || l.startsWith(path + ' ')) : lines;
    return selected.map((l) => `set ${l}`).join('\n') + '\n';
  }
}

/** `show configuration ... | display set` and `| compare rollback N` need the raw lines, so the show commands look at the pipe themselves. */
function showConfigCommand(path: string, source: (s: JunosSession) => string[], header: boolean): JunosCommand {
  return {
    path,
    run: (s, args) => {
      const rest = (args[args.length - 1] ?? '').trim();
      return s.showConfiguration(source(s), rest || undefined, header);
    },
  };
}

function operationalCommands(): JunosCommand[] {
  return [
    { path: 'show version', run: (s) => showVersion(s.shell.id), json: (s) => junos.junosVersionJson(junosView(s)) },
    showConfigCommand('show configuration <*>', (s) => s.state.committed, true),
    ...junosOpsCommands(),
    {
      path: 'show system uptime',
      run: (s) => {
        const up = uptimeFor(s.shell.id);
        return `Current time: ${isoTime(new Date())} UTC\nSystem booted: 2026-01-01 00:00:00 UTC (${up.weeks}w${up.days}d ${up.hours}:${String(up.minutes).padStart(2, '0')} ago)\n`;
      },
    },
    { path: 'show chassis hardware', run: (s) => `Hardware inventory:\nItem             Version  Part number  Serial number     Description\nChassis                                ${serialFor(s.shell.id, 'JN', 12)}      MX240\n` },
    {
      path: 'set cli screen-length <n>',
      run: (s, a) => {
        s.shell.paging = a[0] !== '0';
        return `Screen length set to ${a[0]}\n`;
      },
    },
    { path: 'set cli screen-width <n>', run: (_s, a) => `Screen width set to ${a[0]}\n` },
    { path: 'set cli complete-on-space <x>', run: (_s, a) => `Disabling complete-on-space\n`.replace('Disabling', a[0] === 'on' ? 'Enabling' : 'Disabling') },
    { path: 'set cli timestamp <*>', run: () => undefined },
    { path: 'configure', run: (s) => s.enterConfig() },
    { path: 'configure private', run: (s) => s.enterConfig('private') },
    { path: 'configure exclusive', run: (s) => s.enterConfig('exclusive') },
    { path: 'edit', run: (s) => s.enterConfig() },
    { path: 'exit', run: (s) => s.shell.exit() },
    { path: 'quit', run: (s) => s.shell.exit() },
    { path: 'ping <host> <*>', run: (s, a) => junosPing(a[0] ?? '', pingFails(s.shell.id.ops, a[0] ?? '')) },
    { path: 'request system reboot', run: () => 'Reboot the system ? [yes,no] (no) \n' },
  ];
}

function configurationCommands(): JunosCommand[] {
  const setCommand: JunosCommand = {
    path: 'set <*>',
    run: (s, a) => {
      const statement = s.absolute((a[0] ?? '').trim());
      const first = statement.split(/\s+/)[0] ?? '';
      if (!statement) return `${' '.repeat(s.shell.exec ? 0 : s.shell.username.length + s.host.length + 3)}^\nsyntax error, expecting <statement> or <identifier>.\n`;
      if (!TOP_LEVEL.includes(first)) return `${' '.repeat(s.shell.exec ? 4 : s.shell.username.length + s.host.length + 7)}^\nsyntax error.\n`;
      s.candidate = applySet(s.candidate, statement);
      return undefined;
    },
  };
  return [
    ...junosLoadCommands(),
    setCommand,
    {
      path: 'delete <*>',
      run: (s, a) => {
        const path = s.absolute((a[0] ?? '').trim());
        const result = applyDelete(s.candidate, path);
        if (result.removed === 0) return 'warning: statement not found\n';
        s.candidate = result.lines;
        return undefined;
      },
    },
    {
      path: 'show <*>',
      run: (s, a) => {
        const rest = s.absolute((a[0] ?? '').trim());
        return s.showConfiguration(s.candidate, rest || undefined, false);
      },
    },
    { path: 'load merge terminal', run: (s) => loadTerminal(s, 'merge') },
    { path: 'load replace terminal', run: (s) => loadTerminal(s, 'replace') },
    { path: 'load override terminal', run: (s) => loadTerminal(s, 'override') },
    { path: 'commit', run: (s) => s.commit() },
    { path: 'commit check', run: () => 'configuration check succeeds\n' },
    { path: 'commit and-quit', run: async (s) => s.commit() + ((await s.leaveConfig()) ?? '') },
    { path: 'commit comment <*>', run: (s) => s.commit() },
    { path: 'commit confirmed', run: (s) => s.commit({ confirmedMinutes: 10 }) },
    {
      path: 'commit confirmed <n>',
      run: (s, a) => {
        const minutes = Number(a[0]);
        if (!Number.isInteger(minutes) || minutes < 1 || minutes > 65535) return 'error: invalid value: confirmed timeout must be 1..65535 minutes\n';
        return s.commit({ confirmedMinutes: minutes });
      },
    },
    { path: 'rollback', run: (s) => rollback(s, 0) },
    { path: 'rollback <n>', run: (s, a) => rollback(s, Number(a[0])) },
    {
      path: 'exit',
      run: (s) => {
        if (s.editPath.length === 0) return s.leaveConfig();
        s.editPath = [];
        return undefined;
      },
    },
    { path: 'exit configuration-mode', run: (s) => s.leaveConfig() },
    {
      path: 'edit <*>',
      run: (s, a) => {
        const path = s.absolute((a[0] ?? '').trim());
        if (!TOP_LEVEL.includes(path.split(/\s+/)[0] ?? '')) return `${' '.repeat(s.shell.username.length + s.host.length + 7)}^\nsyntax error.\n`;
        s.editPath = path.split(/\s+/);
        return undefined;
      },
    },
    {
      path: 'up',
      run: (s) => {
        s.editPath = s.editPath.slice(0, -1);
        return undefined;
      },
    },
    { path: 'quit', run: (s) => s.leaveConfig() },
    {
      path: 'top',
      run: (s) => {
        s.editPath = [];
        return undefined;
      },
    },
    runOperationalCommand(),
  ];
}

function junosView(s: JunosSession) {
  return buildView(s.shell.id, junosFacts(s.state.committed, s.shell.id), s.shell.id.ops);
}

function junosPing(host: string, fail: boolean): string {
  const replies = fail ? '' : [0, 1, 2, 3, 4].map((n) => `64 bytes from ${host}: icmp_seq=${n} ttl=64 time=0.4${n}2 ms\n`).join('');
  const summary = fail ? '5 packets transmitted, 0 packets received, 100% packet loss\n' : '5 packets transmitted, 5 packets received, 0% packet loss\nround-trip min/avg/max/stddev = 0.402/0.422/0.442/0.014 ms\n';
  return `PING ${host} (${host}): 56 data bytes\n${replies}\n--- ${host} ping statistics ---\n${summary}`;
}

function junosOpsCommands(): JunosCommand[] {
  const table = (s: JunosSession, name?: string) => {
    const view = junosView(s);
    return name && !view.vrfs.some((v) => (v === 'default' ? 'inet.0' : `${v}.inet.0`) === name) ? undefined : view;
  };
  const noTable = (name: string) => `error: Table ${name} not found\n`;
  return [
    { path: 'show interfaces terse', run: (s) => junos.junosTerse(junosView(s)), json: (s) => junos.junosInterfacesJson(junosView(s), true) },
    { path: 'show interfaces', run: (s) => junos.junosInterfaces(junosView(s), false), json: (s) => junos.junosInterfacesJson(junosView(s), false) },
    { path: 'show interfaces statistics', run: (s) => junos.junosInterfaces(junosView(s), true), json: (s) => junos.junosInterfacesJson(junosView(s), false) },
    { path: 'show interfaces extensive', run: (s) => junos.junosInterfaces(junosView(s), true), json: (s) => junos.junosInterfacesJson(junosView(s), false) },
    { path: 'show route', run: (s) => junos.junosRoutes(junosView(s)), json: (s) => junos.junosRoutesJson(junosView(s)) },
    {
      path: 'show route table <table>',
      run: (s, a) => {
        const view = table(s, a[0]);
        return view ? junos.junosRoutes(view, a[0]) : noTable(a[0] ?? '');
      },
      json: (s, a) => {
        const view = table(s, a[0]);
        return view ? junos.junosRoutesJson(view, a[0]) : noTable(a[0] ?? '');
      },
    },
    { path: 'show bgp summary', run: (s) => junos.junosBgpSummary(junosView(s)), json: (s) => junos.junosBgpSummaryJson(junosView(s)) },
    { path: 'show bgp summary instance <name>', run: (s, a) => junos.junosBgpSummary(junosView(s), a[0]), json: (s, a) => junos.junosBgpSummaryJson(junosView(s), a[0]) },
    { path: 'show lldp neighbors', run: (s) => junos.junosLldp(junosView(s)), json: (s) => junos.junosLldpJson(junosView(s)) },
  ];
}

/**
 * `load merge|replace|override terminal`: brace text typed until Ctrl-D on a line of its own.
 * merge adds and overwrites; replace first empties the sections marked `replace:`; override
 * replaces the whole candidate. A syntax error loads nothing.
 */
async function loadTerminal(s: JunosSession, how: 'merge' | 'replace' | 'override'): Promise<string> {
  await s.shell.print('[Type ^D at a new line to end input]\n');
  const typed: string[] = [];
  for (;;) {
    const line = await s.shell.ask('');
    if (line === null) return '';
    if (line === '\x04') break;
    if (line === '\x03') return 'load aborted\n';
    typed.push(line);
  }
  const parsed = parseCurly(typed.join('\n'));
  if ('error' in parsed) return `terminal:${parsed.line}:(${parsed.column}) syntax error: ${parsed.error}\nload complete (1 errors)\n`;
  // a top-level `version` is not kept: the device stamps the software it runs (the lab renders it
  // as the header line), so a loaded full config with its `version 21.4R3.15;` changes nothing there
  const absolute = parsed.lines.map((l) => s.absolute(l)).filter((l) => !/^version\s/.test(l));
  const unknown = absolute.find((l) => !TOP_LEVEL.includes(l.split(' ')[0] ?? ''));
  if (unknown !== undefined) return `terminal:1:(0) syntax error: ${unknown.split(' ')[0]}\nload complete (1 errors)\n`;
  let lines = how === 'override' ? [] : [...s.candidate];
  if (how === 'replace') for (const path of parsed.replaced) lines = applyDelete(lines, s.absolute(path)).lines;
  for (const statement of withoutIgnored(s, absolute)) lines = applySet(lines, statement);
  s.candidate = lines;
  return 'load complete\n';
}

function rollback(s: JunosSession, n: number): string {
  const entry = Number.isInteger(n) ? s.state.history[n] : undefined;
  if (!entry) return `error: Cannot find rollback file ${n}\n`;
  s.candidate = [...entry.lines];
  return 'load complete\n';
}

/** Wraps the show commands so `| display set` and `| compare` see the raw set lines. */
class JunosShell extends JunosSession {
  override async execute(raw: string): Promise<void> {
    const line = raw.trim();
    const { command, pipes } = splitPipes(line);
    const display = pipes.findIndex((p) => /^disp\w*\s+set$/.test(p));
    const compare = pipes.findIndex((p) => /^comp\w*(\s+rollback\s+\d+)?$/.test(p));
    const showWord = /^(sh|sho|show)(\s+(conf|confi|config|configu|configur|configura|configurat|configurati|configuratio|configuration))?(\s+(.*))?$/.exec(command);
    const isShow = showWord && (this.inConfig ? true : Boolean(showWord[2]));
    if (isShow && (display >= 0 || compare >= 0)) {
      const typed = (showWord[5] ?? '').trim();
      const path = (this.inConfig && !showWord[2] ? this.absolute(typed) : typed) || undefined;
      const lines = this.inConfig && !showWord[2] ? this.candidate : this.state.committed;
      let text: string;
      if (compare >= 0) {
        const m = /rollback\s+(\d+)/.exec(pipes[compare] as string);
        const base = m ? this.state.history[Number(m[1])]?.lines : this.inConfig ? this.state.committed : this.state.history[1]?.lines;
        if (!base) return this.shell.print(`error: Cannot find rollback file ${m?.[1] ?? 1}\n`);
        text = compareSetLines(base, this.inConfig && !m ? this.candidate : lines);
      } else text = this.displaySet(lines, path);
      const others = pipes.filter((_, i) => i !== display && i !== compare);
      return this.printRaw(text, others);
    }
    return super.execute(raw);
  }

  private async printRaw(text: string, pipes: string[]): Promise<void> {
    let out = text;
    for (const pipe of pipes) {
      const [verb = '', ...rest] = pipe.split(/\s+/);
      const arg = rest.join(' ');
      if (verb.startsWith('m')) out = out.split('\n').filter((l) => new RegExp(arg).test(l)).join('\n') + '\n';
      else if (verb.startsWith('e')) out = out.split('\n').filter((l) => !new RegExp(arg).test(l)).join('\n');
    }
    await this.shell.print(out);
  }
}

export const juniperJunos: Personality<JunosState> = {
  platform: 'juniper_junos',
  sshSoftware: 'OpenSSH_7.5',
  motd: (id) => `${bannerFor(id)}--- JUNOS 21.4R3.15 Kernel 64-bit  JNPR-12.1-20230120.e1b5b1b_buil\n`,
  pager: { prompt: '---(more)---', erase: '\r                                        \r' },
  initialState(id) {
    const lines = generateJunos(id);
    return { committed: lines, candidate: null, history: [{ lines, at: new Date(Date.UTC(2026, 0, 1) + (id.index % 300) * 86_400_000), by: 'admin' }] };
  },
  runningConfig(state) {
    const last = state.history[0];
    return `## Last commit: ${isoTime(last?.at ?? new Date())} UTC by ${last?.by ?? 'admin'}\nversion 21.4R3.15;\n${renderCurly(state.committed)}`;
  },
  session: (shell, state) => new JunosShell(shell, state),
};
