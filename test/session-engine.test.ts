import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getPlatform } from '../src/platforms/index.js';
import { CommandError, createTranscript, openDeviceSession, type DeviceSession } from '../src/session/index.js';
import { FakeDevice, fakeConnection, type FakeDeviceOptions } from './session-fake-device.js';

const ios = getPlatform('cisco_ios');
const VERSION = 'Cisco IOS Software, Version 15.9\nuptime is 3 weeks\nR1# is not a prompt here';

async function open(options: FakeDeviceOptions = {}, extra: { transcript?: string } = {}): Promise<{ device: FakeDevice; session: DeviceSession }> {
  const device = new FakeDevice({ startPrivileged: false, enableSecret: 'En4ble!', outputs: { 'show version': VERSION }, ...options });
  const session = await openDeviceSession(fakeConnection(device), {
    device: 'r1',
    platform: ios,
    secrets: { password: 'Pa55word', enable: 'En4ble!' },
    commandTimeoutMs: 3000,
    transcript: extra.transcript ? createTranscript(extra.transcript, ['Pa55word', 'En4ble!']) : undefined,
  });
  return { device, session };
}

describe('shell session engine over a fake device', () => {
  it('logs in, enables, disables paging and returns output without echo or prompt', async () => {
    const { device, session } = await open();
    expect(session.mode).toBe('privileged');
    expect(device.received.join('')).toContain('terminal length 0\n');
    const result = await session.send('show version');
    expect(result.output).toBe(VERSION);
    await session.close();
    expect(device.received.join('')).toMatch(/exit\n$/);
  });

  it('never takes half a prompt: R1, 300 ms, then #', async () => {
    const { session } = await open({ splitPromptDelayMs: 300 });
    const started = Date.now();
    const result = await session.send('show version');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(result.output).toBe(VERSION);
    // still in step: the next command gets its own output
    expect((await session.send('show version')).output).toBe(VERSION);
    await session.close();
  });

  it('waits for a prompt that comes hundreds of ms late', async () => {
    const { session } = await open({ promptDelayMs: 250 });
    expect((await session.send('show version')).output).toBe(VERSION);
    await session.close();
  });

  it('is not fooled by banners full of prompt lookalikes, cut at the worst places', async () => {
    const banner = 'router#\r\nswitch>\r\n#####\r\nR1# do not touch\r\nAuthorized access only\r\n';
    const { session } = await open({ banner, chunkSize: 7, chunkDelayMs: 70, chunkBannerOnly: true });
    expect((session as DeviceSession & { prompt: string }).prompt).toBe('R1#');
    expect((await session.send('show version')).output).toBe(VERSION);
    await session.close();
  });

  it('does not end a command at an output line that starts like the prompt, cut after the #', async () => {
    // chunks pause 25 ms each; one ends right after 'R1#' in the middle of the output
    const { session } = await open({ pauseAfter: { text: 'uptime is 3 weeks\r\nR1#', ms: 0 }, chunkSize: 16, chunkDelayMs: 25 });
    expect((await session.send('show version')).output).toBe(VERSION);
    await session.close();
  });

  it('handles a bare \\r before the prompt and ANSI colour codes', async () => {
    const { session } = await open({ crBeforePrompt: true, ansi: true });
    const result = await session.send('show version');
    expect(result.output).toBe(VERSION);
    expect(result.output).not.toMatch(/[\r\x1b]/);
    await session.close();
  });

  it('answers --More-- and removes the pager and its erase sequence', async () => {
    const lines = Array.from({ length: 45 }, (_, i) => `line ${i + 1}`);
    const { session } = await open({ pageLines: 10, ignorePagingOff: true, outputs: { 'show log': lines.join('\n') } });
    const result = await session.send('show log');
    expect(result.output.split('\n')).toEqual(lines);
    await session.close();
  });

  it('gets past "Press any key to continue"', async () => {
    const { session } = await open({ pressAnyKey: true });
    expect((await session.send('show version')).output).toBe(VERSION);
    await session.close();
  });

  it('strips an echo that arrives one character at a time, in small slow chunks', async () => {
    const { session } = await open({ echoInPieces: true, chunkSize: 3, chunkDelayMs: 1 });
    expect((await session.send('show version')).output).toBe(VERSION);
    await session.close();
  });

  it('reads 5 MB of output in well under a second of CPU', async () => {
    const big = Array.from({ length: 80_000 }, (_, i) => `interface GigabitEthernet0/${i} description some longer text here`).join('\n');
    expect(big.length).toBeGreaterThan(5_000_000);
    const { session } = await open({ outputs: { 'show tech': big } });
    const cpu = process.cpuUsage();
    const result = await session.send('show tech');
    const used = process.cpuUsage(cpu);
    expect(result.output.length).toBe(big.length);
    expect(result.output.slice(-60)).toBe(big.slice(-60));
    expect((used.user + used.system) / 1000).toBeLessThan(1000);
    await session.close();
  });

  it("fails a command with the device's own message", async () => {
    const { session } = await open();
    const error = await session.send('show bogus').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).errorClass).toBe('command-error');
    expect((error as CommandError).message).toContain("% Invalid input detected at '^' marker.");
    expect((await session.send('show version')).output).toBe(VERSION);
    await session.close();
  });

  it('times out with errorClass timeout', async () => {
    const device = new FakeDevice({ hangOn: ['show hang'] });
    const session = await openDeviceSession(fakeConnection(device), { device: 'r1', platform: ios, secrets: {}, commandTimeoutMs: 2000 });
    const error = await session.send('show hang', { timeoutMs: 200 }).catch((e: unknown) => e);
    expect((error as { errorClass: string }).errorClass).toBe('timeout');
    await session.close();
  });

  it('refuses a wrong enable secret with errorClass auth', async () => {
    const device = new FakeDevice({ startPrivileged: false, enableSecret: 'right' });
    const error = await openDeviceSession(fakeConnection(device), {
      device: 'r1',
      platform: ios,
      secrets: { enable: 'wrong' },
      commandTimeoutMs: 2000,
    }).catch((e: unknown) => e);
    expect((error as { errorClass: string }).errorClass).toBe('auth');
    expect(String((error as Error).message)).not.toContain('wrong');
  });

  it('pushes config, stops at the first failing line with its number, and leaves config mode', async () => {
    const { device, session } = await open();
    const pushed = await session.pushConfig(['interface Gi0/2', ' description new', '', 'hostname R1'], { save: false });
    expect(pushed.sent).toEqual(['interface Gi0/2', ' description new', 'hostname R1']);
    expect(device.config).toContain('interface Gi0/2');
    expect(session.mode).toBe('privileged');
    const error = await session.pushConfig(['ntp server 10.0.0.1', 'bogus command', 'never sent']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).line).toBe(2);
    expect((error as CommandError).message).toContain('% Invalid input');
    expect(device.config).not.toContain('never sent');
    expect(session.mode).toBe('privileged');
    await session.close();
  });

  it('answers [confirm] during a push', async () => {
    const { device, session } = await open();
    const pushed = await session.pushConfig(['no username bob', 'ip domain-name lab.example']);
    expect(pushed.sent).toHaveLength(2);
    expect(device.config).toContain('ip domain-name lab.example');
    await session.close();
  });

  it('follows a hostname change during a push', async () => {
    const { session } = await open();
    await session.pushConfig(['hostname R2']);
    expect((await session.send('show version')).output).toBe(VERSION);
    await session.close();
  });

  it('returns the running config with the cleanup rules applied', async () => {
    const { session } = await open();
    const config = await session.runningConfig();
    expect(config).toBe('hostname R1\ninterface Gi0/1\n description uplink\nend\n');
    await session.close();
  });

  it('masks the enable secret and config secrets in the transcript', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ns-transcript-')), 'r1.log');
    const { session } = await open({ chunkSize: 4 }, { transcript: file });
    await session.pushConfig(['username admin secret 0 Sup3rS3cret', 'enable secret 5 $1$abcd$efgh']).catch(() => undefined);
    await session.close();
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('terminal length 0');
    expect(text).toContain('********');
    for (const secret of ['En4ble!', 'Sup3rS3cret', '$1$abcd$efgh']) expect(text).not.toContain(secret);
  });
});

describe('exec session (linux)', () => {
  it('runs commands on exec channels and turns a non-zero exit into a CommandError', async () => {
    const device = new FakeDevice();
    const connection = fakeConnection(device, async (command) =>
      command === 'false' ? { stdout: '', stderr: 'nope\n', code: 1 } : { stdout: `ran ${command}\r\n`, stderr: '', code: 0 },
    );
    const session = await openDeviceSession(connection, { device: 'h1', platform: getPlatform('linux'), secrets: {}, commandTimeoutMs: 1000 });
    expect((await session.send('uname -a')).output).toBe('ran uname -a');
    const error = await session.send('false').catch((e: unknown) => e);
    expect((error as CommandError).errorClass).toBe('command-error');
    expect((error as CommandError).message).toContain('nope');
    await session.close();
    expect(connection.closedCount).toBe(1);
  });
});
