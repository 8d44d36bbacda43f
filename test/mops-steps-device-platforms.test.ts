import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab } from '../src/lab/lab.js';
import type { LabHandle } from '../src/lab/types.js';
import { getBgpNeighbors, getInterfaces, getRoutes, ping } from '../src/mops/checks/index.js';
import type { OperationEnv } from '../src/operations/index.js';
import type { Store } from '../src/store/store.js';
import { tempHome } from './helpers/cli.js';
import { openLabEnv } from './helpers/lab.js';
import { deviceStepContext } from './helpers/mop-step-context.js';

/**
 * The normalised getters on every lab platform that has the show commands: the mappings from
 * ntc-template fields (and native JSON) give the same schema everywhere, with the lab's values.
 */
const temp = tempHome('netstacks-mop-platforms-');
const PLATFORMS = ['cisco_ios', 'arista_eos', 'juniper_junos', 'cisco_nxos', 'cisco_xr', 'linux', 'fortinet', 'paloalto_panos', 'hp_procurve', 'aruba_aoscx'];
let lab: LabHandle;
let store: Store;
let env: OperationEnv;

beforeAll(async () => {
  lab = await startLab({ devices: PLATFORMS.length, platforms: PLATFORMS, quirks: false, port: 0, firstAddress: '127.0.96.1', controlSocket: false });
  ({ store, env } = await openLabEnv(lab, temp.home));
}, 60_000);

afterAll(async () => {
  await store?.close();
  await lab?.stop();
  temp.cleanup();
});

const withSession = async <T>(name: string, fn: (session: Awaited<ReturnType<Awaited<ReturnType<typeof deviceStepContext>>['session']>>) => Promise<T>): Promise<T> => {
  const ctx = await deviceStepContext(env, name);
  try {
    return await fn(await ctx.session());
  } finally {
    await ctx.close();
  }
};
const nameOf = (platform: string) => lab.devices.find((d) => d.platform === platform)!.name;

describe('normalised records on every platform', () => {
  it.each(PLATFORMS.filter((p) => p !== 'hp_procurve'))('%s: BGP neighbours established with prefixes, one of them pinged', async (platform) => {
    await withSession(nameOf(platform), async (session) => {
      const bgp = await getBgpNeighbors(env, session);
      expect(bgp.records.length).toBeGreaterThan(0);
      for (const r of bgp.records) {
        expect(r).toMatchObject({ vrf: 'default', neighbor: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/), state: 'established', is_up: true, is_enabled: true });
        expect(r.remote_as).toBeGreaterThan(0);
        // AOS-CX's summary shows no prefix counts: null, as NAPALM's getters leave what a device does not say
        if (platform === 'aruba_aoscx') expect(r.received_prefixes).toBeNull();
        else expect(r.received_prefixes).toBeGreaterThanOrEqual(0);
      }
      const answer = await ping(session, bgp.records[0]!.neighbor);
      expect(answer.records[0]).toMatchObject({ destination: bgp.records[0]!.neighbor, received: answer.records[0]!.probes_sent, success_rate: 100 });
      lab.setState(session.device, { pingFail: true, bgpDown: [bgp.records[0]!.neighbor] });
      try {
        expect((await ping(session, bgp.records[0]!.neighbor)).records[0]).toMatchObject({ received: 0, success_rate: 0 });
        const down = (await getBgpNeighbors(env, session)).records.find((r) => r.neighbor === bgp.records[0]!.neighbor);
        expect(down).toMatchObject({ is_up: false, is_enabled: true, state: expect.stringMatching(/^(idle|active|connect)$/), received_prefixes: null });
      } finally {
        lab.reset([session.device]);
      }
    });
  });

  it.each(['cisco_ios', 'arista_eos', 'juniper_junos', 'cisco_nxos', 'cisco_xr', 'linux', 'aruba_aoscx'])('%s: interfaces with state and error counters; errors rise with the lab hook', async (platform) => {
    await withSession(nameOf(platform), async (session) => {
      const got = await getInterfaces(env, session);
      const up = got.records.filter((r) => r.is_up);
      expect(up.length).toBeGreaterThan(0);
      const target = up.find((r) => r.rx_errors !== null)!;
      expect(target).toMatchObject({ is_enabled: true, rx_errors: 0 });
      lab.setState(session.device, { interfaceErrors: { [target.interface]: 77 } });
      try {
        const again = (await getInterfaces(env, session)).records.find((r) => r.interface === target.interface);
        expect(again!.rx_errors).toBe(77);
      } finally {
        lab.reset([session.device]);
      }
    });
  });

  it.each(PLATFORMS)('%s: routes in CIDR with protocol and next hop; a removed prefix goes', async (platform) => {
    await withSession(nameOf(platform), async (session) => {
      const got = await getRoutes(env, session);
      expect(got.records.length).toBeGreaterThan(0);
      for (const r of got.records) expect(r.prefix).toMatch(/^\d+\.\d+\.\d+\.\d+\/\d+$/);
      // (a ProCurve switch learns nothing but its default route)
      const learnt = got.records.find((r) => r.next_hop !== null && r.prefix !== '0.0.0.0/0') ?? got.records.find((r) => r.next_hop !== null);
      expect(learnt, JSON.stringify(got.records.slice(0, 5))).toBeDefined();
      expect(learnt!.next_hop).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
      lab.setState(session.device, { removedPrefixes: [learnt!.prefix] });
      try {
        expect((await getRoutes(env, session)).records.some((r) => r.prefix === learnt!.prefix)).toBe(false);
      } finally {
        lab.reset([session.device]);
      }
    });
  });
});
