import { Cron, type CronOptions } from 'croner';
import { ValidationError } from '../core/errors.js';

/**
 * When a schedule fires. Next and missed runs are computed with croner, which treats daylight-saving
 * changes as Vixie cron does: a fixed-time job (`30 2 * * *`) whose time falls in the spring-forward
 * gap runs once right after the gap, and runs only once when autumn repeats that hour; wildcard jobs
 * (`*\/15 * * * *`) follow the wall clock. Everything takes the current time as an argument, so tests
 * can drive it with any clock.
 */
export type ScheduleKind = 'cron' | 'once';

export interface ScheduleTimingSpec {
  kind: ScheduleKind;
  /** a cron expression, or for `once` a local date-time `YYYY-MM-DDTHH:MM` in `timezone` */
  spec: string;
  timezone: string;
}

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/**
 * Test-only: NETSTACKS_SCHEDULER_SECONDS=1 lets cron expressions carry a leading seconds field
 * (6 fields), so daemon tests fire within seconds. Never set it in production.
 */
export function secondsFieldAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.NETSTACKS_SCHEDULER_SECONDS === '1';
}

const FIELDS_5 = [
  { name: 'minute', range: '0-59' },
  { name: 'hour', range: '0-23' },
  { name: 'day of month', range: '1-31, L' },
  { name: 'month', range: '1-12 or jan-dec' },
  { name: 'day of week', range: '0-7 or sun-sat' },
] as const;
const SECONDS_FIELD = { name: 'second', range: '0-59' } as const;

function cronOptions(fields: number, timezone?: string): CronOptions {
  return {
    paused: true,
    mode: fields === 6 ? '6-part' : '5-part',
    // Vixie cron: a job is "wild" only when its minute or hour is a wildcard; lists and ranges of
    // fixed hours are fixed-time jobs too (so `0 2,14 * * *` also runs once across DST changes)
    fixedTimeRule: 'no-wildcard',
    domAndDow: false,
    ...(timezone ? { timezone } : {}),
  };
}

/** Throws a ValidationError naming the time zone unless it is a known IANA zone. */
export function validateTimezone(timezone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return timezone;
  } catch {
    throw new ValidationError(`unknown time zone '${timezone}'`, 'use an IANA name such as Europe/Berlin, America/New_York or UTC');
  }
}

/** Validates a cron expression; a bad one names the field, its value and the allowed range. */
export function validateCron(expression: string, env: NodeJS.ProcessEnv = process.env): string {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  const seconds = secondsFieldAllowed(env);
  if (fields.length !== 5 && !(seconds && fields.length === 6)) {
    throw new ValidationError(
      `invalid cron '${expression}': expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`,
      seconds ? 'test mode (NETSTACKS_SCHEDULER_SECONDS=1) also accepts a leading seconds field' : 'e.g. "0 2 * * *" for 02:00 every day',
    );
  }
  const normalized = fields.join(' ');
  try {
    new Cron(normalized, cronOptions(fields.length));
    return normalized;
  } catch (error) {
    const names = fields.length === 6 ? [SECONDS_FIELD, ...FIELDS_5] : [...FIELDS_5];
    // find the culprit: each field alone, with wildcards elsewhere
    for (let i = 0; i < fields.length; i++) {
      const probe = fields.map((f, j) => (j === i ? f : '*')).join(' ');
      try {
        new Cron(probe, cronOptions(fields.length));
      } catch {
        const field = names[i]!;
        throw new ValidationError(
          `invalid cron '${expression}': field ${i + 1} (${field.name}) '${fields[i]}' is not valid`,
          `${field.name} takes ${field.range}, lists (1,5), ranges (1-5) and steps (*/15)`,
          error,
        );
      }
    }
    throw new ValidationError(`invalid cron '${expression}': ${(error as Error).message.replace(/^CronPattern: /, '')}`, undefined, error);
  }
}

const ONCE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

export interface ScheduleTiming {
  /** the next n run times strictly after `after` */
  nextRuns(n: number, after: Date): Date[];
  nextRun(after: Date): Date | undefined;
  /** run times in (from, to], oldest first, at most `limit` */
  runsBetween(from: Date, to: Date, limit?: number): Date[];
}

export function scheduleTiming(spec: ScheduleTimingSpec, env: NodeJS.ProcessEnv = process.env): ScheduleTiming {
  validateTimezone(spec.timezone);
  if (spec.kind === 'once') {
    const at = onceInstant(spec.spec, spec.timezone);
    const nextRun = (after: Date) => (at.getTime() > after.getTime() ? at : undefined);
    return {
      nextRun,
      nextRuns: (n, after) => (n > 0 && nextRun(after) ? [at] : []),
      runsBetween: (from, to) => (at > from && at <= to ? [at] : []),
    };
  }
  const expression = validateCron(spec.spec, env);
  const cron = new Cron(expression, cronOptions(expression.split(' ').length, spec.timezone));
  const nextRun = (after: Date) => cron.nextRun(after) ?? undefined;
  return {
    nextRun,
    nextRuns: (n, after) => cron.nextRuns(n, after),
    runsBetween(from, to, limit = 1000) {
      const runs: Date[] = [];
      let cursor = from;
      while (runs.length < limit) {
        const next = nextRun(cursor);
        if (!next || next > to) break;
        runs.push(next);
        cursor = next;
      }
      return runs;
    },
  };
}

/**
 * The instant of a wall-clock time in a zone. A time that does not exist (spring-forward gap) moves
 * forward by the gap, as cron does; a repeated time (autumn) takes its first occurrence.
 */
export function onceInstant(local: string, timezone: string): Date {
  const m = ONCE_PATTERN.exec(local);
  if (!m) throw new ValidationError(`invalid date-time '${local}'`, 'use YYYY-MM-DD HH:MM, e.g. "2026-12-01 02:00"');
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  const probe = new Date(asUtc);
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day || hour > 23 || minute > 59) {
    throw new ValidationError(`invalid date-time '${local}': no such date or time`, 'use YYYY-MM-DD HH:MM, e.g. "2026-12-01 02:00"');
  }
  // try the offsets in force around that time; the earliest instant that shows this wall time wins
  const candidates = [-1, 0, 1]
    .map((dayShift) => asUtc - zoneOffsetMs(new Date(asUtc + dayShift * 86_400_000), timezone))
    .filter((t) => wallTime(new Date(t), timezone) === asUtc)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return new Date(candidates[0]!);
  // in a gap: the standard offset before the change, which lands after the gap
  return new Date(asUtc - zoneOffsetMs(new Date(asUtc - 86_400_000), timezone));
}

/** The zone's wall-clock time at an instant, as if it were UTC (ms). */
function wallTime(at: Date, timezone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
}

const zoneOffsetMs = (at: Date, timezone: string): number => wallTime(at, timezone) - Math.floor(at.getTime() / 1000) * 1000;

/** `2026-03-29 03:00 CEST` style: the wall-clock time in a zone, with its abbreviation. */
export function formatInZone(at: Date, timezone: string): string {
  const wall = new Date(wallTime(at, timezone)).toISOString();
  const seconds = wall.slice(17, 19) === '00' ? '' : wall.slice(16, 19);
  return `${wall.slice(0, 10)} ${wall.slice(11, 16)}${seconds} ${zoneName(at, timezone)}`;
}

/** CET/CEST, EDT…: British English names European zones, US English American ones; else GMT+N. */
function zoneName(at: Date, timezone: string): string {
  const name = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone: timezone, timeZoneName: 'short' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? '';
  const gb = name('en-GB');
  if (!gb.startsWith('GMT') || gb === 'GMT') return gb;
  const us = name('en-US');
  return us.startsWith('GMT') ? gb : us;
}
