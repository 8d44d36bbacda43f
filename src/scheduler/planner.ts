import type { Schedule } from './repository.js';
import { scheduleTiming, type ScheduleTiming } from './timing.js';

export interface DueRun {
  schedule: Schedule;
  scheduledFor: Date;
}

export interface MissedRuns {
  schedule: Schedule;
  /** how many run times passed unrun (capped at 1000) */
  count: number;
  latest: Date;
}

interface Entry {
  schedule: Schedule;
  timing: ScheduleTiming;
  next: Date | undefined;
}

/**
 * Which schedules are due, given the time. Pure: the daemon feeds it the clock, tests feed it any
 * time they like (the DST tests step it minute by minute across the 2026 changes).
 */
export class Planner {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}

  /**
   * Takes the current schedules. Unchanged ones keep their next run; new or edited ones start
   * counting from `now`. Returns the names that were added, changed and removed.
   */
  sync(schedules: readonly Schedule[], now: Date): { added: string[]; changed: string[]; removed: string[] } {
    const result = { added: [] as string[], changed: [] as string[], removed: [] as string[] };
    const seen = new Set<string>();
    for (const schedule of schedules) {
      seen.add(schedule.name);
      const current = this.entries.get(schedule.name);
      if (current && current.schedule.updatedAt === schedule.updatedAt && current.schedule.id === schedule.id) continue;
      const timing = scheduleTiming(schedule, this.env);
      this.entries.set(schedule.name, { schedule, timing, next: schedule.enabled ? timing.nextRun(now) : undefined });
      (current ? result.changed : result.added).push(schedule.name);
    }
    for (const name of [...this.entries.keys()]) {
      if (!seen.has(name)) {
        this.entries.delete(name);
        result.removed.push(name);
      }
    }
    return result;
  }

  /**
   * Run times that passed while nothing ran them: for each enabled schedule, those after its last
   * recorded run (or its last edit, whichever is later) and up to now.
   */
  missed(lastRunFor: ReadonlyMap<string, Date>, now: Date): MissedRuns[] {
    const missed: MissedRuns[] = [];
    for (const { schedule, timing } of this.entries.values()) {
      if (!schedule.enabled) continue;
      const edited = new Date(schedule.updatedAt);
      const last = lastRunFor.get(schedule.name);
      const since = last && last > edited ? last : edited;
      const runs = timing.runsBetween(since, now, 1000);
      if (runs.length > 0) missed.push({ schedule, count: runs.length, latest: runs[runs.length - 1]! });
    }
    return missed;
  }

  /**
   * The schedules whose time has come, each once, advancing them to their next run after `now`
   * (times that passed while the process was stalled are folded into this one run).
   */
  due(now: Date): DueRun[] {
    const due: DueRun[] = [];
    for (const entry of this.entries.values()) {
      if (!entry.next || entry.next > now) continue;
      due.push({ schedule: entry.schedule, scheduledFor: entry.next });
      entry.next = entry.timing.nextRun(now);
    }
    return due;
  }

  nextRun(name: string): Date | undefined {
    return this.entries.get(name)?.next;
  }

  /** The earliest next run over all schedules, to know how long to sleep. */
  earliest(): Date | undefined {
    let earliest: Date | undefined;
    for (const { next } of this.entries.values()) if (next && (!earliest || next < earliest)) earliest = next;
    return earliest;
  }

  schedules(): Schedule[] {
    return [...this.entries.values()].map((e) => e.schedule);
  }
}
