import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintOf } from '../../src/ssh/known-hosts.js';

/**
 * Real OpenSSH (Debian's openssh-server) on a loopback port for tests, with its own host key,
 * config and authorized_keys in a temp dir. Logs in as a dedicated user with /bin/sh, because
 * root's bash would source the machine's profile on every exec.
 */
export const SSHD = '/usr/sbin/sshd';
export const TEST_USER = 'netstacks-test';
export const TEST_PASSWORD = 'Nst-pw-4-tests';

export interface Sshd {
  host: string;
  port: number;
  username: string;
  password: string;
  clientKey: string;
  /** SHA256 fingerprint of the server's host key */
  fingerprint: string;
  stop(): Promise<void>;
}

/** Why the OpenSSH tests cannot run here, or undefined when they can. */
export function sshdUnavailable(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is absent (apt-get install openssh-server)`;
  if (process.getuid?.() !== 0) return 'starting sshd with a test user needs root';
  return undefined;
}

function ensureTestUser(): void {
  try {
    execFileSync('id', [TEST_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', TEST_USER], { stdio: 'ignore' });
  }
  // sets a known password and unlocks the account ('!' would refuse key logins without PAM)
  execFileSync('chpasswd', [], { input: `${TEST_USER}:${TEST_PASSWORD}\n`, stdio: ['pipe', 'ignore', 'ignore'] });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function bannerArrives(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.once('data', (d: Buffer) => {
      sock.destroy();
      resolve(d.toString().startsWith('SSH-'));
    });
    sock.once('error', () => resolve(false));
  });
}

async function waitForBanner(port: number, child: ChildProcess, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}`);
    if (await bannerArrives(port)) return;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error('sshd did not start listening');
}

/** extraConfig: more sshd_config lines, e.g. `KexAlgorithms diffie-hellman-group-exchange-sha1` */
export async function startSshd(extraConfig: string[] = []): Promise<Sshd> {
  ensureTestUser();
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(join(tmpdir(), 'ns-sshd-'));
  chmodSync(dir, 0o755); // sshd reads authorized_keys as the test user
  const hostKey = join(dir, 'ssh_host_ed25519_key');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', hostKey]);
  // ssh-keygen rather than ssh2: a test may need src/ssh to be the first to load ssh2
  const clientKeyFile = join(dir, 'client_ed25519');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', clientKeyFile]);
  const client = { private: readFileSync(clientKeyFile, 'utf8'), public: readFileSync(`${clientKeyFile}.pub`, 'utf8').trim() };
  writeFileSync(join(dir, 'authorized_keys'), client.public + '\n', { mode: 0o644 });
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'UsePAM no',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin no',
      `AllowUsers ${TEST_USER}`,
      'PrintMotd no',
      'LogLevel ERROR',
      ...extraConfig,
      '',
    ].join('\n'),
  );
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(SSHD, ['-D', '-e', '-f', config, '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await waitForBanner(port, child);
      return {
        host: '127.0.0.1',
        port,
        username: TEST_USER,
        password: TEST_PASSWORD,
        clientKey: client.private,
        fingerprint: fingerprintOf(readFileSync(`${hostKey}.pub`, 'utf8').split(' ')[1] ?? ''),
        stop: () => stopAndRemove(child, dir),
      };
    } catch (err) {
      lastError = new Error(`${(err as Error).message}: ${stderr.trim()}`);
      child.kill('SIGKILL');
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}

export interface SshAgent {
  socketPath: string;
  stop(): Promise<void>;
}

/** Starts OpenSSH's ssh-agent on a private socket and loads one unencrypted key into it. */
export async function startSshAgent(privateKey: string): Promise<SshAgent> {
  const dir = mkdtempSync(join(tmpdir(), 'ns-agent-'));
  const socketPath = join(dir, 'agent.sock');
  const child = spawn('ssh-agent', ['-D', '-a', socketPath], { stdio: 'ignore' });
  const deadline = Date.now() + 3000;
  while (!existsSync(socketPath)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('ssh-agent did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  const keyFile = join(dir, 'id');
  writeFileSync(keyFile, privateKey.endsWith('\n') ? privateKey : privateKey + '\n', { mode: 0o600 });
  execFileSync('ssh-add', ['-q', keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socketPath }, stdio: 'ignore' });
  return {
    socketPath,
    stop: () => stopAndRemove(child, dir),
  };
}

/** Ends a daemon we started (SIGTERM, wait for it) and removes its scratch directory. */
async function stopAndRemove(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
