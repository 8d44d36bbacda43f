import type { ServerChannel } from 'ssh2';
import { InputReader, sleep, TerminalWriter } from './terminal.js';
import type { DeviceIdentity, DeviceSession, Personality, Shell } from './personality.js';
import type { LabQuirk } from './types.js';
import { randomFor } from './rng.js';

export interface ShellFaults {
  latencyMs: number;
  dropMidCommand: boolean;
  hangAfterLogin: boolean;
}

export interface ShellOptions {
  id: DeviceIdentity;
  personality: Personality;
  state: () => unknown;
  username: string;
  quirks: readonly LabQuirk[];
  faults: ShellFaults;
  minuteMs: number;
  pageLines: number;
  /** drops the TCP connection (the drop-mid-command fault) */
  dropConnection: () => void;
  /** a command the lab itself answers (lab-reset) before the personality sees it */
  control?: (line: string) => string | undefined;
  /** claims the device's one-shot drop fault, if one is pending (`lab.dropOnce`) */
  takeDrop?: () => { afterConfigLines: number } | undefined;
  /** a reload command (src/lab/reload.ts): 'no' when the line is not one; 'rebooted' ends the session */
  reload?: (line: string, shell: Shell) => Promise<'no' | 'handled' | 'rebooted'>;
}

let sessionCounter = 0;

/** What both kinds of shell answer straight from their options: the device, the login name, the lab's minute. */
abstract class ShellBase {
  constructor(protected readonly options: ShellOptions) {}

  get id(): DeviceIdentity {
    return this.options.id;
  }
  get username(): string {
    return this.options.username;
  }
  get minuteMs(): number {
    return this.options.minuteMs;
  }
  get quirks(): readonly LabQuirk[] {
    return this.options.quirks;
  }
}

/** One interactive shell (PTY) on a lab device: banner, prompts, paging, and the command loop. */
export class InteractiveShell extends ShellBase implements Shell {
  paging = true;
  readonly exec = false;
  private readonly out: TerminalWriter;
  private readonly input = new InputReader();
  private ended = false;
  private drop?: { left: number };
  private readonly session: DeviceSession;

  constructor(
    private readonly channel: ServerChannel,
    options: ShellOptions,
  ) {
    super(options);
    const random = randomFor(options.id.seed, 'session', options.id.name, String(++sessionCounter));
    this.out = new TerminalWriter(channel, options.quirks, random);
    channel.on('error', () => undefined);
    channel.on('data', (data: Buffer) => this.input.push(data.toString('latin1')));
    channel.on('end', () => this.input.end());
    channel.on('close', () => {
      this.out.closed = true;
      this.input.end();
      this.ended = true;
    });
    this.session = options.personality.session(this, options.state());
  }

  async run(): Promise<void> {
    try {
      const { personality, id } = this.options;
      await this.out.write(personality.motd(id));
      const anyKey = personality.pressAnyKey ?? (this.out.has('press-any-key') ? 'Press any key to continue' : undefined);
      if (anyKey) {
        await this.out.write(anyKey);
        if ((await this.input.readKey()) === null) return;
        await this.out.writeRaw('\r\n');
      }
      if (this.options.faults.hangAfterLogin) {
        // Logged in, but no prompt ever comes: swallow input until the client gives up.
        while ((await this.input.readKey()) !== null);
        return;
      }
      while (!this.ended) {
        await this.out.writePrompt(this.session.prompt());
        const line = await this.input.readLine((echo) => void this.out.writeRaw(echo));
        if (line === null) break;
        if (this.options.faults.latencyMs) await sleep(this.options.faults.latencyMs);
        const answer = this.options.control?.(line.trim());
        if (answer !== undefined) await this.out.write(answer);
        else if (this.options.reload && (await this.options.reload(line, this)) !== 'no') {
          if (this.ended) break;
        } else {
          const configLine = (this.session as { inConfig?: boolean }).inConfig === true;
          try {
            await this.session.execute(line);
          } catch (error) {
            // A bug in one simulated command must not take the whole lab down.
            await this.out.write(`% lab error: ${error instanceof Error ? error.message : String(error)}\n`);
          }
          if (configLine && this.dropAfterConfigLine()) break;
        }
      }
    } finally {
      this.exit();
    }
  }

  /** The one-shot drop fault: counts config lines and drops the connection after the Nth (then never again). */
  private dropAfterConfigLine(): boolean {
    if (this.drop === undefined) {
      const pending = this.options.takeDrop?.();
      if (!pending) return false;
      this.drop = { left: pending.afterConfigLines };
    }
    this.drop.left--;
    if (this.drop.left > 0) return false;
    this.options.dropConnection();
    this.ended = true;
    return true;
  }

  async print(text: string): Promise<void> {
    if (!text || this.ended) return;
    if (this.options.faults.dropMidCommand && text.length > 40) {
      await this.out.write(text.slice(0, Math.floor(text.length / 2)));
      await sleep(5);
      this.options.dropConnection();
      this.ended = true;
      return;
    }
    if (!this.paging) return this.out.write(text);
    const lines = text.split('\n');
    const trailingNewline = text.endsWith('\n');
    if (trailingNewline) lines.pop();
    const page = Math.max(2, this.options.pageLines - 1);
    let i = 0;
    let budget = page;
    while (i < lines.length) {
      const chunk = lines.slice(i, i + budget);
      i += chunk.length;
      const last = i >= lines.length;
      await this.out.write(chunk.join('\n') + (last ? (trailingNewline ? '\n' : '') : '\n'));
      if (last || this.ended) break;
      const { prompt, erase } = this.options.personality.pager;
      await this.out.writeRaw(typeof prompt === 'function' ? prompt(1, i) : prompt);
      const key = await this.input.readKey();
      await this.out.writeRaw(erase);
      if (key === null || key === 'q' || key === 'Q' || key === '\x03') {
        if (key !== null) await this.out.write('\n');
        break;
      }
      budget = key === '\n' ? 1 : page;
    }
  }

  async ask(question: string, options: { secret?: boolean } = {}): Promise<string | null> {
    await this.out.write(question);
    return this.input.readLine(options.secret ? (echo) => echo.includes('\n') && void this.out.writeRaw('\r\n') : (echo) => void this.out.writeRaw(echo));
  }

  status(): void {
    // an interactive shell shows no exit status
  }

  exit(code = 0): void {
    if (this.ended && this.out.closed) return;
    this.ended = true;
    this.input.end();
    try {
      this.channel.exit(code);
      this.channel.end();
    } catch {
      // the client may already be gone
    }
  }
}

/** One command on an exec channel: no prompt, no paging, output then exit status. */
export class ExecShell extends ShellBase implements Shell {
  paging = false;
  readonly exec = true;
  private exitCode = 0;
  private output = '';

  constructor(
    options: ShellOptions,
    private readonly errorPattern: RegExp,
  ) {
    super(options);
  }

  async run(channel: ServerChannel, command: string): Promise<void> {
    channel.on('error', () => undefined);
    if (this.options.faults.hangAfterLogin) return;
    if (this.options.faults.latencyMs) await sleep(this.options.faults.latencyMs);
    const answer = this.options.control?.(command.trim());
    if (answer !== undefined) this.output = answer;
    else {
      try {
        const session = this.options.personality.session(this, this.options.state());
        await session.execute(command);
      } catch (error) {
        this.output += `% lab error: ${error instanceof Error ? error.message : String(error)}\n`;
        this.exitCode = 1;
      }
    }
    const text = this.output.replace(/\r?\n/g, this.options.personality.platform === 'linux' ? '\n' : '\r\n');
    if (this.options.faults.dropMidCommand && text.length > 40) {
      channel.write(text.slice(0, Math.floor(text.length / 2)));
      await sleep(5);
      this.options.dropConnection();
      return;
    }
    const linux = this.options.personality.platform === 'linux';
    const failed = this.exitCode !== 0 || (!linux && this.errorPattern.test(this.output));
    if (failed && linux) channel.stderr.write(text);
    else if (text) await new Promise<void>((resolve) => (channel.write(text) ? resolve() : channel.once('drain', () => resolve())));
    channel.exit(failed && this.exitCode === 0 ? 1 : this.exitCode);
    channel.end();
  }

  async print(text: string): Promise<void> {
    this.output += text;
  }

  async ask(): Promise<string | null> {
    return null;
  }

  status(code: number): void {
    this.exitCode = code;
  }

  exit(code = 0): void {
    this.exitCode = code;
  }
}
