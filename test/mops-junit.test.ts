import { describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { junitCounts, junitReport } from '../src/mops/junit.js';
import type { DeviceRunResult, ExecutionSummary, StepResult } from '../src/mops/engine/types.js';

/**
 * The JUnit report of a MOP run, parsed back with an XML library: well-formed, one testcase per
 * step and device (steps a device never reached included, as skipped), failures with their message,
 * failed check items and output, and the totals on <testsuites> and each <testsuite> matching.
 */

const T0 = '2026-12-02T10:00:00.000Z';

function step(device: string | undefined, stepId: string, type: string, status: StepResult['status'], extra: Partial<StepResult> = {}): StepResult {
  return { stepId, name: stepId, type, ...(device ? { device } : {}), status, phase: 'main', visit: 1, attempts: 1, startedAt: T0, endedAt: T0, durationMs: 1234, ...extra };
}

const STEPS = [
  { id: 'announce', type: 'log', run_once: true },
  { id: 'pre_check', type: 'command', name: 'BGP before' },
  { id: 'change', type: 'config' },
  { id: 'post_check', type: 'check_bgp' },
];

function summary(): ExecutionSummary {
  const r1: DeviceRunResult = {
    device: 'ios-1',
    status: 'passed',
    durationMs: 3000,
    steps: [step('ios-1', 'pre_check', 'command', 'passed', { name: 'BGP before', output: 'Neighbor 10.0.0.2 <Established> & ok' }), step('ios-1', 'change', 'config', 'passed'), step('ios-1', 'post_check', 'check_bgp', 'passed')],
  };
  const r2: DeviceRunResult = {
    device: 'ios-2',
    status: 'rolled-back',
    message: "step 'post_check' failed",
    durationMs: 4000,
    steps: [
      step('ios-2', 'pre_check', 'command', 'passed', { name: 'BGP before' }),
      step('ios-2', 'change', 'config', 'passed'),
      step('ios-2', 'post_check', 'check_bgp', 'failed', {
        message: '1 of 3 neighbours not established',
        items: [
          { item: '10.0.0.2', ok: true },
          { item: '10.1.0.2', ok: false, reason: 'state Idle, wanted established' },
        ],
        output: 'BGP summary\n10.1.0.2 4 65101 Idle\x1b[0m\x07',
      }),
      { ...step('ios-2', 'restore', 'config', 'passed'), phase: 'rollback' },
    ],
  };
  const r3: DeviceRunResult = {
    device: 'eos-3',
    status: 'failed',
    message: "step 'pre_check' failed",
    durationMs: 1000,
    steps: [step('eos-3', 'pre_check', 'command', 'error', { name: 'BGP before', message: 'connection refused' })],
  };
  return {
    executionId: 'exec-1',
    mop: 'bgp-change',
    hash: 'abc',
    status: 'failed',
    exitCode: 10,
    dryRun: false,
    startedAt: T0,
    endedAt: T0,
    durationMs: 9000,
    runSteps: [step(undefined, 'announce', 'log', 'passed')],
    devices: [r1, r2, r3],
    counts: { passed: 7, failed: 1, skipped: 0, total: 9 },
  };
}

type Node = Record<string, unknown>;
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

async function parse(xml: string): Promise<{ root: Node; suites: Node[] }> {
  expect(XMLValidator.validate(xml)).toBe(true);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseAttributeValue: false, isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) });
  const doc = parser.parse(xml) as { testsuites: Node };
  return { root: doc.testsuites, suites: asArray(doc.testsuites.testsuite as Node[]) };
}

describe('JUnit report of a MOP run', () => {
  it('is valid XML with one testcase per step and device, and totals that add up', async () => {
    const xml = await junitReport(summary(), { steps: STEPS, hostname: 'ci-runner' });
    const { root, suites } = await parse(xml);
    // run once: 1; ios-1: 3; ios-2: 3 + 1 rollback; eos-3: 3 (two never reached)
    expect(root['@tests']).toBe('11');
    expect(root['@failures']).toBe('1');
    expect(root['@errors']).toBe('1');
    expect(root['@skipped']).toBe('2');
    expect(suites.map((s) => s['@name'])).toEqual(['bgp-change (run once)', 'bgp-change @ ios-1', 'bgp-change @ ios-2', 'bgp-change @ eos-3']);
    let tests = 0;
    for (const suite of suites) {
      const cases = asArray(suite.testcase as Node[]);
      expect(suite['@tests']).toBe(String(cases.length));
      expect(suite['@failures']).toBe(String(cases.filter((c) => c.failure !== undefined).length));
      expect(suite['@skipped']).toBe(String(cases.filter((c) => c.skipped !== undefined).length));
      expect(suite['@hostname']).toBe('ci-runner');
      tests += cases.length;
    }
    expect(tests).toBe(11);
    expect(junitCounts(summary(), { steps: STEPS })).toEqual({ tests: 11, failures: 1, errors: 1, skipped: 2 });
  });

  it('carries the failure message, the failed items and the output; control characters are dropped', async () => {
    const xml = await junitReport(summary(), { steps: STEPS });
    const { suites } = await parse(xml);
    const ios2 = suites.find((s) => s['@name'] === 'bgp-change @ ios-2')!;
    const cases = asArray(ios2.testcase as Node[]);
    expect(cases.map((c) => c['@name'])).toEqual(['pre_check: BGP before', 'change (config)', 'post_check (check_bgp)', 'rollback restore (config)']);
    expect(cases.every((c) => c['@classname'] === 'mop.bgp-change.ios-2')).toBe(true);
    const failure = cases[2]!.failure as Node;
    expect(failure['@message']).toBe('1 of 3 neighbours not established');
    expect(failure['@type']).toBe('failed');
    expect(failure['#text']).toContain('- 10.1.0.2: state Idle, wanted established');
    expect(failure['#text']).toContain('10.1.0.2 4 65101 Idle');
    expect(failure['#text']).not.toContain('10.0.0.2:');
    expect(xml).not.toMatch(/[\x07\x1b]/);
    expect(cases[2]!['@time']).toBe('1.234');
    const props = asArray((ios2.properties as Node).property as Node[]).map((p) => [p['@name'], p['@value']]);
    expect(props).toContainEqual(['status', 'rolled-back']);
    // escaping is the library's: the output with < & > comes back as written
    const ios1 = suites.find((s) => s['@name'] === 'bgp-change @ ios-1')!;
    const out = asArray(ios1.testcase as Node[])[0]!['system-out'];
    expect(new XMLParser({ processEntities: true }).parse(`<a>${xml.slice(xml.indexOf('<system-out>') + 12, xml.indexOf('</system-out>'))}</a>`).a).toBe('Neighbor 10.0.0.2 <Established> & ok');
    expect(out).toBeDefined();
  });

  it('marks steps a device never reached as skipped, saying where it failed', async () => {
    const { suites } = await parse(await junitReport(summary(), { steps: STEPS }));
    const eos = asArray(suites.find((s) => s['@name'] === 'bgp-change @ eos-3')!.testcase as Node[]);
    expect(eos[0]!.error).toMatchObject({ '@message': 'connection refused' });
    expect(eos.slice(1).map((c) => (c.skipped as Node)['@message'])).toEqual(["not reached: the device failed at 'pre_check'", "not reached: the device failed at 'pre_check'"]);
  });

  it('an interrupted run lists its unrun steps as skipped, and a failure under continue_on_error stays a failure', async () => {
    const s = summary();
    s.status = 'interrupted';
    s.devices[0]!.steps = [step('ios-1', 'pre_check', 'command', 'failed', { ignoredFailure: true, message: 'no match' })];
    s.devices[0]!.status = 'interrupted';
    const { suites } = await parse(await junitReport(s, { steps: STEPS }));
    const ios1 = asArray(suites.find((x) => x['@name'] === 'bgp-change @ ios-1')!.testcase as Node[]);
    expect((ios1[0]!.failure as Node)['#text']).toContain('continue_on_error');
    expect(ios1.slice(1).map((c) => (c.skipped as Node)['@message'])).toEqual(['not run: the run was interrupted', 'not run: the run was interrupted']);
  });
});
