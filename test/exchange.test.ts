import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli, runJson, tempHome } from './helpers/cli.js';
import { openSqliteStore } from '../src/store/store.js';
import { saveDevices } from '../src/inventory/device-save.js';
import { listDevices } from '../src/inventory/devices.js';

const FIXTURES = resolve(import.meta.dirname, 'fixtures');

interface PlanJson {
  summary: { added: number; changed: number; unchanged: number; removed: number };
  devices: { added: string[]; changed: Array<{ name: string; changes: Array<{ field: string; from: unknown; to: unknown }> }>; removed: string[] };
  groups: { added: string[]; changed: unknown[]; unchanged: string[] };
  dryRun: boolean;
}

describe('inventory import/export (YAML)', () => {
  const { home, cleanup } = tempHome();
  const cli = (args: string[]) => runCli(args, { home });
  const plan = (args: string[]) => runJson<PlanJson>(args, { home });
  afterAll(cleanup);

  beforeAll(async () => {
    const first = await cli(['inventory', 'import', join(FIXTURES, 'inventory.yaml')]);
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('3 added, 0 changed, 0 unchanged, 0 removed; groups: 2 added');
  });

  it('stores every field of the file', async () => {
    const store = await openSqliteStore(join(home, 'netstacks.db'));
    const devices = await listDevices(store.db);
    await store.close();
    const byName = new Map(devices.map((d) => [d.name, d]));
    expect(byName.get('core-1')).toMatchObject({
      host: '10.0.0.1', platform: 'cisco_xr', site: 'lon', role: 'core', vendor: 'Cisco', model: 'ASR-9001',
      tags: ['prod', 'bgp'], groups: ['backbone'], variables: { asn: 65001, loopback: '10.255.0.1' }, source: 'import', enabled: true,
    });
    expect(byName.get('core-2')!.groups.sort()).toEqual(['backbone', 'paris']);
    expect(byName.get('edge-1')).toMatchObject({ port: 2222, enabled: false, description: 'edge router: north', ssh: { jumpHosts: ['core-1'] }, site: null });
  });

  it('is idempotent: importing the same file again changes nothing', async () => {
    const again = await plan(['inventory', 'import', join(FIXTURES, 'inventory.yaml')]);
    expect(again.data.summary).toEqual({ added: 0, changed: 0, unchanged: 3, removed: 0 });
    expect(again.data.groups.added).toEqual([]);
  });

  it('round-trips: export then import --dry-run shows no changes', async () => {
    const exported = await cli(['inventory', 'export']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('  - name: core-1\n    host: 10.0.0.1\n');
    expect(exported.stdout).not.toContain('null');
    expect(exported.stdout).not.toContain('port: 22\n');
    const file = join(home, 'exported.yaml');
    writeFileSync(file, exported.stdout);
    const dry = await plan(['inventory', 'import', file, '--dry-run']);
    expect(dry.data.summary).toEqual({ added: 0, changed: 0, unchanged: 3, removed: 0 });
    expect(dry.data.groups).toMatchObject({ added: [], changed: [] });
  });

  it('shows field-level diffs of an edited export and writes nothing on --dry-run', async () => {
    const file = join(home, 'edited.yaml');
    const exported = (await cli(['inventory', 'export'])).stdout;
    const edited = exported.replace('    site: lon\n', '    site: ldn\n').replace('    tags:\n      - prod\n      - bgp\n', '    tags:\n      - prod\n').replace('    port: 2222\n', '');
    expect(edited).not.toBe(exported);
    writeFileSync(file, edited);

    const dry = await cli(['inventory', 'import', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('~ device core-1\n    site: lon → ldn\n    tags: [prod, bgp] → [prod]\n');
    expect(dry.stdout).toContain('~ device edge-1\n    port: 2222 → 22\n');
    expect(dry.stdout).toContain('dry run, nothing written: 0 would be added, 2 would be changed, 1 unchanged, 0 would be removed');
    expect((await cli(['inventory', 'export'])).stdout).toBe(exported);

    const applied = await plan(['inventory', 'import', file]);
    expect(applied.data.summary).toEqual({ added: 0, changed: 2, unchanged: 1, removed: 0 });
    expect(applied.data.devices.changed[0]).toEqual({
      name: 'core-1',
      changes: [
        { field: 'site', from: 'lon', to: 'ldn' },
        { field: 'tags', from: ['prod', 'bgp'], to: ['prod'] },
      ],
    });
    const after = (await cli(['inventory', 'export'])).stdout;
    expect(after).toBe(edited);
  });

  it('exports only the selected devices and their groups with --on', async () => {
    const out = await cli(['inventory', 'export', '--on', 'role:core and not site:par']);
    expect(out.stdout).toContain('name: core-1');
    expect(out.stdout).not.toContain('name: core-2');
    expect(out.stdout).not.toContain('name: edge-1');
    expect(out.stdout).toContain('  - name: backbone');
    expect(out.stdout).not.toContain('name: paris');
    const asJson = await runJson<{ devices: Array<{ name: string }>; groups: Array<{ name: string }> }>(['inventory', 'export', '--on', 'core-*'], { home });
    expect(asJson.data.devices.map((d) => d.name)).toEqual(['core-1', 'core-2']);
    expect(asJson.data.groups.map((g) => g.name).sort()).toEqual(['backbone', 'paris']);
    const bad = await cli(['inventory', 'export', '--on', 'role:core and (site:par']);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toContain("selection syntax error at column 24: expected ')' to close the '(' at column 15, found end of expression");
    expect(bad.stderr).toContain(`  role:core and (site:par\n  ${' '.repeat(23)}^`);
  });
});

describe('inventory import/export (CSV)', () => {
  const { home, cleanup } = tempHome();
  const cli = (args: string[]) => runCli(args, { home });
  const plan = (args: string[]) => runJson<PlanJson>(args, { home });
  afterAll(cleanup);

  it('imports a CSV, round-trips it, and diffs an edited cell', async () => {
    const imported = await plan(['inventory', 'import', join(FIXTURES, 'inventory.csv')]);
    expect(imported.data.summary).toEqual({ added: 3, changed: 0, unchanged: 0, removed: 0 });
    expect(imported.data.groups.added).toEqual(['lon-access']);

    const file = join(home, 'out.csv');
    const exported = await cli(['inventory', 'export', '--output', file]);
    expect(exported.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')[0]).toBe('name,host,port,platform,site,role,vendor,model,description,tags,groups,credential,enabled,variables');
    expect(text).toContain('sw-1,192.0.2.11,22,cisco_ios,lon,access,,,,access;floor1,lon-access,,true,"{""vlan"":10}"');
    expect(text).toContain('sw-3,192.0.2.13,8022,hp_procurve,,,,,,,,,false,');

    const dry = await plan(['inventory', 'import', file, '--dry-run']);
    expect(dry.data.summary).toEqual({ added: 0, changed: 0, unchanged: 3, removed: 0 });

    writeFileSync(file, text.replace('sw-2,192.0.2.12,22', 'sw-2,192.0.2.99,22').replace('"{""vlan"":10}"', '"{""vlan"":20}"'));
    const edited = await cli(['inventory', 'import', file, '--dry-run']);
    expect(edited.stdout).toContain('~ device sw-1\n    variables: {"vlan":10} → {"vlan":20}\n');
    expect(edited.stdout).toContain('~ device sw-2\n    host: 192.0.2.12 → 192.0.2.99\n');
    expect(edited.stdout).toContain('0 would be added, 2 would be changed, 1 unchanged');
  });

  it('leaves fields without a column alone', async () => {
    const file = join(home, 'partial.csv');
    writeFileSync(file, 'name,site\nsw-1,par\n');
    const dry = await plan(['inventory', 'import', file, '--dry-run']);
    expect(dry.data.devices.changed).toEqual([{ name: 'sw-1', changes: [{ field: 'site', from: 'lon', to: 'par' }] }]);
    const newDevice = join(home, 'new.csv');
    writeFileSync(newDevice, 'name,site\nsw-9,par\n');
    const refused = await cli(['inventory', 'import', newDevice]);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain("new.csv:2: device 'sw-9' is new and needs a host");
  });
});

describe('inventory import errors', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  it('names file, line and column of malformed YAML', async () => {
    const file = join(FIXTURES, 'malformed.yaml');
    const result = await runCli(['inventory', 'import', file], { home });
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(new RegExp(`error: ${file.replace(/[.]/g, '\\.')}:4:3: .*\\]`));
    expect(result.stderr).toContain('host: [10.0.0.1');
  });

  it('names the device, its index and the field of invalid entries', async () => {
    const file = join(FIXTURES, 'invalid.yaml');
    const result = await runCli(['inventory', 'import', file], { home });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`${file}:4:5: device #1 'core-1': unknown field 'prot'; did you mean 'port'?`);
    expect(result.stderr).toContain(`${file}:7:11: device #2 'core-2': port: a port is a whole number from 1 to 65535`);
    expect(result.stderr).toContain('error: 2 problems in');
  });

  it('names line and column of bad CSV cells and unknown columns', async () => {
    const file = join(home, 'bad.csv');
    writeFileSync(file, 'name,host,port,enabled\nr1,h1,22,true\nr2,h2,abc,maybe\n');
    const result = await runCli(['inventory', 'import', file], { home });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`${file}:3:3: device #2 'r2': port: 'abc' is not a port number (1-65535)`);
    expect(result.stderr).toContain(`${file}:3:4: device #2 'r2': enabled: 'maybe' is not true or false`);
    writeFileSync(file, 'name,hots\nr1,h1\n');
    const header = await runCli(['inventory', 'import', file], { home });
    expect(header.stderr).toContain(`${file}:1:2: unknown column 'hots'; did you mean 'host'?`);
    writeFileSync(file, 'name,host\nr1,"h1\n');
    const quote = await runCli(['inventory', 'import', file], { home });
    expect(quote.code).toBe(4);
    expect(quote.stderr).toContain(`${file}:2: Quote Not Closed`);
  });

  it('rejects duplicate names and unknown credentials before writing anything', async () => {
    const file = join(home, 'dup.yaml');
    writeFileSync(file, 'devices:\n  - name: a\n    host: h\n  - name: a\n    host: h2\n    credential: lab\n');
    const result = await runCli(['inventory', 'import', file], { home });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`${file}:4:5: device 'a' appears again (first at ${file}:2:5)`);
    expect(result.stderr).toContain("device #2 'a': credential: 'lab' does not exist");
    const listed = await runCli(['inventory', 'export', '--format', 'csv'], { home });
    expect(listed.stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('inventory import --prune', () => {
  const { home, cleanup } = tempHome();
  afterAll(cleanup);

  it('removes only imported devices the file no longer lists', async () => {
    const db = join(home, 'netstacks.db');
    const store = await openSqliteStore(db);
    await saveDevices(store, [{ name: 'manual-1', host: '192.0.2.1' }], { source: 'manual' });
    await store.close();

    const full = join(home, 'full.yaml');
    copyFileSync(join(FIXTURES, 'inventory.yaml'), full);
    expect((await runCli(['inventory', 'import', full], { home })).code).toBe(0);

    const smaller = join(home, 'smaller.yaml');
    writeFileSync(smaller, 'devices:\n  - name: core-1\n    host: 10.0.0.1\n    platform: cisco_xr\n');
    const withoutPrune = await runJson<PlanJson>(['inventory', 'import', smaller, '--dry-run'], { home });
    expect(withoutPrune.data.devices.removed).toEqual([]);

    const dry = await runCli(['inventory', 'import', smaller, '--dry-run', '--prune'], { home });
    expect(dry.stdout).toContain('- device core-2\n- device edge-1\n');
    expect(dry.stdout).not.toContain('manual-1');

    const pruned = await runJson<PlanJson>(['inventory', 'import', smaller, '--prune'], { home });
    expect(pruned.data.devices.removed).toEqual(['core-2', 'edge-1']);
    const after = await openSqliteStore(db);
    const names = (await listDevices(after.db)).map((d) => d.name);
    await after.close();
    expect(names).toEqual(['core-1', 'manual-1']);
  });
});
