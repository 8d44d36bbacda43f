import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendControlRequest, startLab, type LabHandle, type LabPlatform } from '../src/lab/index.js';
import { compileTemplate, parseOutput } from '../src/parse/index.js';
import type { DeviceSession } from '../src/session/index.js';
import { connectLabSession } from './helpers/lab.js';

/**
 * The built-in templates (src/parse/templates) against the lab's output, for all ten platforms:
 * each command runs over a real session, python3-textfsm's clitable picks the template from our
 * index and parses it, and the TypeScript engine must give the same records from the same template.
 */

const TEMPLATES = join(import.meta.dirname, '..', 'src', 'parse', 'templates');
type Record_ = Record<string, string | string[]>;

interface Coverage {
  version: string;
  /** field holding the hostname in the version (or system) records, when the command shows it */
  hostnameField?: string;
  status: string;
  counters: string;
  routes: string[];
  bgp: string[];
  lldp: string;
  /** the interface field of status records */
  interfaceField: string;
  /** BGP neighbour and state fields */
  peerField?: string;
  stateField?: string;
  networkField: string;
}

const COVERAGE: Record<Exclude<LabPlatform, 'cisco_xe'>, Coverage> = {
  cisco_ios: {
    version: 'show version', hostnameField: 'hostname', status: 'show ip interface brief', counters: 'show interfaces',
    routes: ['show ip route', 'show ip route vrf CUST-A'], bgp: ['show ip bgp summary', 'sh ip b su', 'show ip bgp vpnv4 vrf CUST-A summary'], lldp: 'show lldp neighbors',
    interfaceField: 'interface', peerField: 'bgp_neighbor', stateField: 'state_or_prefixes_received', networkField: 'network',
  },
  cisco_nxos: {
    version: 'show version', hostnameField: 'hostname', status: 'show interface brief', counters: 'show interface',
    routes: ['show ip route', 'show ip route vrf all'], bgp: ['show ip bgp summary', 'show bgp vrf all ipv4 unicast summary'], lldp: 'show lldp neighbors',
    interfaceField: 'interface', peerField: 'bgp_neigh', stateField: 'state_pfxrcd', networkField: 'network',
  },
  cisco_xr: {
    version: 'show version', status: 'show ipv4 interface brief', counters: 'show interfaces',
    routes: ['show route ipv4', 'show route vrf CUST-A ipv4'], bgp: ['show bgp summary', 'show bgp vrf all ipv4 unicast summary'], lldp: 'show lldp neighbors',
    interfaceField: 'interface', peerField: 'bgp_neighbor', stateField: 'state_or_prefixes_received', networkField: 'network',
  },
  arista_eos: {
    version: 'show version', status: 'show interfaces status', counters: 'show interfaces',
    routes: ['show ip route', 'show ip route vrf CUST-A'], bgp: ['show ip bgp summary', 'show ip bgp summary vrf all'], lldp: 'show lldp neighbors',
    interfaceField: 'port', peerField: 'bgp_neigh', stateField: 'state', networkField: 'network',
  },
  juniper_junos: {
    version: 'show version', hostnameField: 'hostname', status: 'show interfaces terse', counters: 'show interfaces statistics',
    routes: ['show route', 'show route table CUST-A.inet.0'], bgp: ['show bgp summary'], lldp: 'show lldp neighbors',
    interfaceField: 'interface', peerField: 'peer_ip', stateField: 'state', networkField: 'network',
  },
  fortinet: {
    version: 'get system status', hostnameField: 'hostname', status: 'get system interface physical', counters: 'get hardware nic port1',
    routes: ['get router info routing-table all'], bgp: ['get router info bgp summary'], lldp: 'diagnose lldprx neighbor summary',
    interfaceField: 'interface', peerField: 'bgp_neigh', stateField: 'state_pfxrcd', networkField: 'destination',
  },
  paloalto_panos: {
    version: 'show system info', hostnameField: 'hostname', status: 'show interface all', counters: 'show interface ethernet1/1',
    routes: ['show routing route'], bgp: ['show routing protocol bgp summary'], lldp: 'show lldp neighbors all',
    interfaceField: 'interface', peerField: 'bgp_neighbor', stateField: 'state', networkField: 'network',
  },
  hp_procurve: {
    version: 'show system', hostnameField: 'name', status: 'show interfaces brief', counters: 'show interfaces',
    routes: ['show ip route'], bgp: [], lldp: 'show lldp info remote-device',
    interfaceField: 'port', networkField: 'destination',
  },
  aruba_aoscx: {
    version: 'show system', hostnameField: 'hostname', status: 'show interface brief', counters: 'show interface',
    routes: ['show ip route', 'show ip route all-vrfs'], bgp: ['show bgp all summary', 'show bgp all-vrfs all summary'], lldp: 'show lldp neighbor-info',
    interfaceField: 'port', peerField: 'neighbour', stateField: 'state', networkField: 'network',
  },
  linux: {
    version: 'uname -a', hostnameField: 'hostname', status: 'ip link show', counters: 'ip -s link show',
    routes: ['ip route show', 'ip route show vrf CUST-A'], bgp: ['vtysh -c "show ip bgp summary"', 'vtysh -c "show bgp vrf all summary"'], lldp: 'lldpcli show neighbors',
    interfaceField: 'interface', peerField: 'bgp_neighbor', stateField: 'state_or_prefixes_received', networkField: 'network',
  },
};

const PLATFORMS = Object.keys(COVERAGE) as (keyof typeof COVERAGE)[];

/**
 * The same lab output must also parse with ntc-templates (real devices' shapes) where the
 * corpus has a template for that exact command. Commands left out have none there, or one for a
 * different form (e.g. Junos `show bgp summary` without the table section).
 */
const NTC: Record<keyof typeof COVERAGE, string[]> = {
  cisco_ios: ['show version', 'show ip interface brief', 'show interfaces status', 'show interfaces', 'show ip route', 'show ip route vrf CUST-A', 'show ip bgp summary', 'show lldp neighbors'],
  cisco_nxos: ['show version', 'show interface brief', 'show interface', 'show ip route', 'show ip route vrf all', 'show ip bgp summary', 'show lldp neighbors'],
  cisco_xr: ['show version', 'show ipv4 interface brief', 'show interfaces', 'show route ipv4', 'show bgp vrf all ipv4 unicast summary', 'show lldp neighbors'],
  arista_eos: ['show version', 'show interfaces status', 'show interfaces', 'show ip route', 'show ip bgp summary', 'show ip bgp summary vrf all', 'show lldp neighbors'],
  juniper_junos: ['show version', 'show lldp neighbors'],
  fortinet: ['get system status', 'get system interface physical', 'get router info routing-table all', 'get router info bgp summary'],
  paloalto_panos: ['show system info', 'show interface all', 'show routing route', 'show routing protocol bgp summary', 'show lldp neighbors all'],
  hp_procurve: ['show system', 'show interfaces brief', 'show interfaces', 'show ip route', 'show lldp info remote-device'],
  aruba_aoscx: ['show system', 'show interface', 'show ip route all-vrfs', 'show bgp all-vrfs all summary'],
  linux: ['ip link show', 'ip address show', 'ip route show'],
};

const repoRoot = join(import.meta.dirname, '..');
// shared/ sits beside the clone (CI, /work/main); a git worktree is one level deeper
const NTC_TEMPLATES = [join(repoRoot, '..', 'shared'), join(repoRoot, '..', '..', 'shared')].map((d) => join(d, 'textfsm-corpus', 'templates')).find((d) => existsSync(d));

/** Python interpreters to try: Debian's python3-textfsm may sit behind a pyenv shim. */
function findPython(): string {
  for (const candidate of [process.env.NETSTACKS_PYTHON, 'python3', '/usr/bin/python3']) {
    if (!candidate) continue;
    const probe = spawnSync(candidate, ['-c', 'import textfsm'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  throw new Error('python3 with textfsm is required (Debian: python3-textfsm); set NETSTACKS_PYTHON to point at it');
}

const PY_CLITABLE = `
import json, sys
from textfsm import clitable
cases = json.load(sys.stdin)
out = []
for case in cases:
    table = clitable.CliTable('index', sys.argv[1])
    try:
        table.ParseCmd(case['text'], {'Platform': case['platform'], 'Command': case['command']})
    except Exception as error:
        out.append({'error': str(error)})
        continue
    header = [h.lower() for h in table.header]
    row = table.index.index[table.index.GetRowMatch({'Platform': case['platform'], 'Command': case['command']})]
    out.append({'template': row['Template'], 'records': [dict(zip(header, [v if isinstance(v, str) else list(v) for v in r])) for r in table]})
print(json.dumps(out))
`;

interface PyResult {
  template?: string;
  records?: Record_[];
  error?: string;
}

/** Async, so the in-process lab keeps answering the other sessions meanwhile. */
function pythonParse(python: string, cases: { platform: string; command: string; text: string }[], templates = TEMPLATES): Promise<PyResult[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, ['-c', PY_CLITABLE, templates], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout) as PyResult[]) : reject(new Error(`python3-textfsm failed: ${stderr}`))));
    child.stdin.end(JSON.stringify(cases));
  });
}

function tsParse(template: string, text: string): Record_[] {
  const file = join(TEMPLATES, template);
  return compileTemplate(readFileSync(file, 'utf8'), file).parse(text) as Record_[];
}

let lab: LabHandle;
let home: string;
let python: string;

beforeAll(async () => {
  python = findPython();
  home = mkdtempSync(join(tmpdir(), 'ns-parse-builtin-'));
  lab = await startLab({ devices: PLATFORMS.length, platforms: [...PLATFORMS], port: 0, quirks: false, seed: 7, home, controlSocket: false });
}, 30_000);

afterAll(async () => {
  await lab?.stop();
});

async function openLabSession(name: string, handle: LabHandle = lab): Promise<DeviceSession> {
  return connectLabSession(handle, home, name, { commandTimeoutMs: 15_000 });
}

/** Runs the commands on a device and parses each with both engines; they must agree. */
async function parseOnDevice(name: string, platform: string, commands: string[], handle: LabHandle = lab, texts?: Map<string, string>, templates = TEMPLATES): Promise<Map<string, Record_[]>> {
  const session = await openLabSession(name, handle);
  const cases: { platform: string; command: string; text: string }[] = [];
  try {
    for (const command of commands) cases.push({ platform, command, text: (await session.send(command)).output });
  } finally {
    await session.close();
  }
  for (const c of cases) texts?.set(c.command, c.text);
  const results = await pythonParse(python, cases, templates);
  const parsed = new Map<string, Record_[]>();
  cases.forEach((c, i) => {
    const py = results[i] as PyResult;
    expect(py.error, `${platform} '${c.command}': python3-textfsm could not parse the lab output`).toBeUndefined();
    const records = py.records ?? [];
    expect(tsParse(py.template as string, c.text), `${platform} '${c.command}' (${py.template}): TypeScript engine differs from python3-textfsm`).toEqual(records);
    if (templates === TEMPLATES) {
      // the library's lookup (no user folder, no NET_TEXTFSM) lands on the same built-in template
      const viaLibrary = parseOutput({ platform, command: c.command, text: c.text, home, env: {} });
      expect(viaLibrary.source).toMatchObject({ kind: 'builtin', template: join(TEMPLATES, py.template as string) });
      expect(viaLibrary.records).toEqual(records);
    }
    expect(records.length, `${platform} '${c.command}' gave no records`).toBeGreaterThan(0);
    parsed.set(c.command, records);
  });
  return parsed;
}

const field = (records: Record_[], name: string) => records.map((r) => r[name] as string);

/** Global-table BGP neighbours the running config names (none for the platforms whose configs carry none). */
function configuredPeers(platform: string, config: string): string[] {
  // the CUST-A VRF's CE (10.250.x.2) is not a global-table peer
  const all = (re: RegExp) => [...new Set([...config.matchAll(re)].map((m) => m[1] as string))].filter((p) => !p.startsWith('10.250.'));
  if (platform === 'cisco_ios' || platform === 'arista_eos') return all(/neighbor (\d+\.\d+\.\d+\.\d+) remote-as/g);
  if (platform === 'cisco_nxos' || platform === 'cisco_xr') return all(/^\s+neighbor (\d+\.\d+\.\d+\.\d+)\s*$/gm);
  if (platform === 'juniper_junos') return all(/neighbor (\d+\.\d+\.\d+\.\d+)/g);
  return [];
}

describe.concurrent('built-in templates on lab output, python3-textfsm and the TypeScript engine agree', () => {
  for (const platform of PLATFORMS) {
    it(`${platform}: version, interfaces, routes, BGP, LLDP`, async () => {
      const device = lab.devices.find((d) => d.platform === platform);
      if (!device) throw new Error(`no ${platform} device`);
      const cover = COVERAGE[platform];
      const commands = [cover.version, cover.status, cover.counters, ...cover.routes, ...cover.bgp, cover.lldp];
      const texts = new Map<string, string>();
      const parsed = await parseOnDevice(device.name, platform, [...new Set([...commands, ...NTC[platform]])], lab, texts);
      const config = lab.runningConfig(device.name);

      if (cover.hostnameField) expect(parsed.get(cover.version)?.[0]?.[cover.hostnameField]).toBe(device.name);

      const status = parsed.get(cover.status) ?? [];
      expect(status.length).toBeGreaterThanOrEqual(3);
      const names = field(status, cover.interfaceField);
      expect(new Set(names).size).toBe(names.length);
      const counters = parsed.get(cover.counters) ?? [];
      const inputErrors = counters.flatMap((record) => Object.entries(record).filter(([k]) => /(^|_)(input_errors|rx_errors|errors_rx|receive_errors)$/.test(k)).map(([, v]) => v));
      expect(inputErrors.filter((v) => v !== '').length, `${cover.counters} records carry input errors`).toBeGreaterThan(0);
      for (const value of inputErrors) expect(value).toMatch(/^0?$/);

      const routes = parsed.get(cover.routes[0] as string) ?? [];
      expect(routes.length).toBeGreaterThanOrEqual(3);
      // the VRF the routes show is configured (Linux hosts carry it outside the config the lab keeps)
      if (cover.routes[1] && platform !== 'linux') expect(config).toContain('CUST-A');
      if (cover.routes[1]) {
        const vrfRoutes = parsed.get(cover.routes[1]) ?? [];
        expect(field(vrfRoutes, cover.networkField).some((n) => n.startsWith('10.250.'))).toBe(true);
      }

      if (cover.peerField && cover.stateField) {
        const peers = parsed.get(cover.bgp[0] as string) ?? [];
        const expected = configuredPeers(platform, config);
        if (expected.length) expect(field(peers, cover.peerField).filter((p) => !p.startsWith('10.250.')).sort()).toEqual(expected.sort());
        expect(peers.length).toBeGreaterThanOrEqual(2);
        for (const state of field(peers, cover.stateField)) expect(state).toMatch(/^(\d+|Established|Estab|Establ)$/);
        if (cover.bgp.length > 1) expect(field(parsed.get(cover.bgp[cover.bgp.length - 1] as string) ?? [], cover.peerField).some((p) => p.startsWith('10.250.'))).toBe(true);
      }

      const lldp = parsed.get(cover.lldp) ?? [];
      expect(lldp.length).toBeGreaterThanOrEqual(1);
      for (const record of lldp) expect(record.neighbor_name ?? '').toMatch(/^(core|spine|dist|edge|border)-/);

      if (!NTC_TEMPLATES) throw new Error('ntc-templates corpus (shared/textfsm-corpus) not found beside the repository');
      const ntc = await pythonParse(python, NTC[platform].map((command) => ({ platform, command, text: texts.get(command) ?? '' })), NTC_TEMPLATES);
      NTC[platform].forEach((command, i) => {
        expect(ntc[i]?.error, `ntc-templates cannot parse the lab's '${command}' on ${platform}`).toBeUndefined();
        expect(ntc[i]?.records?.length, `ntc-templates found no records in the lab's '${command}' on ${platform}`).toBeGreaterThan(0);
      });
    }, 60_000);
  }

  it('cisco_xe shares the IOS templates', async () => {
    const xe = await startLab({ devices: 1, platforms: ['cisco_xe'], port: 0, quirks: false, seed: 7, firstAddress: '127.0.3.1', controlSocket: false });
    try {
      const device = xe.devices[0];
      if (!device) throw new Error('no xe device');
      const parsed = await parseOnDevice(device.name, 'cisco_xe', ['show version', 'show ip bgp summary'], xe);
      expect(parsed.get('show version')?.[0]).toMatchObject({ hostname: device.name, version: '17.3.4a', hardware: ['CSR1000V'] });
    } finally {
      await xe.stop();
    }
  }, 60_000);
});

describe('state hooks show in parsed records', () => {
  it('IOS: a BGP neighbour down, input errors rising, a prefix vanishing, pings failing', async () => {
    const device = lab.devices.find((d) => d.platform === 'cisco_ios');
    if (!device) throw new Error('no ios device');
    const before = await parseOnDevice(device.name, 'cisco_ios', ['show ip bgp summary', 'show ip route']);
    const peers = before.get('show ip bgp summary') ?? [];
    const down = peers[0]?.bgp_neighbor as string;
    const victim = (before.get('show ip route') ?? []).find((r) => r.protocol === 'S') as Record_;
    lab.setState(device.name, { bgpDown: [down], interfaceErrors: { 'GigabitEthernet0/0': 1234 }, removedPrefixes: [`${victim.network}/${victim.prefix_length}`], pingFail: true, interfacesDown: ['Gi0/1'] });
    try {
      const after = await parseOnDevice(device.name, 'cisco_ios', ['show ip bgp summary', 'show ip route', 'show interfaces', 'show ip interface brief']);
      expect((after.get('show ip interface brief') ?? []).find((r) => r.interface === 'GigabitEthernet0/1')).toMatchObject({ status: 'down', proto: 'down' });
      // the peer behind Gi0/1 (10.1.0.0/24) lost its session with the link
      expect((after.get('show ip bgp summary') ?? []).find((p) => p.bgp_neighbor === '10.1.0.2')?.state_or_prefixes_received).toMatch(/^(Idle|Active)$/);
      const afterPeers = after.get('show ip bgp summary') ?? [];
      expect(afterPeers.find((p) => p.bgp_neighbor === down)?.state_or_prefixes_received).toMatch(/^(Idle|Active)$/);
      expect(afterPeers.filter((p) => p.bgp_neighbor !== down && p.bgp_neighbor !== '10.1.0.2').every((p) => /^\d+$/.test(p.state_or_prefixes_received as string))).toBe(true);
      const routes = after.get('show ip route') ?? [];
      expect(routes.some((r) => r.network === victim.network && r.prefix_length === victim.prefix_length)).toBe(false);
      // the peer's BGP routes went with it
      expect(routes.some((r) => r.protocol === 'B' && r.nexthop_ip === down)).toBe(false);
      const gi0 = (after.get('show interfaces') ?? []).find((r) => r.interface === 'GigabitEthernet0/0');
      expect(gi0).toMatchObject({ input_errors: '1234', crc: '1234' });
      const session = await openLabSession(device.name);
      try {
        expect((await session.send('ping 10.0.0.2')).output).toContain('Success rate is 0 percent (0/5)');
      } finally {
        await session.close();
      }
    } finally {
      lab.reset([device.name]);
    }
    expect(lab.operState(device.name)).toEqual({});
  }, 60_000);

  it('Junos: a peer down shows in show bgp summary and its | display json', async () => {
    const device = lab.devices.find((d) => d.platform === 'juniper_junos');
    if (!device) throw new Error('no junos device');
    const peer = configuredPeers('juniper_junos', lab.runningConfig(device.name))[0] as string;
    lab.setState(device.name, { bgpDown: [peer] });
    try {
      const parsed = await parseOnDevice(device.name, 'juniper_junos', ['show bgp summary']);
      const record = (parsed.get('show bgp summary') ?? []).find((r) => r.peer_ip === peer);
      expect(record?.state).toMatch(/^(Idle|Active)$/);
      expect(record?.table).toBe('');
      const session = await openLabSession(device.name);
      try {
        const json = JSON.parse((await session.send('show bgp summary | display json')).output) as { 'bgp-information': { 'bgp-peer': { 'peer-address': { data: string }[]; 'peer-state': { data: string }[] }[] }[] };
        const peers = json['bgp-information'][0]?.['bgp-peer'] ?? [];
        expect(peers.find((p) => p['peer-address'][0]?.data === peer)?.['peer-state'][0]?.data).toMatch(/^(Idle|Active)$/);
        const lldp = JSON.parse((await session.send('show lldp neighbors | display json')).output) as { 'lldp-neighbors-information': { 'lldp-neighbor-information': { 'lldp-local-port-id': { data: string }[] }[] }[] };
        const ports = lldp['lldp-neighbors-information'][0]?.['lldp-neighbor-information'].map((n) => n['lldp-local-port-id'][0]?.data) ?? [];
        expect(ports.length).toBeGreaterThan(0);
        expect(ports.every((p) => /^ge-0\/0\/\d+$/.test(p ?? ''))).toBe(true);
      } finally {
        await session.close();
      }
    } finally {
      lab.reset([device.name]);
    }
  }, 60_000);
});

const PING: Record<keyof typeof COVERAGE, string> = {
  cisco_ios: 'ping 10.0.0.2', cisco_nxos: 'ping 10.0.0.2', cisco_xr: 'ping 10.0.0.2', arista_eos: 'ping 10.0.0.2', juniper_junos: 'ping 10.0.0.2 count 5',
  fortinet: 'execute ping 10.0.0.2', paloalto_panos: 'ping host 10.0.0.2', hp_procurve: 'ping 10.0.0.2', aruba_aoscx: 'ping 10.0.0.2', linux: 'ping -c 5 10.0.0.2',
};

describe.concurrent('pings follow the pingFail hook', () => {
  for (const platform of PLATFORMS) {
    it(platform, async () => {
      const device = lab.devices.find((d) => d.platform === platform);
      if (!device) throw new Error(`no ${platform} device`);
      const session = await openLabSession(device.name);
      try {
        // a failed ping is a failed command where the shell says so (Linux exit status): its text is in the error
        const ping = () => session.send(PING[platform]).then((r) => r.output, (e: unknown) => String(e));
        expect(await ping()).toMatch(/Success rate is 100 percent|, 0(\.00)?% packet loss|is alive/);
        lab.setState(device.name, { pingFail: ['10.0.0.2'] });
        expect(await ping()).toMatch(/Success rate is 0 percent|100(\.00)?% packet loss|timed out/);
        lab.setState(device.name, { pingFail: false });
        expect(await ping()).not.toMatch(/Success rate is 0 percent|100(\.00)?% packet loss|timed out/);
      } finally {
        lab.setState(device.name, { pingFail: false });
        await session.close();
      }
    }, 30_000);
  }
});

describe('native structured output', () => {
  it('EOS | json and NX-OS | json carry the same peers as the text', async () => {
    for (const platform of ['arista_eos', 'cisco_nxos'] as const) {
      const device = lab.devices.find((d) => d.platform === platform);
      if (!device) throw new Error(`no ${platform} device`);
      const session = await openLabSession(device.name);
      try {
        const text = (await session.send('show ip bgp summary')).output;
        const json = JSON.parse((await session.send('show ip bgp summary | json')).output) as Record<string, unknown>;
        const peers = configuredPeers(platform, lab.runningConfig(device.name));
        for (const peer of peers) expect(text).toContain(peer);
        const found =
          platform === 'arista_eos'
            ? Object.keys((json as { vrfs: { default: { peers: Record<string, unknown> } } }).vrfs.default.peers)
            : (json as { TABLE_vrf: { ROW_vrf: { TABLE_neighbor: { ROW_neighbor: { neighborid: string }[] } }[] } }).TABLE_vrf.ROW_vrf[0]?.TABLE_neighbor.ROW_neighbor.map((n) => n.neighborid);
        expect(found?.sort()).toEqual(peers.sort());
        expect(JSON.parse((await session.send('show version | json')).output)).toBeTypeOf('object');
        const lldpText = (await session.send('show lldp neighbors')).output;
        const lldp = JSON.parse((await session.send('show lldp neighbors | json')).output) as { lldpNeighbors?: { neighborDevice: string }[]; TABLE_nbor?: { ROW_nbor: { sys_name: string }[] } };
        const names = lldp.lldpNeighbors?.map((n) => n.neighborDevice) ?? lldp.TABLE_nbor?.ROW_nbor.map((n) => n.sys_name) ?? [];
        expect(names.length).toBeGreaterThan(0);
        for (const name of names) expect(lldpText).toContain(name);
      } finally {
        await session.close();
      }
    }
  }, 60_000);
});

it('setState over the control socket, cleared by reset', async () => {
  const socket = join(home, 'ctl.sock');
  const small = await startLab({ devices: 1, platforms: ['cisco_ios'], port: 0, quirks: false, seed: 7, firstAddress: '127.0.4.1', controlSocket: socket });
  try {
    const name = small.devices[0]?.name as string;
    expect(await sendControlRequest(socket, { op: 'setState', device: name, state: { bgpDown: ['10.0.0.2'], pingFail: ['10.9.9.9'] } })).toEqual({ ok: true });
    expect(small.operState(name)).toEqual({ bgpDown: ['10.0.0.2'], pingFail: ['10.9.9.9'] });
    expect(await sendControlRequest(socket, { op: 'setState', device: 'nope-1', state: {} })).toMatchObject({ ok: false });
    await sendControlRequest(socket, { op: 'reset', devices: [name] });
    expect(small.operState(name)).toEqual({});
  } finally {
    await small.stop();
  }
});

it('the index names only templates that exist', () => {
  const index = readFileSync(join(TEMPLATES, 'index'), 'utf8');
  const files = index
    .split('\n')
    .filter((l) => /\.textfsm,/.test(l))
    .flatMap((l) => (l.split(',')[0] as string).split(':'));
  expect(files.length).toBeGreaterThan(50);
  for (const file of files) expect(existsSync(join(TEMPLATES, file.trim())), file).toBe(true);
});
