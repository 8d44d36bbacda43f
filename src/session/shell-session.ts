import { UsageError } from '../core/errors.js';
import type { Interaction, PlatformDefinition } from '../platforms/types.js';
import type { SshConnection } from '../ssh/types.js';
import { CommandError, ModeChangeError, SessionClosedError, SessionError } from './errors.js';
import { maskSecrets } from './masking.js';
import { findModePath } from './modes.js';
import { applyCleanup, failureLines } from './output.js';
import { compileInteractions, compilePlatform } from './prompt.js';
import { ShellChannel } from './shell-channel.js';
import type { CommandResult, ConfigPushResult, DeviceSession, SendInModeOptions, SessionSecrets, TranscriptSink } from './types.js';

const CLOSE_WAIT_MS = 300;

export interface ShellSessionOptions {
  device: string;
  platform: PlatformDefinition;
  secrets: SessionSecrets;
  commandTimeoutMs: number;
  loginTimeoutMs: number;
  transcript?: TranscriptSink;
}

/** A logged-in interactive shell driven by a platform definition. */
export class ShellSession implements DeviceSession {
  readonly device: string;
  readonly platform: PlatformDefinition;
  private currentMode = '';
  private readonly secretValues: readonly string[];
  private queue: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private busy = false;

  private constructor(
    private readonly connection: SshConnection,
    private readonly channel: ShellChannel,
    private readonly options: ShellSessionOptions,
  ) {
    this.device = options.device;
    this.platform = options.platform;
    // frozen: maskSecrets compiles the pattern for a frozen list once
    this.secretValues = Object.freeze([options.secrets.password, options.secrets.enable].filter((s): s is string => Boolean(s)));
  }

  static async open(connection: SshConnection, options: ShellSessionOptions): Promise<ShellSession> {
    const stream = await connection.openShell({ cols: 511, rows: 24, term: 'vt100' });
    const channel = new ShellChannel(stream, {
      device: options.device,
      compiled: compilePlatform(options.platform),
      newline: options.platform.newline ?? '\n',
      secrets: options.secrets,
      transcript: options.transcript,
    });
    const session = new ShellSession(connection, channel, options);
    try {
      session.currentMode = (await channel.login(options.loginTimeoutMs)).mode;
      await session.enterMode(options.platform.defaultMode);
      for (const command of options.platform.onOpen) {
        // best effort: an old box without 'terminal width' still works
        const result = await session.channel.exchange(command, { echo: command, timeoutMs: options.commandTimeoutMs, what: `'${command}'` });
        session.currentMode = result.mode;
      }
      if (session.currentMode !== options.platform.defaultMode) await session.enterMode(options.platform.defaultMode);
    } catch (error) {
      channel.destroy();
      throw error;
    }
    return session;
  }

  get mode(): string {
    return this.currentMode;
  }

  /** the last prompt line seen */
  get prompt(): string {
    return this.channel.prompt;
  }

  send(command: string, options?: { timeoutMs?: number }): Promise<CommandResult> {
    return this.serialized(async () => {
      await this.enterMode(this.platform.defaultMode);
      const started = performance.now();
      const timeoutMs = options?.timeoutMs ?? this.options.commandTimeoutMs;
      const result = await this.channel.exchange(command, { echo: command, timeoutMs, what: `'${this.mask(command)}'` });
      this.currentMode = result.mode;
      const failure = failureLines(result.output, this.platform.failurePatterns);
      if (failure !== undefined) throw new CommandError(this.device, this.mask(command), failure);
      return { command, output: result.output, elapsed: Math.round(performance.now() - started) };
    });
  }

  sendInteractive(command: string, options: { interactions: Interaction[]; timeoutMs?: number; expectClose?: boolean }): Promise<CommandResult & { closed: boolean }> {
    return this.serialized(async () => {
      await this.enterMode(this.platform.defaultMode);
      const started = performance.now();
      const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs;
      try {
        const result = await this.channel.exchange(command, { echo: command, interactions: compileInteractions(options.interactions), timeoutMs, what: `'${this.mask(command)}'` });
        this.currentMode = result.mode;
        const failure = failureLines(result.output, this.platform.failurePatterns);
        if (failure !== undefined) throw new CommandError(this.device, this.mask(command), failure);
        return { command, output: result.output, elapsed: Math.round(performance.now() - started), closed: false };
      } catch (error) {
        if (options.expectClose && error instanceof SessionClosedError) return { command, output: '', elapsed: Math.round(performance.now() - started), closed: true };
        throw error;
      }
    });
  }

  pushConfig(lines: string[], options?: { save?: boolean; commitConfirmedMinutes?: number }): Promise<ConfigPushResult> {
    return this.serialized(async () => {
      const config = this.platform.config;
      const minutes = options?.commitConfirmedMinutes;
      if (minutes !== undefined && !config.commitConfirmed) {
        throw new UsageError(`platform ${this.platform.name} has no commit confirmed`, 'push without --commit-confirmed');
      }
      if (this.platform.configMode) await this.enterMode(this.platform.configMode);
      const sent: string[] = [];
      const outputs: string[] = [];
      const interactions = compileInteractions(config.interactions ?? []);
      for (const [index, line] of lines.entries()) {
        if (line.trim() === '') continue;
        const what = `config line ${index + 1}`;
        const result = await this.channel.exchange(line, { echo: line, interactions, timeoutMs: this.options.commandTimeoutMs, what });
        this.currentMode = result.mode;
        const failure = failureLines(result.output, this.platform.failurePatterns);
        if (failure !== undefined) {
          await this.abandonConfig();
          throw new CommandError(this.device, this.mask(line), failure, index + 1);
        }
        sent.push(line);
        if (result.output.length > 0) outputs.push(result.output);
      }
      let committed = false;
      if (config.style === 'candidate' && sent.length > 0 && config.commit) {
        const commit = minutes !== undefined && config.commitConfirmed ? config.commitConfirmed.replace('{minutes}', String(minutes)) : config.commit;
        const timeoutMs = Math.max(this.options.commandTimeoutMs, 120_000);
        const result = await this.channel.exchange(commit, { echo: commit, timeoutMs, what: `'${commit}'` });
        this.currentMode = result.mode;
        const failure = failureLines(result.output, this.platform.failurePatterns);
        if (failure !== undefined) {
          await this.abandonConfig();
          throw new CommandError(this.device, commit, failure);
        }
        if (result.output.length > 0) outputs.push(result.output);
        committed = true;
      }
      await this.enterMode(this.platform.defaultMode);
      let saved = false;
      if (options?.save) {
        if (config.save) {
          const interactions = compileInteractions(config.saveInteractions ?? []);
          const timeoutMs = Math.max(this.options.commandTimeoutMs, 60_000);
          const result = await this.channel.exchange(config.save, { echo: config.save, interactions, timeoutMs, what: `'${config.save}'` });
          this.currentMode = result.mode;
          const failure = failureLines(result.output, this.platform.failurePatterns);
          if (failure !== undefined) throw new CommandError(this.device, config.save, failure);
          saved = true;
        } else {
          // candidate platforms keep what was committed across reboots
          saved = committed;
        }
      }
      return { sent, output: outputs.join('\n'), committed, saved };
    });
  }

  sendInMode(mode: string | undefined, command: string, options: SendInModeOptions = {}): Promise<CommandResult & { mode: string }> {
    return this.serialized(async () => {
      if (mode !== undefined) await this.enterMode(mode);
      const started = performance.now();
      const timeoutMs = options.timeoutMs ?? this.options.commandTimeoutMs;
      const interactions = options.config ? compileInteractions(this.platform.config.interactions ?? []) : [];
      // a pasted block is named by its first line
      const first = command.split('\n')[0] ?? '';
      const what = options.line === undefined ? `'${this.mask(first)}'${options.until ? ' and what follows it' : ''}` : `config line ${options.line}`;
      let result;
      if (options.until) {
        result = await this.channel.paste(command, options.until, { timeoutMs, interactions, what });
      } else if (options.block) {
        // the block is typed without waiting for prompts (the device gives none until the end marker)
        const newline = this.platform.newline ?? '\n';
        this.channel.write([command, ...options.block.lines].map((l) => l + newline).join(''));
        result = await this.channel.exchange(options.block.end, { timeoutMs, interactions, what });
      } else {
        result = await this.channel.exchange(command, { echo: command, interactions, timeoutMs, what });
      }
      this.currentMode = result.mode;
      const failure = failureLines(result.output, this.platform.failurePatterns);
      if (failure !== undefined) throw new CommandError(this.device, this.mask(first), failure, options.line);
      return { command: first, output: result.output, elapsed: Math.round(performance.now() - started), mode: result.mode };
    });
  }

  moveToMode(mode: string): Promise<void> {
    return this.serialized(() => this.enterMode(mode));
  }

  confirm(): Promise<void> {
    return this.runVerb('confirm');
  }

  discard(): Promise<void> {
    return this.runVerb('abort');
  }

  rollback(steps = 1): Promise<void> {
    return this.runVerb('rollback', steps);
  }

  /** A candidate verb in the mode the platform data names for it, then back to the default mode. */
  private runVerb(verb: 'confirm' | 'abort' | 'rollback', steps = 1): Promise<void> {
    return this.serialized(async () => {
      const config = this.platform.config;
      const template = config[verb];
      if (!template) throw new UsageError(`platform ${this.platform.name} has no ${verb === 'abort' ? 'discard' : verb}`, 'only candidate platforms (Junos, IOS-XR, VyOS, PAN-OS) have one');
      const commands = [template.replace('{n}', String(steps))];
      if (verb === 'rollback' && config.rollbackNeedsCommit && config.commit) commands.push(config.commit);
      await this.enterMode(config.verbModes?.[verb] ?? this.platform.configMode ?? this.platform.defaultMode);
      const timeoutMs = Math.max(this.options.commandTimeoutMs, 120_000);
      for (const command of commands) {
        const result = await this.channel.exchange(command, { echo: command, timeoutMs, what: `'${command}'` });
        this.currentMode = result.mode;
        const failure = failureLines(result.output, this.platform.failurePatterns);
        if (failure !== undefined) {
          await this.abandonConfig();
          throw new CommandError(this.device, command, failure);
        }
      }
      await this.enterMode(this.platform.defaultMode);
    });
  }

  async runningConfig(): Promise<string> {
    const timeoutMs = Math.max(this.options.commandTimeoutMs, 120_000);
    const result = await this.send(this.platform.runningConfig.command, { timeoutMs });
    return applyCleanup(result.output, this.platform.runningConfig.cleanup);
  }

  close(): Promise<void> {
    // with a command still running (Ctrl-C, a runner timeout) there is no prompt to talk to: just hang up
    this.closing ??= this.busy ? this.hangUp() : this.serialized(() => this.sayGoodbye());
    return this.closing;
  }

  private async sayGoodbye(): Promise<void> {
    try {
      if (!this.channel.closed && this.currentMode !== this.platform.defaultMode) {
        await this.enterMode(this.platform.defaultMode).catch(() => undefined);
      }
      for (const command of this.platform.onClose) {
        if (this.channel.closed) break;
        this.channel.writeLine(command);
      }
      if (!this.channel.closed) await this.channel.waitForClose(CLOSE_WAIT_MS);
    } catch {
      // the device may drop the channel while we say goodbye
    }
    await this.hangUp();
  }

  private async hangUp(): Promise<void> {
    await this.connection.close().catch(() => undefined);
    await this.options.transcript?.close().catch(() => undefined);
  }

  /** Moves through the platform's transition graph to `target`, checking the prompt after each step. */
  async enterMode(target: string): Promise<void> {
    const path = findModePath(this.platform, this.currentMode, target);
    if (path === undefined) {
      throw new SessionError(this.device, 'protocol', `no way from mode '${this.currentMode}' to '${target}' on ${this.platform.name}`);
    }
    for (const edge of path) {
      const interactions = compileInteractions(edge.interactions ?? []);
      const result = await this.channel.exchange(edge.send, {
        echo: edge.send,
        interactions,
        timeoutMs: this.options.commandTimeoutMs,
        what: `'${edge.send}' (to ${edge.to} mode)`,
      });
      this.currentMode = result.mode;
      if (result.mode !== edge.to) {
        const asksSecret = (edge.interactions ?? []).some((i) => typeof i.respond !== 'string');
        const said = failureLines(result.output, this.platform.failurePatterns) ?? result.output.split('\n').filter(Boolean).pop() ?? '';
        throw new ModeChangeError(
          this.device,
          asksSecret ? 'auth' : 'command-error',
          `'${edge.send}' did not reach ${edge.to} mode (prompt '${result.prompt}')${said ? `: ${this.mask(said)}` : ''}`,
        );
      }
    }
  }

  /** After a failed line: throw the candidate away (or leave the block) and get back to the default mode. */
  private async abandonConfig(): Promise<void> {
    const abort = this.platform.config.abort;
    try {
      if (abort && this.currentMode !== this.platform.defaultMode) {
        const result = await this.channel.exchange(abort, { echo: abort, timeoutMs: this.options.commandTimeoutMs, what: `'${abort}'` });
        this.currentMode = result.mode;
      }
      await this.enterMode(this.platform.defaultMode);
    } catch {
      // the failed line is the error worth reporting; a later command will notice a stuck session
    }
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const tracked = async (): Promise<T> => {
      this.busy = true;
      try {
        return await work();
      } finally {
        this.busy = false;
      }
    };
    const run = this.queue.then(tracked, tracked);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private mask(text: string): string {
    return maskSecrets(text, this.secretValues);
  }
}
