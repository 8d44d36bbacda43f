import { tokenize } from '../commands.js';
import { basics, randomText } from '../config/generate-ios-family.js';
import type { DeviceIdentity, DeviceSession, Personality, Shell } from '../personality.js';
import { pick, randInt } from '../rng.js';
import { bannerFor, serialFor } from './common.js';
import { fortiFacts } from '../ops/facts.js';
import { buildView, pingFails } from '../ops/model.js';
import * as others from '../ops/others.js';

/**
 * FortiOS: `config <section>` / `edit <id>` / `set k v` / `next` / `end`. Changes to a section are
 * made on a copy and land on `end` (`abort` drops them), as on a real FortiGate.
 */
type Settings = [string, string][];
interface Entry {
  id: string;
  settings: Settings;
}
interface Section {
  path: string;
  settings: Settings;
  entries: Entry[];
}
export interface FortiState {
  sections: Section[];
  /** fortios-vdoms: the per-VDOM sections of VDOMs other than root (root uses `sections`), created by `edit NAME` */
  vdoms?: Record<string, Section[]>;
}

/** With VDOMs on, these live in a VDOM; everything else is global. */
const isVdomSection = (path: string): boolean => /^(firewall |router |user |vpn |system zone|log syslogd)/.test(path);

/** Where a VDOM-mode session stands: `config global`, `config vdom` (choosing), or inside `edit VDOM`. */
type Scope = { kind: 'global' } | { kind: 'select' } | { kind: 'vdom'; name: string };

const SECTIONS = [
  'system global', 'system interface', 'system admin', 'system dns', 'system ntp', 'system console', 'system snmp community',
  'system snmp sysinfo', 'system settings', 'firewall policy', 'firewall address', 'firewall addrgrp', 'firewall service custom',
  'router static', 'router bgp', 'router ospf', 'log syslogd setting', 'user local', 'vpn ipsec phase1-interface', 'system zone',
];

function generate(id: DeviceIdentity): Section[] {
  const g = basics(id);
  const r = g.random;
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const sections: Section[] = [
    { path: 'system global', settings: [['alias', `"${id.hostname}"`], ['hostname', `"${id.hostname}"`], ['timezone', '04'], ['admintimeout', '15']], entries: [] },
    { path: 'system console', settings: [['output', 'more']], entries: [] },
    { path: 'system dns', settings: [['primary', `${g.net(250)}.53`], ['secondary', '192.0.2.53']], entries: [] },
    { path: 'system ntp', settings: [['ntpsync', 'enable'], ['type', 'custom']], entries: [{ id: '1', settings: [['server', `"${g.net(250)}.123"`]] }] },
    {
      path: 'system admin',
      settings: [],
      entries: [
        { id: '"admin"', settings: [['accprofile', '"super_admin"'], ['vdom', '"root"'], ['password', `ENC SH2${randomText(r, B64, 60)}`]] },
        { id: '"netops"', settings: [['accprofile', '"prof_admin"'], ['vdom', '"root"'], ['password', `ENC SH2${randomText(r, B64, 60)}`]] },
      ],
    },
    { path: 'system snmp community', settings: [], entries: [{ id: '1', settings: [['name', `"${g.community}"`], ['status', 'enable']] }] },
    { path: 'system interface', settings: [], entries: [] },
    { path: 'firewall address', settings: [], entries: [] },
    { path: 'firewall policy', settings: [], entries: [] },
    { path: 'router static', settings: [], entries: [] },
    { path: 'log syslogd setting', settings: [['status', 'enable'], ['server', `"${g.net(250)}.514"`]], entries: [] },
  ];
  const find = (path: string) => sections.find((s) => s.path === path) as Section;
  for (let i = 1; i <= randInt(r, 6, 12); i++) {
    find('system interface').entries.push({
      id: `"port${i}"`,
      settings: [['vdom', '"root"'], ['ip', `10.${i}.${id.index & 0xff}.1 255.255.255.0`], ['allowaccess', i === 1 ? 'ping https ssh snmp' : 'ping'], ['type', 'physical'], ['alias', `"${pick(r, ['wan1', 'lan', 'dmz', 'mgmt', 'ha'])}"`]],
    });
  }
  for (let i = 1; i <= randInt(r, 15, 40); i++) {
    find('firewall address').entries.push({ id: `"host-${i}"`, settings: [['subnet', `10.${randInt(r, 0, 255)}.${randInt(r, 0, 255)}.${randInt(r, 1, 254)} 255.255.255.255`]] });
  }
  for (let i = 1; i <= randInt(r, 10, 25); i++) {
    find('firewall policy').entries.push({
      id: String(i),
      settings: [['name', `"rule-${i}"`], ['srcintf', '"port2"'], ['dstintf', '"port1"'], ['action', r() < 0.8 ? 'accept' : 'deny'], ['srcaddr', `"host-${i}"`], ['dstaddr', '"all"'], ['schedule', '"always"'], ['service', `"${pick(r, ['HTTPS', 'HTTP', 'DNS', 'SSH', 'ALL'])}"`], ['nat', 'enable']],
    });
  }
  for (let i = 1; i <= randInt(r, 3, 8); i++) find('router static').entries.push({ id: String(i), settings: [['dst', `172.${16 + i}.0.0 255.255.0.0`], ['gateway', `10.1.${id.index & 0xff}.254`], ['device', '"port1"']] });
  return sections;
}

function renderSettings(settings: Settings, pad: string): string[] {
  return settings.map(([k, v]) => `${pad}set ${k} ${v}`);
}

export function renderSection(section: Section): string {
  const out = [`config ${section.path}`, ...renderSettings(section.settings, '    ')];
  for (const entry of section.entries) out.push(`    edit ${entry.id}`, ...renderSettings(entry.settings, '        '), '    next');
  out.push('end');
  return out.join('\n') + '\n';
}

function setValue(settings: Settings, key: string, value: string): void {
  const at = settings.findIndex(([k]) => k === key);
  if (at >= 0) settings[at] = [key, value];
  else settings.push([key, value]);
}

const clone = (s: Section): Section => ({ path: s.path, settings: s.settings.map(([k, v]) => [k, v]), entries: s.entries.map((e) => ({ id: e.id, settings: e.settings.map(([k, v]) => [k, v]) })) });

class FortiSession implements DeviceSession {
  private section?: Section;
  private entry?: Entry;
  private readonly vdomMode: boolean;
  private scope?: Scope;

  constructor(
    private readonly shell: Shell,
    private readonly state: FortiState,
  ) {
    shell.paging = this.consoleOutput() !== 'standard';
    this.vdomMode = shell.quirks.includes('fortios-vdoms');
  }

  /** the section list commands work on: root and global share the device's, other VDOMs have their own */
  private get sections(): Section[] {
    if (this.scope?.kind !== 'vdom' || this.scope.name === 'root') return this.state.sections;
    this.state.vdoms ??= {};
    return (this.state.vdoms[this.scope.name] ??= []);
  }

  /** VDOM mode: `config global` / `config vdom` / `edit VDOM` / `end` outside any section; undefined when the line is not one of those */
  private vdomCommand(verb: string, args: string[]): string | undefined {
    if (!this.vdomMode || this.section) return undefined;
    const scope = this.scope;
    if (!scope && verb === 'config' && args.length === 1 && (args[0] === 'global' || args[0] === 'vdom')) {
      this.scope = args[0] === 'global' ? { kind: 'global' } : { kind: 'select' };
      return '';
    }
    if (scope?.kind === 'select' && verb === 'edit' && args[0]) {
      const name = args[0].replace(/"/g, '');
      if (name !== 'root' && !this.state.vdoms?.[name]) (this.state.vdoms ??= {})[name] = [];
      this.scope = { kind: 'vdom', name };
      return `current vf=${name}:${name === 'root' ? 0 : Object.keys(this.state.vdoms ?? {}).indexOf(name) + 1}\n`;
    }
    if (scope && (verb === 'end' || verb === 'next')) {
      this.scope = verb === 'next' && scope.kind === 'vdom' ? { kind: 'select' } : undefined;
      return '';
    }
    if (verb === 'config') {
      const path = args.join(' ');
      const allowed = scope?.kind === 'global' ? !isVdomSection(path) : scope?.kind === 'vdom' ? isVdomSection(path) : false;
      if (!allowed) return `command parse error before '${args[0] ?? 'config'}'\nCommand fail. Return code -61\n`;
    }
    return undefined;
  }

  /** VDOM mode: what `show` sees where the session stands (global sections, or one VDOM's) */
  private scopedSections(): Section[] {
    const scope = this.scope;
    if (scope?.kind === 'global') return this.state.sections.filter((s) => !isVdomSection(s.path));
    if (scope?.kind === 'vdom') return scope.name === 'root' ? this.state.sections.filter((s) => isVdomSection(s.path)) : (this.state.vdoms?.[scope.name] ?? []);
    return this.state.sections;
  }

  private fullVdomConfig(): string {
    const names = ['root', ...Object.keys(this.state.vdoms ?? {})];
    const vdom = (name: string) => (name === 'root' ? this.state.sections.filter((s) => isVdomSection(s.path)) : (this.state.vdoms?.[name] ?? []));
    return [
      'config vdom\n' + names.map((n) => `edit ${n}\nnext\n`).join('') + 'end\n',
      'config global\n' + this.state.sections.filter((s) => !isVdomSection(s.path)).map(renderSection).join('') + 'end\n',
      'config vdom\n' + names.map((n) => `edit ${n}\n${vdom(n).map(renderSection).join('')}next\n`).join('') + 'end\n',
    ].join('');
  }

  private view() {
    return buildView(this.shell.id, fortiFacts(this.state.sections, this.shell.id), this.shell.id.ops);
  }

  private consoleOutput(): string | undefined {
    return this.state.sections.find((s) => s.path === 'system console')?.settings.find(([k]) => k === 'output')?.[1];
  }

  private hostname(): string {
    const value = this.state.sections.find((s) => s.path === 'system global')?.settings.find(([k]) => k === 'hostname')?.[1];
    return value ? value.replace(/"/g, '') : this.shell.id.hostname;
  }

  prompt(): string {
    if (this.entry) return `${this.hostname()} (${this.entry.id.replace(/"/g, '')}) # `;
    if (this.section) return `${this.hostname()} (${this.section.path.split(' ').pop()}) # `;
    if (this.scope) return `${this.hostname()} (${this.scope.kind === 'global' ? 'global' : this.scope.kind === 'select' ? 'vdom' : this.scope.name}) # `;
    return `${this.hostname()} # `;
  }

  async execute(raw: string): Promise<void> {
    const line = raw.trim();
    if (!line || line === '\x03') return;
    const words = tokenize(line).map((t) => t.word);
    const [verb = '', ...args] = words;
    const print = (text: string) => this.shell.print(text);
    const parseError = (word: string) => print(`command parse error before '${word}'\nCommand fail. Return code -61\n`);
    const vdomAnswer = this.vdomCommand(verb, args);
    if (vdomAnswer !== undefined) return vdomAnswer ? print(vdomAnswer) : undefined;
    if (this.section) {
      const target = this.entry?.settings ?? this.section.settings;
      switch (verb) {
        case 'set':
          if (args.length < 2) return parseError(args[0] ?? 'set');
          setValue(target, args[0] as string, args.slice(1).join(' '));
          return;
        case 'unset': {
          const at = target.findIndex(([k]) => k === args[0]);
          if (at >= 0) target.splice(at, 1);
          return;
        }
        case 'edit': {
          if (!args[0]) return parseError('edit');
          const id = /^\d+$/.test(args[0]) || args[0].startsWith('"') ? args[0] : `"${args[0]}"`;
          this.entry = this.section.entries.find((e) => e.id === id);
          if (!this.entry) {
            this.entry = { id, settings: [] };
            this.section.entries.push(this.entry);
            if (this.section.entries.length === 1 && !this.shell.exec) return;
          }
          return;
        }
        case 'delete': {
          const id = /^\d+$/.test(args[0] ?? '') || (args[0] ?? '').startsWith('"') ? args[0] : `"${args[0]}"`;
          const before = this.section.entries.length;
          this.section.entries = this.section.entries.filter((e) => e.id !== id);
          if (before === this.section.entries.length) return print(`entry not found in datasource\nvalue parse error before '${args[0]}'\nCommand fail. Return code -3\n`);
          return;
        }
        case 'next':
          this.entry = undefined;
          return;
        case 'show':
          return print(renderSection(this.section));
        case 'get':
          return print(target.map(([k, v]) => `${k.padEnd(20)}: ${v.replace(/"/g, '')}`).join('\n') + '\n');
        case 'abort':
          this.section = undefined;
          this.entry = undefined;
          return;
        case 'end': {
          const sections = this.sections;
          const at = sections.findIndex((s) => s.path === this.section?.path);
          if (at >= 0) sections[at] = this.section;
          else sections.push(this.section);
          if (this.section.path === 'system console') this.shell.paging = this.consoleOutput() !== 'standard';
          this.section = undefined;
          this.entry = undefined;
          return;
        }
        default:
          return parseError(verb);
      }
    }
    switch (verb) {
      case 'config': {
        const path = args.join(' ');
        if (!SECTIONS.includes(path)) return parseError(args[0] ?? 'config');
        const existing = this.sections.find((s) => s.path === path);
        this.section = existing ? clone(existing) : { path, settings: [], entries: [] };
        return;
      }
      case 'show': {
        const full = args[0] === 'full-configuration';
        const path = (full ? args.slice(1) : args).join(' ');
        if (path && !SECTIONS.includes(path)) return parseError(path.split(' ')[0] as string);
        const pool = this.vdomMode ? this.scopedSections() : this.sections;
        const selected = path ? pool.filter((s) => s.path === path) : pool;
        const header = path || this.scope ? '' : `#config-version=FGVM64-7.2.5-FW-build1517-230606:opmode=0:vdom=${this.vdomMode ? 1 : 0}:user=${this.shell.username}\n#conf_file_ver=${(this.shell.id.seed * 7919 + this.shell.id.index) % 100000}\n#buildno=1517\n#global_vdom=1\n`;
        // multi-VDOM mode at the top: the whole device, as FortiOS prints it (the VDOM list, global, then each VDOM)
        if (this.vdomMode && !this.scope && !path) return print(header + this.fullVdomConfig());
        return print(header + selected.map(renderSection).join(''));
      }
      case 'get':
        if (args.join(' ') === 'system status') {
          const status = systemStatus(this.shell.id, this.hostname());
          return print(this.vdomMode ? status.replace('Virtual domain configuration: disable', 'Virtual domain configuration: multiple') : status);
        }
        if (args.join(' ') === 'system interface physical') return print(others.fortiInterfacePhysical(this.view()));
        if (args.join(' ') === 'router info routing-table all') return print(others.fortiRoutes(this.view()));
        if (args.join(' ') === 'router info bgp summary') return print(others.fortiBgpSummary(this.view()));
        if (args[0] === 'hardware' && args[1] === 'nic' && args[2]) return print(others.fortiNic(this.view(), args[2]) ?? `Invalid nic name: ${args[2]}\nCommand fail. Return code -1\n`);
        return parseError(args[0] ?? 'get');
      case 'execute':
        if (args[0] === 'ping') return print(fortiPing(args[1] ?? '', pingFails(this.shell.id.ops, args[1] ?? '')));
        return parseError(args[0] ?? 'execute');
      case 'diagnose':
        if (/^lldprx neighbor( summary)?$/.test(args.join(' '))) return print(others.fortiLldp(this.view()));
        return parseError(args[0] ?? 'diagnose');
      case 'exit':
        this.shell.exit();
        return;
      default:
        return print('Unknown action 0\nCommand fail. Return code -1\n');
    }
  }
}

function fortiPing(host: string, fail: boolean): string {
  const replies = fail ? '' : [0, 1, 2, 3, 4].map((n) => `64 bytes from ${host}: icmp_seq=${n} ttl=64 time=0.${n + 3} ms\n`).join('');
  return `PING ${host} (${host}): 56 data bytes\n${replies}\n--- ${host} ping statistics ---\n5 packets transmitted, ${fail ? 0 : 5} packets received, ${fail ? 100 : 0}% packet loss\n${fail ? '' : 'round-trip min/avg/max = 0.3/0.5/0.7 ms\n'}`;
}

function systemStatus(id: DeviceIdentity, hostname: string): string {
  return `Version: FortiGate-VM64 v7.2.5,build1517,230606 (GA.F)
Security Level: Low
Firmware Signature: certified
Virus-DB: 91.08437(2023-11-01 08:25)
IPS-DB: 6.00741(2015-12-01 02:30)
Serial-Number: ${serialFor(id, 'FGVM01TM', 16)}
License Status: Valid
VM Resources: 2 CPU/2 allowed, 2007 MB RAM/2048 MB allowed
BIOS version: 04000002
Log hard disk: Available
Hostname: ${hostname}
Operation Mode: NAT
Current virtual domain: root
Max number of virtual domains: 1
Virtual domains status: 1 in NAT mode, 0 in TP mode
Virtual domain configuration: disable
FIPS-CC mode: disable
Current HA mode: standalone
Branch point: 1517
Release Version Information: GA
System time: ${new Date().toUTCString()}
Last reboot reason: warm reboot
`;
}

export const fortinet: Personality<FortiState> = {
  platform: 'fortinet',
  sshSoftware: 'xxxxxxx',
  motd: (id) => bannerFor(id),
  pager: { prompt: '--More-- ', erase: '\r         \r' },
  initialState: (id) => ({ sections: generate(id) }),
  runningConfig: (state) => state.sections.map(renderSection).join(''),
  session: (shell, state) => new FortiSession(shell, state),
};
