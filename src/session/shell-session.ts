import { UsageError } from '../core/errors.js';
import type { Interaction, PlatformDefinition } from '../platforms/types.js';
import type { SshConnection } from '../ssh/types.js';
import { ChannelReader } from './channel-reader.js';
import { CommandError, ModeChangeError, SessionClosedError, SessionError, SessionTimeoutError } from './errors.js';
import { maskSecrets } from './masking.js';
import { findModePath } from './modes.js';
import { applyCleanup, echoProbe, extractOutput, failureLines } from './output.js';
import { compileInteractions, compilePlatform, findInteraction, identifyMode } from './prompt.js';
import type { CompiledInteraction, CompiledPlatform } from './prompt.js';
import type { CommandResult, ConfigPushResult, DeviceSession, SessionSecrets, TranscriptSink } from './types.js';

/**
 * How long a line that looks like a prompt must stay the last thing received before it counts.
 * A line equal to a prompt already seen in this session (after the command echo) counts at once
 * from a device that streams without pauses; from one that pauses between chunks, any prompt-like
 * line waits for a multiple of the longest pause seen, so a '#' that ends a chunk in the middle
 * of the output is not taken for the end.
 */
const PROMPT_SETTLE_MS = 40;
const GAP_SETTLE_FACTOR = 2;
const MAX_SETTLE_MS = 300;
/** a prompt seen before the command echo may be stale or from a device that does not echo */
const NO_ECHO_SETTLE_MS = 250;
/** quiet after the first prompt-looking line at login, before probing with a newline */
const LOGIN_QUIET_MS = 60;
/** a question on a line of its own (with a newline after it) is answered once output stops */
const QUESTION_IDLE_MS = 150;
const CLOSE_WAIT_MS = 300;

export interface ShellSessionOptions {
  device: string;
  platform: PlatformDefinition;
  secrets: SessionSecrets;
  commandTimeoutMs: number;
  loginTimeoutMs: number;
  transcript?: TranscriptSink;
}

interface ExchangeOptions {
  /** wait for this command's echo before a prompt counts; undefined when nothing is echoed */
  echo?: string;
  interactions?: readonly CompiledInteraction[];
  timeoutMs: number;
  /** what we were doing, for error messages */
  what: string;
}

interface ExchangeResult {
  output: string;
  prompt: string;
  mode: string;
}

/** A logged-in interactive shell driven by a platform definition. */
export class ShellSession implements DeviceSession {
  readonly device: string;
  readonly platform: PlatformDefinition;
  private currentMode = '';
  private lastPrompt = '';
  private readonly compiled: CompiledPlatform;
  private readonly knownPrompts = new Set<string>();
  private readonly secretValues: string[];
  private queue: Promise<unknown> = Promise.resolve();
  private closing: Promise<void> | undefined;
  private busy = false;
  private readonly newline: string;

  private constructor(
    private readonly connection: SshConnection,
    private readonly reader: ChannelReader,
    private readonly options: ShellSessionOptions,
  ) {
    this.device = options.device;
    this.platform = options.platform;
    this.compiled = compilePlatform(options.platform);
    this.newline = options.platform.newline ?? '\n';
    this.secretValues = [options.secrets.password, options.secrets.enable].filter((s): s is string => Boolean(s));
    reader.isPromptStart = (line) => {
      for (const prompt of this.knownPrompts) if (prompt.length > line.length && prompt.startsWith(line)) return true;
      return false;
    };
  }

  static async open(connection: SshConnection, options: ShellSessionOptions): Promise<ShellSession> {
    const stream = await connection.openShell({ cols: 511, rows: 24, term: 'vt100' });
    const transcript = options.transcript;
    const reader = new ChannelReader(stream, transcript ? (text) => transcript.write('in', text) : undefined);
    const session = new ShellSession(connection, reader, options);
    try {
      await session.login();
      await session.enterMode(options.platform.defaultMode);
      for (const command of options.platform.onOpen) {
        // best effort: an old box without 'terminal width' still works
        const result = await session.exchange(command, { echo: command, timeoutMs: options.commandTimeoutMs, what: `'${command}'` });
        session.currentMode = result.mode;
      }
      if (session.currentMode !== options.platform.defaultMode) await session.enterMode(options.platform.defaultMode);
    } catch (error) {
      stream.destroy();
      throw error;
    }
    return session;
  }

  get mode(): string {
    return this.currentMode;
  }

  /** the last prompt line seen */
  get prompt(): string {
    return this.lastPrompt;
  }

  send(command: string, options?: { timeoutMs?: number }): Promise<CommandResult> {
    return this.serialized(async () => {
      await this.enterMode(this.platform.defaultMode);
      const started = performance.now();
      const timeoutMs = options?.timeoutMs ?? this.options.commandTimeoutMs;
      const result = await this.exchange(command, { echo: command, timeoutMs, what: `'${this.mask(command)}'` });
      this.currentMode = result.mode;
      const failure = failureLines(result.output, this.platform.failurePatterns);
      if (failure !== undefined) throw new CommandError(this.device, this.mask(command), failure);
      return { command, output: result.output, elapsed: Math.round(performance.now() - started) };
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
      for (const [index, line] of lines.entries()) {
        if (line.trim() === '') continue;
        const result = await this.exchange(line, { echo: line, timeoutMs: this.options.commandTimeoutMs, what: `config line ${index + 1}` });
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
        const result = await this.exchange(commit, { echo: commit, timeoutMs, what: `'${commit}'` });
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
          const result = await this.exchange(config.save, { echo: config.save, interactions, timeoutMs, what: `'${config.save}'` });
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
      if (!this.reader.closed && this.currentMode !== this.platform.defaultMode) {
        await this.enterMode(this.platform.defaultMode).catch(() => undefined);
      }
      for (const command of this.platform.onClose) {
        if (this.reader.closed) break;
        this.write(command + this.newline);
      }
      if (!this.reader.closed) await this.reader.waitForClose(CLOSE_WAIT_MS);
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
      const result = await this.exchange(edge.send, {
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
        const result = await this.exchange(abort, { echo: abort, timeoutMs: this.options.commandTimeoutMs, what: `'${abort}'` });
        this.currentMode = result.mode;
      }
      await this.enterMode(this.platform.defaultMode);
    } catch {
      // the failed line is the error worth reporting; a later command will notice a stuck session
    }
  }

  private async login(): Promise<void> {
    const deadline = Date.now() + this.options.loginTimeoutMs;
    const answered = new Set<Interaction>();
    for (;;) {
      const line = this.reader.currentLine();
      const question = findInteraction(this.compiled.loginInteractions, line);
      if (question && !answered.has(question.interaction)) {
        answered.add(question.interaction);
        this.answer(question.interaction);
        this.reader.replaceCurrentLine('');
        continue;
      }
      if (identifyMode(this.compiled, line) !== undefined) {
        const outcome = await this.reader.waitForData(LOGIN_QUIET_MS);
        if (outcome === 'timeout') break;
        if (outcome === 'closed') throw this.closedError('login');
        continue;
      }
      if (line === '' && this.reader.idleMs() >= QUESTION_IDLE_MS) {
        const previous = findInteraction(this.compiled.loginInteractions, this.reader.lastCompletedLine());
        if (previous && !answered.has(previous.interaction)) {
          answered.add(previous.interaction);
          this.answer(previous.interaction);
          continue;
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw this.timeoutError('login', this.options.loginTimeoutMs);
      const wait = line === '' ? Math.min(remaining, QUESTION_IDLE_MS) : remaining;
      const outcome = await this.reader.waitForData(wait);
      if (outcome === 'closed') throw this.closedError('login');
    }
    const candidate = this.reader.currentLine().trim();
    this.knownPrompts.add(candidate);
    // banners may hold prompt-like lines: the real prompt is the one the device repeats for a newline
    const probe = await this.exchange('', { timeoutMs: Math.max(0, deadline - Date.now()), what: 'login' });
    if (probe.prompt !== candidate) this.knownPrompts.delete(candidate);
    this.currentMode = probe.mode;
  }

  /**
   * Sends `text` and a newline, then reads until a prompt is the last line: answering pagers and
   * the given questions on the way, requiring the echo first, and letting unfamiliar prompt-like
   * lines settle so half a prompt or a banner line is never taken for the prompt.
   */
  private async exchange(text: string, options: ExchangeOptions): Promise<ExchangeResult> {
    this.reader.take();
    this.write(text + this.newline);
    const deadline = Date.now() + options.timeoutMs;
    const probe = options.echo === undefined ? '' : echoProbe(options.echo);
    let echoSeen = probe.length === 0;
    const answered = new Set<Interaction>();
    for (;;) {
      const line = this.reader.currentLine();
      const pager = findInteraction(this.compiled.pagers, line);
      if (pager) {
        this.answer(pager.interaction);
        this.reader.replaceCurrentLine(line.slice(0, pager.index));
        continue;
      }
      const question = findInteraction(options.interactions ?? [], line);
      if (question) {
        if (answered.has(question.interaction) && typeof question.interaction.respond !== 'string') {
          throw new ModeChangeError(this.device, 'auth', `${options.what}: the device asked again for the secret it was given (wrong secret?)`);
        }
        answered.add(question.interaction);
        this.answer(question.interaction);
        this.reader.replaceCurrentLine('');
        continue;
      }
      if (!echoSeen) echoSeen = this.reader.head(probe.length + 4096).includes(probe);
      const mode = identifyMode(this.compiled, line);
      if (mode !== undefined) {
        const prompt = line.trim();
        const gapSettle = Math.min(MAX_SETTLE_MS, Math.ceil(this.reader.longestGapMs * GAP_SETTLE_FACTOR));
        const familiar = echoSeen && this.knownPrompts.has(prompt);
        if (familiar && gapSettle < 5) return this.finish(options.echo, prompt, mode);
        const settle = familiar ? gapSettle : Math.max(gapSettle, echoSeen ? PROMPT_SETTLE_MS : NO_ECHO_SETTLE_MS);
        const outcome = await this.reader.waitForData(settle);
        if (outcome === 'timeout') return this.finish(options.echo, prompt, mode);
        if (outcome === 'closed') throw this.closedError(options.what);
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw this.timeoutError(options.what, options.timeoutMs);
      const outcome = await this.reader.waitForData(remaining);
      if (outcome === 'closed') throw this.closedError(options.what);
    }
  }

  private finish(echo: string | undefined, prompt: string, mode: string): ExchangeResult {
    const { lines } = this.reader.take();
    this.knownPrompts.add(prompt);
    this.lastPrompt = prompt;
    return { output: extractOutput(lines, echo, this.compiled.outputNoise), prompt, mode };
  }

  private answer(interaction: Interaction): void {
    const respond = interaction.respond;
    let text: string;
    if (typeof respond === 'string') {
      text = respond;
    } else {
      const secret = respond.secret === 'enable' ? (this.options.secrets.enable ?? this.options.secrets.password) : this.options.secrets.password;
      if (secret === undefined) {
        throw new ModeChangeError(this.device, 'auth', `the device asks for the ${respond.secret} secret and none is set`);
      }
      text = secret;
    }
    this.write(interaction.noNewline ? text : text + this.newline);
  }

  private write(text: string): void {
    if (this.reader.closed) throw this.closedError('writing');
    this.options.transcript?.write('out', text);
    this.reader.write(text);
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

  private timeoutError(what: string, timeoutMs: number): SessionTimeoutError {
    const last = this.mask(this.reader.currentLine().trim()).slice(0, 80);
    return new SessionTimeoutError(
      this.device,
      `no prompt within ${(timeoutMs / 1000).toFixed(1)}s after ${what}${last ? ` (last line: '${last}')` : ''}`,
    );
  }

  private closedError(what: string): SessionClosedError {
    return new SessionClosedError(this.device, `connection closed during ${what}`, this.reader.closed);
  }
}
