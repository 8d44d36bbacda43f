import { readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';
import { ValidationError } from '../core/errors.js';

export interface SshConfigTarget {
  host: string;
  port?: number;
  username?: string;
}

export interface AppliedSshConfig {
  host: string;
  port: number;
  user?: string;
  identityFile?: string[];
  /** ProxyJump hops as written (`[user@]host[:port]`), first hop first; see parseJumpSpec */
  proxyJump?: string[];
}

export interface JumpSpec {
  host: string;
  port?: number;
  user?: string;
}

/** Parsed once per process and path; a missing file is an empty config. */
const parsed = new Map<string, SSHConfig | null>();

export function defaultSshConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.NETSTACKS_SSH_CONFIG || join(homedir(), '.ssh', 'config');
}

function loadConfig(path: string): SSHConfig | null {
  if (parsed.has(path)) return parsed.get(path) ?? null;
  let config: SSHConfig | null = null;
  try {
    config = SSHConfig.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EACCES') {
      throw new ValidationError(`cannot parse SSH config ${path}: ${(err as Error).message}`, undefined, err);
    }
  }
  parsed.set(path, config);
  return config;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function all(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The subset of ssh_config(5) tokens that make sense outside OpenSSH itself. */
function expandTokens(value: string, host: string, user: string | undefined): string {
  const home = homedir();
  return value
    .replace(/^~(?=\/|$)/, home)
    .replace(/%(.)/g, (whole, token: string) => {
      switch (token) {
        case 'd':
          return home;
        case 'h':
          return host;
        case 'r':
          return user ?? userInfo().username;
        case 'u':
          return userInfo().username;
        case '%':
          return '%';
        default:
          return whole;
      }
    });
}

/**
 * Resolves a device's address through ~/.ssh/config Host entries (HostName, Port, User,
 * IdentityFile, ProxyJump). Explicit values in `target` win over the file, as on the ssh command
 * line. `Match exec` is not evaluated: reading config must never run commands.
 */
export function applySshConfig(target: SshConfigTarget, configPath?: string): AppliedSshConfig {
  const config = loadConfig(configPath ?? defaultSshConfigPath());
  const computed = config ? config.compute(target.host, { ignoreCase: true, matchExec: false }) : {};
  const hostName = first(computed.hostname);
  const host = hostName ? expandTokens(hostName, target.host, undefined) : target.host;
  const portText = first(computed.port);
  const port = target.port ?? (portText && /^\d+$/.test(portText) ? Number(portText) : 22);
  const user = target.username ?? first(computed.user);
  const identityFile = all(computed.identityfile).map((f) => expandTokens(f, host, user));
  const jump = first(computed.proxyjump);
  const proxyJump = jump && jump.toLowerCase() !== 'none' ? jump.split(',').map((s) => s.trim()).filter(Boolean) : [];
  return {
    host,
    port,
    ...(user ? { user } : {}),
    ...(identityFile.length ? { identityFile } : {}),
    ...(proxyJump.length ? { proxyJump } : {}),
  };
}

/** `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]`. */
export function parseJumpSpec(spec: string): JumpSpec {
  const text = spec.trim().replace(/^ssh:\/\//, '');
  const at = text.lastIndexOf('@');
  const user = at > 0 ? text.slice(0, at) : undefined;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  const plain = /^([^:]+)(?::(\d+))?$/.exec(rest);
  const match = bracketed ?? plain;
  if (!match || !match[1]) throw new ValidationError(`invalid jump host '${spec}'`, 'expected [user@]host[:port]');
  return {
    host: match[1],
    ...(match[2] ? { port: Number(match[2]) } : {}),
    ...(user ? { user } : {}),
  };
}

/** Forgets parsed files; for tests that rewrite a config within one process. */
export function resetSshConfigCache(): void {
  parsed.clear();
}
