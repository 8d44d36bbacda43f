import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import ssh2 from 'ssh2';
import { startLab, LEGACY_ALGORITHMS, labClientKey, LAB_USERNAME, LAB_PASSWORD, type LabHandle } from '../src/lab/index.js';
import { connectClient, execCommand, openShell } from './lab-client.js';

let lab: LabHandle;
const host = (name: string) => lab.devices.find((d) => d.name === name)!.host;

beforeAll(async () => {
  lab = await startLab({
    devices: 12,
    platforms: ['cisco_ios', 'juniper_junos', 'arista_eos'],
    port: 0,
    quirks: false,
    controlSocket: false,
    minuteMs: 200,
    faults: ['ios-4=auth-failure,junos-5=refused,eos-6=legacy-only,ios-7=drop-mid-command,junos-8=hang-after-login,eos-9=latency:250'],
    deviceQuirks: { 'ios-10': ['chunked-output', 'split-prompt', 'delayed-prompt', 'cr-before-prompt', 'ansi-codes', 'press-any-key'] },
  });
});
afterAll(async () => {
  await lab?.stop();
});

describe('lab devices', () => {
  test('names are round-robin over the platforms and addresses start at 127.0.1.1', () => {
    expect(lab.devices.slice(0, 4).map((d) => `${d.name}@${d.host}`)).toEqual(['ios-1@127.0.1.1', 'junos-2@127.0.1.2', 'eos-3@127.0.1.3', 'ios-4@127.0.1.4']);
    expect(lab.devices.every((d) => d.port === lab.port)).toBe(true);
  });

  test('IOS: banner with prompt-like lines, user prompt, enable with the lab secret, paging on and off', async () => {
    const sh = await openShell(host('ios-1'), lab.port);
    const login = await sh.expect(/\nios-1>$/);
    expect(login.split('\n').length).toBeGreaterThan(2);
    await sh.run('enable', /Password: $/);
    expect(await sh.run('wrong-secret', /Password: $/)).not.toContain('ios-1#');
    await sh.run('lab-enable', /\nios-1#$/);
    const paged = await sh.run('show running-config', / --More-- $/);
    expect(paged).toContain('Current configuration : ');
    sh.send(' ');
    await sh.expect(/ --More-- $/);
    sh.send('q');
    await sh.expect(/\nios-1#$/);
    await sh.run('terminal length 0', /\nios-1#$/);
    const full = await sh.run('show running-config', /\nend\n+ios-1#$/);
    expect(full).not.toContain('--More--');
    expect(full).toMatch(/enable secret 5 \$1\$/);
    expect(full).toMatch(/ntp clock-period \d+/);
    expect(full).toMatch(/! Last configuration change at /);
    expect(full.split('\n').length).toBeGreaterThan(200);
    const version = await sh.run('sh ver', /\nios-1#$/);
    expect(version).toContain('Cisco IOS Software');
    sh.close();
  });

  test('IOS: config mode changes the running config; `no` removes; errors use the platform words', async () => {
    const sh = await openShell(host('ios-1'), lab.port);
    await sh.expect(/ios-1>$/);
    expect(await sh.run('show running-config', /ios-1>$/)).toContain("% Invalid input detected at '^' marker.");
    await sh.run('enable', /Password: $/);
    await sh.run('lab-enable', /ios-1#$/);
    await sh.run('terminal length 0', /ios-1#$/);
    const invalid = await sh.run('show foo', /ios-1#$/);
    expect(invalid).toMatch(/\n {11}\^\n% Invalid input detected at '\^' marker\./);
    expect(await sh.run('s', /ios-1#$/)).toContain('% Ambiguous command:  "s"');
    await sh.run('configure terminal', /ios-1\(config\)#$/);
    await sh.run('interface Loopback99', /ios-1\(config-if\)#$/);
    await sh.run('description lab-test-loopback', /ios-1\(config-if\)#$/);
    await sh.run('ip address 10.99.99.1 255.255.255.255', /ios-1\(config-if\)#$/);
    await sh.run('exit', /ios-1\(config\)#$/);
    await sh.run('snmp-server community lab-test-community RO', /ios-1\(config\)#$/);
    expect(await sh.run('bogus command', /ios-1\(config\)#$/)).toContain("% Invalid input detected at '^' marker.");
    await sh.run('end', /ios-1#$/);
    const run = await sh.run('show running-config | section Loopback99', /ios-1#$/);
    expect(run).toContain('interface Loopback99\n description lab-test-loopback\n ip address 10.99.99.1 255.255.255.255');
    expect(lab.runningConfig('ios-1')).toContain('snmp-server community lab-test-community RO');
    await sh.run('conf t', /\(config\)#$/);
    await sh.run('no interface Loopback99', /\(config\)#$/);
    await sh.run('end', /ios-1#$/);
    expect(lab.runningConfig('ios-1')).not.toContain('Loopback99');
    expect(await sh.run('write memory', /ios-1#$/)).toContain('[OK]');
    sh.close();
    lab.reset(['ios-1']);
    expect(lab.runningConfig('ios-1')).not.toContain('lab-test-community');
  });

  test('EOS: prompts, enable, `% Invalid input`, config visible', async () => {
    const sh = await openShell(host('eos-3'), lab.port);
    await sh.expect(/\neos-3>$/);
    await sh.run('enable', /Password: $/);
    await sh.run('lab-enable', /eos-3#$/);
    expect(await sh.run('show version', / --More-- |eos-3#$/)).toContain('Arista');
    if (!sh.text().endsWith('eos-3#')) {
      sh.send('q');
      await sh.expect(/eos-3#$/);
    }
    expect(await sh.run('show bogus', /eos-3#$/)).toContain('% Invalid input');
    await sh.run('configure terminal', /eos-3\(config\)#$/);
    await sh.run('interface Ethernet1', /eos-3\(config-if-Et1\)#$/);
    await sh.run('description eos-lab-change', /eos-3\(config-if-Et1\)#$/);
    await sh.run('end', /eos-3#$/);
    expect(lab.runningConfig('eos-3')).toContain('interface Ethernet1\n   description eos-lab-change');
    sh.close();
  });

  test('Junos: set into a candidate, compare, commit, rollback, commit confirmed reverts', async () => {
    const sh = await openShell(host('junos-2'), lab.port);
    const prompt = /netstacks@junos-2> $/;
    const edit = /\[edit\]\nnetstacks@junos-(2|renamed)# $/;
    await sh.expect(prompt);
    await sh.run('set cli screen-length 0', prompt);
    expect(await sh.run('show version', prompt)).toContain('Junos: 21.4R3.15');
    expect(await sh.run('foo', prompt)).toContain('unknown command.');
    expect(await sh.run('show foo', prompt)).toContain('syntax error, expecting <command>.');
    await sh.run('configure', edit);
    await sh.run('set system host-name junos-renamed', edit);
    expect(lab.runningConfig('junos-2')).toContain('host-name junos-2;');
    expect(await sh.run('show | compare', edit)).toContain('+   host-name junos-renamed;');
    expect(await sh.run('commit', edit)).toMatch(/commit complete\n\n\[edit\]\nnetstacks@junos-renamed# $/);
    expect(lab.runningConfig('junos-2')).toContain('host-name junos-renamed;');
    await sh.run('rollback 1', edit);
    await sh.run('commit', edit);
    expect(lab.runningConfig('junos-2')).toContain('host-name junos-2;');
    await sh.run('edit interfaces ge-0/0/1', /\[edit interfaces ge-0\/0\/1\]\nnetstacks@junos-2# $/);
    await sh.run('set description edited-in-hierarchy', /# $/);
    await sh.run('top', edit);
    expect(await sh.run('show | compare', edit)).toMatch(/\[edit interfaces ge-0\/0\/1\]\n(-.*\n)?\+ {3}description edited-in-hierarchy;/);
    await sh.run('rollback 0', edit);
    await sh.run('set snmp community lab-confirm authorization read-only', edit);
    expect(await sh.run('commit confirmed 1', edit)).toContain('rolled back in 1 minutes');
    expect(lab.runningConfig('junos-2')).toContain('lab-confirm');
    await new Promise((r) => setTimeout(r, 350));
    expect(lab.runningConfig('junos-2')).not.toContain('lab-confirm');
    await sh.run('exit', /(yes\) |> )$/);
    if (sh.text().endsWith('(yes) ')) await sh.run('yes', prompt);
    expect(await sh.run('show configuration | display set | match host-name', prompt)).toContain('set system host-name junos-2');
    sh.close();
  });

  test('exec channel runs one command', async () => {
    const client = await connectClient(host('ios-1'), lab.port);
    const result = await execCommand(client, 'show version');
    expect(result.stdout).toContain('Cisco IOS Software');
    expect(result.code).toBe(0);
    client.end();
  });

  test('keyboard-interactive and publickey login work', async () => {
    const ki2 = new ssh2.Client();
    await new Promise<void>((resolve, reject) => {
      ki2.on('keyboard-interactive', (_n, _i, _l, _p, finish) => finish([LAB_PASSWORD]));
      ki2.on('ready', () => resolve());
      ki2.on('error', reject);
      ki2.connect({ host: host('eos-3'), port: lab.port, username: LAB_USERNAME, tryKeyboard: true });
    });
    ki2.end();
    const pk = await connectClient(host('eos-3'), lab.port, { password: undefined, privateKey: labClientKey().privateKey });
    pk.end();
  });
});

describe('lab faults', () => {
  test('auth-failure rejects the right password', async () => {
    await expect(connectClient(host('ios-4'), lab.port)).rejects.toThrow(/authentication methods failed/);
  });

  test('refused: nothing listens on that address', async () => {
    await expect(connectClient(host('junos-5'), lab.port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  test('legacy-only refuses a modern client and accepts a legacy-enabled one', async () => {
    await expect(connectClient(host('eos-6'), lab.port)).rejects.toThrow(/handshake failed|no matching/i);
    const legacy = await connectClient(host('eos-6'), lab.port, { algorithms: LEGACY_ALGORITHMS as ssh2.Algorithms });
    legacy.end();
  });

  test('changed-host-key presents a different key than the stored one', async () => {
    const seen: string[] = [];
    const verifier = { hostVerifier: (key: Buffer) => (seen.push(key.toString('base64')), true) };
    (await connectClient(host('ios-1'), lab.port, verifier)).end();
    await lab.setFaults('ios-1', ['changed-host-key']);
    (await connectClient(host('ios-1'), lab.port, verifier)).end();
    await lab.setFaults('ios-1', []);
    expect(seen[0]).toBe(lab.hostKey('ios-1').normal.publicKey.split(' ')[1]);
    expect(seen[1]).not.toBe(seen[0]);
  });

  test('drop-mid-command closes the connection during output', async () => {
    const sh = await openShell(host('ios-7'), lab.port);
    await sh.expect(/ios-7>$/);
    sh.send('show version\n');
    await new Promise<void>((resolve) => sh.client.on('close', () => resolve()));
    expect(sh.text()).toContain('show version');
    expect(sh.text()).not.toMatch(/Configuration register[\s\S]*ios-7>$/);
  });

  test('hang-after-login never shows a prompt', async () => {
    const sh = await openShell(host('junos-8'), lab.port);
    await expect(sh.expect(/> $/, 400)).rejects.toThrow(/timed out/);
    sh.close();
  });

  test('latency delays every answer', async () => {
    const sh = await openShell(host('eos-9'), lab.port);
    await sh.expect(/eos-9>$/);
    const start = Date.now();
    await sh.run('show clock', /eos-9>$/);
    expect(Date.now() - start).toBeGreaterThanOrEqual(240);
    sh.close();
  });

  test('all quirks at once still give a usable session', async () => {
    const sh = await openShell(host('ios-10'), lab.port);
    await sh.expect(/Press any key to continue/);
    sh.send(' ');
    await sh.expect(/ios-10>$/, 3000);
    await sh.run('terminal length 0', /ios-10>$/, 3000);
    const out = await sh.run('show version', /ios-10>$/, 5000);
    expect(out).toContain('Cisco IOS Software');
    sh.close();
  });
});

test('50 devices start quickly and accept connections', async () => {
  const start = Date.now();
  const big = await startLab({ devices: 50, port: 0, firstAddress: '127.0.9.1', controlSocket: false, platforms: ['cisco_ios', 'arista_eos', 'juniper_junos'] });
  const elapsed = Date.now() - start;
  try {
    expect(elapsed).toBeLessThan(3000);
    const clients = await Promise.all(big.devices.slice(0, 20).map((d) => connectClient(d.host, big.port)));
    clients.forEach((c) => c.end());
  } finally {
    await big.stop();
  }
});

describe('lab plan', () => {
  test('fault specs: per device, with parameters, random shares, and errors that suggest', async () => {
    const { parseFaultSpec, labAddress } = await import('../src/lab/plan.js');
    const names = Array.from({ length: 100 }, (_, i) => `ios-${i + 1}`);
    const faults = parseFaultSpec(['ios-3=auth-failure,ios-1=latency:500', 'ios-3=legacy-only'], names, 1);
    expect(Object.fromEntries(faults)).toEqual({ 'ios-3': ['auth-failure', 'legacy-only'], 'ios-1': ['latency:500'] });
    const random = parseFaultSpec(['random:10%'], names, 7);
    expect(random.size).toBeGreaterThan(3);
    expect(random.size).toBeLessThan(20);
    expect([...random.values()].flat()).not.toContain('refused');
    expect(parseFaultSpec(['random:10%'], names, 7)).toEqual(random);
    expect(() => parseFaultSpec(['ios-1=auth-fail'], names, 1)).toThrow(/unknown lab fault 'auth-fail'/);
    expect(() => parseFaultSpec(['ios-999=refused'], names, 1)).toThrow(/unknown lab device 'ios-999'/);
    expect(() => parseFaultSpec(['nonsense'], names, 1)).toThrow(/bad fault spec/);
    expect([labAddress(0), labAddress(253), labAddress(254), labAddress(508)]).toEqual(['127.0.1.1', '127.0.1.254', '127.0.2.1', '127.0.3.1']);
  });

  test('typing lab-reset on a device restores its default config', async () => {
    const sh = await openShell(host('eos-3'), lab.port);
    await sh.expect(/eos-3>$/);
    await sh.run('enable', /Password: $/);
    await sh.run('lab-enable', /eos-3#$/);
    await sh.run('configure terminal', /\(config\)#$/);
    await sh.run('snmp-server community typed-reset ro', /\(config\)#$/);
    await sh.run('end', /eos-3#$/);
    expect(lab.runningConfig('eos-3')).toContain('typed-reset');
    expect(await sh.run('lab-reset', /eos-3#$/)).toContain('restored to defaults');
    expect(lab.runningConfig('eos-3')).not.toContain('typed-reset');
    sh.close();
  });
});
