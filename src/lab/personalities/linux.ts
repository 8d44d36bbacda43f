import { tokenize } from '../commands.js';
import { basics } from '../config/generate-ios-family.js';
import type { DeviceIdentity, DeviceSession, Personality, Shell } from '../personality.js';
import { uptimeFor } from './common.js';
import { linuxFacts } from '../ops/facts.js';
import { buildView, pingFails } from '../ops/model.js';
import * as others from '../ops/others.js';

/** A Debian host: a bash-like prompt and a handful of commands, on a shell or exec channels. */
export interface LinuxState {
  files: Map<string, string>;
}

const OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`;

function files(id: DeviceIdentity): Map<string, string> {
  const g = basics(id);
  return new Map([
    ['/etc/os-release', OS_RELEASE],
    ['/etc/hostname', `${id.hostname}\n`],
    ['/etc/hosts', `127.0.0.1\tlocalhost\n${id.host}\t${id.hostname}.lab.netstacks.test ${id.hostname}\n`],
    [
      '/etc/network/interfaces',
      `# This file describes the network interfaces available on your system\nsource /etc/network/interfaces.d/*\n\nauto lo\niface lo inet loopback\n\nauto eth0\niface eth0 inet static\n    address ${g.net(1)}.${(id.index % 250) + 2}/24\n    gateway ${g.net(1)}.1\n`,
    ],
  ]);
}

class LinuxSession implements DeviceSession {
  private cwd = '~';

  constructor(
    private readonly shell: Shell,
    private readonly state: LinuxState,
  ) {}

  prompt(): string {
    return `${this.shell.username}@${this.shell.id.hostname}:${this.cwd}$ `;
  }

  async execute(raw: string): Promise<void> {
    const line = raw.trim();
    if (!line || line === '\x03') return;
    for (const part of line.split(/\s*(?:;|&&)\s*/)) {
      const code = await this.run(part);
      this.shell.status(code);
      if (code !== 0 && line.includes('&&')) return;
    }
  }

  private view() {
    return buildView(this.shell.id, linuxFacts(this.state.files.get('/etc/network/interfaces') ?? '', this.shell.id), this.shell.id.ops);
  }

  /** FRR's shell, one `-c` command: the BGP summaries. */
  private async vtysh(args: string[]): Promise<number> {
    const at = args.indexOf('-c');
    const command = (at >= 0 ? (args[at + 1] ?? '') : '').trim().replace(/\s+/g, ' ');
    const view = this.view();
    const m = /^sh(?:o|ow)? (?:ip bgp|bgp(?: vrf (\S+))?(?: ipv4(?: unicast)?)?) sum(?:m|ma|mar|mary)?$/.exec(command);
    if (!m) {
      await this.shell.print(at < 0 ? 'vtysh: use -c COMMAND in the lab\n' : `% Unknown command: ${command}\n`);
      return 1;
    }
    const vrf = m[1] ?? 'default';
    if (vrf !== 'all' && !view.vrfs.includes(vrf)) {
      await this.shell.print(`View/Vrf ${vrf} is unknown\n`);
      return 1;
    }
    await this.shell.print(others.frrBgpSummary(view, vrf));
    return 0;
  }

  /** `ip [-s] link|address|route [show] [vrf NAME]`, with the object abbreviated as iproute2 allows. */
  private async ip(args: string[]): Promise<number> {
    const stats = args.includes('-s') || args.includes('-stats');
    const words = args.filter((a) => !a.startsWith('-'));
    const object = words[0] ?? '';
    const verb = words[1] ?? 'show';
    if (!'show'.startsWith(verb) && verb !== 'list' && verb !== 'ls') {
      await this.shell.print(`Command "${verb}" is unknown, try "ip ${object} help".\n`);
      return 1;
    }
    if (object && 'link'.startsWith(object)) await this.shell.print(others.linuxLink(this.view(), stats));
    else if (object && 'address'.startsWith(object)) await this.shell.print(others.linuxAddress(this.view()));
    else if (object && 'route'.startsWith(object)) {
      const at = words.indexOf('vrf');
      const vrf = at >= 0 ? words[at + 1] : undefined;
      const view = this.view();
      if (vrf !== undefined && !view.vrfs.includes(vrf)) {
        await this.shell.print(`Cannot find device "${vrf}"\n`);
        return 1;
      }
      await this.shell.print(others.linuxRoutes(view, vrf));
    }
    else {
      await this.shell.print(`Object "${object}" is unknown, try "ip help".\n`);
      return 255;
    }
    return 0;
  }

  private async run(command: string): Promise<number> {
    const words = tokenize(command).map((t) => t.word.replace(/^["']|["']$/g, ''));
    const [name = '', ...args] = words;
    const id = this.shell.id;
    const print = (text: string) => this.shell.print(text);
    switch (name) {
      case '':
        return 0;
      case 'uname':
        await print(args.includes('-a') ? `Linux ${id.hostname} 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64 GNU/Linux\n` : 'Linux\n');
        return 0;
      case 'hostname':
        await print(`${id.hostname}\n`);
        return 0;
      case 'whoami':
        await print(`${this.shell.username}\n`);
        return 0;
      case 'id':
        await print(`uid=1000(${this.shell.username}) gid=1000(${this.shell.username}) groups=1000(${this.shell.username}),27(sudo)\n`);
        return 0;
      case 'pwd':
        await print(this.cwd === '~' ? `/home/${this.shell.username}\n` : `${this.cwd}\n`);
        return 0;
      case 'cd':
        this.cwd = !args[0] || args[0] === '~' ? '~' : args[0];
        return 0;
      case 'echo':
        await print(args.join(' ') + '\n');
        return 0;
      case 'true':
        return 0;
      case 'false':
        return 1;
      case 'date':
        await print(new Date().toUTCString().replace('GMT', 'UTC') + '\n');
        return 0;
      case 'uptime': {
        const up = uptimeFor(id);
        await print(` ${new Date().toISOString().slice(11, 19)} up ${up.weeks * 7 + up.days} days, ${up.hours}:${String(up.minutes).padStart(2, '0')},  1 user,  load average: 0.00, 0.01, 0.05\n`);
        return 0;
      }
      case 'cat': {
        let code = 0;
        for (const file of args) {
          const content = this.state.files.get(file);
          if (content === undefined) {
            await print(`cat: ${file}: No such file or directory\n`);
            code = 1;
          } else await print(content);
        }
        return code;
      }
      case 'ls':
        await print(args[0] === '/etc' ? 'hostname  hosts  network  os-release\n' : '');
        return 0;
      case 'ip':
        return this.ip(args);
      case 'vtysh':
        return this.vtysh(args);
      case 'lldpcli':
      case 'lldpctl':
        await print(others.linuxLldp(this.view()));
        return 0;
      case 'ping': {
        const host = args.filter((a, i) => !a.startsWith('-') && !/^-[cWiw]$/.test(args[i - 1] ?? '')).pop() ?? '';
        const fail = pingFails(id.ops, host);
        const replies = fail ? '' : [1, 2, 3, 4, 5].map((n) => `64 bytes from ${host}: icmp_seq=${n} ttl=64 time=0.${n + 2}1 ms\n`).join('');
        await print(`PING ${host} (${host}) 56(84) bytes of data.\n${replies}\n--- ${host} ping statistics ---\n5 packets transmitted, ${fail ? 0 : 5} received, ${fail ? 100 : 0}% packet loss, time 4006ms\n${fail ? '' : 'rtt min/avg/max/mdev = 0.031/0.041/0.051/0.007 ms\n'}`);
        return fail ? 1 : 0;
      }
      case 'exit':
      case 'logout':
        this.shell.exit(Number(args[0] ?? 0) || 0);
        return Number(args[0] ?? 0) || 0;
      default:
        await print(`${this.shell.exec ? 'bash' : '-bash'}: ${name}: command not found\n`);
        return 127;
    }
  }
}

export const linux: Personality<LinuxState> = {
  platform: 'linux',
  sshSoftware: 'OpenSSH_9.2p1 Debian-2+deb12u2',
  motd: (id) =>
    `Linux ${id.hostname} 6.1.0-18-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01) x86_64\n\nThe programs included with the Debian GNU/Linux system are free software;\nthe exact distribution terms for each program are described in the\nindividual files in /usr/share/doc/*/copyright.\n\nDebian GNU/Linux comes with ABSOLUTELY NO WARRANTY, to the extent\npermitted by applicable law.\nLast login: Fri Nov 27 06:58:11 2026 from 127.0.0.1\n`,
  pager: { prompt: '--More--', erase: '\r        \r' },
  initialState: (id) => ({ files: files(id) }),
  runningConfig: (state) => state.files.get('/etc/network/interfaces') ?? '',
  session: (shell, state) => {
    // A shell has no pager; `less` is not simulated.
    shell.paging = false;
    return new LinuxSession(shell, state);
  },
};
