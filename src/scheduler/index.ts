export { convertForm, type ScheduleForms, type ConvertedForm } from './forms.js';
export { JOB_KINDS, allowedJobKinds, validateJob, formatJob } from './jobs.js';
export { scheduleTiming, validateCron, validateTimezone, onceInstant, formatInZone, systemClock, type Clock, type ScheduleTiming, type ScheduleKind } from './timing.js';
export { Planner, type DueRun, type MissedRuns } from './planner.js';
export {
  addSchedule,
  updateSchedule,
  removeSchedule,
  setScheduleEnabled,
  getSchedule,
  listSchedules,
  scheduleHistory,
  lastRuns,
  schedulesVersion,
  markInterruptedRuns,
  MISSED_POLICIES,
  type Schedule,
  type ScheduleRun,
  type NewSchedule,
  type ScheduleUpdate,
  type MissedPolicy,
  type RunOutcome,
  type RunTrigger,
} from './repository.js';
export { SchedulerDaemon, type DaemonOptions } from './daemon.js';
export { daemonStatus, type DaemonStatus } from './status.js';
export { DaemonMetrics } from './metrics.js';
export { createEventLog, type EventLog, type LogFormat } from './events.js';
export { systemdUnit } from './systemd.js';
