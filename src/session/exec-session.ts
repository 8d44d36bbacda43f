import { UsageError } from '../core/errors.js';
import type { PlatformDefinition } from '../platforms/types.js';
import type { SshConnection } from '../ssh/types.js';
import { CommandError } from './errors.js';
import { maskSecrets } from './masking.js';
import { normalizeText } from './normalize.js';
import { applyCleanup, failureLines } from './output.js';
import type { CommandResult, ConfigPushResult, DeviceSession, SessionSecrets, TranscriptSink } from './types.js';

export interface ExecSessionOptions {
  device: string;
  platform: PlatformDefinition;
  secrets: SessionSecrets;
  commandTimeoutMs: number;
  transcript?: TranscriptSink;
}

/**
 * A session on a host that runs each command on its own exec channel (Linux): no prompt, no
 * paging, an exit status. A non-zero exit status is a command error carrying stderr.
 */
export class ExecSession implements DeviceSession {
  readonly device: string;
  readonly platform: PlatformDefinition;
  readonly mode: string;
  private readonly secretValues: readonly string[];
  private closing: Promise<void> | undefined;

  constructor(
    private readonly connection: SshConnection,
    private readonly options: ExecSessionOptions,
  ) {
    this.device = options.device;
    this.platform = options.platform;
    this.mode = options.platform.defaultMode;
    // frozen: maskSecrets compiles the pattern for a frozen list once
    this.secretValues = Object.freeze([options.secrets.password, options.secrets.enable].filter((s): s is string => Boolean(s)));
  }

  async send(command: string, options?: { timeoutMs?: number }): Promise<CommandResult> {
    const started = performance.now();
    const output = await this.run(command, options?.timeoutMs ?? this.options.commandTimeoutMs);
    return { command, output, elapsed: Math.round(performance.now() - started) };
  }

  async pushConfig(lines: string[], options?: { save?: boolean; commitConfirmedMinutes?: number }): Promise<ConfigPushResult> {
    if (options?.commitConfirmedMinutes !== undefined) {
      throw new UsageError(`platform ${this.platform.name} has no commit confirmed`, 'push without --commit-confirmed');
    }
    const sent: string[] = [];
    const outputs: string[] = [];
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      try {
        const output = await this.run(line, this.options.commandTimeoutMs);
        if (output.length > 0) outputs.push(output);
      } catch (error) {
        if (error instanceof CommandError) throw new CommandError(this.device, error.command, error.deviceMessage, index + 1);
        throw error;
      }
      sent.push(line);
    }
    return { sent, output: outputs.join('\n'), committed: false, saved: false };
  }

  confirm(): Promise<void> {
    return this.noCandidate('confirm');
  }

  discard(): Promise<void> {
    return this.noCandidate('discard');
  }

  rollback(): Promise<void> {
    return this.noCandidate('rollback');
  }

  private noCandidate(verb: string): Promise<void> {
    return Promise.reject(new UsageError(`platform ${this.platform.name} has no ${verb}`, 'only candidate platforms (Junos, IOS-XR, VyOS, PAN-OS) have one'));
  }

  async runningConfig(): Promise<string> {
    const output = await this.run(this.platform.runningConfig.command, Math.max(this.options.commandTimeoutMs, 120_000));
    return applyCleanup(output, this.platform.runningConfig.cleanup);
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.connection.close().catch(() => undefined);
      await this.options.transcript?.close().catch(() => undefined);
    })();
    return this.closing;
  }

  private async run(command: string, timeoutMs: number): Promise<string> {
    this.options.transcript?.write('out', `${command}\n`);
    const result = await this.connection.exec(command, { timeoutMs });
    this.options.transcript?.write('in', result.stdout + result.stderr);
    const stdout = normalizeText(result.stdout).trimEnd();
    const stderr = normalizeText(result.stderr).trim();
    const failure = failureLines(`${stdout}\n${stderr}`, this.platform.failurePatterns);
    if (result.code !== 0 || failure !== undefined) {
      const message = failure ?? (stderr || `exit status ${result.code ?? 'unknown'}`);
      throw new CommandError(this.device, maskSecrets(command, this.secretValues), maskSecrets(message, this.secretValues));
    }
    return stdout;
  }
}
