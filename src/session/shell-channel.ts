import type { Duplex } from 'node:stream';
import type { Interaction } from '../platforms/types.js';
import { ChannelReader } from './channel-reader.js';
import { ModeChangeError, SessionClosedError, SessionTimeoutError } from './errors.js';
import { maskSecrets } from './masking.js';
import { echoProbe, extractOutput } from './output.js';
import { findInteraction, identifyMode } from './prompt.js';
import type { CompiledInteraction, CompiledPlatform } from './prompt.js';
import type { SessionSecrets, TranscriptSink } from './types.js';

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

export interface ShellChannelOptions {
  device: string;
  compiled: CompiledPlatform;
  /** what ends a line we send */
  newline: string;
  secrets: SessionSecrets;
  transcript?: TranscriptSink;
}

export interface ExchangeOptions {
  /** wait for this command's echo before a prompt counts; undefined when nothing is echoed */
  echo?: string;
  interactions?: readonly CompiledInteraction[];
  timeoutMs: number;
  /** what we were doing, for error messages */
  what: string;
}

export interface ExchangeResult {
  /** what the device said, without the echo and the prompt */
  output: string;
  prompt: string;
  mode: string;
}

/**
 * The conversation on an interactive shell, with no knowledge of vendors: send a line, read
 * until the prompt (answering pagers and questions), and tell a real prompt from a lookalike.
 */
export class ShellChannel {
  private readonly reader: ChannelReader;
  private readonly knownPrompts = new Set<string>();
  private readonly secretValues: readonly string[];
  private lastPrompt = '';

  constructor(
    private readonly stream: Duplex,
    private readonly options: ShellChannelOptions,
  ) {
    const transcript = options.transcript;
    this.reader = new ChannelReader(stream, transcript ? (text) => transcript.write('in', text) : undefined);
    this.reader.isPromptStart = (line) => {
      for (const prompt of this.knownPrompts) if (prompt.length > line.length && prompt.startsWith(line)) return true;
      return false;
    };
    // frozen: maskSecrets compiles the pattern for a frozen list once
    this.secretValues = Object.freeze([options.secrets.password, options.secrets.enable].filter((s): s is string => Boolean(s)));
  }

  /** the last prompt line seen */
  get prompt(): string {
    return this.lastPrompt;
  }

  get closed(): boolean {
    return this.reader.closed !== undefined;
  }

  waitForClose(timeoutMs: number): Promise<boolean> {
    return this.reader.waitForClose(timeoutMs);
  }

  destroy(): void {
    this.stream.destroy();
  }

  /** Gets past banners and "press any key" to the real prompt; returns it with its mode. */
  async login(timeoutMs: number): Promise<ExchangeResult> {
    const deadline = Date.now() + timeoutMs;
    const answered = new Set<Interaction>();
    for (;;) {
      const line = this.reader.currentLine();
      const question = findInteraction(this.options.compiled.loginInteractions, line);
      if (question && !answered.has(question.interaction)) {
        answered.add(question.interaction);
        this.answer(question.interaction);
        this.reader.replaceCurrentLine('');
        continue;
      }
      if (identifyMode(this.options.compiled, line) !== undefined) {
        const outcome = await this.reader.waitForData(LOGIN_QUIET_MS);
        if (outcome === 'timeout') break;
        if (outcome === 'closed') throw this.closedError('login');
        continue;
      }
      if (line === '' && this.reader.idleMs() >= QUESTION_IDLE_MS) {
        const previous = findInteraction(this.options.compiled.loginInteractions, this.reader.lastCompletedLine());
        if (previous && !answered.has(previous.interaction)) {
          answered.add(previous.interaction);
          this.answer(previous.interaction);
          continue;
        }
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw this.timeoutError('login', timeoutMs);
      const wait = line === '' ? Math.min(remaining, QUESTION_IDLE_MS) : remaining;
      const outcome = await this.reader.waitForData(wait);
      if (outcome === 'closed') throw this.closedError('login');
    }
    const candidate = this.reader.currentLine().trim();
    this.knownPrompts.add(candidate);
    // banners may hold prompt-like lines: the real prompt is the one the device repeats for a newline
    const probe = await this.exchange('', { timeoutMs: Math.max(0, deadline - Date.now()), what: 'login' });
    if (probe.prompt !== candidate) this.knownPrompts.delete(candidate);
    return probe;
  }

  /**
   * Sends `text` and a newline, then reads until a prompt is the last line: answering pagers and
   * the given questions on the way, requiring the echo first, and letting unfamiliar prompt-like
   * lines settle so half a prompt or a banner line is never taken for the prompt.
   */
  async exchange(text: string, options: ExchangeOptions): Promise<ExchangeResult> {
    this.reader.take();
    this.write(text + this.options.newline);
    return this.awaitPrompt(options);
  }

  /**
   * Sends a block of lines at once (a config pasted into `load override terminal` or a Tcl
   * brace), where the device answers a line without a prompt, then reads until `until` matches a
   * complete line of what came back (the device's word that it read everything), then to the
   * prompt. Prompt-like lines before that are part of the paste, never its end.
   */
  async paste(text: string, until: RegExp, options: ExchangeOptions): Promise<ExchangeResult> {
    this.reader.take();
    this.write(text + this.options.newline);
    const deadline = Date.now() + options.timeoutMs;
    let seen = '';
    let tail = '';
    for (;;) {
      const fresh = this.reader.takeCompleted();
      if (fresh) {
        seen += fresh;
        // look at the new lines and the end of the previous ones (a match may span two chunks' lines)
        const window = tail + fresh;
        if (until.test(window)) break;
        tail = window.slice(window.lastIndexOf('\n', window.length - 2) + 1);
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw this.timeoutError(options.what, options.timeoutMs);
      const outcome = await this.reader.waitForData(remaining);
      if (outcome === 'closed') throw this.closedError(options.what);
    }
    const rest = await this.awaitPrompt({ ...options, echo: undefined, timeoutMs: Math.max(1000, deadline - Date.now()) });
    return { ...rest, output: extractOutput(seen, undefined, this.options.compiled.outputNoise) + (rest.output ? '\n' + rest.output : '') };
  }

  private async awaitPrompt(options: ExchangeOptions): Promise<ExchangeResult> {
    const deadline = Date.now() + options.timeoutMs;
    const probe = options.echo === undefined ? '' : echoProbe(options.echo);
    let echoSeen = probe.length === 0;
    const answered = new Set<Interaction>();
    for (;;) {
      const line = this.reader.currentLine();
      const pager = findInteraction(this.options.compiled.pagers, line);
      if (pager) {
        this.answer(pager.interaction);
        this.reader.replaceCurrentLine(line.slice(0, pager.index));
        continue;
      }
      const question = findInteraction(options.interactions ?? [], line);
      if (question) {
        if (answered.has(question.interaction) && typeof question.interaction.respond !== 'string') {
          throw new ModeChangeError(this.options.device, 'auth', `${options.what}: the device asked again for the secret it was given (wrong secret?)`);
        }
        answered.add(question.interaction);
        this.answer(question.interaction);
        this.reader.replaceCurrentLine('');
        continue;
      }
      if (!echoSeen) echoSeen = this.reader.head(probe.length + 4096).includes(probe);
      const mode = identifyMode(this.options.compiled, line);
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
    return { output: extractOutput(lines, echo, this.options.compiled.outputNoise), prompt, mode };
  }

  private answer(interaction: Interaction): void {
    const respond = interaction.respond;
    let text: string;
    if (typeof respond === 'string') {
      text = respond;
    } else {
      const { secrets } = this.options;
      const secret = respond.secret === 'enable' ? (secrets.enable ?? secrets.password) : respond.secret === 'username' ? secrets.username : secrets.password;
      if (secret === undefined) {
        throw new ModeChangeError(this.options.device, 'auth', `the device asks for the ${respond.secret} secret and none is set`);
      }
      text = secret;
    }
    this.write(interaction.noNewline ? text : text + this.options.newline);
  }

  /** Sends text as is (and to the transcript). */
  write(text: string): void {
    if (this.reader.closed) throw this.closedError('writing');
    this.options.transcript?.write('out', text);
    this.reader.write(text);
  }

  /** Sends a line without waiting for anything (goodbyes). */
  writeLine(text: string): void {
    this.write(text + this.options.newline);
  }

  private mask(text: string): string {
    return maskSecrets(text, this.secretValues);
  }

  private timeoutError(what: string, timeoutMs: number): SessionTimeoutError {
    const last = this.mask(this.reader.currentLine().trim()).slice(0, 80);
    return new SessionTimeoutError(
      this.options.device,
      `no prompt within ${(timeoutMs / 1000).toFixed(1)}s after ${what}${last ? ` (last line: '${last}')` : ''}`,
    );
  }

  private closedError(what: string): SessionClosedError {
    return new SessionClosedError(this.options.device, `connection closed during ${what}`, this.reader.closed);
  }
}
