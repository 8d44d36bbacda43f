import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMasker, createTranscript, MASK, maskSecrets } from '../src/session/transcript.js';

describe('maskSecrets: known secrets', () => {
  it('masks every occurrence, longest secret first', () => {
    expect(maskSecrets('pw=hunter2 again hunter2', ['hunter2'])).toBe(`pw=${MASK} again ${MASK}`);
    expect(maskSecrets('abc abcdef', ['abc', 'abcdef'])).toBe(`${MASK} ${MASK}`);
  });

  it('treats regex characters in secrets literally', () => {
    expect(maskSecrets('x a.b*c y', ['a.b*c'])).toBe(`x ${MASK} y`);
    expect(maskSecrets('x aXb y', ['a.b'])).toBe('x aXb y');
  });
});

describe('maskSecrets: config lines that hold secrets', () => {
  const cases: [string, string, string][] = [
    ['enable secret', 'enable secret 5 $1$mERr$hx5rVt7rPNoS4wqbXKX7m0', '$1$mERr$hx5rVt7rPNoS4wqbXKX7m0'],
    ['enable secret 9', 'enable secret 9 $9$abcdefgh$ijklmnop', '$9$abcdefgh$ijklmnop'],
    ['enable password', 'enable password Cisco123', 'Cisco123'],
    ['username secret', 'username admin privilege 15 secret 9 $9$xyzxyz$123', '$9$xyzxyz$123'],
    ['username password', 'username ops password 0 plainpass', 'plainpass'],
    ['line password 7', ' password 7 0822455D0A16', '0822455D0A16'],
    ['snmp community', 'snmp-server community S3cr3tRO RO 10', 'S3cr3tRO'],
    ['junos snmp community', '    community Junos-RO {', 'Junos-RO'],
    ['snmp host', 'snmp-server host 10.1.1.1 version 2c TrapComm', 'TrapComm'],
    ['tacacs key', 'tacacs-server key 7 045802150C2E', '045802150C2E'],
    ['key line', ' key 7 1511021F0725', '1511021F0725'],
    ['key-string', '  key-string 7 110A1016141D', '110A1016141D'],
    ['isakmp key', 'crypto isakmp key Isakmp!Key address 10.0.0.2', 'Isakmp!Key'],
    ['pre-shared-key', '  pre-shared-key local Psk-Local-1', 'Psk-Local-1'],
    ['junos encrypted-password', '    encrypted-password "$6$salt$hashhashhash"; ## SECRET-DATA', '$6$salt$hashhashhash'],
    ['junos secret', '        secret "$9$abcDEFghi"; ## SECRET-DATA', '$9$abcDEFghi'],
    ['junos authentication-key', '    authentication-key "$9$ospfKEY"; ## SECRET-DATA', '$9$ospfKEY'],
    ['junos pre-shared-key', '    pre-shared-key ascii-text "$9$ikePSK"; ## SECRET-DATA', '$9$ikePSK'],
    ['ospf md5', ' ip ospf message-digest-key 1 md5 7 0822455D0A16', '0822455D0A16'],
    ['fortios password', '        set password ENC SH2nlSm9QL9tapcHPXIqAXvX7vBJuuqu', 'SH2nlSm9QL9tapcHPXIqAXvX7vBJuuqu'],
    ['fortios psksecret', '        set psksecret ENC wJ5kZ9nQ==', 'wJ5kZ9nQ=='],
    ['eos sha512', 'username admin role network-admin secret sha512 $6$abc$def', '$6$abc$def'],
    ['panos phash xml', '<phash>$1$abcdefgh$ijklmnopqrstu</phash>', '$1$abcdefgh$ijklmnopqrstu'],
    ['panos phash set', 'set mgt-config users admin phash $1$pan$hash', '$1$pan$hash'],
  ];
  for (const [name, line, secret] of cases) {
    it(`masks ${name}`, () => {
      const masked = maskSecrets(line, []);
      expect(masked).not.toContain(secret);
      expect(masked).toContain(MASK);
    });
  }

  it('leaves ordinary lines alone', () => {
    const lines = [' neighbor 10.0.0.2 send-community both', 'service password-encryption', 'key chain OSPF-KEYS', 'crypto key generate rsa modulus 2048', 'interface GigabitEthernet0/1', 'Password:'];
    for (const line of lines) expect(maskSecrets(line, [])).toBe(line);
  });
});

describe('createMasker: streaming', () => {
  it('catches a secret split across two reads', () => {
    const masker = createMasker(['TopSecret99']);
    const out = masker.push('R1#enable\nPassword: TopSe') + masker.push('cret99\nR1#') + masker.flush();
    expect(out).not.toContain('TopSecret99');
    expect(out).not.toContain('TopSe');
    expect(out).toBe(`R1#enable\nPassword: ${MASK}\nR1#`);
  });

  it('catches a config-line secret split across reads', () => {
    const masker = createMasker([]);
    const parts = ['snmp-server comm', 'unity Pub', 'licRO RO\nend\n'];
    const out = parts.map((p) => masker.push(p)).join('') + masker.flush();
    expect(out).toBe(`snmp-server community ${MASK} RO\nend\n`);
  });

  it('catches a secret split in every possible place', () => {
    const secret = 'Zx9!Zx9!';
    const text = `a\nline with ${secret} inside\nlast ${secret}`;
    for (let cut = 1; cut < text.length; cut++) {
      const masker = createMasker([secret]);
      const out = masker.push(text.slice(0, cut)) + masker.push(text.slice(cut)) + masker.flush();
      expect(out, `cut at ${cut}`).toBe(`a\nline with ${MASK} inside\nlast ${MASK}`);
    }
  });

  it('writes out very long lines without a newline, still masking', () => {
    const masker = createMasker(['needle!!']);
    const long = 'x'.repeat(70_000);
    const out = masker.push(long + 'need') + masker.push('le!!' + long) + masker.flush();
    expect(out).toBe(long + MASK + long);
  });
});

describe('createTranscript', () => {
  it('writes both directions masked, to a private file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ns-transcript-')), 'logs', 'r1.log');
    const sink = createTranscript(file, ['Hunter2!', 'EnableMe']);
    sink.write('in', 'R1>');
    sink.write('out', 'enable\n');
    sink.write('in', 'enable\r\nPassword: ');
    sink.write('out', 'Enab');
    sink.write('out', 'leMe\n');
    sink.write('in', '\r\nR1#show run | i secret\r\nenable secret 5 $1$abc$def\r\nusername a secret 0 Hun');
    sink.write('in', 'ter2!\r\nR1#');
    await sink.close();
    await sink.close();
    const text = readFileSync(file, 'utf8');
    for (const secret of ['Hunter2!', 'EnableMe', '$1$abc$def', 'Hun']) expect(text).not.toContain(secret);
    expect(text).toContain('enable secret 5 ********');
    expect(text).toContain('R1#');
    // the prompt comes before what was typed at it
    expect(text.indexOf('R1>')).toBeLessThan(text.indexOf('enable\n'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('createMasker: release', () => {
  it('releases a waiting prompt but keeps what may start a secret', () => {
    const masker = createMasker(['Secr3t!']);
    expect(masker.push('R1#')).toBe('');
    expect(masker.release()).toBe('R1#');
    expect(masker.push('echo Sec')).toBe('');
    expect(masker.release()).toBe('echo ');
    expect(masker.push('r3t!\n')).toBe(`${MASK}\n`);
  });
});

describe('createMasker: lines ended by a carriage return', () => {
  it('writes out lines that end in \\r alone, masked', () => {
    const masker = createMasker(['s3cr3t-pw']);
    expect(masker.push('enable\r')).toBe('enable\r');
    expect(masker.push('s3cr3t-pw\r')).toBe(`${MASK}\r`);
    expect(masker.push('snmp-server community Pub1ic RO\r')).toBe(`snmp-server community ${MASK} RO\r`);
  });
});
