import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSsh } from '../src/ssh/index.js';
import { sshdUnavailable, startSshd, type Sshd } from './helpers/sshd.js';

// This file must not import ssh2 itself: src/ssh has to be the first to load it.
const unavailable = sshdUnavailable();
if (unavailable) console.warn(`skipping group-exchange test: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('diffie-hellman group exchange against OpenSSH', () => {
  let sshd: Sshd;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ns-ssh-gex-'));
    // aes128 makes ssh2 ask for a 3072-bit group: Node's createDiffieHellman would spend ~6 s checking it
    sshd = await startSshd(['KexAlgorithms diffie-hellman-group-exchange-sha256', 'Ciphers aes128-ctr']);
  });
  afterAll(async () => {
    await sshd?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('negotiates a server-chosen group without blocking the event loop for seconds', async () => {
    const require = createRequire(import.meta.url);
    expect(require.cache[require.resolve('ssh2/lib/protocol/kex.js')]).toBeUndefined();
    const started = performance.now();
    const conn = await connectSsh({
      label: 'gex',
      host: sshd.host,
      port: sshd.port,
      auth: { username: sshd.username, privateKey: sshd.clientKey },
      hostKeys: { knownHostsFile: join(dir, 'known_hosts'), strict: false },
      timeouts: { connect: 3000, banner: 3000, auth: 3000 },
    });
    try {
      expect(conn.negotiated?.kex).toBe('diffie-hellman-group-exchange-sha256');
      expect((await conn.exec('echo gex')).stdout).toBe('gex\n');
      expect(performance.now() - started).toBeLessThan(2500);
    } finally {
      await conn.close();
    }
  });
});
