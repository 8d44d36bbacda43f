import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAB_ENABLE_SECRET, LAB_EXPLICIT_QUIRKS, LAB_PASSWORD, LAB_QUIRKS, LAB_USERNAME, labDeviceNames, startLab, type LabHandle, type LabPlatform } from '../src/lab/index.js';
import { personalityFor } from '../src/lab/personalities/index.js';
import { getPlatform } from '../src/platforms/index.js';
import { CommandError, openDeviceSession, type DeviceSession, type TranscriptSink } from '../src/session/index.js';
import { applyCleanup } from '../src/session/output.js';
import { connectSsh } from '../src/ssh/index.js';
import { connectLabSession } from './helpers/lab.js';

/** Per platform: config lines that change the running config, and the text that proves it. */
const PUSH: Partial<Record<LabPlatform, { lines: string[]; proof: string; bad: string }>> = {
  cisco_ios: { lines: ['interface Loopback99', ' description netstacks-session-test'], proof: 'netstacks-session-test', bad: 'bogus-netstacks command' },
  cisco_xe: { lines: ['interface Loopback99', ' description netstacks-session-test'], proof: 'netstacks-session-test', bad: 'bogus-netstacks command' },
  cisco_nxos: { lines: ['interface loopback99', '  description netstacks-session-test'], proof: 'netstacks-session-test', bad: 'bogus-netstacks command' },
  cisco_xr: { lines: ['interface Loopback99', ' description netstacks-session-test'], proof: 'netstacks-session-test', bad: 'bogus-netstacks command' },
  arista_eos: { lines: ['interface Loopback99', '   description netstacks-session-test'], proof: 'netstacks-session-test', bad: 'bogus-netstacks command' },
  aruba_aoscx: { lines: ['interface loopback 99', '    description netstacks-session-test'], proof: 'netstacks-session-test', bad: 'bogus-netstacks command' },
  hp_procurve: { lines: ['vlan 99', '   name "netstacks-session-test"'], proof: 'netstacks-session-test', bad: 'bogus-netstacks command' },
  juniper_junos: { lines: ['set interfaces lo0 unit 99 description netstacks-session-test'], proof: 'netstacks-session-test', bad: 'bogus-netstacks command' },
  paloalto_panos: { lines: ['set address netstacks-session-test ip-netmask 10.99.99.99/32'], proof: 'netstacks-session-test', bad: 'bogus-netstacks command' },
  fortinet: {
    lines: ['config firewall address', 'edit "netstacks-session-test"', 'set subnet 10.99.99.99 255.255.255.255', 'next', 'end'],
    proof: 'netstacks-session-test',
    bad: 'bogus-netstacks command',
  },
};

function hasPersonality(platform: LabPlatform): boolean {
  try {
    personalityFor(platform);
    return true;
  } catch {
    return false;
  }
}

const PLATFORMS = ([...Object.keys(PUSH), 'linux'] as LabPlatform[]).filter(hasPersonality);
const DEVICES = labDeviceNames(PLATFORMS.length * 2, PLATFORMS);
/** the first device of each platform has every quirk; the second whatever the seed gives it */
const QUIRKY = DEVICES.slice(0, PLATFORMS.length);

let lab: LabHandle;
let home: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'ns-session-lab-'));
  lab = await startLab({
    devices: DEVICES.length,
    platforms: PLATFORMS,
    port: 0,
    firstAddress: '127.0.61.1',
    controlSocket: false,
    quirks: true,
    // the quirks a seed may choose (the explicit ones, such as junos-root-shell, have tests of their own)
    deviceQuirks: Object.fromEntries(QUIRKY.map((d) => [d.name, LAB_QUIRKS.filter((q) => !LAB_EXPLICIT_QUIRKS.includes(q))])),
  });
});

afterAll(async () => {
  await lab?.stop();
});

function collectingSink(): TranscriptSink & { received: string } {
  const sink = {
    received: '',
    write(direction: 'in' | 'out', text: string) {
      if (direction === 'in') sink.received += text;
    },
    async close() {},
  };
  return sink;
}

async function openLabSession(name: string, transcript?: TranscriptSink): Promise<DeviceSession> {
  return connectLabSession(lab, home, name, { commandTimeoutMs: 10_000, transcript });
}

describe.concurrent('sessions against the lab, quirks on', () => {
  for (const { name, platform } of DEVICES) {
    const quirky = QUIRKY.some((d) => d.name === name);
    it(`${name} (${platform}${quirky ? ', every quirk' : ''}): paging off, enable, push, errors`, async () => {
      if (platform === 'linux') return checkLinux(name);
      const push = PUSH[platform];
      if (!push) throw new Error(`no push lines for ${platform}`);
      const transcript = collectingSink();
      const session = await openLabSession(name, transcript);
      try {
        const definition = getPlatform(platform);
        expect(session.mode).toBe(definition.defaultMode);

        const before = await session.runningConfig();
        expect(before.split('\n').length).toBeGreaterThan(40);
        // paging was switched off: the device never had to page
        expect(transcript.received).not.toMatch(/-- ?more ?--|---\(more/i);
        expect(before).not.toContain(push.proof);

        const bad = await session.send(push.bad).catch((e: unknown) => e);
        expect(bad).toBeInstanceOf(CommandError);
        expect((bad as CommandError).errorClass).toBe('command-error');

        const result = await session.pushConfig(push.lines);
        expect(result.sent).toEqual(push.lines);
        expect(result.committed).toBe(definition.config.style === 'candidate');
        expect(session.mode).toBe(definition.defaultMode);
        expect(lab.runningConfig(name)).toContain(push.proof);
        expect(await session.runningConfig()).toContain(push.proof);

        const failed = await session.pushConfig([push.lines[0] ?? '', push.bad]).catch((e: unknown) => e);
        expect(failed).toBeInstanceOf(CommandError);
        expect((failed as CommandError).line).toBe(2);
        expect(session.mode).toBe(definition.defaultMode);
        // the session is still usable after the failure
        expect((await session.send(definition.runningConfig.command)).output).toContain(push.proof);
      } finally {
        await session.close();
      }
    });
  }
});

/** Linux runs each command on its own exec channel: exit statuses are the errors. */
async function checkLinux(name: string): Promise<void> {
  const session = await openLabSession(name);
  try {
    expect((await session.send('uname -a')).output).toMatch(/^Linux /);
    const bad = await session.send('bogus-netstacks').catch((e: unknown) => e);
    expect((bad as CommandError).errorClass).toBe('command-error');
    expect((bad as CommandError).message).toContain('command not found');
    expect(await session.runningConfig()).toContain(name);
    const pushed = await session.pushConfig(['echo netstacks', 'true']);
    expect(pushed.output).toBe('netstacks');
    const failed = await session.pushConfig(['true', 'false', 'echo never']).catch((e: unknown) => e);
    expect((failed as CommandError).line).toBe(2);
  } finally {
    await session.close();
  }
}

describe('when paging cannot be disabled, and with a 5 MB config', () => {
  const PAGED: LabPlatform[] = (['cisco_ios', 'juniper_junos', 'hp_procurve', 'arista_eos', 'cisco_xr', 'aruba_aoscx'] as LabPlatform[]).filter(hasPersonality);
  const devices = labDeviceNames(PAGED.length + 1, PAGED);
  const bigDevice = devices[devices.length - 1];
  let pagedLab: LabHandle;

  beforeAll(async () => {
    pagedLab = await startLab({
      devices: devices.length,
      platforms: PAGED,
      port: 0,
      firstAddress: '127.0.63.1',
      controlSocket: false,
      quirks: false,
      bigConfigDevices: bigDevice ? [bigDevice.name] : [],
      minuteMs: 150,
    });
  });
  afterAll(async () => {
    await pagedLab?.stop();
  });

  async function open(name: string, keepPaging: boolean): Promise<DeviceSession> {
    const device = pagedLab.devices.find((d) => d.name === name);
    if (!device) throw new Error(`no lab device ${name}`);
    const base = getPlatform(device.platform);
    const platform = keepPaging ? { ...base, onOpen: [] } : base;
    const connection = await connectSsh({
      label: name,
      host: device.host,
      port: device.port,
      auth: { username: LAB_USERNAME, password: LAB_PASSWORD },
      hostKeys: { knownHostsFile: join(home, 'known_hosts-paged'), strict: false },
      timeouts: { connect: 5000, auth: 5000, banner: 5000 },
    });
    return openDeviceSession(connection, { device: name, platform, secrets: { password: LAB_PASSWORD, enable: LAB_ENABLE_SECRET }, commandTimeoutMs: 20_000 });
  }

  for (const { name, platform } of devices.slice(0, PAGED.length)) {
    it(`${name} (${platform}) answers the pager and returns the whole config`, async () => {
      const session = await open(name, true);
      try {
        const paged = await session.runningConfig();
        expect(paged).not.toMatch(/more/i);
        expect(paged).not.toMatch(/[\b\r\x1b]/);
        expect(paged.split('\n').length).toBeGreaterThan(60);
        const cleaned = applyCleanup(pagedLab.runningConfig(name).replace(/\r/g, ''), getPlatform(platform).runningConfig.cleanup);
        const lines = cleaned.split('\n').filter((l) => l.trim() !== '');
        // every line of the device's config arrived, in order, without pager debris
        const got = paged.split('\n').filter((l) => l.trim() !== '');
        expect(got).toEqual(lines.slice(lines.length - got.length));
      } finally {
        await session.close();
      }
    });
  }

  const junos = devices.find((d) => d.platform === 'juniper_junos');
  it.skipIf(!junos)('commits confirmed on Junos, and the device rolls back unconfirmed changes', async () => {
    const name = junos?.name ?? '';
    const session = await open(name, false);
    try {
      const result = await session.pushConfig(['set system location building netstacks-confirmed'], { commitConfirmedMinutes: 1 });
      expect(result.committed).toBe(true);
      expect(result.output).toContain('rolled back in 1 minutes unless confirmed');
      expect(pagedLab.runningConfig(name)).toContain('netstacks-confirmed');
      const deadline = Date.now() + 3000;
      while (pagedLab.runningConfig(name).includes('netstacks-confirmed') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(pagedLab.runningConfig(name)).not.toContain('netstacks-confirmed');
    } finally {
      await session.close();
    }
  });

  it('refuses commit confirmed on a platform without it, before sending anything', async () => {
    const ios = devices.find((d) => d.platform === 'cisco_ios');
    const session = await open(ios?.name ?? '', false);
    try {
      const error = await session.pushConfig(['hostname never'], { commitConfirmedMinutes: 1 }).catch((e: unknown) => e);
      expect((error as Error).message).toContain('no commit confirmed');
      expect(pagedLab.runningConfig(ios?.name ?? '')).not.toContain('hostname never');
    } finally {
      await session.close();
    }
  });

  it('reports a dropped connection as unreachable and a silent device as a timeout', async () => {
    const name = devices.find((d) => d.platform === 'cisco_ios')?.name ?? '';
    try {
      await pagedLab.setFaults(name, ['drop-mid-command']);
      const dropped = await (async () => {
        const session = await open(name, false);
        try {
          await session.runningConfig();
        } finally {
          await session.close();
        }
      })().catch((e: unknown) => e);
      expect((dropped as { errorClass?: string }).errorClass).toBe('unreachable');

      await pagedLab.setFaults(name, ['hang-after-login']);
      const device = pagedLab.devices.find((d) => d.name === name);
      const connection = await connectSsh({
        label: name,
        host: device?.host ?? '',
        port: device?.port ?? 0,
        auth: { username: LAB_USERNAME, password: LAB_PASSWORD },
        hostKeys: { knownHostsFile: join(home, 'known_hosts-paged'), strict: false },
        timeouts: { connect: 5000, auth: 5000, banner: 5000 },
      });
      const started = Date.now();
      const hung = await openDeviceSession(connection, { device: name, platform: getPlatform('cisco_ios'), secrets: {}, commandTimeoutMs: 5000, loginTimeoutMs: 400 }).catch(
        (e: unknown) => e,
      );
      await connection.close();
      expect((hung as { errorClass?: string }).errorClass).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await pagedLab.setFaults(name, []);
    }
  });

  it.skipIf(!bigDevice)('reads a 5 MB running config over SSH', async () => {
    const session = await open(bigDevice?.name ?? '', false);
    try {
      const cpu = process.cpuUsage();
      const started = Date.now();
      const config = await session.runningConfig();
      const used = process.cpuUsage(cpu);
      expect(config.length).toBeGreaterThan(5_000_000);
      expect(Date.now() - started).toBeLessThan(10_000);
      console.log(`5 MB config: ${Date.now() - started} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU (lab in-process)`);
    } finally {
      await session.close();
    }
  });
});
