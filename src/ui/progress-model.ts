import type { DeviceResult, DeviceStatus, RunEvent } from '../runner/types.js';

export type LiveState = 'queued' | 'running' | DeviceStatus;

export interface LiveRow {
  device: string;
  state: LiveState;
  detail: string;
}

export interface LiveSnapshot {
  title: string;
  total: number;
  counts: Record<LiveState, number>;
  elapsedMs: number;
  running: LiveRow[];
  finished: LiveRow[];
}

/**
 * What the live view shows, kept in O(1) per event so 500 devices stay cheap: counts, the running
 * set (bounded display) and a short ring of the last finished devices.
 */
export class ProgressModel {
  private readonly running = new Map<string, string>();
  private readonly finished: LiveRow[] = [];
  private readonly counts = { ok: 0, failed: 0, skipped: 0 };
  private readonly startedAt = performance.now();

  constructor(
    readonly title: string,
    readonly total: number,
    private readonly detail: (result: DeviceResult<unknown>) => string,
    private readonly visible = 10,
  ) {}

  apply(event: RunEvent<unknown>): void {
    if (event.type === 'start') this.running.set(event.device, '');
    else if (event.type === 'progress') {
      if (this.running.has(event.device)) this.running.set(event.device, event.message);
    } else {
      const { result } = event;
      this.running.delete(result.device);
      this.counts[result.status]++;
      this.finished.push({ device: result.device, state: result.status, detail: this.detail(result) });
      if (this.finished.length > this.visible) this.finished.shift();
    }
  }

  snapshot(): LiveSnapshot {
    const done = this.counts.ok + this.counts.failed + this.counts.skipped;
    const running: LiveRow[] = [];
    for (const [device, detail] of this.running) {
      if (running.length >= this.visible) break;
      running.push({ device, state: 'running', detail });
    }
    return {
      title: this.title,
      total: this.total,
      counts: { ...this.counts, running: this.running.size, queued: Math.max(0, this.total - done - this.running.size) },
      elapsedMs: performance.now() - this.startedAt,
      running,
      finished: [...this.finished],
    };
  }
}
