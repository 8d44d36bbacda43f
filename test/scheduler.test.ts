import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertForm } from '../src/scheduler/forms.js';
import { absoluteJobPaths, allowedJobKinds, validateJob } from '../src/scheduler/jobs.js';
import { Planner } from '../src/scheduler/planner.js';
import type { Schedule } from '../src/scheduler/repository.js';
import { formatInZone, onceInstant, scheduleTiming, validateCron, validateTimezone, type Clock } from '../src/scheduler/timing.js';
import { summarizeJob } from '../src/scheduler/job-summary.js';
import { ValidationError, UsageError } from '../src/core/errors.js';

const REPO_ROOT = resolve(import.meta.dirname, '..');

const NO_TEST_MODE = {} as NodeJS.ProcessEnv;
const TEST_MODE = { NETSTACKS_SCHEDULER_SECONDS: '1' } as NodeJS.ProcessEnv;

function schedule(name: string, spec: string, extra: Partial<Schedule> = {}): Schedule {
  return {
    id: 1,
    name,
    kind: 'cron',
    spec,
    form: `--cron "${spec}"`,
    timezone: 'Europe/Berlin',
    missed: 'skip',
    job: ['backup', 'run'],
    enabled: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}

/** A clock the test moves by hand. */
class ManualClock implements Clock {
  constructor(private t: number) {}
  now = () => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

/** Steps a planner minute by minute from..to and returns every fire time, as the daemon would see them. */
function fires(specs: Schedule[], fromIso: string, toIso: string): Map<string, Date[]> {
  const clock = new ManualClock(Date.parse(fromIso));
  const planner = new Planner(NO_TEST_MODE);
  planner.sync(specs, clock.now());
  const out = new Map<string, Date[]>(specs.map((s) => [s.name, []]));
  while (clock.now().getTime() < Date.parse(toIso)) {
    clock.advance(60_000);
    for (const due of planner.due(clock.now())) out.get(due.schedule.name)!.push(due.scheduledFor);
  }
  return out;
}

const berlinDay = (d: Date) => formatInZone(d, 'Europe/Berlin').slice(0, 10);

describe('cron next runs', () => {
  it('lists the next runs of a daily schedule in its zone, shown in local time and UTC', () => {
    const timing = scheduleTiming({ kind: 'cron', spec: '0 2 * * *', timezone: 'Europe/Berlin' }, NO_TEST_MODE);
    const runs = timing.nextRuns(5, new Date('2026-07-01T12:00:00Z'));
    expect(runs.map((d) => d.toISOString())).toEqual([
      '2026-07-02T00:00:00.000Z',
      '2026-07-03T00:00:00.000Z',
      '2026-07-04T00:00:00.000Z',
      '2026-07-05T00:00:00.000Z',
      '2026-07-06T00:00:00.000Z',
    ]);
    expect(formatInZone(runs[0]!, 'Europe/Berlin')).toBe('2026-07-02 02:00 CEST');
    expect(formatInZone(new Date('2026-12-02T01:00:00Z'), 'Europe/Berlin')).toBe('2026-12-02 02:00 CET');
    expect(formatInZone(new Date('2026-07-02T06:00:00Z'), 'America/New_York')).toBe('2026-07-02 02:00 EDT');
  });

  it('honours day-of-week, day-of-month with L, and ORs day-of-month with day-of-week like Vixie cron', () => {
    const weekly = scheduleTiming({ kind: 'cron', spec: '30 3 * * 1', timezone: 'UTC' }, NO_TEST_MODE).nextRuns(2, new Date('2026-12-01T00:00:00Z'));
    expect(weekly.map((d) => d.toISOString())).toEqual(['2026-12-07T03:30:00.000Z', '2026-12-14T03:30:00.000Z']);
    const last = scheduleTiming({ kind: 'cron', spec: '0 1 L * *', timezone: 'UTC' }, NO_TEST_MODE).nextRuns(2, new Date('2027-01-15T00:00:00Z'));
    expect(last.map((d) => d.toISOString())).toEqual(['2027-01-31T01:00:00.000Z', '2027-02-28T01:00:00.000Z']);
    const either = scheduleTiming({ kind: 'cron', spec: '0 0 13 * 5', timezone: 'UTC' }, NO_TEST_MODE).nextRuns(3, new Date('2026-11-01T00:00:00Z'));
    // Fridays and the 13th
    expect(either.map((d) => d.toISOString().slice(0, 10))).toEqual(['2026-11-06', '2026-11-13', '2026-11-20']);
  });

  it('lists the runs between two times, oldest first (used for missed runs)', () => {
    const timing = scheduleTiming({ kind: 'cron', spec: '0 */6 * * *', timezone: 'UTC' }, NO_TEST_MODE);
    expect(timing.runsBetween(new Date('2026-05-01T00:00:00Z'), new Date('2026-05-01T18:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2026-05-01T06:00:00.000Z',
      '2026-05-01T12:00:00.000Z',
      '2026-05-01T18:00:00.000Z',
    ]);
  });
});

describe('daylight saving (Europe/Berlin, 2026-03-29 and 2026-10-25)', () => {
  const times = { '0200': '0 2 * * *', '0230': '30 2 * * *', '0300': '0 3 * * *' };
  const specs = Object.entries(times).map(([name, spec]) => schedule(name, spec));

  it('spring forward: 02:00 and 02:30 (which do not exist) run once at 03:00; 03:00 runs once; one run per day', () => {
    const result = fires(specs, '2026-03-27T12:00:00Z', '2026-03-31T12:00:00Z');
    for (const [name, runs] of result) {
      const days = runs.map(berlinDay);
      expect(days, name).toEqual(['2026-03-28', '2026-03-29', '2026-03-30', '2026-03-31']);
    }
    const onChangeDay = (name: string) => result.get(name)!.find((d) => berlinDay(d) === '2026-03-29')!;
    expect(formatInZone(onChangeDay('0200'), 'Europe/Berlin')).toBe('2026-03-29 03:00 CEST');
    expect(formatInZone(onChangeDay('0230'), 'Europe/Berlin')).toBe('2026-03-29 03:00 CEST');
    expect(formatInZone(onChangeDay('0300'), 'Europe/Berlin')).toBe('2026-03-29 03:00 CEST');
    // the day before and after: their own wall-clock times
    expect(formatInZone(result.get('0230')![0]!, 'Europe/Berlin')).toBe('2026-03-28 02:30 CET');
    expect(formatInZone(result.get('0230')![2]!, 'Europe/Berlin')).toBe('2026-03-30 02:30 CEST');
  });

  it('fall back: 02:00 and 02:30 (which happen twice) run once, at the first occurrence; one run per day', () => {
    const result = fires(specs, '2026-10-23T12:00:00Z', '2026-10-27T12:00:00Z');
    for (const [name, runs] of result) {
      expect(runs.map(berlinDay), name).toEqual(['2026-10-24', '2026-10-25', '2026-10-26', '2026-10-27']);
    }
    const onChangeDay = (name: string) => result.get(name)!.find((d) => berlinDay(d) === '2026-10-25')!;
    expect(onChangeDay('0200').toISOString()).toBe('2026-10-25T00:00:00.000Z');
    expect(formatInZone(onChangeDay('0200'), 'Europe/Berlin')).toBe('2026-10-25 02:00 CEST');
    expect(onChangeDay('0230').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(onChangeDay('0300').toISOString()).toBe('2026-10-25T02:00:00.000Z');
    expect(formatInZone(onChangeDay('0300'), 'Europe/Berlin')).toBe('2026-10-25 03:00 CET');
  });

  it('an hourly wildcard job follows the wall clock: skips the missing hour, runs the repeated one twice', () => {
    const hourly = [schedule('hourly', '15 * * * *')];
    const spring = fires(hourly, '2026-03-28T22:00:00Z', '2026-03-29T04:00:00Z').get('hourly')!;
    expect(spring.map((d) => formatInZone(d, 'Europe/Berlin').slice(11, 16))).toEqual(['23:15', '00:15', '01:15', '03:15', '04:15', '05:15']);
    const fall = fires(hourly, '2026-10-24T22:00:00Z', '2026-10-25T03:00:00Z').get('hourly')!;
    expect(fall.map((d) => formatInZone(d, 'Europe/Berlin').slice(11, 16))).toEqual(['00:15', '01:15', '02:15', '02:15', '03:15']);
  });

  it('a one-shot in the spring gap moves to after the gap; one in the repeated hour takes the first', () => {
    expect(onceInstant('2026-03-29T02:30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(formatInZone(onceInstant('2026-03-29T02:30', 'Europe/Berlin'), 'Europe/Berlin')).toBe('2026-03-29 03:30 CEST');
    expect(onceInstant('2026-10-25T02:30', 'Europe/Berlin').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(onceInstant('2026-12-01T02:00', 'Europe/Berlin').toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(onceInstant('2026-12-01T02:00', 'UTC').toISOString()).toBe('2026-12-01T02:00:00.000Z');
  });
});

describe('planner', () => {
  it('fires each due schedule once, keeps unchanged schedules on edit of another, restarts an edited one', () => {
    const clock = new ManualClock(Date.parse('2026-06-01T00:00:30Z'));
    const planner = new Planner(NO_TEST_MODE);
    const a = schedule('a', '*/5 * * * *', { timezone: 'UTC' });
    const b = schedule('b', '0 * * * *', { timezone: 'UTC' });
    expect(planner.sync([a, b], clock.now())).toEqual({ added: ['a', 'b'], changed: [], removed: [] });
    expect(planner.nextRun('a')?.toISOString()).toBe('2026-06-01T00:05:00.000Z');
    clock.advance(5 * 60_000);
    expect(planner.due(clock.now()).map((d) => d.schedule.name)).toEqual(['a']);
    expect(planner.due(clock.now())).toEqual([]);
    const edited = { ...a, spec: '*/10 * * * *', updatedAt: '2026-06-01T00:05:31.000Z' };
    expect(planner.sync([edited], clock.now())).toEqual({ added: [], changed: ['a'], removed: ['b'] });
    expect(planner.nextRun('a')?.toISOString()).toBe('2026-06-01T00:10:00.000Z');
    const disabled = { ...edited, enabled: false, updatedAt: '2026-06-01T00:06:00.000Z' };
    planner.sync([disabled], clock.now());
    clock.advance(3600_000);
    expect(planner.due(clock.now())).toEqual([]);
  });

  it('counts missed runs since the last run or last edit, whichever is later', () => {
    const planner = new Planner(NO_TEST_MODE);
    const s = schedule('nightly', '0 2 * * *', { timezone: 'UTC', updatedAt: '2026-06-01T00:00:00.000Z', missed: 'run-once' });
    const now = new Date('2026-06-04T12:00:00Z');
    planner.sync([s], now);
    const missed = planner.missed(new Map([['nightly', new Date('2026-06-02T02:00:00Z')]]), now);
    expect(missed).toHaveLength(1);
    expect(missed[0]!.count).toBe(2);
    expect(missed[0]!.latest.toISOString()).toBe('2026-06-04T02:00:00.000Z');
    expect(planner.missed(new Map([['nightly', new Date('2026-06-04T02:00:00Z')]]), now)).toEqual([]);
  });
});

describe('bad input', () => {
  it('names the bad cron field, its value and range', () => {
    const fail = (expr: string) => {
      try {
        validateCron(expr, NO_TEST_MODE);
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return `${(error as ValidationError).message} | ${(error as ValidationError).hint}`;
      }
      throw new Error(`accepted ${expr}`);
    };
    expect(fail('0 25 * * *')).toBe("invalid cron '0 25 * * *': field 2 (hour) '25' is not valid | hour takes 0-23, lists (1,5), ranges (1-5) and steps (*/15)");
    expect(fail('61 2 * * *')).toMatch(/field 1 \(minute\) '61'/);
    expect(fail('0 2 32 * *')).toMatch(/field 3 \(day of month\) '32'/);
    expect(fail('0 2 * 13 *')).toMatch(/field 4 \(month\) '13'/);
    expect(fail('0 2 * * funday')).toMatch(/field 5 \(day of week\) 'funday'/);
    expect(fail('0 2 * *')).toMatch(/expected 5 fields .* got 4/);
    // seconds only in test mode
    expect(fail('*/2 * * * * *')).toMatch(/got 6/);
    expect(validateCron('*/2 * * * * *', TEST_MODE)).toBe('*/2 * * * * *');
    expect(() => validateCron('*/2 * * * * * *', TEST_MODE)).toThrow(/got 7/);
  });

  it('rejects an unknown time zone by name', () => {
    expect(() => validateTimezone('Europe/Berlinn')).toThrow("unknown time zone 'Europe/Berlinn'");
    expect(() => scheduleTiming({ kind: 'cron', spec: '0 2 * * *', timezone: 'Mars/Olympus' })).toThrow(/unknown time zone 'Mars\/Olympus'/);
    expect(validateTimezone('America/New_York')).toBe('America/New_York');
  });

  it('names an unknown job kind, suggests the nearest, and allows the known ones', () => {
    expect(validateJob(['backup', 'run', '--on', 'site:lon'], { env: NO_TEST_MODE })).toBe('backup run');
    expect(validateJob(['stack', 'validate', 'core'], { env: NO_TEST_MODE })).toBe('stack validate');
    expect(() => validateJob(['backup', 'rn'], { env: NO_TEST_MODE })).toThrow("unknown job kind 'backup rn'");
    try {
      validateJob(['backup', 'rn'], { env: NO_TEST_MODE });
    } catch (error) {
      expect((error as ValidationError).hint).toMatch(/did you mean 'backup run'/);
    }
    expect(() => validateJob(['device', 'rm', 'r1'], { env: NO_TEST_MODE })).toThrow("unknown job kind 'device rm'");
    expect(() => validateJob([], { env: NO_TEST_MODE })).toThrow(UsageError);
    expect(() => validateJob(['backup', 'run', '--home', '/x'], { env: NO_TEST_MODE })).toThrow(/must not set --home/);
    expect(() => validateJob(['mop', 'run', 'x'], { env: NO_TEST_MODE, isAvailable: (w) => w[0] === 'backup' })).toThrow(/'mop run' is not available/);
    expect(allowedJobKinds(NO_TEST_MODE)).not.toContain('daemon test-job');
    expect(allowedJobKinds(TEST_MODE)).toContain('daemon test-job');
  });

  it('accepts deploy, mop run and stack validate jobs; a deploy needs --yes (or --dry-run); files become absolute', () => {
    expect(validateJob(['deploy', 'stacks/x.yaml', '--yes'], { env: NO_TEST_MODE })).toBe('deploy');
    expect(validateJob(['deploy', 'core', '--dry-run'], { env: NO_TEST_MODE })).toBe('deploy');
    expect(validateJob(['mop', 'run', 'mops/x.yaml', '--yes'], { env: NO_TEST_MODE, isAvailable: () => true })).toBe('mop run');
    expect(() => validateJob(['deploy', 'stacks/x.yaml'], { env: NO_TEST_MODE })).toThrow(/a scheduled deploy runs without a terminal/);
    try {
      validateJob(['deploy', 'stacks/x.yaml'], { env: NO_TEST_MODE });
    } catch (error) {
      expect((error as UsageError).hint).toBe('add --yes to the job (or --dry-run to plan only): -- deploy stacks/x.yaml --yes');
    }
    const cwd = REPO_ROOT;
    expect(absoluteJobPaths(['deploy', 'stacks/lab-baseline.yaml', '--templates', 'templates', '--var', 'a=b', '--yes'], 'deploy', cwd)).toEqual([
      'deploy',
      `${cwd}/stacks/lab-baseline.yaml`,
      '--templates',
      `${cwd}/templates`,
      '--var',
      'a=b',
      '--yes',
    ]);
    // a name (registered stack, MOP in mops/) stays a name; --junit=FILE is made absolute too
    expect(absoluteJobPaths(['mop', 'run', 'upgrade', '--junit=out/r.xml', '--yes'], 'mop run', cwd)).toEqual(['mop', 'run', 'upgrade', `--junit=${cwd}/out/r.xml`, '--yes']);
    expect(absoluteJobPaths(['backup', 'run', '--on', 'site:lon'], 'backup run', cwd)).toEqual(['backup', 'run', '--on', 'site:lon']);
  });
});

describe('seed forms', () => {
  it('converts --once, --daily, --weekly and --monthly to what is stored', () => {
    expect(convertForm({ once: '2026-12-01 02:00' })).toEqual({ kind: 'once', spec: '2026-12-01T02:00', form: '--once "2026-12-01 02:00"' });
    expect(convertForm({ daily: '2:05' })).toEqual({ kind: 'cron', spec: '5 2 * * *', form: '--daily 02:05' });
    expect(convertForm({ weekly: 'Monday 23:30' })).toEqual({ kind: 'cron', spec: '30 23 * * 1', form: '--weekly mon 23:30' });
    expect(convertForm({ weekly: 'sun 03:00' }).spec).toBe('0 3 * * 0');
    expect(convertForm({ weekly: '7 03:00' }).spec).toBe('0 3 * * 0');
    expect(convertForm({ monthly: '15 04:00' })).toEqual({ kind: 'cron', spec: '0 4 15 * *', form: '--monthly 15 04:00' });
    expect(convertForm({ monthly: 'last 04:00' }).spec).toBe('0 4 L * *');
    expect(convertForm({ cron: ' 0  2 * * * ' }).spec).toBe('0 2 * * *');
  });

  it('runs a converted one-shot exactly once, at its local time', () => {
    const timing = scheduleTiming({ ...convertForm({ once: '2026-12-01 02:00' }), timezone: 'Europe/Berlin' });
    expect(timing.nextRuns(5, new Date('2026-11-30T00:00:00Z')).map((d) => d.toISOString())).toEqual(['2026-12-01T01:00:00.000Z']);
    expect(timing.nextRun(new Date('2026-12-01T01:00:00Z'))).toBeUndefined();
  });

  it('rejects bad seed forms clearly', () => {
    expect(() => convertForm({ daily: '24:00' })).toThrow("--daily: invalid time '24:00'");
    expect(() => convertForm({ weekly: 'funday 02:00' })).toThrow("--weekly: invalid day 'funday'");
    expect(() => convertForm({ weekly: '02:00' })).toThrow(/expected DAY HH:MM/);
    expect(() => convertForm({ monthly: '32 02:00' })).toThrow("--monthly: invalid day '32'");
    expect(() => convertForm({ once: '2026-02-30 02:00' })).not.toThrow();
    expect(() => onceInstant('2026-02-30T02:00', 'UTC')).toThrow(/no such date/);
    expect(() => convertForm({ once: 'tomorrow' })).toThrow(/--once: invalid date-time/);
    expect(() => convertForm({})).toThrow(/needs a time/);
    expect(() => convertForm({ daily: '02:00', cron: '0 2 * * *' })).toThrow(/only one of/);
  });
});

describe('job summary', () => {
  it('reads device counts from a backup run JSON summary, else keeps the last line', () => {
    const backup = summarizeJob(JSON.stringify({ snapshot: { id: 3, total: 10, success: 8, failed: 1, skipped: 1, changed: 2 } }), '', 10);
    expect(backup.counts).toEqual({ total: 10, ok: 8, failed: 1, skipped: 1, changed: 2 });
    expect(backup.text).toBe('devices 10: 8 ok, 1 failed, 1 skipped, 2 changed');
    expect(summarizeJob('', 'error: stack core not found\nhint: x\n', 3).text).toBe('hint: x');
    expect(summarizeJob('', '', 0).text).toBe('ok');
  });
});
