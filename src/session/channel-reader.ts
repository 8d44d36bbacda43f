import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { normalizeLineEnds, resolveLine, resolveLines, splitIncompleteEscape, stripAnsi } from './normalize.js';

export type WaitOutcome = 'data' | 'timeout' | 'closed';

/**
 * Buffers what a shell channel sends, already normalised. Complete lines are kept as a list of
 * chunks and joined once, when taken; the unfinished last line (where prompts, pagers and
 * questions appear) is kept apart, so matching never rescans the whole output.
 */
export class ChannelReader {
  private completed: string[] = [];
  private completedLength = 0;
  /** the unfinished last line, ANSI-free but with its '\r' and backspaces not yet applied */
  private rawLine = '';
  private resolvedLine: string | undefined = '';
  private heldEscape = '';
  private readonly decoder = new StringDecoder('utf8');
  private wakers: (() => void)[] = [];
  private closedReason: Error | undefined;
  private lastDataAt = 0;
  /** when the previous chunk of the current burst arrived; cleared by our own writes */
  private previousChunkAt: number | undefined;
  private longestGap = 0;

  /**
   * Tells whether an unfinished line is the start of a prompt already seen: a pause there is a
   * prompt sent in two writes, which says nothing about pauses elsewhere in the output.
   */
  isPromptStart: (line: string) => boolean = () => false;

  constructor(
    private readonly stream: Duplex,
    private readonly onRaw?: (text: string) => void,
  ) {
    stream.on('data', (data: Buffer | string) => this.receive(typeof data === 'string' ? data : this.decoder.write(data)));
    stream.on('close', () => this.close(new Error('channel closed')));
    stream.on('end', () => this.close(new Error('channel ended')));
    stream.on('error', (err: Error) => this.close(err));
  }

  get closed(): Error | undefined {
    return this.closedReason;
  }

  /** milliseconds since data last arrived */
  idleMs(): number {
    return Date.now() - this.lastDataAt;
  }

  /** the unfinished last line as it shows on screen */
  currentLine(): string {
    if (this.resolvedLine === undefined) this.resolvedLine = resolveLine(this.rawLine);
    return this.resolvedLine;
  }

  /** Replace the unfinished last line (drop an answered pager or question). */
  replaceCurrentLine(text: string): void {
    this.rawLine = text;
    this.resolvedLine = text;
  }

  /**
   * The longest pause in the middle of a line since the last take(), not counting the device's
   * think time after our own writes: how slow this device streams, for settling on a prompt.
   */
  get longestGapMs(): number {
    return this.longestGap;
  }

  /** The first `n` characters of the complete lines, for looking at the command echo. */
  head(n: number): string {
    let text = '';
    for (const chunk of this.completed) {
      text += chunk;
      if (text.length >= n) break;
    }
    return text.slice(0, n);
  }

  get completedSize(): number {
    return this.completedLength;
  }

  /** The last complete line (without its '\n'), or '' when there is none. */
  lastCompletedLine(): string {
    const lines = this.completed.slice(-3).join('').split('\n');
    return lines.length >= 2 ? (lines[lines.length - 2] ?? '') : '';
  }

  /** Everything received so far as complete lines plus the current line; clears the buffer. */
  take(): { lines: string; current: string } {
    const lines = this.completed.length === 1 ? (this.completed[0] ?? '') : this.completed.join('');
    const current = this.currentLine();
    this.completed = [];
    this.completedLength = 0;
    this.rawLine = '';
    this.resolvedLine = '';
    this.longestGap = 0;
    return { lines, current };
  }

  /** The complete lines received so far; clears them but keeps the unfinished last line. */
  takeCompleted(): string {
    const lines = this.completed.join('');
    this.completed = [];
    this.completedLength = 0;
    return lines;
  }

  write(text: string): void {
    if (this.closedReason) throw this.closedReason;
    this.previousChunkAt = undefined;
    this.stream.write(text);
  }

  /** Resolves when more data arrives, the channel closes, or `timeoutMs` passes. */
  waitForData(timeoutMs: number): Promise<WaitOutcome> {
    if (this.closedReason) return Promise.resolve('closed');
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          this.wakers = this.wakers.filter((w) => w !== wake);
          resolve('timeout');
        },
        Math.max(0, timeoutMs),
      );
      const wake = (): void => {
        clearTimeout(timer);
        resolve(this.closedReason ? 'closed' : 'data');
      };
      this.wakers.push(wake);
    });
  }

  /** Resolves when the channel closes or `timeoutMs` passes. */
  async waitForClose(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closedReason) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) return false;
      await this.waitForData(remaining);
    }
    return true;
  }

  private receive(decoded: string): void {
    if (decoded.length === 0) return;
    const now = Date.now();
    // a pause at a line end is the device thinking; a pause mid-line is what makes prompts ambiguous
    if (this.previousChunkAt !== undefined && this.rawLine.length > 0 && !this.isPromptStart(this.currentLine().trimStart())) {
      this.longestGap = Math.max(this.longestGap, now - this.previousChunkAt);
    }
    this.previousChunkAt = now;
    this.lastDataAt = now;
    this.onRaw?.(decoded);
    const [complete, held] = splitIncompleteEscape(this.heldEscape + decoded);
    this.heldEscape = held;
    const combined = normalizeLineEnds(this.rawLine + stripAnsi(complete));
    const lastNewline = combined.lastIndexOf('\n');
    if (lastNewline === -1) {
      this.rawLine = combined;
    } else {
      const lines = resolveLines(combined.slice(0, lastNewline + 1));
      this.completed.push(lines);
      this.completedLength += lines.length;
      this.rawLine = combined.slice(lastNewline + 1);
    }
    this.resolvedLine = undefined;
    this.wakeAll();
  }

  private close(reason: Error): void {
    if (this.closedReason) return;
    this.closedReason = reason;
    this.wakeAll();
  }

  private wakeAll(): void {
    const wakers = this.wakers;
    this.wakers = [];
    for (const wake of wakers) wake();
  }
}
