import { lockHolder } from '../locks/index.js';
import type { Db } from '../store/store.js';
import { lastRuns, listSchedules, type ScheduleRun } from './repository.js';
import { scheduleTiming } from './timing.js';

export interface DaemonStatus {
  running: boolean;
  pid: number | null;
  hostname: string | null;
  startedAt: string | null;
  uptimeSeconds: number | null;
  heartbeatAt: string | null;
  /** set when the lock's holder is gone: the daemon was killed without cleaning up */
  note?: string;
  jobs: { schedule: string; runId: number; pid: number | null; startedAt: string }[];
  schedules: {
    name: string;
    enabled: boolean;
    timezone: string;
    lastRun: Pick<ScheduleRun, 'id' | 'startedAt' | 'outcome' | 'summary'> | null;
    nextRun: string | null;
  }[];
}

/** What `daemon status` shows, read from the store from any process: the lock, the heartbeat row, the schedules. */
export async function daemonStatus(db: Db, now = new Date()): Promise<DaemonStatus> {
  const holder = await lockHolder({ db }, 'daemon');
  const state = await db.selectFrom('daemon_state').selectAll().where('id', '=', 1).executeTakeFirst();
  const alive = holder !== undefined && holder.liveness !== 'dead';
  const last = await lastRuns(db);
  const schedules = (await listSchedules(db)).map((s) => {
    let nextRun: string | null = null;
    try {
      nextRun = s.enabled ? scheduleTiming(s).nextRun(now)?.toISOString() ?? null : null;
    } catch {
      nextRun = null;
    }
    const run = last.get(s.name);
    return {
      name: s.name,
      enabled: s.enabled,
      timezone: s.timezone,
      lastRun: run ? { id: run.id, startedAt: run.startedAt, outcome: run.outcome, summary: run.summary } : null,
      nextRun,
    };
  });
  const sameDaemon = alive && state && state.pid === holder.pid && state.hostname === holder.hostname;
  return {
    running: alive,
    pid: alive ? holder.pid : null,
    hostname: alive ? holder.hostname : null,
    startedAt: sameDaemon ? state.started_at : alive ? holder.acquiredAt : null,
    uptimeSeconds: alive ? Math.round((now.getTime() - Date.parse(sameDaemon ? state.started_at : holder.acquiredAt)) / 1000) : null,
    heartbeatAt: sameDaemon ? state.heartbeat_at : null,
    ...(holder && !alive ? { note: `the last daemon (pid ${holder.pid}) was killed without stopping; the next one takes over its lock` } : {}),
    jobs: sameDaemon ? (JSON.parse(state.running) as DaemonStatus['jobs']) : [],
    schedules,
  };
}
