import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../src/core/errors.js';
import { applySshConfig, defaultSshConfigPath, parseJumpSpec } from '../src/ssh/index.js';

let dir: string;
let configPath: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-ssh-config-'));
  configPath = join(dir, 'config');
  writeFileSync(
    configPath,
    [
      'Host core-*',
      '  HostName %h.dc1.example.net',
      '  User netops',
      '  IdentityFile ~/.ssh/netops_ed25519',
      '  IdentityFile %d/.ssh/fallback',
      '  ProxyJump bastion1,admin@bastion2:2222',
      '',
      'host edge1',
      '  hostname 192.0.2.10',
      '  port 830',
      '  proxyjump none',
      '',
      'Host *',
      '  User default-user',
      '  Port 2200',
      '',
    ].join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('applySshConfig', () => {
  it('applies HostName (with %h), User, IdentityFile (~ and %d expanded) and ProxyJump', () => {
    expect(applySshConfig({ host: 'core-1' }, configPath)).toEqual({
      host: 'core-1.dc1.example.net',
      port: 2200,
      user: 'netops',
      identityFile: [join(homedir(), '.ssh/netops_ed25519'), join(homedir(), '.ssh/fallback')],
      proxyJump: ['bastion1', 'admin@bastion2:2222'],
    });
  });

  it('takes the first value per keyword, reads keywords case-insensitively, and honours ProxyJump none', () => {
    expect(applySshConfig({ host: 'edge1' }, configPath)).toEqual({ host: '192.0.2.10', port: 830, user: 'default-user' });
  });

  it('lets explicit values win over the file', () => {
    const applied = applySshConfig({ host: 'edge1', port: 22, username: 'me' }, configPath);
    expect(applied).toMatchObject({ host: '192.0.2.10', port: 22, user: 'me' });
  });

  it('returns the target unchanged when the file does not exist', () => {
    expect(applySshConfig({ host: 'r1' }, join(dir, 'missing'))).toEqual({ host: 'r1', port: 22 });
    expect(applySshConfig({ host: 'r1', port: 2022, username: 'u' }, join(dir, 'missing'))).toEqual({ host: 'r1', port: 2022, user: 'u' });
  });

  it('defaults to $NETSTACKS_SSH_CONFIG, then ~/.ssh/config', () => {
    expect(defaultSshConfigPath({ NETSTACKS_SSH_CONFIG: configPath })).toBe(configPath);
    expect(defaultSshConfigPath({})).toBe(join(homedir(), '.ssh', 'config'));
  });

  it('parses the file once per process', () => {
    const path = join(dir, 'once');
    writeFileSync(path, 'Host a\n  Port 1\n');
    expect(applySshConfig({ host: 'a' }, path).port).toBe(1);
    writeFileSync(path, 'Host a\n  Port 2\n');
    expect(applySshConfig({ host: 'a' }, path).port).toBe(1);
  });
});

describe('parseJumpSpec', () => {
  it('reads [user@]host[:port], bracketed IPv6 and ssh:// forms', () => {
    expect(parseJumpSpec('bastion1')).toEqual({ host: 'bastion1' });
    expect(parseJumpSpec('admin@bastion2:2222')).toEqual({ host: 'bastion2', port: 2222, user: 'admin' });
    expect(parseJumpSpec('ops@[2001:db8::1]:22')).toEqual({ host: '2001:db8::1', port: 22, user: 'ops' });
    expect(parseJumpSpec('ssh://u@h:23')).toEqual({ host: 'h', port: 23, user: 'u' });
  });

  it('rejects garbage with a ValidationError', () => {
    expect(() => parseJumpSpec('a:b:c')).toThrow(ValidationError);
  });
});
