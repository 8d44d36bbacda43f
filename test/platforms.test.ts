import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../src/core/errors.js';
import { detectCommands, detectPlatform, getPlatform, listPlatforms } from '../src/platforms/index.js';
import { compilePlatform, identifyMode } from '../src/session/prompt.js';
import { findModePath } from '../src/session/modes.js';
import { applyCleanup } from '../src/session/output.js';

/** sample prompts per platform and mode; each must be recognised as that mode and no other */
const PROMPTS: Record<string, Record<string, string[]>> = {
  cisco_ios: { exec: ['R1>', 'core-rtr.lab>'], privileged: ['R1#', 'R1# ', 'sw-01.dc1#'], configuration: ['R1(config)#', 'R1(config-if)#', 'R1(config-router)# ', 'R1(cfg-crypto-trans)#', 'R1(ca-trustpoint)#', 'R1(dhcp-config)#'] },
  cisco_nxos: { privileged: ['n9k-1#'], configuration: ['n9k-1(config)#', 'n9k-1(config-if)#'] },
  cisco_xr: { privileged: ['RP/0/RP0/CPU0:xr1#'], configuration: ['RP/0/RP0/CPU0:xr1(config)#', 'RP/0/RP0/CPU0:xr1(config-if)#'] },
  arista_eos: { exec: ['leaf1>'], privileged: ['leaf1#'], configuration: ['leaf1(config)#', 'leaf1(config-if-Et1)#'] },
  juniper_junos: { exec: ['admin@mx1>', 'admin@mx1> '], configuration: ['admin@mx1#', 'admin@mx1# '] },
  fortinet: { privileged: ['FGT-1 #', 'FGT-1 $ '], configuration: ['FGT-1 (interface) #', 'FGT-1 (port1) #'] },
  paloalto_panos: { exec: ['admin@PA-VM>', 'admin@PA-VM(active)>'], configuration: ['admin@PA-VM#', 'admin@PA-VM(active)#'] },
  hp_procurve: { exec: ['HP-2920>'], privileged: ['HP-2920#'], configuration: ['HP-2920(config)#', 'HP-2920(eth-1)#', 'HP-2920(vlan-10)#'] },
  aruba_aoscx: { privileged: ['cx1#'], configuration: ['cx1(config)#', 'cx1(config-if)#'] },
  hp_comware: { privileged: ['<HP-Switch-01>'], configuration: ['[HP-Switch-01]', '[HP-Switch-01-GigabitEthernet1/0/1]', '[HP-Switch-01-vlan10]'] },
  vyos: { exec: ['vyos@vyos:~$', 'admin@edge-1:~$ '], configuration: ['vyos@vyos#', 'admin@edge-1# '] },
};

const NOT_PROMPTS = ['R1', 'RP/0/RP0/CPU0:xr1', 'admin@mx1', 'R1(config', 'Building configuration...', '% Invalid input detected', 'router# show version', ''];

const EXPECTED = ['cisco_ios', 'cisco_nxos', 'cisco_xr', 'arista_eos', 'juniper_junos', 'linux', 'fortinet', 'paloalto_panos', 'hp_procurve', 'aruba_aoscx', 'hp_comware', 'vyos'];

describe('platform registry', () => {
  it('lists the ten launch platforms, then Comware and VyOS (added for the config model)', () => {
    expect(listPlatforms().map((p) => p.name)).toEqual(EXPECTED);
  });

  it('resolves aliases and suggests the nearest name for unknown ones', () => {
    expect(getPlatform('cisco_xe').name).toBe('cisco_ios');
    expect(getPlatform('Junos').name).toBe('juniper_junos');
    expect(() => getPlatform('cisco_iso')).toThrow(NotFoundError);
    try {
      getPlatform('cisco_iso');
    } catch (error) {
      expect((error as NotFoundError).hint).toContain('cisco_ios');
    }
  });

  it('has PAN-OS on keyboard-interactive auth and linux on exec channels', () => {
    expect(getPlatform('paloalto_panos').keyboardInteractive).toBe(true);
    expect(getPlatform('linux').transport).toBe('exec');
  });
});

describe.each(listPlatforms().map((p) => [p.name, p] as const))('platform %s', (name, platform) => {
  it('compiles every pattern', () => {
    const patterns = [
      ...platform.modes.map((m) => m.prompt),
      ...platform.pagers.map((p) => p.pattern),
      ...(platform.loginInteractions ?? []).map((p) => p.pattern),
      ...platform.transitions.flatMap((t) => (t.interactions ?? []).map((i) => i.pattern)),
      ...platform.runningConfig.cleanup.map((c) => c.pattern),
      ...platform.detect.map((d) => d.pattern),
      ...(platform.outputNoise ?? []),
    ];
    const model = platform.config.model;
    if (model) patterns.push(...(model.ignore ?? []), ...(model.overwrite ?? []), ...(model.ordered ?? []), ...(model.definitions ?? []), ...(model.canonical ?? []).map((c) => c.pattern), ...(model.reset ?? []).map((r) => r.match), ...(model.secrets ?? []));
    else expect(name).toBe('linux');
    for (const pattern of patterns) expect(() => new RegExp(pattern, 'gm'), pattern).not.toThrow();
    expect(platform.failurePatterns.length).toBeGreaterThan(0);
  });

  it('has a consistent mode graph', () => {
    const modes = platform.modes.map((m) => m.name);
    expect(modes).toContain(platform.defaultMode);
    for (const t of platform.transitions) {
      expect(modes).toContain(t.from);
      expect(modes).toContain(t.to);
    }
    if (platform.configMode) {
      expect(findModePath(platform, platform.defaultMode, platform.configMode)?.length).toBeGreaterThan(0);
      expect(findModePath(platform, platform.configMode, platform.defaultMode)?.length).toBeGreaterThan(0);
    }
    for (const mode of modes) expect(findModePath(platform, mode, platform.defaultMode), `${mode} → default`).toBeDefined();
    if (platform.config.style === 'candidate') {
      expect(platform.config.commit).toBeTruthy();
      expect(platform.config.abort).toBeTruthy();
    }
  });

  it.skipIf(!PROMPTS[name])('tells its modes apart by the prompt alone', () => {
    const compiled = compilePlatform(platform);
    for (const [mode, samples] of Object.entries(PROMPTS[name] ?? {})) {
      for (const sample of samples) expect(identifyMode(compiled, sample), `${sample}`).toBe(mode);
    }
    for (const sample of NOT_PROMPTS) expect(identifyMode(compiled, sample), `'${sample}'`).toBeUndefined();
  });
});

describe('enable and paging data', () => {
  it('answers Password: with the enable secret on IOS-like platforms', () => {
    for (const name of ['cisco_ios', 'arista_eos', 'hp_procurve']) {
      const enable = getPlatform(name).transitions.find((t) => t.send === 'enable');
      expect(enable?.interactions?.[0]?.respond).toEqual({ secret: 'enable' });
      expect(new RegExp(enable?.interactions?.[0]?.pattern ?? '$^').test('Password: ')).toBe(true);
    }
  });

  it('disables paging with each OS’s own command', () => {
    expect(getPlatform('cisco_ios').onOpen).toEqual(['terminal length 0', 'terminal width 511']);
    expect(getPlatform('juniper_junos').onOpen).toContain('set cli screen-length 0');
    expect(getPlatform('paloalto_panos').onOpen).toEqual(['set cli pager off']);
    expect(getPlatform('fortinet').onOpen).toEqual(['config global', 'config system console', 'set output standard', 'end', 'end']);
    expect(getPlatform('hp_procurve').onOpen).toContain('no page');
    expect(getPlatform('aruba_aoscx').onOpen).toEqual(['no page']);
    expect(getPlatform('cisco_nxos').onOpen).toContain('terminal length 0');
  });

  it('recognises each pager', () => {
    const pagerOf = (name: string, line: string): boolean => getPlatform(name).pagers.some((p) => new RegExp(p.pattern).test(line));
    expect(pagerOf('cisco_ios', ' --More-- ')).toBe(true);
    expect(pagerOf('arista_eos', ' --More-- ')).toBe(true);
    expect(pagerOf('juniper_junos', '---(more)---')).toBe(true);
    expect(pagerOf('juniper_junos', '---(more 45%)---')).toBe(true);
    expect(pagerOf('hp_procurve', '-- MORE --, next page: Space, next line: Enter, quit: Control-C')).toBe(true);
    expect(pagerOf('aruba_aoscx', ' -- MORE -- ')).toBe(true);
    expect(pagerOf('cisco_ios', 'interface Gi0/1')).toBe(false);
  });

  it("fails on each OS's error messages", () => {
    const fails = (name: string, output: string): boolean => getPlatform(name).failurePatterns.some((p) => output.includes(p));
    expect(fails('cisco_ios', "% Invalid input detected at '^' marker.")).toBe(true);
    expect(fails('cisco_ios', '% Ambiguous command:  "sh i"')).toBe(true);
    expect(fails('cisco_ios', '% Incomplete command.')).toBe(true);
    expect(fails('cisco_xr', "% Invalid input detected at '^' marker.")).toBe(true);
    expect(fails('arista_eos', '% Invalid input (at token 1: \'bogus\')')).toBe(true);
    expect(fails('juniper_junos', 'syntax error, expecting <command>.')).toBe(true);
    expect(fails('juniper_junos', 'unknown command.')).toBe(true);
    expect(fails('fortinet', 'Command fail. Return code -61')).toBe(true);
    expect(fails('fortinet', 'command parse error before \'bogus\'')).toBe(true);
    expect(fails('paloalto_panos', 'Unknown command: bogus')).toBe(true);
    expect(fails('hp_procurve', 'Invalid input: bogus')).toBe(true);
    expect(fails('aruba_aoscx', '% Invalid input detected at \'^\' marker.')).toBe(true);
    expect(fails('cisco_ios', 'Cisco IOS Software, Version 15.9')).toBe(false);
  });
});

describe('running-config cleanup', () => {
  it('removes IOS timestamps, sizes and clock periods', () => {
    const raw = 'Building configuration...\n\nCurrent configuration : 1234 bytes\n!\n! Last configuration change at 10:00:01 UTC Fri Nov 27 2026 by admin\n! NVRAM config last updated at 09:00:00 UTC\n!\nversion 15.9\nntp clock-period 17179869\nhostname R1\n';
    expect(applyCleanup(raw, getPlatform('cisco_ios').runningConfig.cleanup)).toBe('!\n!\nversion 15.9\nhostname R1\n');
  });

  it('removes the Junos last-commit line and the XR timestamp header', () => {
    expect(applyCleanup('## Last commit: 2026-11-27 10:00:00 UTC by admin\nversion 21.4R1;\n', getPlatform('juniper_junos').runningConfig.cleanup)).toBe('version 21.4R1;\n');
    const xr = 'Fri Nov 27 10:00:01.123 UTC\nBuilding configuration...\n!! IOS XR Configuration 7.5.2\n!! Last configuration change at Fri Nov 27 09:59:00 2026 by admin\nhostname xr1\n';
    expect(applyCleanup(xr, getPlatform('cisco_xr').runningConfig.cleanup)).toBe('!! IOS XR Configuration 7.5.2\nhostname xr1\n');
  });

  it('neutralises FortiOS secrets re-encrypted on every fetch', () => {
    const raw = '#config-version=FGVM64-7.2.5\n#conf_file_ver=12345\nconfig system admin\n    edit "admin"\n        set password ENC SH2abcdef\n    next\nend\n';
    const clean = applyCleanup(raw, getPlatform('fortinet').runningConfig.cleanup);
    expect(clean).not.toContain('conf_file_ver');
    expect(clean).toContain('set password ENC <encrypted>');
  });
});

describe('detectPlatform', () => {
  const samples: Record<string, Record<string, string>> = {
    cisco_ios: { 'show version': 'Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E3' },
    cisco_xe: { 'show version': 'Cisco IOS XE Software, Version 17.03.04a\nCisco IOS Software [Amsterdam], Virtual XE Software' },
    cisco_nxos: { 'show version': 'Cisco Nexus Operating System (NX-OS) Software\nTAC support: http://www.cisco.com/tac' },
    cisco_xr: { 'show version': 'Cisco IOS XR Software, Version 7.5.2\nCopyright (c) 2013-2022 by Cisco Systems, Inc.' },
    arista_eos: { 'show version': 'Arista vEOS-lab\nHardware version:\nSoftware image version: 4.28.3M' },
    juniper_junos: { 'show version': 'Hostname: mx1\nModel: vmx\nJunos: 21.4R1.12\nJUNOS OS Kernel 64-bit' },
    linux: { 'uname -a': 'Linux host1 6.1.0-13-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1 x86_64 GNU/Linux' },
    fortinet: { 'get system status': 'Version: FortiGate-VM64 v7.2.5,build1517,230606 (GA.F)\nSerial-Number: FGVMEV0000000000' },
    paloalto_panos: { 'show system info': 'hostname: PA-VM\nip-address: 10.0.0.1\nsw-version: 10.2.3\nmodel: PA-VM' },
    hp_procurve: { 'show system': ' Status and Counters - General System Information\n  System Name        : HP-2920\n  Product Name : HP J9728A 2920-48G Switch' },
    aruba_aoscx: { 'show version': 'ArubaOS-CX\n(c) Copyright 2017-2022 Hewlett Packard Enterprise Development LP\nVersion      : FL.10.09.1010' },
  };
  for (const [expected, outputs] of Object.entries(samples)) {
    it(`recognises ${expected}`, () => {
      const failing = "% Invalid input detected at '^' marker.";
      const all = Object.fromEntries(detectCommands().map((c) => [c, failing]));
      expect(detectPlatform({ ...all, ...outputs })).toBe(getPlatform(expected).name);
    });
  }

  it('returns undefined for something unknown', () => {
    expect(detectPlatform({ 'show version': 'MikroTik RouterOS 7.11' })).toBeUndefined();
  });
});
