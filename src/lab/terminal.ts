import type { Writable } from 'node:stream';
import { randInt, type Random } from './rng.js';
import type { LabQuirk } from './types.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The device's side of the screen: turns `\n` into `\r\n` and applies the device's quirks
 * (chunked writes, split or late prompts, a bare `\r`, ANSI codes). Respects the SSH channel's
 * flow control so multi-megabyte configs stream without buffering everything.
 */
export class TerminalWriter {
  closed = false;
  private readonly quirks: Set<LabQuirk>;

  constructor(
    private readonly stream: Writable,
    quirks: readonly LabQuirk[],
    private readonly random: Random,
  ) {
    this.quirks = new Set(quirks);
  }

  has(quirk: LabQuirk): boolean {
    return this.quirks.has(quirk);
  }

  /** Output text (with `\n` line ends), chunked when the device has that quirk. */
  async write(text: string): Promise<void> {
    if (!text || this.closed) return;
    let raw = text.replace(/\r?\n/g, '\r\n');
    if (this.quirks.has('ansi-codes')) raw = raw.replace(/\r\n(?=.)/g, () => (this.random() < 0.2 ? '\r\n\x1b[K' : '\r\n'));
    if (!this.quirks.has('chunked-output')) return this.send(raw);
    await this.writeChunked(raw);
  }

  /** Raw bytes, no translation: echo, erase sequences. */
  async writeRaw(raw: string): Promise<void> {
    if (!this.closed) await this.send(raw);
  }

  private prompts = 0;

  /**
   * The first prompt of a session always shows the device's prompt quirks; later ones only now and
   * then, so a 100-line config push on a quirky device takes seconds, not minutes.
   */
  async writePrompt(prompt: string): Promise<void> {
    if (this.closed) return;
    const show = this.prompts++ === 0 || this.random() < 0.3;
    if (this.quirks.has('delayed-prompt') && show) await sleep(randInt(this.random, 150, 400));
    let text = prompt;
    if (this.quirks.has('ansi-codes')) text = `\x1b[1m${prompt.trimEnd()}\x1b[0m${prompt.slice(prompt.trimEnd().length)}`;
    if (this.quirks.has('cr-before-prompt')) text = '\r' + text;
    if (this.quirks.has('split-prompt') && prompt.length > 2 && show) {
      const cut = Math.max(1, Math.floor(text.length / 2));
      await this.send(text.slice(0, cut));
      await sleep(randInt(this.random, 50, 300));
      await this.send(text.slice(cut));
      return;
    }
    if (this.quirks.has('chunked-output')) return this.writeChunked(text);
    await this.send(text);
  }

  private async writeChunked(raw: string): Promise<void> {
    // Small random chunks at both ends; the middle of big outputs goes in large pieces so a
    // 5 MB config does not take minutes.
    const head = Math.min(raw.length, 2048);
    const tailStart = Math.max(head, raw.length - 256);
    let i = 0;
    let n = 0;
    while (i < raw.length && !this.closed) {
      const inMiddle = i >= head && i < tailStart;
      const size = inMiddle ? Math.min(tailStart - i, 32_768) : randInt(this.random, 1, 20);
      await this.send(raw.slice(i, i + size));
      i += size;
      if (!inMiddle && ++n % 8 === 0) await sleep(randInt(this.random, 0, 2));
    }
  }

  private send(raw: string): Promise<void> {
    if (this.closed || !raw) return Promise.resolve();
    try {
      if (this.stream.write(raw)) return Promise.resolve();
    } catch {
      this.closed = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.once('drain', done);
      this.stream.once('close', done);
    });
  }
}

/**
 * Keystrokes from the client, read the way a terminal line discipline would: as lines (echoed
 * or not), or as single keys for pagers and "press any key".
 */
export class InputReader {
  private buffer = '';
  private ended = false;
  private wake?: () => void;
  private skipLineFeed = false;

  push(data: string): void {
    this.buffer += data;
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  private async more(): Promise<boolean> {
    if (this.buffer.length > 0) return true;
    if (this.ended) return false;
    await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = undefined;
    return this.buffer.length > 0 || !this.ended;
  }

  /** One line; `echo` receives what a terminal would show while typing. Null when input ended. */
  async readLine(echo?: (raw: string) => void): Promise<string | null> {
    let line = '';
    for (;;) {
      if (!(await this.more())) return null;
      if (this.buffer.length === 0) continue;
      let shown = '';
      let i = 0;
      let done = false;
      for (; i < this.buffer.length; i++) {
        const ch = this.buffer[i] as string;
        if (this.skipLineFeed) {
          this.skipLineFeed = false;
          if (ch === '\n') continue;
        }
        if (ch === '\r' || ch === '\n') {
          this.skipLineFeed = ch === '\r';
          shown += '\r\n';
          done = true;
          i++;
          break;
        }
        if (ch === '\x7f' || ch === '\b') {
          if (line.length > 0) {
            line = line.slice(0, -1);
            shown += '\b \b';
          }
        } else if (ch === '\x03') {
          line = '\x03';
          shown += '^C\r\n';
          done = true;
          i++;
          break;
        } else if (ch === '\x04') {
          // Ctrl-D ends a block typed after `load merge terminal`; the newline after it is not a line
          line = '\x04';
          shown += '\r\n';
          this.skipLineFeed = true;
          done = true;
          i++;
          break;
        } else if (ch === '\x1a') {
          line = '\x1a';
          shown += '^Z\r\n';
          done = true;
          i++;
          break;
        } else if (ch >= ' ' || ch === '\t') {
          line += ch;
          shown += ch;
        }
      }
      this.buffer = this.buffer.slice(i);
      if (echo && shown) echo(shown);
      if (done) return line;
    }
  }

  /** One keystroke (a CR LF pair counts as one). Null when input ended. */
  async readKey(): Promise<string | null> {
    for (;;) {
      if (!(await this.more())) return null;
      if (this.buffer.length === 0) continue;
      let ch = this.buffer[0] as string;
      this.buffer = this.buffer.slice(1);
      if (this.skipLineFeed) {
        this.skipLineFeed = false;
        if (ch === '\n') continue;
      }
      if (ch === '\r') {
        this.skipLineFeed = true;
        ch = '\n';
      }
      return ch;
    }
  }
}
