import { createHmac } from 'node:crypto';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectSsh,
  fetchHostKey,
  fingerprintOf,
  forgetHostKey,
  lookupHostKey,
  trustHostKey,
  type SshConnectOptions,
} from '../src/ssh/index.js';
import { knownHostsParseCount } from '../src/ssh/known-hosts.js';
import { generateHostKey, startTestServer, type TestServer } from './helpers/ssh-server.js';
import { sshFailure } from './helpers/ssh-failure.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-ssh-hk-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function options(server: TestServer, knownHostsFile: string, strict = false): SshConnectOptions {
  return {
    label: 'edge1',
    host: server.host,
    port: server.port,
    auth: { username: 'admin', password: 'secret' },
    hostKeys: { knownHostsFile, strict },
    timeouts: { connect: 2000, banner: 2000, auth: 2000 },
  };
}

describe('host key policy', () => {
  it('trusts on first use, then refuses a changed key naming both fingerprints', async () => {
    const file = join(dir, 'tofu');
    const first = await startTestServer();
    const port = first.port;
    const conn = await connectSsh(options(first, file));
    await conn.close();
    await first.close();
    expect(lookupHostKey(file, '127.0.0.1', port).map((k) => k.fingerprint)).toEqual([first.fingerprint]);

    // same address, new host key: a reinstalled device or an attacker
    const second = await startTestServer({ port, hostKey: generateHostKey() });
    try {
      const err = await sshFailure(connectSsh(options(second, file)));
      expect(err.errorClass).toBe('host-key');
      expect(err.message).toContain(first.fingerprint);
      expect(err.message).toContain(second.fingerprint);
      expect(err.hint).toContain('netstacks device trust edge1');
      // the refused key was not stored, and nothing was authenticated
      expect(lookupHostKey(file, '127.0.0.1', port)).toHaveLength(1);
      expect(second.stats.authAttempts).toBe(0);

      // strict mode does not matter for a changed key, and trusting the new one fixes it
      trustHostKey(file, '127.0.0.1', port, 'ssh-ed25519', (await fetchHostKey('127.0.0.1', port)).keyBase64);
      const again = await connectSsh(options(second, file, true));
      expect(again.fingerprint).toBe(second.fingerprint);
      await again.close();
      expect(lookupHostKey(file, '127.0.0.1', port).map((k) => k.fingerprint)).toEqual([second.fingerprint]);
    } finally {
      await second.close();
    }
  });

  it('strict mode refuses an unknown key and stores nothing', async () => {
    const file = join(dir, 'strict');
    const server = await startTestServer();
    try {
      const err = await sshFailure(connectSsh(options(server, file, true)));
      expect(err.errorClass).toBe('host-key');
      expect(err.message).toContain('unknown');
      expect(err.message).toContain(server.fingerprint);
      expect(err.hint).toContain('netstacks device trust edge1');
      expect(lookupHostKey(file, server.host, server.port)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('fetchHostKey reads the key without authenticating', async () => {
    const server = await startTestServer();
    try {
      const key = await fetchHostKey(server.host, server.port);
      expect(key.keyType).toBe('ssh-ed25519');
      expect(key.fingerprint).toBe(server.fingerprint);
      expect(fingerprintOf(key.keyBase64)).toBe(server.fingerprint);
      expect(server.stats.authAttempts).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('known_hosts file', () => {
  const blobA = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.alloc(36, 1)]).toString('base64');
  const blobB = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.alloc(36, 2)]).toString('base64');

  it('writes plain hosts for port 22 and [host]:port otherwise', () => {
    const file = join(dir, 'format');
    trustHostKey(file, 'R1.example', 22, 'ssh-ed25519', blobA);
    trustHostKey(file, '10.0.0.1', 2222, 'ssh-ed25519', blobB);
    expect(readFileSync(file, 'utf8')).toBe(`r1.example ssh-ed25519 ${blobA}\n[10.0.0.1]:2222 ssh-ed25519 ${blobB}\n`);
    expect(lookupHostKey(file, 'r1.example', 22)[0]?.keyBase64).toBe(blobA);
    expect(lookupHostKey(file, '10.0.0.1', 22)).toEqual([]);
  });

  it('sees lines other processes append, and hashed OpenSSH entries', () => {
    const file = join(dir, 'external');
    trustHostKey(file, 'a', 22, 'ssh-ed25519', blobA);
    expect(lookupHostKey(file, 'b', 22)).toEqual([]);
    // |1|salt|HMAC-SHA1(salt, "b") as `ssh-keygen -H` writes it
    const salt = Buffer.alloc(20, 7);
    const hash = createHmac('sha1', salt).update('b').digest('base64');
    appendFileSync(file, `# comment\n|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${blobB}\n`);
    expect(lookupHostKey(file, 'b', 22)[0]?.keyBase64).toBe(blobB);
  });

  it('forgetHostKey removes only that host', () => {
    const file = join(dir, 'forget');
    writeFileSync(file, `a ssh-ed25519 ${blobA}\n[a]:830 ssh-ed25519 ${blobB}\nb ssh-ed25519 ${blobB}\n`);
    expect(forgetHostKey(file, 'a', 22)).toBe(1);
    expect(readFileSync(file, 'utf8')).toBe(`[a]:830 ssh-ed25519 ${blobB}\nb ssh-ed25519 ${blobB}\n`);
    expect(forgetHostKey(file, 'zz', 22)).toBe(0);
  });

  it('parses the file once for many lookups, and again only after it changed', () => {
    const file = join(dir, 'cached');
    trustHostKey(file, 'a', 22, 'ssh-ed25519', blobA);
    lookupHostKey(file, 'a', 22);
    const start = knownHostsParseCount();
    for (let i = 0; i < 500; i++) lookupHostKey(file, `host${i}`, 22);
    expect(knownHostsParseCount()).toBe(start);
    appendFileSync(file, `c ssh-ed25519 ${blobB}\n`);
    expect(lookupHostKey(file, 'c', 22)).toHaveLength(1);
    expect(knownHostsParseCount()).toBe(start + 1);
  });
});
