import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { startLab } from '../src/lab/lab.js';
import { LAB_ENABLE_SECRET, LAB_PASSWORD, LAB_USERNAME, labClientKey } from '../src/lab/credentials.js';
import type { LabHandle } from '../src/lab/types.js';
import { runCli } from './helpers/cli.js';

/**
 * A CI job: a clean checkout, an empty HOME, no keychain, no store. `mop run … --inventory FILE`
 * with credentials in NETSTACKS_CREDENTIAL_* variables runs against the lab, writes its JUnit
 * report, and leaves nothing on disk but what it was asked to write: HOME stays empty, the
 * temporary store is gone from TMPDIR, and no secret is in the JSON, the report or the transcripts.
 */

let lab: LabHandle;
const root = mkdtempSync(join(tmpdir(), 'netstacks-mops-ci-'));
const home = join(root, 'home');
const tmp = join(root, 'tmp');
const work = join(root, 'work');

const MOP = `name: ci-check
description: read-only checks a pipeline runs
targets: "platform:cisco_ios"
inputs:
  probe:
    type: string
    default: none
steps:
  - id: version
    type: command
    command: show version
    capture: 'Version (?<version>[^,\\s]+)'
  - id: note
    type: log
    message: "probe {{ probe }} on {{ device.name }} running {{ steps.version.captures.version }}"
  - id: go
    type: approval
    message: go on?
`;

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const path = join(d, e.name);
      out.push(path);
      if (e.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return out;
}

/** The CLI as a CI job runs it: HOME empty, no NETSTACKS_HOME, no keychain or vault settings. */
function ci(args: string[], env: Record<string, string | undefined> = {}) {
  return runCli(args, {
    home,
    cwd: work,
    timeoutMs: 60_000,
    env: {
      NETSTACKS_HOME: undefined,
      XDG_DATA_HOME: undefined,
      NETSTACKS_SECRETS_BACKEND: undefined,
      NETSTACKS_MASTER_KEY: undefined,
      HOME: home,
      TMPDIR: tmp,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_RUN_ID: '4242',
      ...env,
    },
  });
}

const PASSWORD_ENV = {
  NETSTACKS_CREDENTIAL_CI_LAB_USERNAME: LAB_USERNAME,
  NETSTACKS_CREDENTIAL_CI_LAB_PASSWORD: LAB_PASSWORD,
  NETSTACKS_CREDENTIAL_CI_LAB_ENABLE: LAB_ENABLE_SECRET,
};

beforeAll(async () => {
  lab = await startLab({ devices: 2, platforms: ['cisco_ios'], quirks: false, port: 0, firstAddress: '127.0.97.1', controlSocket: false });
  for (const dir of [home, tmp, join(work, 'mops')]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(work, 'mops', 'ci-check.yaml'), MOP);
  const devices = lab.devices.map((d) => `  - name: ${d.name}\n    host: ${d.host}\n    port: ${lab.port}\n    platform: ${d.platform}\n    credential: ci-lab\n    tags: [ci]`).join('\n');
  writeFileSync(join(work, 'inventory.yaml'), `devices:\n${devices}\n`);
  const first = lab.devices[0]!;
  writeFileSync(join(work, 'known_hosts'), `[${first.host}]:${lab.port} ${lab.hostKey(first.name).normal.publicKey.split(' ').slice(0, 2).join(' ')}\n`);
}, 30_000);

afterAll(async () => {
  await lab?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('mop run --inventory in a CI job', () => {
  it('runs with environment credentials, trusts host keys on first use and says so, and leaves HOME and TMPDIR empty', async () => {
    const r = await ci(['mop', 'run', 'mops/ci-check.yaml', '--inventory', 'inventory.yaml', '--junit', 'report.xml', '--yes', '--approve', 'all', '--json', '--log-dir', 'transcripts', '--var', `probe=${LAB_PASSWORD}`], PASSWORD_ENV);
    expect(r.code, r.stderr + r.stdout.slice(-2000)).toBe(0);
    expect(r.stderr).toMatch(/no --known-hosts given, so every device key is trusted on first use/);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const summary = lines.at(-1)!;
    expect(summary).toMatchObject({ event: 'summary', status: 'passed', exitCode: 0 });
    const notes = lines.filter((l) => l.event === 'step' && l.stepId === 'note').map((l) => l.message as string);
    expect(notes).toHaveLength(2);
    for (const note of notes) expect(note).toMatch(/^probe \*+ on ios-\d running \S+$/);

    // nothing of the run stays: no store or vault in HOME, the temporary store removed from TMPDIR
    expect(files(home)).toEqual([]);
    expect(files(tmp)).toEqual([]);
    // what it was asked to write is there, without a secret
    const secrets = [LAB_PASSWORD, LAB_ENABLE_SECRET];
    const written = [join(work, 'report.xml'), ...files(join(work, 'transcripts'))];
    expect(written.length).toBeGreaterThanOrEqual(3);
    for (const file of written) for (const secret of secrets) expect(readFileSync(file, 'utf8'), `${file} holds a secret`).not.toContain(secret);
    for (const secret of secrets) {
      expect(r.stdout).not.toContain(secret);
      expect(r.stderr).not.toContain(secret);
    }
    const xml = readFileSync(join(work, 'report.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const report = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => n === 'testsuite' || n === 'testcase' }).parse(xml) as { testsuites: { '@tests': string; '@failures': string; testsuite: Array<{ '@name': string; testcase: unknown[] }> } };
    expect(report.testsuites['@tests']).toBe('6');
    expect(report.testsuites['@failures']).toBe('0');
    expect(report.testsuites.testsuite.map((s) => [s['@name'], s.testcase.length])).toEqual([['ci-check @ ios-1', 3], ['ci-check @ ios-2', 3]]);
  });

  it('--known-hosts pins the keys: a device whose key is not in the file is refused', async () => {
    const r = await ci(['mop', 'run', 'mops/ci-check.yaml', '--inventory', 'inventory.yaml', '--known-hosts', 'known_hosts', '--yes', '--approve', 'go'], PASSWORD_ENV);
    expect(r.code, r.stderr + r.stdout).toBe(10);
    expect(r.stderr).toContain('host keys: pinned by known_hosts');
    expect(r.stdout).toMatch(/passed\s+ios-1\s+version \(command\)/);
    expect(r.stdout).toMatch(/=> failed\s+ios-2.*host key/i);
    expect(files(home)).toEqual([]);
    expect(files(tmp)).toEqual([]);
  });

  it('logs in with a key given as contents in _KEY (escaped newlines, as CI variables often hold them)', async () => {
    const key = labClientKey().privateKey.trim().replace(/\n/g, '\\n');
    const r = await ci(['mop', 'run', 'ci-check', '--inventory', 'inventory.yaml', '--yes', '--approve', 'all', '--on', 'name:ios-2'], {
      NETSTACKS_CREDENTIAL_CI_LAB_USERNAME: LAB_USERNAME,
      NETSTACKS_CREDENTIAL_CI_LAB_KEY: key,
      NETSTACKS_CREDENTIAL_CI_LAB_ENABLE: LAB_ENABLE_SECRET,
    });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/passed\s+ios-2\s+version \(command\)/);
    expect(r.stdout + r.stderr).not.toContain('PRIVATE KEY');
    expect(files(home)).toEqual([]);
    expect(files(tmp)).toEqual([]);
  });

  it('a credential the inventory names but the environment lacks is an error naming the variable; nothing is left behind', async () => {
    const r = await ci(['mop', 'run', 'ci-check', '--inventory', 'inventory.yaml', '--yes', '--approve', 'all', '--junit', 'not-started.xml'], { NETSTACKS_CREDENTIAL_OTHER_USERNAME: 'x' });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("credential 'ci-lab' (used by device 'ios-1' in inventory.yaml) is not in the environment");
    expect(r.stderr).toContain('NETSTACKS_CREDENTIAL_CI_LAB_USERNAME');
    // the report a pipeline publishes says why the run never started
    const xml = readFileSync(join(work, 'not-started.xml'), 'utf8');
    expect(XMLValidator.validate(xml)).toBe(true);
    const report = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@' }).parse(xml) as { testsuites: { '@tests': string; '@errors': string; testsuite: { testcase: { error: { '@message': string; '#text': string } } } } };
    expect(report.testsuites['@tests']).toBe('1');
    expect(report.testsuites['@errors']).toBe('1');
    expect(report.testsuites.testsuite.testcase.error['@message']).toContain("credential 'ci-lab'");
    expect(report.testsuites.testsuite.testcase.error['#text']).toContain('hint: set NETSTACKS_CREDENTIAL_CI_LAB_USERNAME');
    expect(files(home)).toEqual([]);
    expect(files(tmp)).toEqual([]);
  });

  it('without --approve, an approval gate fails the run in CI (exit 10), even with --yes', async () => {
    const r = await ci(['mop', 'run', 'ci-check', '--inventory', 'inventory.yaml', '--yes', '--on', 'name:ios-1'], PASSWORD_ENV);
    expect(r.code).toBe(10);
    expect(r.stdout).toMatch(/failed\s+ios-1\s+go \(approval\).*--approve go/);
  });
});
