import { CommandSet, splitPipes, type CommandSpec } from '../commands.js';
import { generatePanos } from '../config/generate-setstyle.js';
import { applyDelete, applySet, renderCurly } from '../config/setlines.js';
import type { DeviceIdentity, DeviceSession, Personality, Shell } from '../personality.js';
import { bannerFor, runOperationalCommand, serialFor, uptimeFor } from './common.js';
import { sleep } from '../terminal.js';
import { panosFacts } from '../ops/facts.js';
import { buildView, pingFails } from '../ops/model.js';
import * as others from '../ops/others.js';

/** PAN-OS: operational mode, `configure` into a candidate, `commit` as a job. */
export interface PanosState {
  running: string[];
  candidate: string[];
  jobs: number;
}

type PanosCommand = CommandSpec<PanosSession>;

const TOP_LEVEL = ['deviceconfig', 'mgt-config', 'network', 'zone', 'address', 'address-group', 'rulebase', 'service', 'shared', 'vsys', 'profiles', 'tag', 'application'];

function systemInfo(id: DeviceIdentity, hostname: string): string {
  const up = uptimeFor(id);
  return `
hostname: ${hostname}
ip-address: ${id.host}
netmask: 255.255.255.0
default-gateway: 127.0.0.1
mac-address: 00:1b:17:00:${(id.index & 0xff).toString(16).padStart(2, '0')}:01
time: ${new Date().toUTCString()}
uptime: ${up.weeks * 7 + up.days} days, ${up.hours}:${String(up.minutes).padStart(2, '0')}:00
family: vm
model: PA-VM
serial: ${serialFor(id, '0079', 15)}
vm-license: VM-300
sw-version: 10.1.9
global-protect-client-package-version: 0.0.0
app-version: 8700-7709
threat-version: 8700-7709
url-filtering-version: 20231127.20171
logdb-version: 10.1.2
platform-family: vm
vpn-disable-mode: off
multi-vsys: off
operational-mode: normal
`;
}

class PanosSession implements DeviceSession {
  inConfig = false;
  setFormat = false;
  private readonly op = new CommandSet(operationalCommands());
  private readonly conf = new CommandSet(configCommands());

  constructor(
    readonly shell: Shell,
    readonly state: PanosState,
  ) {}

  hostname(): string {
    const line = this.state.running.find((l) => l.startsWith('deviceconfig system hostname '));
    return line ? line.split(' ')[3] ?? this.shell.id.hostname : this.shell.id.hostname;
  }

  prompt(): string {
    return this.inConfig ? `\n[edit]\n${this.shell.username}@${this.hostname()}# ` : `${this.shell.username}@${this.hostname()}> `;
  }

  render(lines: string[], path?: string): string {
    const selected = path ? lines.filter((l) => l === path || l.startsWith(path + ' ')) : lines;
    if (this.setFormat) return selected.map((l) => `set ${l}`).join('\n') + '\n';
    return renderCurly(path ? selected.map((l) => l.slice(path.length + 1)).filter(Boolean) : selected);
  }

  async execute(raw: string): Promise<void> {
    const line = raw.trim();
    if (!line || line === '\x03') return;
    const { command, pipes } = splitPipes(line);
    const match = (this.inConfig ? this.conf : this.op).match(command);
    if (match.kind !== 'ok') {
      if (this.inConfig) return this.shell.print(match.kind === 'invalid' && match.column === 0 ? `Unknown command: ${match.word}\n` : 'Invalid syntax.\n');
      return this.shell.print(match.kind === 'invalid' ? `Unknown command: ${match.word}\n` : 'Invalid syntax.\n');
    }
    let output = await match.spec.run(this, match.args);
    if (typeof output !== 'string') return;
    for (const pipe of pipes) {
      const m = /^(match|except)\s+(.*)$/.exec(pipe);
      if (!m) return this.shell.print('Invalid syntax.\n');
      const re = new RegExp(m[2] as string);
      output = output.split('\n').filter((l) => (m[1] === 'match' ? re.test(l) : !re.test(l))).join('\n') + '\n';
    }
    await this.shell.print(output);
  }
}

function panosView(s: PanosSession) {
  return buildView(s.shell.id, panosFacts(s.state.running, s.shell.id), s.shell.id.ops);
}

function operationalCommands(): PanosCommand[] {
  return [
    { path: 'show system info', run: (s) => systemInfo(s.shell.id, s.hostname()) },
    { path: 'show config running <*>', run: (s, a) => s.render(s.state.running, a[0] || undefined) },
    { path: 'show config candidate', run: (s) => s.render(s.state.candidate) },
    { path: 'show clock', run: () => `${new Date().toUTCString()}\n` },
    { path: 'show jobs all', run: (s) => `Enqueued              Dequeued           ID  Type                         Status Result Completed\n${s.state.jobs > 0 ? `2026/11/27 07:00:00   07:00:00          ${s.state.jobs}  Commit                          FIN     OK 07:00:01\n` : ''}` },
    { path: 'set cli pager <x>', run: (s, a) => void (s.shell.paging = a[0] !== 'off') },
    { path: 'set cli scripting-mode <x>', run: () => undefined },
    { path: 'set cli config-output-format <x>', run: (s, a) => void (s.setFormat = a[0] === 'set') },
    { path: 'set cli terminal width <n>', run: () => undefined },
    { path: 'configure', run: (s) => ((s.inConfig = true), 'Entering configuration mode\n') },
    { path: 'exit', run: (s) => s.shell.exit() },
    { path: 'quit', run: (s) => s.shell.exit() },
    {
      path: 'ping host <host>',
      run: (s, a) =>
        pingFails(s.shell.id.ops, a[0] ?? '')
          ? `PING ${a[0]} (${a[0]}) 56(84) bytes of data.\n\n--- ${a[0]} ping statistics ---\n5 packets transmitted, 0 received, 100% packet loss, time 4005ms\n`
          : `PING ${a[0]} (${a[0]}) 56(84) bytes of data.\n${[1, 2, 3, 4, 5].map((n) => `64 bytes from ${a[0]}: icmp_seq=${n} ttl=64 time=0.4 ms\n`).join('')}\n--- ${a[0]} ping statistics ---\n5 packets transmitted, 5 received, 0% packet loss, time 4005ms\n`,
    },
    { path: 'show interface all', run: (s) => others.panosInterfaceAll(panosView(s)) },
    { path: 'show interface <name>', run: (s, a) => others.panosInterface(panosView(s), a[0] ?? '') ?? `Invalid interface name: ${a[0]}\n` },
    { path: 'show routing route', run: (s) => others.panosRoutes(panosView(s)) },
    { path: 'show routing route virtual-router <vr>', run: (s, a) => (a[0] === 'default' ? others.panosRoutes(panosView(s)) : `Virtual router ${a[0]} does not exist\n`) },
    { path: 'show routing protocol bgp summary', run: (s) => others.panosBgpSummary(panosView(s)) },
    { path: 'show lldp neighbors all', run: (s) => others.panosLldp(panosView(s)) },
  ];
}

function configCommands(): PanosCommand[] {
  return [
    {
      path: 'set <*>',
      run: (s, a) => {
        const statement = (a[0] ?? '').trim();
        if (!TOP_LEVEL.includes(statement.split(/\s+/)[0] ?? '') || statement.split(/\s+/).length < 2) return 'Invalid syntax.\n';
        s.state.candidate = applySet(s.state.candidate, statement);
        return undefined;
      },
    },
    {
      path: 'delete <*>',
      run: (s, a) => {
        const result = applyDelete(s.state.candidate, (a[0] ?? '').trim());
        if (result.removed === 0) return 'Invalid syntax.\n';
        s.state.candidate = result.lines;
        return undefined;
      },
    },
    { path: 'show <*>', run: (s, a) => s.render(s.state.candidate, (a[0] ?? '').trim() || undefined) },
    {
      path: 'commit <*>',
      run: async (s) => {
        const job = ++s.state.jobs;
        await s.shell.print(`Commit job ${job} is in progress. Use Ctrl+C to return to command prompt\n`);
        await sleep(50);
        s.state.running = [...s.state.candidate];
        return '...55%..75%.....98%.......100%\nConfiguration committed successfully\n';
      },
    },
    { path: 'revert config', run: (s) => void (s.state.candidate = [...s.state.running]) },
    { path: 'exit', run: (s) => ((s.inConfig = false), 'Exiting configuration mode\n') },
    { path: 'quit', run: (s) => ((s.inConfig = false), 'Exiting configuration mode\n') },
    runOperationalCommand(),
  ];
}

export const paloaltoPanos: Personality<PanosState> = {
  platform: 'paloalto_panos',
  sshSoftware: 'OpenSSH_7.4',
  motd: (id) => `${bannerFor(id)}Last login: Fri Nov 27 06:58:11 2026 from 127.0.0.1\n\nNumber of failed attempts since last successful login: 0\n\n`,
  pager: { prompt: (first, last) => `lines ${first}-${last} `, erase: '\r                    \r' },
  initialState: (id) => {
    const lines = generatePanos(id);
    return { running: lines, candidate: [...lines], jobs: 0 };
  },
  runningConfig: (state) => renderCurly(state.running),
  session: (shell, state) => new PanosSession(shell, state),
};
