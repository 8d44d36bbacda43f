import { UsageError, ValidationError } from '../core/errors.js';
import type { ScheduleKind } from './timing.js';

/**
 * The seed's schedule forms, converted to what the store keeps: a cron expression, or a one-shot
 * local date-time. `form` remembers how the user wrote it, for `schedule show`.
 */
export interface ScheduleForms {
  cron?: string;
  once?: string;
  daily?: string;
  weekly?: string;
  monthly?: string;
}

export interface ConvertedForm {
  kind: ScheduleKind;
  spec: string;
  form: string;
}

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function parseTime(value: string, flag: string): { hour: number; minute: number } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2]);
  if (!m || hour > 23 || minute > 59) throw new ValidationError(`${flag}: invalid time '${value}'`, 'use HH:MM, 24-hour, e.g. 02:30');
  return { hour, minute };
}

function parseWeekday(value: string): number {
  const v = value.trim().toLowerCase();
  if (/^[0-7]$/.test(v)) return Number(v) % 7;
  // mon, tues, thurs, friday…: any prefix of at least three letters
  const index = v.length >= 3 ? WEEKDAYS.findIndex((d) => d.startsWith(v)) : -1;
  if (index >= 0) return index;
  throw new ValidationError(`--weekly: invalid day '${value}'`, 'use mon, tue, wed, thu, fri, sat, sun (or 0-7, 0 and 7 = Sunday)');
}

/** Splits `"mon 02:00"` or the two words of a variadic option into day and time. */
function dayAndTime(value: string, flag: string): [string, string] {
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 2) throw new ValidationError(`${flag}: expected DAY HH:MM, got '${value}'`, `e.g. ${flag} ${flag === '--weekly' ? 'mon' : '1'} 02:00`);
  return [parts[0]!, parts[1]!];
}

export function convertForm(forms: ScheduleForms): ConvertedForm {
  const given = Object.entries(forms).filter(([, v]) => v !== undefined && v !== '') as [keyof ScheduleForms, string][];
  if (given.length === 0) throw new UsageError('a schedule needs a time', 'give one of --cron, --once, --daily, --weekly or --monthly');
  if (given.length > 1) throw new UsageError(`give only one of ${given.map(([k]) => `--${k}`).join(', ')}`);
  const [which, value] = given[0]!;
  switch (which) {
    case 'cron': {
      const spec = value.trim().split(/\s+/).join(' ');
      return { kind: 'cron', spec, form: `--cron "${spec}"` };
    }
    case 'once': {
      const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})$/.exec(value.trim());
      if (!m) throw new ValidationError(`--once: invalid date-time '${value}'`, 'use "YYYY-MM-DD HH:MM", e.g. "2026-12-01 02:00"');
      const { hour, minute } = parseTime(m[2]!, '--once');
      const spec = `${m[1]}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
      return { kind: 'once', spec, form: `--once "${spec.replace('T', ' ')}"` };
    }
    case 'daily': {
      const { hour, minute } = parseTime(value, '--daily');
      return { kind: 'cron', spec: `${minute} ${hour} * * *`, form: `--daily ${pad(hour)}:${pad(minute)}` };
    }
    case 'weekly': {
      const [day, time] = dayAndTime(value, '--weekly');
      const dow = parseWeekday(day);
      const { hour, minute } = parseTime(time, '--weekly');
      return { kind: 'cron', spec: `${minute} ${hour} * * ${dow}`, form: `--weekly ${WEEKDAYS[dow]!.slice(0, 3)} ${pad(hour)}:${pad(minute)}` };
    }
    case 'monthly': {
      const [day, time] = dayAndTime(value, '--monthly');
      const last = /^(last|l)$/i.test(day);
      const dom = Number(day);
      if (!last && !(/^\d{1,2}$/.test(day) && dom >= 1 && dom <= 31)) {
        throw new ValidationError(`--monthly: invalid day '${day}'`, 'use a day of the month 1-31, or last');
      }
      const { hour, minute } = parseTime(time, '--monthly');
      return { kind: 'cron', spec: `${minute} ${hour} ${last ? 'L' : dom} * *`, form: `--monthly ${last ? 'last' : dom} ${pad(hour)}:${pad(minute)}` };
    }
  }
}

const pad = (n: number) => String(n).padStart(2, '0');
