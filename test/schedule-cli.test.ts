import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempHome } from './helpers/cli.js';

/**
 * `netstacks schedule` as users type it (issue 10): a cron with a zone shows its next 5 runs in
 * the zone and in UTC; the seed's forms (--once, --daily, --weekly, --monthly) are converted;
 * list, show, enable, disable, rm and history; the zone defaults to the `timezone` setting; bad
 * cron, time zone and job kind are refused naming the bad part. The built CLI, a real store.
 */
const temp = tempHome('netstacks-schedule-cli-');
const home = temp.home;
const cli = (args: string[]) => runCli(args, { home });
afterAll(() => temp.cleanup());

interface Schedule {
  name: string;
  kind: string;
  spec: string;
  form: string;
  timezone: string;
  job: string[];
  enabled: boolean;
  nextRun?: string;
  nextRuns?: { local: string; utc: string }[];
}

async function json<T>(args: string[]): Promise<T> {
  const r = await cli([...args, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

describe('netstacks schedule', () => {
  it('adds a cron schedule in a zone and shows its next 5 runs there and in UTC', async () => {
    const r = await cli(['schedule', 'add', 'nightly', '--cron', '0 2 * * *', '--tz', 'Europe/Berlin', '--', 'backup', 'run', '--on', 'site:lon']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('added schedule nightly');
    expect(r.stdout).toMatch(/next 5 runs \(Europe\/Berlin \/ UTC\):/);
    const runs = r.stdout.split('\n').filter((l) => /^ {2}\d{4}-/.test(l));
    expect(runs).toHaveLength(5);
    for (const line of runs) {
      // 02:00 local every day: 01:00 UTC in winter (CET), 00:00 UTC in summer (CEST)
      expect(line).toMatch(/^ {2}(\d{4}-\d\d-\d\d) 02:00 (CET|CEST)\s+\1T0[01]:00:00\.000Z$/);
      const [, , zone, hour] = /^ {2}(\d{4}-\d\d-\d\d) 02:00 (CET|CEST)\s+\S+T(0[01])/.exec(line)!;
      expect(hour).toBe(zone === 'CET' ? '01' : '00');
    }
    const shown = await json<Schedule>(['schedule', 'show', 'nightly']);
    expect(shown).toMatchObject({ kind: 'cron', spec: '0 2 * * *', timezone: 'Europe/Berlin', job: ['backup', 'run', '--on', 'site:lon'], enabled: true });
    expect(shown.nextRuns).toHaveLength(5);
    const days = shown.nextRuns!.map((n) => n.utc.slice(0, 10));
    expect(new Set(days).size).toBe(5);
  });

  it('converts the seed forms and keeps what the user typed beside the cron', async () => {
    const forms: [string, string[], Partial<Schedule>][] = [
      ['daily', ['--daily', '2:05'], { kind: 'cron', spec: '5 2 * * *', form: '--daily 02:05' }],
      ['weekly', ['--weekly', 'Sunday 03:00'], { kind: 'cron', spec: '0 3 * * 0', form: '--weekly sun 03:00' }],
      ['monthly', ['--monthly', 'last 04:00'], { kind: 'cron', spec: '0 4 L * *', form: '--monthly last 04:00' }],
      ['once', ['--once', '2027-03-28 02:30'], { kind: 'once', spec: '2027-03-28T02:30', form: '--once "2027-03-28 02:30"' }],
    ];
    for (const [name, when, expected] of forms) {
      const r = await cli(['schedule', 'add', name, ...when, '--tz', 'Europe/Berlin', '--', 'backup', 'run']);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      expect(await json<Schedule>(['schedule', 'show', name])).toMatchObject(expected);
    }
    // a one-shot has one run; 02:30 on 2027-03-28 does not exist in Berlin (spring forward): it runs after the gap
    const once = await json<Schedule>(['schedule', 'show', 'once']);
    expect(once.nextRuns).toEqual([{ local: '2027-03-28 03:30 CEST', utc: '2027-03-28T01:30:00.000Z' }]);
    const monthly = await json<Schedule>(['schedule', 'show', 'monthly']);
    // the last day of each month
    for (const run of monthly.nextRuns!) {
      const day = new Date(run.utc);
      expect(new Date(day.getTime() + 86_400_000).getUTCDate(), run.utc).toBe(1);
    }
  });

  it('lists, disables, enables and removes schedules; history of a new schedule is empty; unknown names are named', async () => {
    const list = await json<Schedule[]>(['schedule', 'list']);
    expect(list.map((s) => s.name).sort()).toEqual(['daily', 'monthly', 'nightly', 'once', 'weekly']);
    expect(list.every((s) => typeof s.nextRun === 'string')).toBe(true);
    const human = await cli(['schedule', 'list']);
    expect(human.stdout.split('\n')[0]).toMatch(/^NAME\s+WHEN\s+ZONE\s+JOB\s+ENABLED\s+NEXT RUN\s+LAST/);

    const disabled = await cli(['schedule', 'disable', 'weekly']);
    expect(disabled.code, disabled.stderr).toBe(0);
    expect(disabled.stdout + disabled.stderr).toMatch(/disabled schedule weekly/);
    expect((await json<Schedule>(['schedule', 'show', 'weekly'])).enabled).toBe(false);
    expect((await cli(['schedule', 'list'])).stdout).toMatch(/^weekly .*disabled/m);
    expect((await cli(['schedule', 'enable', 'weekly'])).code).toBe(0);
    expect((await json<Schedule>(['schedule', 'show', 'weekly'])).enabled).toBe(true);

    expect(await json<unknown[]>(['schedule', 'history', 'nightly'])).toEqual([]);
    const rm = await cli(['schedule', 'rm', 'once']);
    expect(rm.code, rm.stderr).toBe(0);
    expect((await json<Schedule[]>(['schedule', 'list'])).map((s) => s.name)).not.toContain('once');

    const missing = await cli(['schedule', 'show', 'nightlly']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/schedule 'nightlly' not found/);
    expect((await cli(['schedule', 'rm', 'once'])).code).toBe(3);
  });

  it('takes the time zone from the timezone setting when --tz is not given', async () => {
    expect((await cli(['settings', 'set', 'timezone', 'America/New_York'])).code).toBe(0);
    const r = await cli(['schedule', 'add', 'ny', '--daily', '23:00', '--', 'backup', 'run']);
    expect(r.code, r.stderr).toBe(0);
    const shown = await json<Schedule>(['schedule', 'show', 'ny']);
    expect(shown.timezone).toBe('America/New_York');
    // 23:00 in New York is 04:00 UTC (EST) the next day
    expect(shown.nextRuns![0]!.local).toMatch(/ 23:00 EST$/);
    expect(shown.nextRuns![0]!.utc).toMatch(/T04:00:00\.000Z$/);
  });

  it('refuses a bad cron naming the field, an unknown zone, an unknown job kind, and a schedule without a job', async () => {
    const cron = await cli(['schedule', 'add', 'bad', '--cron', '0 25 * * *', '--', 'backup', 'run']);
    expect(cron.code).toBe(4);
    expect(cron.stderr).toContain("invalid cron '0 25 * * *': field 2 (hour) '25' is not valid");
    expect(cron.stderr).toMatch(/hint: hour takes 0-23/);
    const fields = await cli(['schedule', 'add', 'bad', '--cron', '0 2 * *', '--', 'backup', 'run']);
    expect(fields.code).toBe(4);
    expect(fields.stderr).toMatch(/expected 5 fields .* got 4/);
    const zone = await cli(['schedule', 'add', 'bad', '--cron', '0 2 * * *', '--tz', 'Europe/Berlinn', '--', 'backup', 'run']);
    expect(zone.code).toBe(4);
    expect(zone.stderr).toContain("unknown time zone 'Europe/Berlinn'");
    const kind = await cli(['schedule', 'add', 'bad', '--daily', '02:00', '--', 'backup', 'rn']);
    expect(kind.code).toBe(4);
    expect(kind.stderr).toContain("unknown job kind 'backup rn'");
    expect(kind.stderr).toMatch(/did you mean 'backup run'/);
    const seed = await cli(['schedule', 'add', 'bad', '--weekly', 'funday 02:00', '--', 'backup', 'run']);
    expect(seed.code).not.toBe(0);
    expect(seed.stderr).toContain("--weekly: invalid day 'funday'");
    const noJob = await cli(['schedule', 'add', 'bad', '--cron', '0 2 * * *']);
    expect(noJob.code).toBe(2);
    expect(noJob.stderr).toMatch(/a schedule needs a job after --/);
    // nothing was stored by the refused adds
    expect((await json<Schedule[]>(['schedule', 'list'])).map((s) => s.name)).not.toContain('bad');
  });
});
