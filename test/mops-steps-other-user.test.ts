import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expandUserStep, formatIssue, loadUserStepTypes, parseUserStepType } from '../src/mops/user-steps.js';
import { liteHarness, type LiteHarness } from './helpers/mop-step-context-lite.js';

const SHIPPED = resolve(import.meta.dirname, '../mops/step-types');
let dir: string;
let harness: LiteHarness;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'netstacks-steptypes-'));
  harness = await liteHarness();
  server = createServer((request, response) => {
    response.writeHead(request.url === '/health' ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify(request.url === '/health' ? { status: 'ok', version: '4.2' } : { status: 'degraded' }));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  await harness.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const INTERFACE_TYPE = `name: interface_up
description: an interface is up/up
parameters:
  interface: {type: string, required: true, description: the interface}
  state: {type: string, enum: [up, down], default: up}
  max_errors: {type: integer, default: 0}
steps:
  - type: command
    command: "show interfaces {{ params.interface }}"
    contains: "line protocol is {{ params.state }}"
    note: "{{ steps.before.captures.x }} and {{ params.interface | lower }}"
  - id: errors
    type: log
    message: "{{ params.max_errors }}"
`;

describe('user-defined step types', () => {
  it('expand into built-in steps with params substituted, run values left for the engine, native types kept', () => {
    const { definition, issues } = parseUserStepType(INTERFACE_TYPE, 'interface_up.yaml');
    expect(issues).toEqual([]);
    const steps = expandUserStep(definition!, { interface: 'Gi0/1', max_errors: '5' }, 'uplink');
    expect(steps).toEqual([
      { id: 'uplink_1', type: 'command', command: 'show interfaces Gi0/1', contains: 'line protocol is up', note: '{{ steps.before.captures.x }} and gi0/1' },
      { id: 'uplink_errors', type: 'log', message: 5 },
    ]);
  });

  it('refuses missing, unknown and out-of-enum parameters, naming them', () => {
    const { definition } = parseUserStepType(INTERFACE_TYPE, 'interface_up.yaml');
    expect(() => expandUserStep(definition!, {})).toThrow(/parameter 'interface'/);
    expect(() => expandUserStep(definition!, { interface: 'x', stat: 'up' })).toThrow(expect.objectContaining({ hint: "did you mean 'state'?" }));
    expect(() => expandUserStep(definition!, { interface: 'x', state: 'sideways' })).toThrow(/must be one of: up, down/);
  });

  it('reports file:line:col for bad files', () => {
    const bad = `name: broken
parameters:
  vlan: {type: integr}
steps:
  - type: comand
    command: "show vlan {{ params.vlna }}"
  - type: log
    message: "{{ params.vlan + }}"
  - type: log
    when: "true"
    message: hi
`;
    const { definition, issues } = parseUserStepType(bad, 'broken.yaml');
    expect(definition).toBeUndefined();
    expect(issues.map(formatIssue)[0]).toMatch(/^broken\.yaml:3:\d+: parameters\.vlan\.type: /);
    const fixedType = bad.replace('integr', 'integer');
    const second = parseUserStepType(fixedType, 'broken.yaml').issues.map(formatIssue);
    expect(second).toEqual([
      "broken.yaml:5:11: steps[0].type: unknown built-in step type 'comand'",
      'broken.yaml:6:14: steps[0].command: params.vlna is not a declared parameter',
      expect.stringMatching(/^broken\.yaml:8:14: steps\[1\]\.message: template does not parse/),
      "broken.yaml:10:11: steps[2].when: 'when' belongs on the MOP step that uses 'broken', not inside the type",
    ]);
    const innerParams = parseUserStepType('name: p\nsteps:\n  - type: wait\n    seconds: 1\n    reasn: x\n  - type: log\n    message: hi\n    level: loud\n  - type: http\n    url: "{{ steps.a.captures.url }}"\n', 'p.yaml').issues.map((i) => `${formatIssue(i)} (${i.hint})`);
    expect(innerParams).toEqual([
      "p.yaml:5:12: steps[0].reasn: 'wait' has no parameter 'reasn' (did you mean 'reason'?)",
      expect.stringMatching(/^p\.yaml:8:12: steps\[1\]\.level: Invalid option: .*"info".* \(see 'netstacks step-type show log'\)$/),
    ]);
    const yamlError = parseUserStepType('name: x\nsteps:\n  - type: log\n   message: [unclosed\n', 'y.yaml').issues[0]!;
    expect(yamlError).toMatchObject({ file: 'y.yaml', line: 4 });
  });

  it('loads a folder: good files as runnable types, bad ones as issues, built-in names refused', () => {
    writeFileSync(join(dir, 'interface_up.yaml'), INTERFACE_TYPE);
    writeFileSync(join(dir, 'wait.yaml'), 'steps:\n  - type: log\n    message: x\n');
    writeFileSync(join(dir, 'bad.yaml'), 'steps: []\n');
    const loaded = loadUserStepTypes([dir, join(dir, 'missing')]);
    expect([...loaded.types.keys()]).toEqual(['interface_up']);
    expect(loaded.types.get('interface_up')).toMatchObject({ scope: 'device', readOnly: true });
    expect(loaded.issues.map(formatIssue)).toEqual([
      expect.stringMatching(/bad\.yaml:1:8: steps: a step type expands into at least one step$/),
      expect.stringMatching(/wait\.yaml:1:1: name: 'wait' is a built-in step type$/),
    ]);
  });

  it('the shipped api_health type runs its http and log steps, passing and failing for real', async () => {
    const loaded = loadUserStepTypes([SHIPPED]);
    expect(loaded.issues).toEqual([]);
    const type = loaded.types.get('api_health')!;
    const good = await harness.run(type, { url: `${base}/health` });
    expect(good.outcome).toMatchObject({ status: 'passed', captures: { version: '4.2' } });
    expect(good.ctx.logs).toEqual([`${base}/health is healthy`]);
    const bad = await harness.run(type, { url: `${base}/down` });
    expect(bad.outcome).toMatchObject({ status: 'failed', message: expect.stringContaining('api_health[probe] http: GET') });
    expect(bad.ctx.logs).toEqual([]);
  });
});
