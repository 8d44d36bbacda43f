import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
// static: this module is itself loaded lazily (mop run --junit), and a dynamic import of this
// CommonJS package loses its named exports in the bundle's split chunks
import { create } from 'xmlbuilder2';
import type { DeviceRunResult, ExecutionSummary, StepResult } from './engine/types.js';

/**
 * A MOP run as a JUnit XML report, the shape CI systems (GitHub Actions reporters, GitLab's
 * test report, Jenkins) display: one testsuite per device (and one for the run's run_once steps),
 * one testcase per step and device. A failed step carries `<failure>` with its message, the
 * check items that failed and its (masked) output; a step the device never reached is `<skipped>`.
 * Written with xmlbuilder2, so escaping and well-formedness are the library's.
 */

/** The steps of the MOP, so steps a device never reached still get their testcase. */
export interface JunitStep {
  id: string;
  name?: string;
  type: string;
  run_once?: boolean;
}

export interface JunitOptions {
  /** the MOP's main steps in order; without them only steps that ran are listed */
  steps?: readonly JunitStep[];
  /** written as the `hostname` attribute of each suite (default: this machine) */
  hostname?: string;
}

export interface JunitCounts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

interface CaseSpec {
  name: string;
  classname: string;
  timeS: number;
  outcome: { kind: 'passed' } | { kind: 'failure' | 'error' | 'skipped'; message: string; body?: string };
  output?: string;
}

interface SuiteSpec {
  name: string;
  timestamp: string;
  timeS: number;
  properties: Array<[string, string]>;
  cases: CaseSpec[];
}

const seconds = (ms: number): number => Math.round(ms) / 1000;

// XML 1.0 forbids most C0 controls; terminal colour codes mean nothing in a report
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
const NOT_XML = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g;

export function xmlText(text: string): string {
  return text.replace(ANSI, '').replace(NOT_XML, '').replace(/\r\n?/g, '\n');
}

function caseName(result: Pick<StepResult, 'stepId' | 'name' | 'type' | 'phase' | 'visit'>): string {
  const label = result.name && result.name !== result.stepId && result.name !== result.type ? `${result.stepId}: ${result.name}` : `${result.stepId} (${result.type})`;
  return `${result.phase === 'rollback' ? 'rollback ' : ''}${label}${result.visit > 1 ? ` [visit ${result.visit}]` : ''}`;
}

function failureBody(result: StepResult): string {
  const parts: string[] = [];
  if (result.message) parts.push(result.message);
  const bad = (result.items ?? []).filter((i) => !i.ok);
  if (bad.length > 0) parts.push(bad.map((i) => `- ${i.item}${i.reason ? `: ${i.reason}` : ''}`).join('\n'));
  if (result.ignoredFailure) parts.push('(continue_on_error: the device went on; the run still fails)');
  if (result.output) parts.push(`--- output ---\n${result.output.replace(/\n+$/, '')}`);
  return parts.join('\n\n');
}

function caseOf(result: StepResult, classname: string): CaseSpec {
  const base = { name: caseName(result), classname, timeS: seconds(result.durationMs), ...(result.output ? { output: result.output } : {}) };
  // a failure its on_failure jump handled (like Ansible's rescue) did not fail the device
  if (result.handled && (result.status === 'failed' || result.status === 'error')) {
    return { ...base, output: `${result.status}, handled by on_failure: ${result.message ?? ''}${result.output ? `\n${result.output}` : ''}`, outcome: { kind: 'passed' } };
  }
  switch (result.status) {
    case 'passed':
      return { ...base, outcome: { kind: 'passed' } };
    case 'skipped':
      return { ...base, outcome: { kind: 'skipped', message: result.message ?? 'skipped' } };
    case 'error':
      return { ...base, outcome: { kind: 'error', message: result.message ?? 'error', body: failureBody(result) } };
    default:
      return { ...base, outcome: { kind: 'failure', message: result.message ?? 'failed', body: failureBody(result) } };
  }
}

function unreachedReason(device: DeviceRunResult, summary: ExecutionSummary): string {
  if (device.status === 'interrupted' || summary.status === 'interrupted') return 'not run: the run was interrupted';
  if (device.status === 'skipped') return `not run: ${device.message ?? 'device skipped'}`;
  const failed = device.steps.find((s) => s.phase === 'main' && (s.status === 'failed' || s.status === 'error') && !s.ignoredFailure);
  return failed ? `not reached: the device failed at '${failed.stepId}'` : 'not reached on this device (a jump or condition passed it by)';
}

function mopClass(mop: string): string {
  return `mop.${mop.replace(/[^\w.-]+/g, '_')}`;
}

/** The suites and cases of a summary, before XML: also what the counts come from. */
function suitesOf(summary: ExecutionSummary, options: JunitOptions): SuiteSpec[] {
  const steps = options.steps ?? [];
  const suites: SuiteSpec[] = [];
  const cls = mopClass(summary.mop);
  const runOnce = steps.filter((s) => s.run_once);
  if (summary.runSteps.length > 0 || runOnce.length > 0) {
    const cases = summary.runSteps.map((r) => caseOf(r, `${cls}.run`));
    for (const step of runOnce) {
      if (summary.runSteps.some((r) => r.stepId === step.id)) continue;
      cases.push({
        name: caseName({ stepId: step.id, name: step.name ?? step.type, type: step.type, phase: 'main', visit: 1 }),
        classname: `${cls}.run`,
        timeS: 0,
        outcome: { kind: 'skipped', message: summary.status === 'interrupted' ? 'not run: the run was interrupted' : 'not reached' },
      });
    }
    suites.push({
      name: `${summary.mop} (run once)`,
      timestamp: summary.startedAt,
      timeS: seconds(summary.runSteps.reduce((t, r) => t + r.durationMs, 0)),
      properties: [['mop', summary.mop], ['execution', summary.executionId]],
      cases,
    });
  }
  for (const device of summary.devices) {
    const classname = `${cls}.${device.device}`;
    const cases: CaseSpec[] = [];
    const main = device.steps.filter((s) => s.phase === 'main' && s.device !== undefined);
    const rollback = device.steps.filter((s) => s.phase === 'rollback');
    // in MOP order; a step visited twice (a jump) keeps its visits together
    for (const step of steps.filter((s) => !s.run_once)) {
      const runs = main.filter((r) => r.stepId === step.id);
      if (runs.length > 0) for (const r of runs) cases.push(caseOf(r, classname));
      else {
        cases.push({
          name: caseName({ stepId: step.id, name: step.name ?? step.type, type: step.type, phase: 'main', visit: 1 }),
          classname,
          timeS: 0,
          outcome: { kind: 'skipped', message: unreachedReason(device, summary) },
        });
      }
    }
    // without the step list (or steps the list does not know): as they ran
    for (const r of main) if (!steps.some((s) => s.id === r.stepId)) cases.push(caseOf(r, classname));
    for (const r of rollback) cases.push(caseOf(r, classname));
    const firstStart = device.steps[0]?.startedAt ?? summary.startedAt;
    suites.push({
      name: `${summary.mop} @ ${device.device}`,
      timestamp: firstStart,
      timeS: seconds(device.durationMs),
      properties: [
        ['mop', summary.mop],
        ['execution', summary.executionId],
        ['device', device.device],
        ['status', device.status],
        ...(device.message ? ([['message', device.message]] as Array<[string, string]>) : []),
        ...(summary.dryRun ? ([['dry_run', 'true']] as Array<[string, string]>) : []),
      ],
      cases,
    });
  }
  return suites;
}

function countsOf(cases: readonly CaseSpec[]): JunitCounts {
  const counts: JunitCounts = { tests: cases.length, failures: 0, errors: 0, skipped: 0 };
  for (const c of cases) {
    if (c.outcome.kind === 'failure') counts.failures++;
    else if (c.outcome.kind === 'error') counts.errors++;
    else if (c.outcome.kind === 'skipped') counts.skipped++;
  }
  return counts;
}

/** Totals the report will show: tests, failures, errors, skipped. */
export function junitCounts(summary: ExecutionSummary, options: JunitOptions = {}): JunitCounts {
  return countsOf(suitesOf(summary, options).flatMap((s) => s.cases));
}

/** The report as XML text. */
export async function junitReport(summary: ExecutionSummary, options: JunitOptions = {}): Promise<string> {
  const suites = suitesOf(summary, options);
  const all = countsOf(suites.flatMap((s) => s.cases));
  const host = options.hostname ?? hostname();
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' }).ele('testsuites', {
    name: `mop ${summary.mop}`,
    tests: all.tests,
    failures: all.failures,
    errors: all.errors,
    skipped: all.skipped,
    time: seconds(summary.durationMs),
    timestamp: summary.startedAt,
  });
  suites.forEach((suite, id) => {
    const counts = countsOf(suite.cases);
    const node = root.ele('testsuite', {
      name: suite.name,
      id,
      tests: counts.tests,
      failures: counts.failures,
      errors: counts.errors,
      skipped: counts.skipped,
      time: suite.timeS,
      timestamp: suite.timestamp,
      hostname: host,
    });
    const properties = node.ele('properties');
    for (const [name, value] of suite.properties) properties.ele('property', { name, value: xmlText(value) });
    for (const c of suite.cases) {
      const testcase = node.ele('testcase', { name: xmlText(c.name), classname: c.classname, time: c.timeS });
      if (c.outcome.kind !== 'passed') {
        const child = testcase.ele(c.outcome.kind, { message: xmlText(c.outcome.message), ...(c.outcome.kind === 'skipped' ? {} : { type: c.outcome.kind === 'error' ? 'error' : 'failed' }) });
        if (c.outcome.kind !== 'skipped' && c.outcome.body) child.txt(xmlText(c.outcome.body));
      }
      if (c.output) testcase.ele('system-out').txt(xmlText(c.output));
    }
  });
  return root.end({ prettyPrint: true }) + '\n';
}

/** Writes the report to `file` (mode 0644); returns its counts. */
export async function writeJunitReport(file: string, summary: ExecutionSummary, options: JunitOptions = {}): Promise<JunitCounts> {
  const xml = await junitReport(summary, options);
  writeFileSync(file, xml);
  return junitCounts(summary, options);
}

/**
 * A report for a run that could not start (an invalid MOP, an unreadable inventory, a missing
 * credential variable): one testcase in error, so the CI system shows why instead of no report.
 */
export function junitErrorReport(mop: string, message: string, options: { hostname?: string; timestamp?: string } = {}): string {
  const timestamp = options.timestamp ?? new Date().toISOString();
  const root = create({ version: '1.0', encoding: 'UTF-8', invalidCharReplacement: '' }).ele('testsuites', { name: `mop ${mop}`, tests: 1, failures: 0, errors: 1, skipped: 0, time: 0, timestamp });
  const suite = root.ele('testsuite', { name: `${mop} (not started)`, id: 0, tests: 1, failures: 0, errors: 1, skipped: 0, time: 0, timestamp, hostname: options.hostname ?? hostname() });
  suite
    .ele('testcase', { name: 'start the run', classname: mopClass(mop), time: 0 })
    .ele('error', { message: xmlText(message.split('\n', 1)[0]!), type: 'not-started' })
    .txt(xmlText(message));
  return root.end({ prettyPrint: true }) + '\n';
}
