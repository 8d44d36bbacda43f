import { randomBytes } from 'node:crypto';
import { NetstacksError, ValidationError } from '../core/errors.js';
import type { ChangePath, PlatformDefinition } from '../platforms/types.js';
import { CommandError, SessionClosedError } from '../session/errors.js';
import type { DeviceSession, SendInModeOptions } from '../session/types.js';

/**
 * One configuration change on one device, with the device's own safety net where it has one
 * (after NAPALM's load/compare/commit/rollback contract). The path per platform is data
 * (`config.change` in src/platforms): Junos/IOS-XR/VyOS commit confirmed, IOS revert timer, EOS
 * configure sessions with a commit timer, NX-OS checkpoints, PAN-OS candidate + commit, and plain
 * lines with computed rollback lines elsewhere. Linux has no config model and is refused.
 */
export interface ChangeRequest {
  commands: string[];
  rollback: string[];
  confirmMinutes?: number;
  /** config text for platforms that load whole blocks (Junos brace templates) */
  intendedText?: string;
  /** how `intendedText` is loaded: 'merge' (default) or 'replace' (sections marked `replace:` are replaced, for owned sections) */
  load?: 'merge' | 'replace';
  /** opens a new session to the same device: rollback() uses it when the first connection dropped */
  reconnect?: () => Promise<DeviceSession>;
}

export interface AppliedChange {
  /** the device's own compare (Junos `show | compare`, XR `show commit changes diff`), where it has one */
  deviceCompare?: string;
  output: string;
  /** a device-side safety net is armed and needs confirm() */
  pendingConfirm: boolean;
}

export interface ChangeTransaction {
  apply(): Promise<AppliedChange>;
  confirm(): Promise<void>;
  rollback(): Promise<void>;
  save(): Promise<void>;
}

/** The platform cannot take a configuration change (Linux: no config model). */
export class ChangeNotSupportedError extends ValidationError {
  constructor(platform: string) {
    super(
      `platform '${platform}' has no configuration model: NetStacks cannot change its config safely`,
      'config changes need a network platform; use `netstacks run` for shell commands',
    );
  }
}

/** The device refused a line of the change (one of its failure patterns matched). */
export class ChangeRefusedError extends NetstacksError {
  constructor(
    readonly device: string,
    readonly command: string,
    readonly deviceMessage: string,
    /** 1-based line of the change, where known */
    readonly line?: number,
    cause?: unknown,
  ) {
    super('change_refused', `${device}: the device refused ${line === undefined ? '' : `line ${line} `}'${command}': ${deviceMessage}`, {
      exit: 'devicesFailed',
      cause,
      hint: 'nothing is kept: roll the change back (the device-side safety net reverts it otherwise)',
    });
  }
}

/** Some rollback lines were refused (the rest were sent). */
export class ChangeRollbackError extends NetstacksError {
  constructor(
    readonly device: string,
    readonly refused: { command: string; deviceMessage: string }[],
  ) {
    super('rollback_incomplete', `${device}: ${refused.length} rollback line(s) refused: ${refused.map((r) => `'${r.command}': ${r.deviceMessage}`).join('; ')}`, {
      exit: 'devicesFailed',
      hint: 'compare the running config with the last backup before changing this device again',
    });
  }
}

/** The path a platform takes: its declared one, or what its config style implies. */
export function changePathFor(platform: PlatformDefinition): ChangePath {
  if (!platform.config.model) throw new ChangeNotSupportedError(platform.name);
  if (platform.config.change) return platform.config.change;
  return platform.config.style === 'candidate'
    ? { net: 'candidate', commit: platform.config.commit ?? 'commit', ...(platform.config.abort ? { abort: platform.config.abort } : {}) }
    : { net: 'lines' };
}

/** `hh:mm:ss` for EOS' `commit timer` */
function hms(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
}

function isClosed(error: unknown): boolean {
  return error instanceof SessionClosedError || (error instanceof NetstacksError && (error as { errorClass?: string }).errorClass === 'unreachable');
}

/** commits and loads of big configs take a while on real boxes */
const COMMIT_TIMEOUT_MS = 120_000;

type Phase = 'new' | 'applying' | 'applied' | 'failed' | 'confirmed' | 'rolled-back';

/** Begins a change; nothing is sent until apply(). */
export function beginChange(session: DeviceSession, request: ChangeRequest): ChangeTransaction {
  const platform = session.platform;
  const path = changePathFor(platform);
  if (request.confirmMinutes !== undefined && (!Number.isInteger(request.confirmMinutes) || request.confirmMinutes < 1)) {
    throw new ValidationError(`confirm minutes must be a whole number of at least 1 (got ${request.confirmMinutes})`);
  }
  return new Transaction(session, request, path);
}

class Transaction implements ChangeTransaction {
  private phase: Phase = 'new';
  /** lines may have reached the device's running config */
  private touched = false;
  /** the candidate was committed (candidate nets) */
  private committed = false;
  /** the device-side timer is running */
  private armed = false;
  /** the checkpoint (NX-OS) exists */
  private checkpointed = false;
  /** the connection dropped: rollback needs a new session */
  private dropped = false;
  private readonly name = `netstacks-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

  constructor(
    private session: DeviceSession,
    private readonly request: ChangeRequest,
    private readonly path: ChangePath,
  ) {}

  private get platform(): PlatformDefinition {
    return this.session.platform;
  }

  private fill(template: string): string {
    const minutes = this.request.confirmMinutes ?? 0;
    return template
      .replaceAll('{minutes}', String(minutes))
      .replaceAll('{seconds}', String(minutes * 60))
      .replaceAll('{hms}', hms(minutes))
      .replaceAll('{name}', this.name);
  }

  /** The session's mode-aware command, which every shell session has. */
  private run(mode: string | undefined, command: string, options: SendInModeOptions = {}) {
    if (!this.session.sendInMode) throw new ValidationError(`${this.session.device}: this session cannot run config transactions (no interactive shell)`);
    return this.session.sendInMode(mode, command, options);
  }

  /** Runs a config-entering command; true when the device landed in config mode (else throws, or false with `mustEnter` unset). */
  private async enter(template: string, mustEnter = false): Promise<boolean> {
    const command = this.fill(template);
    const result = await this.run(this.platform.defaultMode, command);
    if (result.mode === this.platform.configMode) return true;
    await this.toDefault().catch(() => undefined);
    if (!mustEnter) return false;
    throw new CommandError(this.session.device, command, result.output.trim() || `did not reach ${this.platform.configMode} mode`);
  }

  private async toDefault(): Promise<void> {
    if (this.session.moveToMode) await this.session.moveToMode(this.platform.defaultMode);
  }

  async apply(): Promise<AppliedChange> {
    if (this.phase !== 'new') throw new ValidationError(`${this.session.device}: a change is applied once`);
    this.phase = 'applying';
    try {
      const result = await this.applyPath();
      this.phase = 'applied';
      return result;
    } catch (error) {
      this.phase = 'failed';
      if (isClosed(error)) this.dropped = true;
      if (error instanceof CommandError) throw new ChangeRefusedError(this.session.device, error.command, error.deviceMessage, error.line, error);
      throw error;
    }
  }

  private async applyPath(): Promise<AppliedChange> {
    const { path, request } = this;
    const timer = request.confirmMinutes !== undefined;
    switch (path.net) {
      case 'lines': {
        this.touched = true;
        const result = await this.session.pushConfig(request.commands);
        return { output: result.output, pendingConfirm: false };
      }
      case 'checkpoint': {
        const checkpoint = path.checkpoint as NonNullable<ChangePath['checkpoint']>;
        await this.run(checkpoint.mode, this.fill(checkpoint.create));
        this.checkpointed = true;
        this.touched = true;
        const result = await this.session.pushConfig(request.commands);
        // the checkpoint stays (rollback() returns to it) until confirm() removes it; it never fires by itself
        return { output: result.output, pendingConfirm: false };
      }
      case 'revert-timer': {
        const plain = path.enterWithoutTimer ?? 'configure terminal';
        if (timer && path.enter) {
          // a device without the archive feature refuses the timer: fall back to plain lines
          const entered = await this.enter(path.enter).catch(() => false);
          this.armed = entered;
          if (!entered) await this.enter(plain, true);
        } else await this.enter(plain, true);
        this.touched = true;
        const outputs = await this.sendLines(request.commands, async () => this.toDefault());
        await this.toDefault();
        return { output: outputs, pendingConfirm: this.armed };
      }
      case 'config-session':
      case 'commit-confirmed':
      case 'candidate': {
        for (const command of path.prepare ?? []) await this.run(this.platform.defaultMode, command).catch(() => undefined);
        await this.enter(path.enter ?? 'configure', true);
        // an EOS session outlives a lost connection: rollback() aborts it from a new one
        if (path.net === 'config-session') this.touched = true;
        const abandon = async () => {
          if (path.abort) await this.run(undefined, this.fill(path.abort)).catch(() => undefined);
          await this.toDefault().catch(() => undefined);
        };
        let output: string;
        if (request.intendedText !== undefined && path.load) {
          const load = request.load === 'replace' ? path.load.replace : path.load.merge;
          try {
            output = (await this.run(undefined, load, { timeoutMs: COMMIT_TIMEOUT_MS, block: { lines: request.intendedText.replace(/\n$/, '').split('\n'), end: path.load.end } })).output;
          } catch (error) {
            await abandon();
            throw error;
          }
        } else {
          output = await this.sendLines(request.commands, abandon);
        }
        let deviceCompare: string | undefined;
        if (path.compare) {
          try {
            deviceCompare = (await this.run(undefined, path.compare)).output;
          } catch (error) {
            await abandon();
            throw error;
          }
        }
        const commit = timer && path.commitConfirmed ? path.commitConfirmed : (path.commit ?? 'commit');
        // from here on the change may be live: a refused or lost commit is rolled back like a live one
        this.touched = true;
        let said: string;
        try {
          said = (await this.run(undefined, this.fill(commit), { timeoutMs: COMMIT_TIMEOUT_MS })).output;
        } catch (error) {
          if (!isClosed(error)) await abandon();
          throw error;
        }
        this.committed = true;
        this.armed = timer && path.commitConfirmed !== undefined;
        await this.toDefault();
        return { ...(deviceCompare === undefined ? {} : { deviceCompare }), output: [output, said].filter(Boolean).join('\n'), pendingConfirm: this.armed };
      }
    }
  }

  /** Config lines one by one in the mode the session is in; on a refusal `abandon` runs and the error is thrown. */
  private async sendLines(lines: string[], abandon: () => Promise<void>): Promise<string> {
    const outputs: string[] = [];
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue;
      try {
        const result = await this.run(undefined, line, { config: true, line: index + 1 });
        if (result.output) outputs.push(result.output);
      } catch (error) {
        if (!isClosed(error)) await abandon().catch(() => undefined);
        throw error;
      }
    }
    return outputs.join('\n');
  }

  async confirm(): Promise<void> {
    if (this.phase !== 'applied') throw new ValidationError(`${this.session.device}: only an applied change can be confirmed`);
    const { path } = this;
    if (path.net === 'checkpoint' && this.checkpointed) {
      const checkpoint = path.checkpoint as NonNullable<ChangePath['checkpoint']>;
      await this.run(checkpoint.mode, this.fill(checkpoint.remove));
      this.checkpointed = false;
    } else if (this.armed && path.confirm) {
      await this.run(path.confirm.mode, this.fill(path.confirm.command));
      await this.toDefault();
    }
    this.armed = false;
    this.phase = 'confirmed';
  }

  async rollback(): Promise<void> {
    if (this.phase === 'new' || this.phase === 'rolled-back') return;
    if (this.phase === 'applying') throw new ValidationError(`${this.session.device}: the change is still being applied`);
    if (!this.touched && !this.checkpointed) {
      this.phase = 'rolled-back';
      return;
    }
    if (this.dropped) await this.reconnect();
    try {
      await this.rollbackOnce();
    } catch (error) {
      if (!isClosed(error) || this.dropped || !this.request.reconnect) throw error;
      await this.reconnect();
      await this.rollbackOnce();
    }
    this.phase = 'rolled-back';
  }

  private async reconnect(): Promise<void> {
    if (!this.request.reconnect) throw new SessionClosedError(this.session.device, `${this.session.device}: the connection dropped during the change and no reconnect was given for the rollback`);
    await this.session.close().catch(() => undefined);
    this.session = await this.request.reconnect();
    this.dropped = false;
  }

  private async rollbackOnce(): Promise<void> {
    const { path } = this;
    switch (path.net) {
      case 'checkpoint': {
        const checkpoint = path.checkpoint as NonNullable<ChangePath['checkpoint']>;
        if (this.checkpointed) {
          await this.run(checkpoint.mode, this.fill(checkpoint.restore));
          await this.run(checkpoint.mode, this.fill(checkpoint.remove)).catch(() => undefined);
          this.checkpointed = false;
          return;
        }
        return this.pushRollbackLines();
      }
      case 'revert-timer':
      case 'config-session':
        if (this.armed && path.revertNow) {
          await this.run(path.revertNow.mode, this.fill(path.revertNow.command));
          this.armed = false;
          return;
        }
        if (path.net === 'config-session' && !this.committed) {
          // a session that never committed changed nothing; drop it if it survived a lost connection
          if (path.revertNow) await this.run(path.revertNow.mode, this.fill(path.revertNow.command)).catch(() => undefined);
          return;
        }
        return this.pushRollbackLines();
      case 'commit-confirmed':
      case 'candidate':
        // an uncommitted candidate was thrown away (or went with the connection: private/exclusive)
        if (!this.committed) return;
        if (this.platform.config.rollback) {
          // Junos `rollback 1` + `commit` at once; the commit-confirmed timer would revert anyway
          await this.session.rollback(1);
          this.armed = false;
          return;
        }
        return this.pushRollbackLines(true);
      case 'lines':
        return this.pushRollbackLines();
    }
  }

  /** The computed rollback lines; a refused one does not stop the others (it may negate what never arrived). */
  private async pushRollbackLines(commit = false): Promise<void> {
    const lines = this.request.rollback.filter((l) => l.trim() !== '');
    if (lines.length === 0) return;
    if (!this.session.sendInMode) {
      await this.session.pushConfig(lines);
      return;
    }
    const refused: { command: string; deviceMessage: string }[] = [];
    // FortiOS has no config mode to enter: its `config …`/`end` blocks start from the default one
    await this.session.moveToMode?.(this.platform.configMode ?? this.platform.defaultMode);
    for (const line of lines) {
      try {
        await this.run(undefined, line, { config: true });
      } catch (error) {
        if (!(error instanceof CommandError)) throw error;
        refused.push({ command: error.command, deviceMessage: error.deviceMessage });
      }
    }
    if (commit) await this.run(undefined, this.path.commit ?? this.platform.config.commit ?? 'commit');
    await this.toDefault();
    if (refused.length > 0) throw new ChangeRollbackError(this.session.device, refused);
  }

  async save(): Promise<void> {
    await this.session.pushConfig([], { save: true });
  }
}
