import { describe, expect, it } from 'vitest';
import { getPlatform } from '../src/platforms/index.js';
import type { DeviceSession } from '../src/session/types.js';
import type { OperationEnv } from '../src/operations/types.js';
import { checkBgpStep } from '../src/mops/steps/check-bgp.js';
import { checkPingStep } from '../src/mops/steps/check-ping.js';
import { mapBgp, parsePing, pingCommand, protocolName } from '../src/mops/checks/index.js';
import { fromJunosJson } from '../src/mops/checks/bgp.js';
import type { StepContext } from '../src/mops/steps/types.js';
import { runStep } from './helpers/mop-step-context.js';

/**
 * What the lab does not show: administratively down BGP neighbours in each vendor's words, native
 * JSON of Junos and EOS, partial ping answers and other platforms' ping output. Offline, on text
 * taken from the vendors' documentation and ntc-templates' test files.
 */
const IOS_SUMMARY = `BGP router identifier 192.0.2.1, local AS number 65000
BGP table version is 500, main routing table version 500

Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
10.0.0.2        4        65100   29584    4067      500    0    0 6w4d                5
10.1.0.2        4        65101       0       0        1    0    0 never    Idle (Admin)
10.2.0.2        4        65102       0       0        1    0    0 00:01:02 Active
`;

const NXOS_SUMMARY = `BGP summary information for VRF default, address family IPv4 Unicast
BGP router identifier 192.0.2.3, local AS number 65003
BGP table version is 18, IPv4 Unicast config peers 2, capable peers 1

Neighbor        V    AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd
10.0.3.2        4 65100   59241   50030       18    0    0    10w1d 5
10.1.3.2        4 65101       0       0        0    0    0    1d02h Shut (Admin)
`;

/** A session that answers from canned output (no device). */
function fakeContext(platform: string, outputs: Record<string, string>): StepContext {
  const session = {
    device: 'fake',
    platform: getPlatform(platform),
    mode: 'privileged',
    send: async (command: string) => {
      const output = outputs[command];
      if (output === undefined) throw new Error(`unexpected command '${command}'`);
      return { command, output, elapsed: 1 };
    },
  } as unknown as DeviceSession;
  const env = { home: '/nonexistent', settings: { parseTemplates: null, parseNtcTemplates: null } } as unknown as OperationEnv;
  return {
    env,
    session: async () => session,
    resetSession: async () => undefined,
    scope: {},
    render: async (v) => v,
    dryRun: false,
    signal: new AbortController().signal,
    log: () => undefined,
    addSecret: () => undefined,
    options: { approve: [], interactive: false },
    stepId: 's',
  };
}

describe('BGP: administratively down is its own state', () => {
  it('maps IOS and NX-OS admin-down lines the templates skip', () => {
    const ios = mapBgp('cisco_ios', { records: [], output: IOS_SUMMARY, source: { kind: 'builtin', template: '' } });
    // a template that leaves the Idle (Admin) line out (no records given here): the sweep finds it
    expect(ios).toEqual([expect.objectContaining({ neighbor: '10.1.0.2', state: 'admin-down', is_enabled: false, is_up: false, remote_as: 65101 })]);
  });

  it('check_bgp: admin-down fails `established`, passes when allowed or wanted, and other states keep failing', async () => {
    const ctx = fakeContext('cisco_ios', { 'show ip bgp summary': IOS_SUMMARY });
    const strict = await runStep(checkBgpStep, {}, ctx);
    expect(strict.status).toBe('failed');
    expect(strict.items).toEqual([
      { item: '10.0.0.2', ok: true, reason: 'established, 5 prefixes' },
      { item: '10.1.0.2', ok: false, reason: 'administratively down, wanted established' },
      { item: '10.2.0.2', ok: false, reason: 'state active, wanted established' },
    ]);
    const allowed = await runStep(checkBgpStep, { allow_admin_down: true }, ctx);
    expect(allowed.items!.find((i) => i.item === '10.1.0.2')).toEqual({ item: '10.1.0.2', ok: true, reason: 'administratively down (allowed)' });
    expect(allowed.status).toBe('failed');
    const wanted = await runStep(checkBgpStep, { neighbors: [{ address: '10.1.0.2', state: 'admin-down' }, { address: '10.0.0.2', max_prefixes: 4 }, '10.9.9.9'] }, ctx);
    expect(wanted.items).toEqual([
      { item: '10.1.0.2', ok: true, reason: 'admin-down' },
      { item: '10.0.0.2', ok: false, reason: 'received prefixes is 5, above the maximum 4' },
      { item: '10.9.9.9', ok: false, reason: 'no such neighbour in the default VRF' },
    ]);
  });

  it('NX-OS `Shut (Admin)`, the VRF asked for in the command', async () => {
    const ctx = fakeContext('cisco_nxos', { 'show ip bgp summary vrf BLUE': NXOS_SUMMARY.replace('VRF default', 'VRF BLUE') });
    const outcome = await runStep(checkBgpStep, { vrf: 'BLUE', neighbors: ['10.1.3.2'], state: 'down' }, ctx);
    expect(outcome.items).toEqual([{ item: '10.1.3.2 (vrf BLUE)', ok: true, reason: 'admin-down' }]);
  });

  it('native JSON: EOS idle for Admin, Junos wrapped values with their routing table', () => {
    const eos = mapBgp('arista_eos', {
      records: [{ vrfs: { default: { routerId: '1.1.1.1', asn: '65001', peers: { '10.0.1.2': { asn: '65100', peerState: 'Idle', peerStateIdleReason: 'Admin' }, '10.1.1.2': { asn: '65101', peerState: 'Established', prefixReceived: 4, prefixAccepted: 3 } } } } }] as never,
      output: '',
      source: { kind: 'native', template: 'show ip bgp summary | json' },
    });
    expect(eos).toEqual([
      expect.objectContaining({ neighbor: '10.0.1.2', state: 'admin-down', is_enabled: false, received_prefixes: null }),
      expect.objectContaining({ neighbor: '10.1.1.2', state: 'established', is_up: true, received_prefixes: 4, accepted_prefixes: 3, local_as: 65001, router_id: '1.1.1.1' }),
    ]);
    const d = (data: unknown) => [{ data }];
    const junos = fromJunosJson([
      { 'bgp-information': [{ 'bgp-peer': [{ 'peer-address': d('10.250.2.2+179'), 'peer-as': d('65200'), 'peer-state': d('Established'), 'bgp-rib': [{ name: d('CUST-A.inet.0'), 'received-prefix-count': d('2'), 'accepted-prefix-count': d('2') }] }, { 'peer-address': d('10.0.2.2'), 'peer-as': d('65100'), 'peer-state': d('Connect') }] }] },
    ] as never);
    expect(junos).toEqual([
      expect.objectContaining({ vrf: 'CUST-A', neighbor: '10.250.2.2', remote_as: 65200, state: 'established', received_prefixes: 2 }),
      expect.objectContaining({ vrf: 'default', neighbor: '10.0.2.2', state: 'connect', is_up: false }),
    ]);
  });
});

describe('ping', () => {
  it('reads every platform family and judges the success rate against the threshold', async () => {
    expect(parsePing('Success rate is 80 percent (4/5), round-trip min/avg/max = 1/2/4 ms\n', '10.0.0.1')).toMatchObject({ probes_sent: 5, received: 4, success_rate: 80, packet_loss: 20, rtt_min: 1, rtt_avg: 2, rtt_max: 4 });
    expect(parsePing('5 packets transmitted, 3 received, 40% packet loss, time 4005ms\nrtt min/avg/max/mdev = 0.1/0.2/0.3/0.01 ms\n', 'h')).toMatchObject({ probes_sent: 5, received: 3, success_rate: 60, rtt_max: 0.3 });
    expect(parsePing('10.0.0.9 is alive, time = 1 ms\n', '10.0.0.9')).toMatchObject({ received: 1, success_rate: 100 });
    expect(() => parsePing('% Unrecognized host or address.\n', 'nowhere')).toThrow(/cannot read the ping result for nowhere/);

    const partial = 'Type escape sequence to abort.\nSending 5, 100-byte ICMP Echos to 10.0.0.1, timeout is 2 seconds:\n!!.!!\nSuccess rate is 80 percent (4/5), round-trip min/avg/max = 1/1/2 ms\n';
    const ctx = fakeContext('cisco_ios', { 'ping vrf MGMT 10.0.0.1 source Loopback0': partial });
    expect(await runStep(checkPingStep, { targets: '10.0.0.1', vrf: 'MGMT', source: 'Loopback0', min_success: 80 }, ctx)).toMatchObject({ status: 'passed', items: [{ item: '10.0.0.1', ok: true, reason: '80% (4/5)' }] });
    expect(await runStep(checkPingStep, { targets: '10.0.0.1', vrf: 'MGMT', source: 'Loopback0' }, ctx)).toMatchObject({ status: 'failed', items: [{ item: '10.0.0.1', ok: false, reason: 'success 80% (4/5), below 100%' }] });
  });

  it("builds each platform's command with VRF and source, and refuses words that are not plain", () => {
    expect(pingCommand('cisco_nxos', '10.0.0.1', { vrf: 'RED', source: '10.0.0.9' })).toBe('ping 10.0.0.1 vrf RED source 10.0.0.9');
    expect(pingCommand('arista_eos', '10.0.0.1', { vrf: 'RED' })).toBe('ping vrf RED 10.0.0.1');
    expect(pingCommand('linux', '10.0.0.1', { vrf: 'RED', source: 'eth0' })).toBe('ip vrf exec RED ping -c 5 -I eth0 10.0.0.1');
    expect(() => pingCommand('cisco_ios', '10.0.0.1; reload')).toThrow(/not a plain word/);
  });
});

describe('routes', () => {
  it('protocol names in one vocabulary', () => {
    expect(['C', 'L', 'S', 'B', 'O', 'O IA', 'Direct', 'bgp-65003', 'eBGP', 'static', 'ospf-1'].map(protocolName)).toEqual(['connected', 'local', 'static', 'bgp', 'ospf', 'ospf', 'connected', 'bgp', 'bgp', 'static', 'ospf']);
  });
});

describe('mop validate on device steps', () => {
  it('names bad regexes, unknown parameters and bad prefixes with line and column', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { validateMop } = await import('../src/mops/engine/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'netstacks-mop-validate-'));
    try {
      const file = join(dir, 'bad.yaml');
      writeFileSync(
        file,
        [
          'name: bad',
          'targets: [r1]',
          'steps:',
          '  - id: a',
          '    type: command',
          '    command: show version',
          "    regex: 'Version (\\d+'",
          '  - id: b',
          '    type: validate_config',
          "    patterns: [{ pattern: '^ntp (', must_match: false }]",
          '  - id: c',
          '    type: check_routing',
          '    present: [10.0.0.0]',
          '  - id: d',
          '    type: check_bgp',
          '    neighbours: all',
          '',
        ].join('\n'),
      );
      const issues = await validateMop(file, { cwd: dir, home: dir });
      const text = issues.map((i) => `${i.line}:${i.column} ${i.message}${i.hint ? ` (${i.hint})` : ''}`);
      expect(text).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^4:\d+ bad regex 'Version \(\\d\+': .*/),
          expect.stringMatching(/^8:\d+ bad regex '\^ntp \(': .*/),
          expect.stringMatching(/^13:\d+ .*CIDR/),
          expect.stringMatching(/^16:\d+ step type 'check_bgp' has no parameter 'neighbours' \(did you mean 'neighbors'\?\)/),
        ]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('config: secrets from a rendered template', () => {
  it("finds the secret() values a render masked, so the engine masks them everywhere", async () => {
    const { secretsOf } = await import('../src/mops/steps/config.js');
    const text = 'username admin secret S3cr3t!x\nsnmp-server community c0mm RO\nntp server 192.0.2.1\n';
    const masked = 'username admin secret ********\nsnmp-server community ******** RO\nntp server 192.0.2.1\n';
    expect(secretsOf(text, masked)).toEqual(['S3cr3t!x', 'c0mm']);
  });
});
