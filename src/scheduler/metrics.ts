import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { ValidationError } from '../core/errors.js';
import type { JobSummary } from './job-summary.js';

/** Prometheus metrics of the daemon, served on --metrics HOST:PORT at /metrics. */
export class DaemonMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({ name: 'netstacks_schedule_runs_total', help: 'Schedule runs by outcome', labelNames: ['schedule', 'outcome'], registers: [this.registry] });
  private readonly duration = new Histogram({
    name: 'netstacks_schedule_run_duration_seconds',
    help: 'Duration of schedule runs',
    labelNames: ['schedule'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  private readonly devices = new Counter({ name: 'netstacks_backup_devices_total', help: 'Devices backed up by scheduled runs, by status (ok, failed, skipped)', labelNames: ['schedule', 'status'], registers: [this.registry] });
  private readonly lastDevices = new Gauge({ name: 'netstacks_backup_last_run_devices', help: 'Devices in the last run of a schedule, by status (ok, failed, skipped, changed)', labelNames: ['schedule', 'status'], registers: [this.registry] });
  private readonly changed = new Counter({ name: 'netstacks_backup_devices_changed_total', help: 'Devices whose configuration changed, found by scheduled runs', labelNames: ['schedule'], registers: [this.registry] });
  private readonly lastSuccess = new Gauge({ name: 'netstacks_schedule_last_success_timestamp_seconds', help: 'Unix time of the last successful run of a schedule', labelNames: ['schedule'], registers: [this.registry] });
  private readonly running = new Gauge({ name: 'netstacks_schedule_jobs_running', help: 'Jobs running now', registers: [this.registry] });
  private server?: Server;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'netstacks_daemon_' });
  }

  setLastSuccess(schedule: string, at: Date): void {
    this.lastSuccess.set({ schedule }, at.getTime() / 1000);
  }

  jobStarted(): void {
    this.running.inc();
  }

  runEnded(schedule: string, outcome: string, seconds: number | undefined, summary: JobSummary | undefined, endedAt: Date): void {
    this.runs.inc({ schedule, outcome });
    if (seconds !== undefined) {
      this.duration.observe({ schedule }, seconds);
      this.running.dec();
    }
    if (outcome === 'ok') this.setLastSuccess(schedule, endedAt);
    if (summary?.counts) {
      const { ok, failed, skipped, changed } = summary.counts;
      for (const [status, n] of [['ok', ok], ['failed', failed], ['skipped', skipped]] as const) {
        this.devices.inc({ schedule, status }, n);
        this.lastDevices.set({ schedule, status }, n);
      }
      this.lastDevices.set({ schedule, status: 'changed' }, changed);
      this.changed.inc({ schedule }, changed);
    }
  }

  /** Listens on HOST:PORT (port 0 picks a free one); returns the address actually bound. */
  async listen(address: string): Promise<string> {
    const { host, port } = parseListenAddress(address);
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || (req.url ?? '/').split('?')[0] !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const bound = server.address() as AddressInfo;
    return `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

export function parseListenAddress(address: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(address.trim());
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new ValidationError(`invalid --metrics address '${address}'`, 'use HOST:PORT, e.g. 127.0.0.1:9464');
  return { host: m[1] ?? m[2]!, port };
}
