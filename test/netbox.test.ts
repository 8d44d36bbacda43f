import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, runJson, tempHome, type CliResult } from './helpers/cli.js';
import { openSqliteStore } from '../src/store/store.js';
import { saveDevices } from '../src/inventory/device-save.js';
import { listDevices } from '../src/inventory/devices.js';
import type { Device } from '../src/inventory/types.js';
import { mapNetboxDevice, PlatformResolver } from '../src/netbox/mapping.js';
import type { NetboxDevice } from '../src/netbox/types.js';

const TOKEN = '0123456789abcdef-netbox-secret-token';

/** NetBox-shaped devices; tests edit this list between syncs. */
function initialDevices(): NetboxDevice[] {
  const cisco = { id: 1, name: 'Cisco', slug: 'cisco' };
  return [
    {
      id: 1, name: 'core-1', platform: { id: 1, name: 'Cisco IOS XR', slug: 'cisco-ios-xr' }, site: { id: 1, name: 'London', slug: 'lon' },
      role: { id: 1, name: 'Core', slug: 'core' }, device_type: { id: 1, model: 'ASR-9001', slug: 'asr-9001', manufacturer: cisco },
      primary_ip: { address: '10.0.0.1/32' }, primary_ip4: { address: '10.0.0.1/32' }, primary_ip6: null, tags: [{ id: 1, name: 'Prod', slug: 'prod' }],
    },
    {
      // NetBox 3 shape: device_role; no platform, so the manufacturer decides; no primary IP
      id: 2, name: 'core-2', platform: null, site: { id: 2, name: 'Paris', slug: 'par' }, device_role: { id: 1, name: 'Core', slug: 'core' },
      device_type: { id: 2, model: 'MX204', manufacturer: { id: 2, name: 'Juniper', slug: 'juniper' } }, primary_ip: null, primary_ip4: null, tags: [],
    },
    {
      id: 3, name: 'edge-1', platform: { id: 3, slug: 'arista-eos' }, site: { id: 1, slug: 'lon' }, role: { id: 2, slug: 'edge' },
      device_type: { id: 3, model: '7050SX', manufacturer: { id: 3, name: 'Arista', slug: 'arista' } }, primary_ip: { address: '2001:db8::1/64' }, tags: [],
    },
    {
      id: 4, name: 'sw-1', platform: null, site: { id: 1, slug: 'lon' }, role: { id: 3, slug: 'access' },
      device_type: { id: 4, model: 'X1', manufacturer: { id: 4, name: 'Acme Networks', slug: 'acme' } }, primary_ip: { address: '10.0.1.4/24' }, tags: [],
    },
    { id: 5, name: null, platform: null, site: { id: 1, slug: 'lon' }, primary_ip: null, tags: [] },
    {
      id: 6, name: 'manual-1', platform: { id: 3, slug: 'arista-eos' }, site: { id: 1, slug: 'lon' }, role: { id: 3, slug: 'access' },
      device_type: { id: 3, model: '7050SX', manufacturer: { id: 3, name: 'Arista', slug: 'arista' } }, primary_ip: { address: '10.9.9.9/32' }, tags: [],
    },
    {
      id: 7, name: 'nx-1', platform: { id: 4, slug: 'nxos' }, site: { id: 2, slug: 'par' }, role: { id: 2, slug: 'edge' },
      device_type: { id: 5, model: 'N9K', manufacturer: cisco }, primary_ip: null, primary_ip4: null, primary_ip6: null, tags: [{ id: 2, slug: 'dc' }, { id: 1, slug: 'prod' }],
    },
  ];
}

interface FakeNetbox {
  url: string;
  devices: NetboxDevice[];
  requests: Array<{ url: string; authorization: string | undefined }>;
  failWith?: number;
  close(): Promise<void>;
}

/** A NetBox stand-in on 127.0.0.1: token auth, limit/offset paging with absolute `next` links, filters. */
async function startFakeNetbox(): Promise<FakeNetbox> {
  const fake = { devices: initialDevices(), requests: [] as FakeNetbox['requests'] } as FakeNetbox;
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', fake.url);
    const authorization = req.headers.authorization;
    fake.requests.push({ url: url.pathname + url.search, authorization });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (authorization !== `Token ${TOKEN}`) return send(401, { detail: `Invalid token: ${authorization ?? '(none)'}` });
    if (fake.failWith) return send(fake.failWith, { detail: `server error while handling ${TOKEN}` });
    if (url.pathname !== '/api/dcim/devices/') return send(404, { detail: 'Not found.' });
    const limit = Number(url.searchParams.get('limit') ?? 50);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const site = url.searchParams.get('site');
    const all = fake.devices.filter((d) => !site || d.site?.slug === site);
    const results = all.slice(offset, offset + limit);
    const nextUrl = new URL(url);
    nextUrl.searchParams.set('offset', String(offset + limit));
    send(200, { count: all.length, next: offset + limit < all.length ? nextUrl.href : null, previous: null, results });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () => new Promise((resolve) => server.close(() => resolve()));
  return fake;
}

interface SyncJson {
  summary: { added: number; changed: number; unchanged: number; missing: number; conflicts: number };
  added: string[];
  changed: Array<{ name: string; changes: Array<{ field: string; from: unknown; to: unknown }> }>;
  missing: string[];
  conflicts: Array<{ name: string; netboxId: number; reason: string }>;
  skipped: Array<{ netboxId: number }>;
  unmappedPlatforms: Record<string, number>;
  pages: number;
  fetched: number;
}

describe('mapping NetBox devices', () => {
  const resolver = new PlatformResolver({ 'cisco-ios-xe': 'cisco_ios' });
  const map = (d: Partial<NetboxDevice>) => mapNetboxDevice({ id: 9, name: 'x', ...d }, resolver);

  it('maps platform slugs, most specific word first, then the manufacturer', () => {
    const platformOf = (slug: string | null, manufacturer?: string) =>
      map({ platform: slug ? { slug } : null, device_type: manufacturer ? { manufacturer: { slug: manufacturer } } : null })?.input.platform;
    expect(platformOf('cisco-ios-xr')).toBe('cisco_xr');
    expect(platformOf('cisco-ios')).toBe('cisco_ios');
    expect(platformOf('catalyst')).toBe('cisco_ios');
    expect(platformOf('cisco-nxos')).toBe('cisco_nxos');
    expect(platformOf('arista-eos')).toBe('arista_eos');
    expect(platformOf('juniper-junos')).toBe('juniper_junos');
    expect(platformOf('panos')).toBe('paloalto_panos');
    expect(platformOf('fortios')).toBe('fortinet');
    expect(platformOf('aoscx')).toBe('aruba_aoscx');
    expect(platformOf(null, 'hpe')).toBe('hp_procurve');
    expect(platformOf(null, 'dell')).toBe('dell_os10');
    expect(platformOf(null, 'paloalto')).toBe('paloalto_panos');
    expect(platformOf('cisco-ios-xe')).toBe('cisco_ios');
    expect(platformOf('weird', 'acme')).toBe('cisco_ios');
    expect(map({ platform: { slug: 'weird' } })?.unmappedPlatform).toBe('weird');
  });

  it('takes the primary IP without its mask, falling back to the name', () => {
    expect(map({ primary_ip4: { address: '192.0.2.1/24' }, primary_ip: { address: '2001:db8::9/64' } })?.input.host).toBe('192.0.2.1');
    expect(map({ primary_ip: { address: '2001:db8::9/64' } })?.input.host).toBe('2001:db8::9');
    expect(map({ primary_ip: null })?.input.host).toBe('x');
    expect(map({ name: null })).toBeUndefined();
    expect(map({ name: 'has space' })).toMatchObject({ input: { name: 'has-space' }, renamedFrom: 'has space' });
  });
});

describe('netbox sync against a local NetBox', () => {
  const { home, cleanup } = tempHome();
  let netbox: FakeNetbox;
  const outputs: CliResult[] = [];
  const env = { NETBOX_TOKEN: TOKEN };
  const run = async (args: string[], extraEnv: Record<string, string | undefined> = env, input?: string) => {
    const result = await runCli(args, { home, env: extraEnv, input });
    outputs.push(result);
    return result;
  };
  const sync = async (args: string[] = []) => {
    const result = await runJson<SyncJson>(['netbox', 'sync', '--url', netbox.url, '--page-size', '2', ...args], { home, env });
    outputs.push({ code: result.code, stdout: JSON.stringify(result.data), stderr: result.stderr });
    expect(result.code, result.stderr).toBe(0);
    return result;
  };
  const devices = async (): Promise<Map<string, Device>> => {
    const store = await openSqliteStore(join(home, 'netstacks.db'));
    const list = await listDevices(store.db);
    await store.close();
    return new Map(list.map((d) => [d.name, d]));
  };

  beforeAll(async () => {
    netbox = await startFakeNetbox();
    const store = await openSqliteStore(join(home, 'netstacks.db'));
    await saveDevices(store, [{ name: 'manual-1', host: '192.0.2.50', platform: 'cisco_ios', tags: ['mine'] }], { source: 'manual' });
    await store.close();
  });

  afterAll(async () => {
    await netbox.close();
    cleanup();
  });

  it('shows the plan on --dry-run and writes nothing', async () => {
    const dry = await run(['netbox', 'sync', '--url', netbox.url, '--page-size', '2', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('+ device core-1\n+ device core-2\n+ device edge-1\n+ device sw-1\n+ device nx-1\n');
    expect(dry.stdout).toContain('dry run, nothing written: 5 would be added, 0 would be changed, 0 unchanged, 0 would be marked missing, 1 conflicts (7 devices in 4 pages)');
    expect(dry.stderr).toContain("NetBox device 'manual-1' (id 6) not synced: a manual device has this name");
    expect(dry.stderr).toContain("1 device(s) with platform/manufacturer 'acme' have no platform mapping; using cisco_ios");
    expect(dry.stderr).toContain('NetBox device id 5 skipped');
    expect([...(await devices()).keys()]).toEqual(['manual-1']);
  });

  it('follows next links with the token header on every page and maps every field', async () => {
    netbox.requests.length = 0;
    const first = await sync();
    expect(first.data.summary).toEqual({ added: 5, changed: 0, unchanged: 0, missing: 0, conflicts: 1 });
    expect(first.data.pages).toBe(4);
    expect(netbox.requests.map((r) => r.url)).toEqual([
      '/api/dcim/devices/?limit=2',
      '/api/dcim/devices/?limit=2&offset=2',
      '/api/dcim/devices/?limit=2&offset=4',
      '/api/dcim/devices/?limit=2&offset=6',
    ]);
    expect(netbox.requests.every((r) => r.authorization === `Token ${TOKEN}`)).toBe(true);

    const byName = await devices();
    expect(byName.get('core-1')).toMatchObject({
      host: '10.0.0.1', platform: 'cisco_xr', site: 'lon', role: 'core', vendor: 'Cisco', model: 'ASR-9001', tags: ['prod'],
      netboxId: 1, source: 'netbox', port: 22, missingSince: null,
    });
    expect(byName.get('core-1')!.lastSyncedAt).not.toBeNull();
    expect(byName.get('core-2')).toMatchObject({ host: 'core-2', platform: 'juniper_junos', role: 'core', vendor: 'Juniper', model: 'MX204' });
    expect(byName.get('edge-1')).toMatchObject({ host: '2001:db8::1', platform: 'arista_eos' });
    expect(byName.get('sw-1')).toMatchObject({ platform: 'cisco_ios', vendor: 'Acme Networks' });
    expect(byName.get('nx-1')).toMatchObject({ host: 'nx-1', platform: 'cisco_nxos', tags: ['dc', 'prod'] });
    expect(byName.get('manual-1')).toMatchObject({ host: '192.0.2.50', platform: 'cisco_ios', source: 'manual', netboxId: null, tags: ['mine'] });
  });

  it('reports no changes on a second sync', async () => {
    const second = await sync();
    expect(second.data.summary).toEqual({ added: 0, changed: 0, unchanged: 5, missing: 0, conflicts: 1 });
  });

  it('updates changed devices, follows renames by NetBox id and marks removed ones missing', async () => {
    netbox.devices = netbox.devices.filter((d) => d.name !== 'edge-1');
    netbox.devices.find((d) => d.id === 1)!.primary_ip4 = { address: '10.0.0.11/32' };
    netbox.devices.find((d) => d.id === 7)!.name = 'nx-1a';
    const third = await sync();
    expect(third.data.summary).toEqual({ added: 0, changed: 2, unchanged: 2, missing: 1, conflicts: 1 });
    expect(third.data.changed).toEqual([
      { name: 'core-1', changes: [{ field: 'host', from: '10.0.0.1', to: '10.0.0.11' }] },
      // nx-1 has no primary IP, so its host follows the name
      { name: 'nx-1a', changes: [{ field: 'name', from: 'nx-1', to: 'nx-1a' }, { field: 'host', from: 'nx-1', to: 'nx-1a' }] },
    ]);
    expect(third.data.missing).toEqual(['edge-1']);
    const byName = await devices();
    expect(byName.get('edge-1')!.missingSince).not.toBeNull();
    expect(byName.get('core-1')!.host).toBe('10.0.0.11');
    expect(byName.has('nx-1')).toBe(false);
    expect(byName.get('nx-1a')).toMatchObject({ netboxId: 7, platform: 'cisco_nxos' });
    expect(byName.get('manual-1')).toMatchObject({ host: '192.0.2.50', source: 'manual' });

    const again = await sync();
    expect(again.data.summary).toEqual({ added: 0, changed: 0, unchanged: 4, missing: 0, conflicts: 1 });

    netbox.devices.push(initialDevices().find((d) => d.name === 'edge-1')!);
    const back = await sync();
    expect(back.data.changed).toEqual([{ name: 'edge-1', changes: [{ field: 'missingSince', from: byName.get('edge-1')!.missingSince, to: null }] }]);
    expect((await devices()).get('edge-1')!.missingSince).toBeNull();
  });

  it('passes filters to NetBox and then marks nothing missing', async () => {
    netbox.requests.length = 0;
    const filtered = await sync(['--filter', 'site=par']);
    expect(netbox.requests[0]!.url).toBe('/api/dcim/devices/?limit=2&site=par');
    expect(filtered.data.fetched).toBe(2);
    expect(filtered.data.summary).toMatchObject({ changed: 0, missing: 0 });
    expect(filtered.stderr).toContain('filters limited the pull');
  });

  it('applies a platform map file over the defaults and rejects unknown platforms', async () => {
    const mapFile = join(home, 'platforms.yaml');
    writeFileSync(mapFile, 'acme: hp_procurve\n');
    const mapped = await sync(['--platform-map', mapFile]);
    expect(mapped.data.changed).toEqual([{ name: 'sw-1', changes: [{ field: 'platform', from: 'cisco_ios', to: 'hp_procurve' }] }]);
    expect(mapped.data.unmappedPlatforms).toEqual({});
    writeFileSync(mapFile, 'acme: cisco_iox\n');
    const bad = await run(['netbox', 'sync', '--url', netbox.url, '--platform-map', mapFile]);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain(`${mapFile}: 'acme' maps to unknown platform 'cisco_iox'`);
    expect(bad.stderr).toContain("did you mean 'cisco_ios'");
  });

  it('takes the URL from the settings and the token from the secret store', async () => {
    const store = await openSqliteStore(join(home, 'netstacks.db'));
    await store.write((tx) => tx.insertInto('settings').values({ key: 'netbox.url', value: JSON.stringify(netbox.url), updated_at: new Date().toISOString() }).execute());
    await store.close();

    const noToken = await run(['netbox', 'sync'], { NETBOX_TOKEN: undefined });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('no NetBox token');
    expect(noToken.stderr).toContain('netstacks netbox set-token');

    const stored = await run(['netbox', 'set-token', '--token-stdin'], { NETBOX_TOKEN: undefined }, `${TOKEN}\n`);
    expect(stored.code, stored.stderr).toBe(0);
    const fromStore = await run(['netbox', 'sync', '--json'], { NETBOX_TOKEN: undefined });
    expect(fromStore.code, fromStore.stderr).toBe(0);
    // without --platform-map, sw-1 falls back to the default platform again
    expect(JSON.parse(fromStore.stdout)).toMatchObject({
      summary: { added: 0, changed: 1, unchanged: 4 },
      changed: [{ name: 'sw-1', changes: [{ field: 'platform', from: 'hp_procurve', to: 'cisco_ios' }] }],
    });
  });

  it('explains HTTP errors without showing the token', async () => {
    const wrong = `${TOKEN}-but-wrong`;
    const denied = await run(['netbox', 'sync', '--url', netbox.url, '--token-stdin'], {}, wrong);
    expect(denied.code).toBe(8);
    expect(denied.stderr).toContain('NetBox answered 401');
    expect(denied.stderr).toContain('Invalid token: Token ***');
    expect(denied.stderr).toContain('hint: check the NetBox token');
    expect(denied.stderr).not.toContain('but-wrong');

    netbox.failWith = 500;
    const broken = await run(['netbox', 'sync', '--url', netbox.url, '--debug']);
    netbox.failWith = undefined;
    expect(broken.code).toBe(8);
    expect(broken.stderr).toContain('NetBox answered 500');
    expect(broken.stderr).toContain('server error while handling ***');

    const closed = await run(['netbox', 'sync', '--url', 'http://127.0.0.1:9', '--timeout', '2']);
    expect(closed.code).toBe(8);
    expect(closed.stderr).toContain('cannot reach NetBox at http://127.0.0.1:9');
  });

  it('never lets the token reach output or the database file', () => {
    expect(outputs.length).toBeGreaterThan(8);
    for (const { stdout, stderr } of outputs) {
      expect(stdout).not.toContain(TOKEN);
      expect(stderr).not.toContain(TOKEN);
    }
    for (const file of ['netstacks.db', 'netstacks.db-wal']) {
      const path = join(home, file);
      if (existsSync(path)) expect(readFileSync(path).includes(Buffer.from(TOKEN))).toBe(false);
    }
  });
});
