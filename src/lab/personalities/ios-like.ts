import { applyIosPipe, CommandSet, splitPipes, tokenize, type CommandSpec, type MatchResult } from '../commands.js';
import { addLine, cloneConfig, diffConfig, findSection, parseConfig, removeLine, renderConfig, type ConfigNode, type RenderStyle } from '../config/lines.js';
import { LAB_ENABLE_SECRET } from '../credentials.js';
import type { DeviceIdentity, DeviceSession, Personality, Shell } from '../personality.js';
import type { LabPlatform } from '../types.js';
import { pingFails } from '../ops/model.js';
import { interceptRestoreLine, restoreCommands, restorePrompt } from './restore-verbs.js';
import { cleanSessionLine } from './safety-nets.js';

/** Device-wide state of an IOS-like device. */
export interface IosLikeState {
  config: ConfigNode[];
  startup: ConfigNode[];
  lastChange: Date;
  lastChangeBy: string;
  commitCount: number;
  /** configs before each commit, newest first (XR: `rollback configuration last N`) */
  history: ConfigNode[][];
  /** pending `commit confirmed`: reverts unless confirmed by `commit` */
  confirmTimer?: NodeJS.Timeout;
  /** IOS `configure terminal revert timer N`: the config to go back to unless `configure confirm` comes */
  revert?: { config: ConfigNode[]; timer: NodeJS.Timeout };
  /** EOS configuration sessions by name; `pending` while a `commit timer` runs; `typed` after `rollback clean-config` */
  sessions?: Map<string, { config: ConfigNode[]; pending?: { before: ConfigNode[]; timer: NodeJS.Timeout }; typed?: string[] }>;
  /** NX-OS checkpoints by name */
  checkpoints?: Map<string, ConfigNode[]>;
}

export type IosCommand = CommandSpec<IosLikeSession> & {
  /** native structured output for `<command> | json` (EOS, NX-OS) */
  json?: (ctx: IosLikeSession, args: string[]) => string | undefined;
};

/** Everything that differs between IOS, NX-OS, XR, EOS, ProCurve and AOS-CX. */
export interface IosLikeSpec {
  platform: LabPlatform;
  sshSoftware: string;
  motd(id: DeviceIdentity): string;
  pager: { prompt: string; erase: string };
  pressAnyKey?: string;
  startPrivileged: boolean;
  enableWithPassword: boolean;
  prompt: { user(host: string): string; privileged(host: string): string; config(host: string, submode: string): string };
  /** the commands that turn paging off, as full words, e.g. ['terminal length 0'] */
  pagingOff: string[];
  errors: {
    invalid(line: string, column: number, promptLength: number): string;
    ambiguous(word: string, column: number, promptLength: number): string;
    incomplete(line: string): string;
  };
  style: RenderStyle;
  /** default config body */
  generate(id: DeviceIdentity): string;
  /** what `show running-config` prints before the body */
  header(id: DeviceIdentity, state: IosLikeState, body: string): string;
  footer: string;
  /** the submode a line opens at a given depth (0 = global), or undefined when it opens none */
  submode(line: string, depth: number): string | undefined;
  /** XR: changes go to a candidate until `commit` */
  candidate?: boolean;
  /** config line `no shutdown` is kept in the config (AOS-CX) */
  keepNoShutdown?: boolean;
  /** ACL entries typed without a sequence number get the next multiple of 10 (EOS, NX-OS) */
  numbersAclEntries?: boolean;
  /** `no interface X` on a physical port is refused; `default interface X` empties it */
  refusesPhysicalInterfaceRemoval?: boolean;
  /** platform show commands; they run in exec and privileged mode unless marked */
  commands: (IosCommand & { privileged?: boolean })[];
  /** first words accepted in global config mode */
  globalKeywords: string[];
  /** text printed on `configure terminal` */
  configBanner?: string;
  /** canonical interface name for what the user typed (Gi0/1 → GigabitEthernet0/1) */
  interfaceName?(typed: string): string;
  /** commands config mode answers itself before a line is taken as config (EOS session `commit`, XR `show commit changes diff`) */
  configCommands?: IosCommand[];
}

const SUB_KEYWORDS = [
  'description', 'ip', 'ipv6', 'ipv4', 'shutdown', 'no', 'switchport', 'speed', 'duplex', 'mtu', 'bandwidth', 'channel-group',
  'spanning-tree', 'network', 'neighbor', 'router-id', 'redistribute', 'passive-interface', 'address-family', 'permit', 'deny',
  'remark', 'exec-timeout', 'transport', 'login', 'password', 'logging', 'privilege', 'access-class', 'encapsulation', 'vrf',
  'name', 'standby', 'vrrp', 'storm-control', 'cdp', 'lldp', 'service-policy', 'bgp', 'maximum-paths', 'timers', 'area',
  'default-information', 'log-adjacency-changes', 'match', 'set', 'exit-address-family', 'activate', 'send-community',
  'next-hop-self', 'remote-as', 'update-source', 'untagged', 'tagged', 'load-interval', 'flowcontrol', 'negotiation',
  'media-type', 'source', 'destination', 'session-timeout', 'stopbits', 'media', 'hsrp', 'vlan', 'routing', 'routed',
  'rd', 'route-target', 'default', 'interface', 'route-policy', 'mode', 'apply-group', 'aaa', 'authentication', 'auto-cost',
  'distance', 'summary-address', 'tunnel', 'keepalive', 'hold-time', 'no-shutdown', 'lacp', 'mlag', 'peer-link', 'domain-id',
  'local-interface', 'peer-address', 'type', 'dampening', 'class', 'police', 'priority', 'entry', 'user', 'group', 'key-string',
  'key', 'accept-lifetime', 'send-lifetime', 'trunk', 'access', 'allowed', 'native', 'poe', 'apply', 'enable', 'disable', 'port-access',
  'graceful-restart', 'maximum-prefix', 'soft-reconfiguration', 'route-map', 'prefix-list', 'filter-list', 'ebgp-multihop', 'fall-over',
  // EOS `router ospf` and `management ssh` lines the lab's own configs carry (a restore types them back)
  'max-lsa', 'idle-timeout',
];

export class IosLikeSession implements DeviceSession {
  privileged: boolean;
  /** config contexts, outermost first; empty when not in config mode */
  contexts: ConfigNode[] = [];
  submodes: string[] = [];
  inConfig = false;
  candidate?: ConfigNode[];
  /** the EOS configuration session this shell is in */
  configSession?: string;
  private readonly commands: CommandSet<IosLikeSession>;
  private readonly configCommands?: CommandSet<IosLikeSession>;

  constructor(
    readonly shell: Shell,
    readonly state: IosLikeState,
    readonly spec: IosLikeSpec,
  ) {
    this.privileged = spec.startPrivileged || shell.exec;
    this.commands = new CommandSet([...spec.commands, ...restoreCommands(spec.platform), ...baseCommands(spec)]);
    if (spec.configCommands) this.configCommands = new CommandSet(spec.configCommands);
  }

  /** The prompt follows the configured hostname, as on a real device. */
  get host(): string {
    const line = this.state.config.find((n) => n.text.startsWith('hostname '));
    return line ? line.text.slice('hostname '.length).replace(/"/g, '') : this.shell.id.hostname;
  }

  prompt(): string {
    const restoring = restorePrompt(this);
    if (restoring !== undefined) return restoring;
    if (this.inConfig && this.configSession !== undefined) {
      // EOS shows the session's first six characters: switch(config-s-netsta-if-Et1)#
      const submode = this.submodes[this.submodes.length - 1] ?? 'config';
      return this.spec.prompt.config(this.host, `config-s-${this.configSession.slice(0, 6)}${submode.slice('config'.length)}`);
    }
    if (this.inConfig) return this.spec.prompt.config(this.host, this.submodes[this.submodes.length - 1] ?? 'config');
    return this.privileged ? this.spec.prompt.privileged(this.host) : this.spec.prompt.user(this.host);
  }

  /** The config edits go to: the candidate on XR, the running config elsewhere. */
  get target(): ConfigNode[] {
    return this.candidate ?? this.state.config;
  }

  async execute(raw: string): Promise<void> {
    if (await interceptRestoreLine(this, raw)) return;
    const line = raw.replace(/\t/g, ' ').trim();
    if (line === '\x03') {
      if (this.inConfig && !this.spec.candidate) this.leaveConfig();
      return;
    }
    if (line === '\x1a') {
      if (this.inConfig) await this.endConfig();
      return;
    }
    if (!line || line.startsWith('!')) return;
    if (this.inConfig) return this.configLine(line, raw);
    return this.execLine(line);
  }

  async execLine(line: string, fromConfig = false): Promise<void> {
    const { command, pipes } = splitPipes(line);
    const match = this.commands.match(command);
    if (match.kind !== 'ok' || ((match.spec as IosCommand & { privileged?: boolean }).privileged && !this.privileged)) {
      return this.shell.print(this.errorText(match, command, fromConfig));
    }
    const spec = match.spec as IosCommand;
    const jsonAt = pipes.findIndex((p) => /^json(-pretty)?$/.test(p));
    if (jsonAt >= 0 && !spec.json) return this.shell.print(this.spec.errors.invalid(line, line.indexOf(pipes[jsonAt] as string), this.prompt().length));
    const output = jsonAt >= 0 && spec.json ? spec.json(this, match.args) : await match.spec.run(this, match.args);
    if (typeof output !== 'string') return;
    let text: string = output;
    for (const pipe of pipes.filter((_, i) => i !== jsonAt)) {
      const filtered = applyIosPipe(text, pipe);
      if (filtered === null) return this.shell.print(this.spec.errors.invalid(line, line.indexOf(pipe), this.prompt().length));
      text = filtered;
    }
    await this.shell.print(text);
  }

  errorText(match: MatchResult<IosLikeSession>, line: string, fromConfig = false): string {
    const offset = this.shell.exec ? 0 : this.prompt().length + (fromConfig ? 3 : 0);
    switch (match.kind) {
      case 'ambiguous':
        return this.spec.errors.ambiguous(match.word, match.column, offset);
      case 'incomplete':
        return this.spec.errors.incomplete(line);
      case 'invalid':
        return this.spec.errors.invalid(line, match.column, offset);
      case 'ok':
        return this.spec.errors.invalid(line, 0, offset);
      default:
        return '';
    }
  }

  enterConfig(): string {
    this.inConfig = true;
    this.contexts = [];
    this.submodes = [];
    if (this.spec.candidate) this.candidate = cloneConfig(this.state.config);
    return this.spec.configBanner ?? '';
  }

  leaveConfig(): void {
    this.configSession = undefined;
    this.inConfig = false;
    this.contexts = [];
    this.submodes = [];
    this.candidate = undefined;
  }

  private async endConfig(): Promise<void> {
    if (this.spec.candidate && this.candidate && diffConfig(this.state.config, this.candidate).length > 0) {
      const answer = ((await this.shell.ask('Uncommitted changes found, commit them before exiting(yes/no/cancel)? [cancel]:')) ?? '').trim().toLowerCase();
      if (answer.startsWith('y')) this.commit();
      else if (!answer.startsWith('n')) return;
    }
    this.leaveConfig();
  }

  commit(): void {
    if (!this.candidate) return;
    this.state.history.unshift(this.state.config);
    this.state.history.length = Math.min(this.state.history.length, 20);
    this.state.config = this.candidate;
    this.candidate = cloneConfig(this.state.config);
    this.state.commitCount++;
    this.touch();
  }

  /** `commit`, `commit confirmed [minutes] N` (reverts after N unless a plain `commit` confirms). */
  private async commitLine(line: string): Promise<void> {
    const confirmed = /^commit\s+confirmed(?:\s+(minutes|seconds))?(?:\s+(\d+))?\s*$/i.exec(line);
    if (!confirmed && !/^commit(\s+(comment|label)\s+.*)?$/i.test(line)) return this.shell.print(this.spec.errors.invalid(line, 0, this.prompt().length));
    const changed = diffConfig(this.state.config, this.target).length > 0;
    const pending = this.state.confirmTimer;
    if (pending) {
      clearTimeout(pending);
      this.state.confirmTimer = undefined;
    }
    if (!changed) {
      if (!pending) await this.shell.print('% No configuration changes to commit.\n');
      return;
    }
    this.commit();
    if (confirmed) {
      const amount = Number(confirmed[2] ?? (confirmed[1]?.toLowerCase() === 'minutes' ? 10 : 600));
      const ms = confirmed[1]?.toLowerCase() === 'minutes' ? amount * this.shell.minuteMs : (amount * this.shell.minuteMs) / 60;
      const state = this.state;
      state.confirmTimer = setTimeout(() => {
        state.confirmTimer = undefined;
        const previous = state.history.shift();
        if (previous) {
          state.config = previous;
          state.lastChange = new Date();
          state.lastChangeBy = 'system';
        }
      }, ms);
      state.confirmTimer.unref();
    }
  }

  /** XR exec `rollback configuration last N` (a commit of its own: a pending commit confirmed ends with it). */
  rollbackLast(n: number): string {
    const target = this.state.history[n - 1];
    if (!Number.isInteger(n) || n < 1 || !target) return `% Invalid rollback: only ${this.state.history.length} commits can be rolled back\n`;
    if (this.state.confirmTimer) clearTimeout(this.state.confirmTimer);
    this.state.confirmTimer = undefined;
    this.state.history.splice(0, n);
    this.state.history.unshift(this.state.config);
    this.state.config = cloneConfig(target);
    this.touch();
    return `Loading Rollback Changes.\nLoaded Rollback Changes in 1 sec\nCommitting.\n1 items committed in 1 sec (1)items/sec\nUpdating.\nUpdated Commit database in 1 sec\nConfiguration successfully rolled back ${n} commits.\n`;
  }

  touch(): void {
    this.state.lastChange = new Date();
    this.state.lastChangeBy = this.shell.username;
  }

  private siblingsAtDepth(depth: number): ConfigNode[] {
    return depth === 0 ? this.target : (this.contexts[depth - 1] as ConfigNode).children;
  }

  private async configLine(line: string, raw: string): Promise<void> {
    const words = line.split(/\s+/);
    const first = (words[0] ?? '').toLowerCase();
    if (first === 'end') return this.endConfig();
    if (first === 'exit') {
      if (this.contexts.length === 0) await this.endConfig();
      else {
        this.contexts.pop();
        this.submodes.pop();
      }
      return;
    }
    if (first === 'do' && words.length > 1) return this.execLine(line.slice(line.indexOf(' ') + 1).trim(), true);
    const own = this.configCommands?.match(line);
    if (own?.kind === 'ok') {
      const output = await own.spec.run(this, own.args);
      if (typeof output === 'string') await this.shell.print(output);
      return;
    }
    if (this.spec.candidate) {
      if (first === 'commit') return this.commitLine(line);
      if (first === 'abort') {
        this.leaveConfig();
        return;
      }
      if (first === 'show' && /^show\s+(configuration|config)\s*$/i.test(line)) return this.shell.print(this.renderCandidateDiff());
    }
    if (first === 'show' || first === 'sh') return this.execLine(line, true);
    const clean = cleanSessionLine(this, raw);
    if (clean !== false) {
      if (clean) await this.shell.print(clean);
      return;
    }

    // Try the line in the current context, then in each outer one (IOS leaves a submode when a
    // line only makes sense further out, e.g. `hostname` typed under an interface).
    for (let depth = this.contexts.length; depth >= 0; depth--) {
      const normalised = this.normaliseLine(words, depth);
      if (normalised === undefined) continue;
      this.contexts.length = depth;
      this.submodes.length = depth;
      const refusal = this.applyLine(normalised, depth);
      if (refusal) await this.shell.print(refusal);
      return;
    }
    const column = raw.indexOf(words[0] ?? '');
    await this.shell.print(this.spec.errors.invalid(line, Math.max(0, column), this.prompt().length));
  }

  /** The line with its first keyword expanded, or undefined when it is not valid at this depth. */
  private normaliseLine(words: string[], depth: number): string | undefined {
    const keywords = depth === 0 ? this.spec.globalKeywords : SUB_KEYWORDS;
    const first = (words[0] ?? '').toLowerCase();
    const negated = first === 'no' || first === 'default';
    const at = negated ? 1 : 0;
    const typed = (words[at] ?? '').toLowerCase();
    if (!typed) return undefined;
    let keyword: string | undefined;
    if (depth > 0 && /^\d+$/.test(typed)) keyword = typed;
    else {
      const candidates = keywords.filter((k) => k.startsWith(typed));
      keyword = candidates.includes(typed) ? typed : candidates.length === 1 ? candidates[0] : undefined;
    }
    if (!keyword) return undefined;
    const rest = words.slice(at + 1);
    if (keyword === 'interface' && rest.length > 0 && this.spec.interfaceName) {
      rest.splice(0, rest.length, ...this.spec.interfaceName(rest.join(' ')).split(' '));
    }
    if (rest.length === 0 && ['interface', 'router', 'hostname', 'username', 'vlan', 'line', 'ip'].includes(keyword)) return undefined;
    // a line that opens a top-level section (`interface X`, `ip access-list X`) nests only where the
    // platform has such a submode (XR OSPF areas); elsewhere, as on the devices, it leaves the
    // current section and is taken (or refused) at the top
    const opened = [keyword, ...rest].join(' ');
    if (depth > 0 && this.spec.submode(opened, 0) !== undefined && this.spec.submode(opened, depth) === undefined) return undefined;
    return [...(negated ? [first] : []), keyword, ...rest].join(' ');
  }

  /** Applies a normalised config line; returns the device's refusal, if it refuses it. */
  private applyLine(line: string, depth: number): string | undefined {
    const siblings = this.siblingsAtDepth(depth);
    const inAcl = depth > 0 && /^(ip|ipv6) access-list /.test(this.contexts[depth - 1]?.text ?? '');
    if (line.startsWith('default interface ')) {
      findSection(siblings, line.slice('default '.length))?.children.splice(0);
      if (!this.spec.candidate) this.touch();
      return undefined;
    }
    if (line.startsWith('no ') || line.startsWith('default ')) {
      const what = line.slice(line.indexOf(' ') + 1);
      if (this.spec.refusesPhysicalInterfaceRemoval && depth === 0 && PHYSICAL_INTERFACE.test(what)) {
        // as real IOS: the port cannot be deleted, so the keyword is invalid here
        return this.spec.errors.invalid(line, line.indexOf('interface'), this.prompt().length);
      }
      if (what === 'shutdown' && depth > 0) addLine(siblings, 'no shutdown', { keepNoShutdown: this.spec.keepNoShutdown });
      else if (inAcl && this.spec.numbersAclEntries && !/^\d/.test(what)) removeAclEntry(siblings, what);
      else removeLine(siblings, what);
      if (!this.spec.candidate) this.touch();
      return undefined;
    }
    if (inAcl && this.spec.numbersAclEntries && /^(permit|deny|remark)\s/.test(line)) line = `${nextSequence(siblings)} ${line}`;
    const submode = this.spec.submode(line, depth);
    if (submode) {
      const node = findSection(siblings, line) ?? addLine(siblings, line);
      this.contexts.push(node);
      this.submodes.push(submode);
    } else {
      addLine(siblings, line, { keepNoShutdown: this.spec.keepNoShutdown });
    }
    if (!this.spec.candidate) this.touch();
    return undefined;
  }

  /** XR `show configuration` in config mode; `marked` prefixes '+'/'-' as `show commit changes diff` and EOS `show session-config diffs` do. */
  renderCandidateDiff(marked = false): string {
    const diff = diffConfig(this.state.config, this.target);
    const lines = marked ? [] : ['Building configuration...', `!! IOS XR Configuration`];
    let shown: string[] = [];
    for (const entry of diff) {
      const removed = entry.startsWith('no\u0001');
      const path = (removed ? entry.slice(3) : entry).split('\u0000');
      const last = path[path.length - 1] as string;
      const mark = marked ? (removed ? '- ' : '+ ') : '';
      const context = marked ? '  ' : '';
      path.slice(0, -1).forEach((p, i) => {
        if (!marked || shown[i] !== p) lines.push(context + ' '.repeat(i) + p);
      });
      shown = path;
      lines.push(mark + ' '.repeat(path.length - 1) + (removed && !marked ? `no ${last}` : last));
      if (path.length > 1 && !marked) lines.push('!');
    }
    if (!marked) lines.push('end');
    return lines.length ? lines.join('\n') + '\n' : '';
  }

  runningConfigText(filter?: string): string {
    const body = renderConfig(this.state.config, this.spec.style);
    if (filter && /^interface\s+/i.test(filter)) {
      const name = this.spec.interfaceName ? this.spec.interfaceName(filter.replace(/^interface\s+/i, '')) : filter.replace(/^interface\s+/i, '');
      const node = this.state.config.find((n) => n.text.toLowerCase() === `interface ${name}`.toLowerCase());
      if (!node) return this.spec.errors.invalid(`show running-config ${filter}`, 'show running-config '.length, this.prompt().length);
      return `Building configuration...\n\nCurrent configuration : ${renderConfig([node], this.spec.style).length} bytes\n` + renderConfig([node], this.spec.style) + this.spec.footer;
    }
    return this.spec.header(this.shell.id, this.state, body) + body + this.spec.footer;
  }
}

const PHYSICAL_INTERFACE = /^interface (GigabitEthernet|FastEthernet|TenGigabitEthernet|TwentyFiveGigE|FortyGigabitEthernet|HundredGigE|Ethernet)[\d/]+$/;

/** The next free ACL sequence number: the highest so far plus 10. */
function nextSequence(entries: ConfigNode[]): number {
  let highest = 0;
  for (const entry of entries) highest = Math.max(highest, Number(/^(\d+)\s/.exec(entry.text)?.[1] ?? 0));
  return highest + 10;
}

/** `no permit ip any any` in a numbered ACL removes the entry with that body, whatever its number. */
function removeAclEntry(entries: ConfigNode[], body: string): void {
  const at = entries.findIndex((e) => e.text.replace(/^\d+\s+/, '') === body);
  if (at >= 0) entries.splice(at, 1);
}

function baseCommands(spec: IosLikeSpec): (IosCommand & { privileged?: boolean })[] {
  const pagingOff = (s: IosLikeSession, args: string[]) => {
    if (args[0] !== undefined && !/^\d+$/.test(args[0])) return s.spec.errors.invalid('', 0, 0);
    s.shell.paging = args[0] !== '0';
    return undefined;
  };
  const save = (s: IosLikeSession) => {
    s.state.startup = cloneConfig(s.state.config);
    return spec.platform === 'cisco_nxos' || spec.platform === 'aruba_aoscx'
      ? '[########################################] 100%\nCopy complete, now saving to disk (please wait)...\nCopy complete.\n'
      : 'Building configuration...\n[OK]\n';
  };
  const commands: (IosCommand & { privileged?: boolean })[] = [
    { path: 'show running-config <*>', privileged: true, run: (s, a) => s.runningConfigText(a[0]) },
    { path: 'show startup-config', privileged: true, run: (s) => s.spec.header(s.shell.id, s.state, '') + renderConfig(s.state.startup, s.spec.style) + s.spec.footer },
    {
      path: 'show clock',
      run: () => {
        const now = new Date();
        const [day, date, month, year] = now.toUTCString().replace(',', '').split(' ');
        return `*${now.toISOString().slice(11, 23)} UTC ${day} ${month} ${Number(date)} ${year}\n`;
      },
    },
    { path: 'show ip interface brief', run: (s) => interfaceBrief(s.state.config) },
    { path: 'show history', run: () => '' },
    { path: 'show users', run: (s) => `    Line       User       Host(s)              Idle       Location\n*  2 vty 0     ${s.shell.username.padEnd(10)} idle                 00:00:00 127.0.0.1\n` },
    { path: 'terminal width <n>', run: () => undefined },
    { path: 'terminal monitor', run: () => undefined },
    { path: 'terminal no monitor', run: () => undefined },
    {
      path: 'enable <*>',
      run: async (s) => {
        if (s.privileged) return undefined;
        if (!spec.enableWithPassword) {
          s.privileged = true;
          return undefined;
        }
        // procurve-enable-username: a manager account, so enable asks who first (the login name)
        const askUser = spec.platform === 'hp_procurve' && s.shell.quirks.includes('procurve-enable-username');
        for (let attempt = 0; attempt < 3; attempt++) {
          const user = askUser ? await s.shell.ask('Username: ') : s.shell.username;
          if (user === null) return undefined;
          const answer = await s.shell.ask('Password: ', { secret: true });
          if (user.trim() !== s.shell.username) continue;
          if (answer === null) return undefined;
          if (answer === LAB_ENABLE_SECRET) {
            s.privileged = true;
            return undefined;
          }
        }
        return spec.platform === 'arista_eos' ? '% Access denied\n' : '% Bad secrets\n';
      },
    },
    {
      path: 'disable',
      run: (s) => {
        if (!spec.startPrivileged) s.privileged = false;
        return undefined;
      },
    },
    { path: 'configure terminal', privileged: true, run: (s) => s.enterConfig() },
    { path: 'write memory', privileged: true, run: save },
    // RANCID's ios module reads the config with the old spelling of show running-config
    { path: 'write terminal', privileged: true, run: (s) => s.runningConfigText() },
    {
      path: 'copy running-config startup-config',
      privileged: true,
      run: async (s) => {
        if (!s.shell.exec && spec.platform !== 'arista_eos') {
          const answer = await s.shell.ask('Destination filename [startup-config]? ');
          if (answer === null) return undefined;
        }
        return save(s);
      },
    },
    { path: 'ssh <*>', run: () => '% No hostname specified.\n' },
    { path: 'setup', privileged: true, run: () => '% Setup is not available in this mode.\n' },
    { path: 'exit', run: (s) => s.shell.exit() },
    { path: 'logout', run: (s) => s.shell.exit() },
    { path: 'quit', run: (s) => s.shell.exit() },
    {
      path: 'ping <host> <*>',
      run: (s, a) => pingText(spec.platform, a[0] ?? '', pingFails(s.shell.id.ops, a[0] ?? '')),
    },
    // IOS/XR/EOS put the VRF before the host: `ping vrf CUST-A 10.250.0.2 source Gi0/1`
    {
      path: 'ping vrf <vrf> <host> <*>',
      run: (s, a) => pingText(spec.platform, a[1] ?? '', pingFails(s.shell.id.ops, a[1] ?? '')),
    },
  ];
  commands.push({
    path: 'configure',
    privileged: true,
    run: async (s) => {
      // IOS and NX-OS ask where from; the others go straight in.
      if (!s.shell.exec && (spec.platform === 'cisco_ios' || spec.platform === 'cisco_xe' || spec.platform === 'cisco_nxos')) {
        const answer = await s.shell.ask('Configuring from terminal, memory, or network [terminal]? ');
        if (answer === null || !'terminal'.startsWith(answer.trim().toLowerCase())) return spec.errors.invalid('', 0, 0);
      }
      return s.enterConfig();
    },
  });
  for (const off of spec.pagingOff) {
    const words = off.split(' ');
    const value = words.pop() as string;
    if (/^\d+$/.test(value)) commands.push({ path: `${words.join(' ')} <n>`, run: pagingOff });
    else commands.push({ path: off, run: (s) => void (s.shell.paging = false) });
  }
  return commands;
}

/** Five echoes, in each platform's words; `fail` loses them all. */
export function pingText(platform: LabPlatform, host: string, fail: boolean): string {
  const five = [0, 1, 2, 3, 4];
  switch (platform) {
    case 'arista_eos':
    case 'aruba_aoscx': {
      const replies = fail ? '' : five.map((n) => `108 bytes from ${host}: icmp_seq=${n + 1} ttl=64 time=0.${n + 1}2 ms\n`).join('');
      const stats = fail ? '5 packets transmitted, 0 received, 100% packet loss, time 4005ms\n' : '5 packets transmitted, 5 received, 0% packet loss, time 4005ms\nrtt min/avg/max/mdev = 0.012/0.032/0.052/0.014 ms\n';
      return `PING ${host} (${host}) 100(128) bytes of data.\n${replies}\n--- ${host} ping statistics ---\n${stats}`;
    }
    case 'cisco_nxos': {
      const replies = fail ? five.map(() => 'Request 0 timed out\n').join('') : five.map((n) => `64 bytes from ${host}: icmp_seq=${n} ttl=254 time=1.${n}4 ms\n`).join('');
      const stats = fail ? '5 packets transmitted, 0 packets received, 100.00% packet loss\n' : '5 packets transmitted, 5 packets received, 0.00% packet loss\nround-trip min/avg/max = 1.04/1.24/1.44 ms\n';
      return `PING ${host} (${host}): 56 data bytes\n${replies}\n--- ${host} ping statistics ---\n${stats}`;
    }
    case 'hp_procurve':
      return fail ? `Request timed out.\n` : `${host} is alive, time = 1 ms\n`;
    default:
      return fail
        ? `Type escape sequence to abort.\nSending 5, 100-byte ICMP Echos to ${host}, timeout is 2 seconds:\n.....\nSuccess rate is 0 percent (0/5)\n`
        : `Type escape sequence to abort.\nSending 5, 100-byte ICMP Echos to ${host}, timeout is 2 seconds:\n!!!!!\nSuccess rate is 100 percent (5/5), round-trip min/avg/max = 1/1/2 ms\n`;
  }
}

/** `show ip interface brief` derived from the interfaces in the running config. */
export function interfaceBrief(config: ConfigNode[]): string {
  const rows = ['Interface                  IP-Address      OK? Method Status                Protocol'];
  for (const node of config) {
    if (!node.text.startsWith('interface ')) continue;
    const name = node.text.slice('interface '.length);
    const address = node.children.find((c) => /^(ip|ipv4) address \d/.test(c.text))?.text.split(' ')[2]?.split('/')[0] ?? 'unassigned';
    const down = node.children.some((c) => c.text === 'shutdown');
    rows.push(
      `${name.padEnd(27)}${address.padEnd(16)}YES ${address === 'unassigned' ? 'unset ' : 'manual'} ${(down ? 'administratively down' : 'up').padEnd(22)}${down ? 'down' : 'up'}`,
    );
  }
  return rows.join('\n') + '\n';
}

export function iosLikePersonality(spec: IosLikeSpec): Personality<IosLikeState> {
  return {
    platform: spec.platform,
    sshSoftware: spec.sshSoftware,
    motd: spec.motd,
    pager: spec.pager,
    pressAnyKey: spec.pressAnyKey,
    initialState(id) {
      const config = parseConfig(spec.generate(id));
      const changed = new Date(Date.UTC(2026, 0, 1) + (id.index % 300) * 86_400_000 + (id.seed % 86_400) * 1000);
      return { config, startup: cloneConfig(config), lastChange: changed, lastChangeBy: 'admin', commitCount: 1000000001, history: [] };
    },
    runningConfig(state, id) {
      const body = renderConfig(state.config, spec.style);
      return spec.header(id, state, body) + body + spec.footer;
    },
    session: (shell, state) => new IosLikeSession(shell, state, spec),
  };
}

/** `^` under the offending word, then the message: the way Cisco-like CLIs report bad input. */
export function caretError(message: string) {
  return (_line: string, column: number, promptLength: number) => `${' '.repeat(column + promptLength)}^\n${message}\n`;
}

export function firstWordColumn(line: string): number {
  return tokenize(line)[0]?.column ?? 0;
}
