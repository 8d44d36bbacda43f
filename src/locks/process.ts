import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';

/** Who holds something: enough to tell, later and from another process, whether it is still alive. */
export interface ProcessIdentity {
  pid: number;
  hostname: string;
  /** Linux /proc/<pid>/stat starttime (clock ticks since boot); null where there is no /proc */
  processStart: string | null;
}

/**
 * The start time of a process from /proc/<pid>/stat (field 22). Read after the last ')', since the
 * command name in field 2 may itself contain spaces and parentheses. Null where /proc is absent.
 */
export function processStartTime(pid: number): string | null {
  return procStat(pid)?.startTime ?? null;
}

function procStat(pid: number): { state: string; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state), so starttime (field 22) is fields[19]
    return { state: fields[0] ?? '', startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

let self: ProcessIdentity | undefined;
export function currentProcess(): ProcessIdentity {
  self ??= { pid: process.pid, hostname: hostname(), processStart: processStartTime(process.pid) };
  return self;
}

let user: string | undefined;
/** The OS user running this process (read once: every lock and record asks for it). */
export function currentUser(): string {
  if (user !== undefined) return user;
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? String(process.getuid?.() ?? 'unknown');
  }
  return user;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * alive: the recorded process still runs; dead: it is gone (or its pid was reused by another
 * process); unknown: it ran on another host, so from here we cannot tell.
 */
export type Liveness = 'alive' | 'dead' | 'unknown';

export function processLiveness(holder: ProcessIdentity): Liveness {
  if (holder.hostname !== hostname()) return 'unknown';
  if (!pidExists(holder.pid)) return 'dead';
  const stat = procStat(holder.pid);
  // a zombie (killed, not yet reaped by its parent) holds nothing any more
  if (stat && (stat.state === 'Z' || stat.state === 'X')) return 'dead';
  // /proc readable and the start time differs: the pid was recycled by an unrelated process
  if (stat && holder.processStart !== null && stat.startTime !== holder.processStart) return 'dead';
  return 'alive';
}
