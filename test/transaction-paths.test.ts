import { describe, expect, it } from 'vitest';
import { beginChange, ChangeNotSupportedError, ChangeRefusedError, ChangeRollbackError, changePathFor } from '../src/config/transaction.js';
import { getPlatform, listPlatforms } from '../src/platforms/index.js';
import type { PlatformDefinition } from '../src/platforms/types.js';
import { CommandError } from '../src/session/errors.js';
import type { CommandResult, ConfigPushResult, DeviceSession, SendInModeOptions } from '../src/session/types.js';

/**
 * The command sequence each platform's declared path produces, on a recording session (VyOS, PAN-OS
 * and FortiOS have no lab personality for transactions; the lab tests cover the others live).
 */
class Recorder implements DeviceSession {
  readonly device = 'dev-1';
  mode: string;
  readonly sent: string[] = [];
  constructor(
    readonly platform: PlatformDefinition,
    private readonly refuse: RegExp = /^$/,
  ) {
    this.mode = platform.defaultMode;
  }
  async send(command: string): Promise<CommandResult> {
    this.sent.push(`send ${command}`);
    return { command, output: '', elapsed: 0 };
  }
  async pushConfig(lines: string[], options?: { save?: boolean }): Promise<ConfigPushResult> {
    for (const [i, line] of lines.entries()) {
      this.sent.push(`push ${line}`);
      if (this.refuse.test(line)) throw new CommandError(this.device, line, '% Invalid input', i + 1);
    }
    if (options?.save) this.sent.push('save');
    return { sent: lines, output: '', committed: false, saved: Boolean(options?.save) };
  }
  async confirm(): Promise<void> {
    this.sent.push('confirm()');
  }
  async discard(): Promise<void> {
    this.sent.push('discard()');
  }
  async rollback(steps = 1): Promise<void> {
    this.sent.push(`rollback(${steps})`);
  }
  async runningConfig(): Promise<string> {
    return '';
  }
  async close(): Promise<void> {}
  async sendInMode(mode: string | undefined, command: string, options: SendInModeOptions = {}): Promise<CommandResult & { mode: string }> {
    if (mode !== undefined) this.mode = mode;
    this.sent.push(`${this.mode}: ${command}${options.block ? ` <${options.block.lines.length} lines>` : ''}`);
    if (this.refuse.test(command)) throw new CommandError(this.device, command, 'refused', options.line);
    // commands that enter config mode land there, as the prompt would say
    if (/^(configure|conf t|config)/.test(command) && mode === this.platform.defaultMode && !/confirm|commit|abort|revert now/.test(command)) this.mode = this.platform.configMode ?? this.mode;
    if (/^(abort|commit timer|commit$)/.test(command) && this.platform.name === 'arista_eos') this.mode = this.platform.defaultMode;
    return { command, output: '', elapsed: 0, mode: this.mode };
  }
  async moveToMode(mode: string): Promise<void> {
    this.mode = mode;
  }
}

describe('config transaction paths', () => {
  it('every platform with a config model has a path; Linux is refused with exit 4', () => {
    for (const platform of listPlatforms()) {
      if (!platform.config.model) {
        expect(() => changePathFor(platform)).toThrow(ChangeNotSupportedError);
        continue;
      }
      expect(changePathFor(platform).net, platform.name).toMatch(/^(commit-confirmed|revert-timer|config-session|checkpoint|candidate|lines)$/);
    }
    expect(changePathFor(getPlatform('vyos')).net).toBe('commit-confirmed');
    expect(changePathFor(getPlatform('hp_comware')).net).toBe('lines');
    const linux = new Recorder(getPlatform('linux'));
    expect(() => beginChange(linux, { commands: ['x'], rollback: [] })).toThrow(/platform 'linux' has no configuration model/);
    expect(linux.sent).toEqual([]);
  });

  it('EOS: a session named once, committed with a timer in hh:mm:ss, confirmed by name', async () => {
    const s = new Recorder(getPlatform('arista_eos'));
    const change = beginChange(s, { commands: ['ntp server 10.0.0.1'], rollback: ['no ntp server 10.0.0.1'], confirmMinutes: 90 });
    expect((await change.apply()).pendingConfirm).toBe(true);
    await change.confirm();
    const name = /configure session (\S+)/.exec(s.sent[0] ?? '')?.[1] as string;
    expect(name).toMatch(/^netstacks-/);
    expect(s.sent).toEqual([
      `privileged: configure session ${name}`,
      'configuration: ntp server 10.0.0.1',
      'configuration: show session-config diffs',
      'configuration: commit timer 01:30:00',
      `privileged: configure session ${name} commit`,
    ]);
  });

  it('VyOS: commit-confirm N and confirm; after the commit a rollback is the computed lines and a commit', async () => {
    const s = new Recorder(getPlatform('vyos'));
    const change = beginChange(s, { commands: ['set system ntp server 10.0.0.1'], rollback: ['delete system ntp server 10.0.0.1'], confirmMinutes: 3 });
    await change.apply();
    await change.rollback();
    expect(s.sent).toEqual([
      'exec: configure',
      'configuration: set system ntp server 10.0.0.1',
      'configuration: compare',
      'configuration: commit-confirm 3',
      'configuration: delete system ntp server 10.0.0.1',
      'configuration: commit',
    ]);
  });

  it('PAN-OS: set-format output first, candidate + commit, no timer', async () => {
    const s = new Recorder(getPlatform('paloalto_panos'));
    const result = await beginChange(s, { commands: ['set deviceconfig system timezone UTC'], rollback: [], confirmMinutes: 5 }).apply();
    expect(result.pendingConfirm).toBe(false);
    expect(s.sent).toEqual(['exec: set cli config-output-format set', 'exec: configure', 'configuration: set deviceconfig system timezone UTC', 'configuration: commit']);
  });

  it('Junos: a refused line throws the candidate away and nothing is committed; rollback then has nothing to do', async () => {
    const s = new Recorder(getPlatform('juniper_junos'), /bogus/);
    const change = beginChange(s, { commands: ['set system ntp server 10.0.0.1', 'set bogus'], rollback: [], confirmMinutes: 2 });
    const error = await change.apply().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChangeRefusedError);
    expect((error as ChangeRefusedError).line).toBe(2);
    await change.rollback();
    expect(s.sent).toEqual(['exec: configure private', 'configuration: set system ntp server 10.0.0.1', 'configuration: set bogus', 'configuration: rollback 0']);
  });

  it('FortiOS (lines): rollback lines are all sent, and a refused one is reported, not hidden', async () => {
    const s = new Recorder(getPlatform('fortinet'), /unset bad/);
    const change = beginChange(s, { commands: ['config system dns', 'set primary 10.0.0.53', 'end'], rollback: ['config system dns', 'unset bad', 'end'] });
    await change.apply();
    const error = await change.rollback().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChangeRollbackError);
    expect(s.sent.slice(-3)).toEqual(['privileged: config system dns', 'privileged: unset bad', 'privileged: end']);
  });

  it('a timer must be a whole number of minutes', () => {
    expect(() => beginChange(new Recorder(getPlatform('cisco_ios')), { commands: [], rollback: [], confirmMinutes: 0.5 })).toThrow(/whole number/);
  });
});
