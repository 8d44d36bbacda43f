import { createPublicKey, diffieHellman, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import * as crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { brotliDecompressSync } from 'node:zlib';
import { compress, compressAsync, encodeContent, encodeContentAsync } from '../src/backups/content-store.js';
import { startLab, type LabHandle } from '../src/lab/index.js';
import { parseConfig } from '../src/lab/config/lines.js';
import { iosLikeFacts } from '../src/lab/ops/facts.js';
import { buildView } from '../src/lab/ops/model.js';
import { fastKeyFunctions, loadSsh2 } from '../src/ssh/ssh2-module.js';
import { openShell } from './lab-client.js';

// The fast paths behind the backup throughput figure must compute exactly what they replace.

describe('ssh2 key stand-ins', () => {
  const fast = fastKeyFunctions(crypto);
  const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex');

  test('x25519: the exported public key and the shared secret match Node’s own', () => {
    const pair = fast.generateKeyPairSync!('x25519') as unknown as { publicKey: KeyObject; privateKey: KeyObject };
    const der = pair.publicKey.export({ type: 'spki', format: 'der' });
    expect(der).toEqual(createPublicKey(pair.privateKey).export({ type: 'spki', format: 'der' }));
    // other export formats still go to Node
    expect(pair.publicKey.export({ format: 'jwk' })).toEqual(createPublicKey(pair.privateKey).export({ format: 'jwk' }));

    const peer = generateKeyPairSync('x25519');
    const peerDer = peer.publicKey.export({ type: 'spki', format: 'der' });
    expect(peerDer.subarray(0, 12)).toEqual(X25519_SPKI);
    const viaFast = diffieHellman({ privateKey: pair.privateKey, publicKey: fast.createPublicKey!({ key: peerDer, type: 'spki', format: 'der' }) });
    const viaNode = diffieHellman({ privateKey: pair.privateKey, publicKey: createPublicKey({ key: peerDer, type: 'spki', format: 'der' }) });
    expect(viaFast).toEqual(viaNode);
  });

  test('ed25519 host key signatures: a good one verifies, a bad one or a wrong key does not', () => {
    const host = generateKeyPairSync('ed25519');
    const other = generateKeyPairSync('ed25519');
    const pem = host.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const data = Buffer.from('exchange hash');
    const signature = sign(null, data, host.privateKey);
    expect(fast.verify!(null, data, pem, signature)).toBe(true);
    const tampered = Buffer.from(signature);
    tampered[0] = tampered[0]! ^ 1;
    expect(fast.verify!(null, data, pem, tampered)).toBe(false);
    expect(fast.verify!(null, data, other.publicKey.export({ type: 'spki', format: 'pem' }).toString(), signature)).toBe(false);
    expect(fast.verify!(null, Buffer.from('other data'), pem, signature)).toBe(false);
    // RSA (and anything that is not a raw Ed25519 key) goes to Node unchanged
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const rsaPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(fast.verify!('sha256', data, rsaPem, sign('sha256', data, rsa.privateKey))).toBe(true);
    expect(fast.verify!('sha256', Buffer.from('x'), rsaPem, sign('sha256', data, rsa.privateKey))).toBe(verify('sha256', Buffer.from('x'), rsaPem, sign('sha256', data, rsa.privateKey)));
  });

  test('ssh2 loaded with the stand-ins still completes a Curve25519 handshake with an Ed25519 host key', async () => {
    const lab = await startLab({ devices: 1, platforms: ['cisco_ios'], port: 0, quirks: false, controlSocket: false });
    try {
      await loadSsh2();
      const sh = await openShell(lab.devices[0]!.host, lab.port, { algorithms: { kex: ['curve25519-sha256'], serverHostKey: ['ssh-ed25519'] } });
      await sh.expect(/ios-1>$/);
      sh.close();
    } finally {
      await lab.stop();
    }
  });
});

describe('content store: compression off the main thread', () => {
  const text = Array.from({ length: 2000 }, (_, i) => `interface GigabitEthernet0/${i}\n description port ${i}\n`).join('');

  test('compressAsync gives the bytes compress gives, and they decompress to the text', async () => {
    const [sync, async] = [compress(text), await compressAsync(text)];
    expect(async).toEqual(sync);
    expect(brotliDecompressSync(async).toString('utf8')).toBe(text);
    // small texts stay on the main thread, with the same bytes
    expect(await compressAsync('version 17.3\n')).toEqual(compress('version 17.3\n'));
  });

  test('encodeContentAsync encodes as encodeContent does, full copies and deltas', async () => {
    expect(await encodeContentAsync(text, undefined, 10)).toEqual(encodeContent(text, undefined, 10));
    const changed = text.replace('port 7\n', 'uplink\n');
    const base = { id: 1, text, depth: 0 };
    const delta = await encodeContentAsync(changed, base, 10);
    expect(delta.encoding).toBe('br-delta');
    expect(delta).toEqual(encodeContent(changed, base, 10));
  });
});

describe('lab fast paths', () => {
  let lab: LabHandle;
  beforeAll(async () => {
    lab = await startLab({ devices: 2, platforms: ['aruba_aoscx', 'cisco_ios'], port: 0, quirks: false, controlSocket: false, configBytes: 20_000 });
  });
  afterAll(async () => {
    await lab?.stop();
  });

  test('AOS-CX `show system` shows the MAC the operational view gives the first interface', async () => {
    const device = lab.devices.find((d) => d.platform === 'aruba_aoscx')!;
    const id = { name: device.name, hostname: device.name, platform: device.platform, seed: 1, index: lab.devices.indexOf(device), host: device.host, bigConfig: false, configBytes: 20_000 };
    const view = buildView(id, iosLikeFacts(parseConfig(lab.runningConfig(device.name)), id));
    const expected = view.interfaces[0]!.mac.replace(/^(.{6})/, '$1-');
    const sh = await openShell(device.host, lab.port);
    try {
      const prompt = new RegExp(`${device.name}# ?$`);
      await sh.expect(prompt);
      const out = await sh.run('show system', prompt);
      expect(out).toContain(`Base MAC Address   : ${expected}`);
      expect(out).toContain(`Hostname           : ${device.name}`);
    } finally {
      sh.close();
    }
  });

  // a clean device's socket is corked while it answers (one TCP write for echo, output and prompt)
  test('a clean device still answers with the echo, the whole output and the prompt', async () => {
    const device = lab.devices.find((d) => d.platform === 'cisco_ios')!;
    const sh = await openShell(device.host, lab.port);
    try {
      await sh.expect(/ios-\d>$/);
      await sh.run('terminal length 0', /ios-\d>$/);
      const out = await sh.run('show version', /ios-\d>$/);
      expect(out).toMatch(/^show version\n/);
      expect(out).toContain('Cisco IOS Software');
      expect(out).toMatch(/\nios-\d>$/);
    } finally {
      sh.close();
    }
  });
});

describe('secret masking with a compiled pattern per session', () => {
  test('a frozen list is masked every time; a list that changes is masked with its new secrets', async () => {
    const { maskSecrets, MASK } = await import('../src/session/masking.js');
    const frozen = Object.freeze(['s3cret', 'en4ble']);
    expect(maskSecrets('login s3cret then en4ble', frozen)).toBe(`login ${MASK} then ${MASK}`);
    expect(maskSecrets('again s3cret', frozen)).toBe(`again ${MASK}`);
    const mutable = ['first'];
    expect(maskSecrets('first second', mutable)).toBe(`${MASK} second`);
    mutable.push('second');
    expect(maskSecrets('first second', mutable)).toBe(`${MASK} ${MASK}`);
  });
});
