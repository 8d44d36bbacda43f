import { Duplex } from 'node:stream';
import type { SshConnection } from '../src/ssh/types.js';

/**
 * A scripted IOS-like device behind a fake SSH shell channel, with the quirks real devices have:
 * slow chunks, split and late prompts, '\r' before the prompt, ANSI codes, a pager, a "press any
 * key" screen, banners full of prompt lookalikes. Used by the session engine's unit tests.
 */
export interface FakeDeviceOptions {
  hostname?: string;
  banner?: string;
  enableSecret?: string;
  startPrivileged?: boolean;
  /** split every output into chunks of this many characters… */
  chunkSize?: number;
  /** …with this delay between them (ms) */
  chunkDelayMs?: number;
  /** send the prompt as hostname, then this many ms later, '#' */
  splitPromptDelayMs?: number;
  /** wait this long before any prompt */
  promptDelayMs?: number;
  crBeforePrompt?: boolean;
  ansi?: boolean;
  pressAnyKey?: boolean;
  /** echo typed characters one by one with a delay */
  echoInPieces?: boolean;
  /** lines per page before '--More--' until 'terminal length 0' */
  pageLines?: number;
  runningConfig?: string[];
  /** chunk only the banner (chunkSize, chunkDelayMs) */
  chunkBannerOnly?: boolean;
  /** pause output this long right after this text */
  pauseAfter?: { text: string; ms: number };
  /** '--More--' even after 'terminal length 0' */
  ignorePagingOff?: boolean;
  /** commands the device never answers */
  hangOn?: string[];
  /** extra commands: name → output */
  outputs?: Record<string, string>;
}

export class FakeDevice {
  readonly stream: Duplex;
  readonly received: string[] = [];
  readonly config: string[];
  paging: boolean;
  closed = false;
  private mode: 'exec' | 'privileged' | 'config';
  private hostname: string;
  private typed = '';
  private state: 'login' | 'command' | 'password' | 'pager' | 'anykey' | 'confirm' = 'login';
  private pagerRest: string[] = [];
  private outputChain: Promise<void> = Promise.resolve();

  constructor(private readonly options: FakeDeviceOptions = {}) {
    this.hostname = options.hostname ?? 'R1';
    this.mode = options.startPrivileged === false ? 'exec' : 'privileged';
    this.paging = (options.pageLines ?? 0) > 0;
    this.config = [...(options.runningConfig ?? ['hostname R1', 'interface Gi0/1', ' description uplink', 'end'])];
    this.stream = new Duplex({
      read() {},
      write: (chunk: Buffer, _encoding, callback) => {
        this.input(chunk.toString('utf8'));
        callback();
      },
      final: (callback) => callback(),
    });
    this.stream.on('close', () => (this.closed = true));
  }

  start(): void {
    if (this.options.banner) this.emit(this.options.banner, 0, true);
    if (this.options.pressAnyKey) {
      this.emit('\nPress any key to continue');
      this.state = 'anykey';
      return;
    }
    this.state = 'command';
    this.emitPrompt();
  }

  prompt(): string {
    const end = this.mode === 'exec' ? '>' : '#';
    return this.mode === 'config' ? `${this.hostname}(config)#` : `${this.hostname}${end}`;
  }

  private input(text: string): void {
    this.received.push(text);
    for (const ch of text) this.key(ch);
  }

  private key(ch: string): void {
    if (this.state === 'anykey') {
      this.state = 'command';
      this.emit('\n');
      this.emitPrompt();
      return;
    }
    if (this.state === 'pager') {
      if (ch === ' ') {
        this.emit('\b\b\b\b\b\b\b\b        \b\b\b\b\b\b\b\b');
        this.page();
      }
      return;
    }
    if (ch === '\n' || ch === '\r') {
      const line = this.typed;
      this.typed = '';
      if (this.state !== 'password') this.emit('\r\n');
      this.line(line);
      return;
    }
    this.typed += ch;
    if (this.state !== 'password') this.emit(ch, this.options.echoInPieces ? 5 : 0);
  }

  private line(line: string): void {
    if (this.state === 'confirm') {
      this.state = 'command';
      return this.emitPrompt();
    }
    if (this.state === 'password') {
      this.state = 'command';
      if (line === (this.options.enableSecret ?? 'enable-secret')) this.mode = 'privileged';
      else this.emit('% Access denied\r\n\r\n');
      this.emitPrompt();
      return;
    }
    const command = line.trim();
    if (command === '') return this.emitPrompt();
    if (command === 'enable') {
      this.state = 'password';
      this.emit('Password: ');
      return;
    }
    if (command === 'exit') {
      this.stream.push(null);
      this.stream.destroy();
      return;
    }
    if (this.mode === 'exec' && command !== 'terminal length 0' && command !== 'terminal width 511' && !command.startsWith('show')) {
      return this.invalid();
    }
    if (this.mode === 'config') {
      if (command === 'end') {
        this.mode = 'privileged';
      } else if (command.startsWith('bogus')) {
        return this.invalid();
      } else if (command.startsWith('no username')) {
        this.state = 'confirm';
        this.emit('This operation will remove all username related configurations with same name.Do you want to continue? [confirm]');
        return;
      } else {
        this.config.splice(this.config.length - 1, 0, command);
        if (command.startsWith('hostname ')) this.hostname = command.slice(9);
      }
      return this.emitPrompt();
    }
    if (this.options.hangOn?.includes(command)) return;
    if (command === 'terminal length 0') this.paging = Boolean(this.options.ignorePagingOff);
    else if (command === 'terminal width 511') {
      /* accepted */
    } else if (command === 'configure terminal') {
      this.mode = 'config';
      this.emit('Enter configuration commands, one per line.  End with CNTL/Z.\r\n');
    } else if (command === 'show running-config') {
      this.paged(['Building configuration...', '', 'Current configuration : 1234 bytes', '! Last configuration change at 10:00:00 UTC', ...this.config]);
      return;
    } else if (this.options.outputs?.[command] !== undefined) {
      this.paged(this.options.outputs[command].split('\n'));
      return;
    } else return this.invalid();
    this.emitPrompt();
  }

  private invalid(): void {
    this.emit("                  ^\r\n% Invalid input detected at '^' marker.\r\n\r\n");
    this.emitPrompt();
  }

  private paged(lines: string[]): void {
    this.pagerRest = lines;
    this.page();
  }

  private page(): void {
    const size = this.paging ? (this.options.pageLines ?? 20) : this.pagerRest.length;
    const now = this.pagerRest.slice(0, size);
    this.pagerRest = this.pagerRest.slice(size);
    if (now.length > 0) this.emit(now.join('\r\n') + '\r\n');
    if (this.pagerRest.length > 0) {
      this.state = 'pager';
      this.emit(' --More-- ');
    } else {
      this.state = 'command';
      this.emitPrompt();
    }
  }

  private emitPrompt(): void {
    const prompt = this.prompt();
    const lead = this.options.crBeforePrompt ? '\r' : '';
    const wrap = (s: string): string => (this.options.ansi ? `\x1b[1;32m${s}\x1b[0m` : s);
    if (this.options.promptDelayMs) this.pause(this.options.promptDelayMs);
    if (this.options.splitPromptDelayMs) {
      this.emit(lead + wrap(prompt.slice(0, -1)));
      this.pause(this.options.splitPromptDelayMs);
      this.emit(wrap(prompt.slice(-1)));
    } else {
      this.emit(lead + wrap(prompt));
    }
  }

  private pause(ms: number): void {
    this.outputChain = this.outputChain.then(() => delay(ms));
  }

  /** Queues output, cut into chunks when the options say so. */
  emit(text: string, delayMs = 0, banner = false, pauseChecked = false): void {
    const pause = this.options.pauseAfter;
    const at = pause && !pauseChecked ? text.indexOf(pause.text) : -1;
    if (pause && at >= 0) {
      this.emit(text.slice(0, at + pause.text.length), delayMs, banner, true);
      this.pause(pause.ms);
      this.emit(text.slice(at + pause.text.length), delayMs, banner);
      return;
    }
    const size = this.options.chunkBannerOnly && !banner ? 0 : (this.options.chunkSize ?? 0);
    const chunks = size > 0 ? cut(text, size) : [text];
    for (const chunk of chunks) {
      this.outputChain = this.outputChain.then(async () => {
        const wait = delayMs || (size > 0 ? (this.options.chunkDelayMs ?? 0) : 0);
        if (wait > 0) await delay(wait);
        if (!this.stream.destroyed) this.stream.push(chunk);
      });
    }
  }
}

function cut(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** An SshConnection whose shell is the fake device. */
export function fakeConnection(device: FakeDevice, exec?: SshConnection['exec']): SshConnection & { closedCount: number } {
  const connection = {
    label: 'fake',
    fingerprint: 'SHA256:fake',
    connectMs: 1,
    closedCount: 0,
    async openShell() {
      setImmediate(() => device.start());
      return device.stream;
    },
    exec: exec ?? (async () => ({ stdout: '', stderr: '', code: 0 })),
    async close() {
      connection.closedCount += 1;
      device.stream.destroy();
    },
  };
  return connection;
}
