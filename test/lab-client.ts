import { connect, type Socket } from 'node:net';
import ssh2, { type ClientChannel, type ConnectConfig } from 'ssh2';
import { LAB_PASSWORD, LAB_USERNAME } from '../src/lab/credentials.js';

/** A tiny expect-style SSH client for lab tests: real ssh2 Client over a no-delay socket. */
export interface LabShell {
  client: ssh2.Client;
  channel: ClientChannel;
  /** everything received so far, ANSI codes removed, CRLF normalised */
  text(): string;
  /** waits until the output since the last mark matches, returns that output */
  expect(pattern: RegExp, timeoutMs?: number): Promise<string>;
  send(data: string): void;
  /** sends a line and waits for the prompt pattern; returns the output in between */
  run(line: string, prompt: RegExp, timeoutMs?: number): Promise<string>;
  close(): void;
}

export const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
export const normalise = (s: string) => stripAnsi(s).replace(/\r+\n/g, '\n').replace(/[^\n]*\r(?!\n)/g, '');

export function connectClient(host: string, port: number, extra: Partial<ConnectConfig> = {}): Promise<ssh2.Client> {
  return new Promise((resolve, reject) => {
    const sock: Socket = connect({ host, port, noDelay: true });
    sock.on('error', reject);
    sock.on('connect', () => {
      const client = new ssh2.Client();
      client.on('ready', () => resolve(client));
      client.on('error', reject);
      client.connect({ sock, username: LAB_USERNAME, password: LAB_PASSWORD, readyTimeout: 5000, ...extra });
    });
  });
}

export async function openShell(host: string, port: number, extra: Partial<ConnectConfig> = {}): Promise<LabShell> {
  const client = await connectClient(host, port, extra);
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    client.shell({ term: 'vt100', rows: 24, cols: 200 }, (err, ch) => (err ? reject(err) : resolve(ch))),
  );
  let raw = '';
  let mark = 0;
  const waiters = new Set<() => void>();
  channel.on('data', (d: Buffer) => {
    raw += d.toString('latin1');
    for (const w of waiters) w();
  });
  channel.on('close', () => {
    for (const w of waiters) w();
  });
  const text = () => normalise(raw);
  const expect = (pattern: RegExp, timeoutMs = 5000) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const now = text();
        const fresh = now.slice(mark);
        const m = pattern.exec(fresh);
        if (m) {
          waiters.delete(check);
          clearTimeout(timer);
          mark += m.index + m[0].length;
          resolve(fresh.slice(0, m.index + m[0].length));
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out waiting for ${pattern}; got:\n${text().slice(mark)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  return {
    client,
    channel,
    text,
    expect,
    send: (data) => channel.write(data),
    run: async (line, prompt, timeoutMs) => {
      channel.write(line + '\n');
      return expect(prompt, timeoutMs);
    },
    close: () => client.end(),
  };
}

export function execCommand(client: ssh2.Client, command: string): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      stream.on('data', (d: Buffer) => (stdout += d.toString()));
      stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      stream.on('exit', (c: number | null) => (code = c));
      stream.on('close', () => resolve({ stdout, stderr, code }));
    });
  });
}
