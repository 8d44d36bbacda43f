import type { LabRoute, OperationalView } from './model.js';

/** Small formatting helpers shared by the platform renderers. */

export const lines = (rows: string[]) => rows.join('\n') + '\n';

export function routesIn(view: OperationalView, vrf: string): LabRoute[] {
  return view.routes.filter((r) => r.vrf === vrf);
}

/** Weeks/days/h:m:s parts of a duration. */
export function parts(seconds: number) {
  return {
    weeks: Math.floor(seconds / 604800),
    days: Math.floor((seconds % 604800) / 86400),
    totalDays: Math.floor(seconds / 86400),
    hours: Math.floor((seconds % 86400) / 3600),
    minutes: Math.floor((seconds % 3600) / 60),
    seconds: seconds % 60,
  };
}

export const two = (n: number) => String(n).padStart(2, '0');

/** Junos: `3w2d 04:05:06`, `1d 02:03:04`, `05:06:07`. */
export function junosAge(seconds: number): string {
  const p = parts(seconds);
  const clock = `${two(p.hours)}:${two(p.minutes)}:${two(p.seconds)}`;
  if (p.weeks > 0) return `${p.weeks}w${p.days}d ${clock}`;
  if (p.days > 0) return `${p.days}d ${clock}`;
  return clock;
}

/** `1.23 kbps`-style rates used by EOS and NX-OS. */
export function rate(bitsPerSecond: number): string {
  if (bitsPerSecond >= 1_000_000) return `${(bitsPerSecond / 1_000_000).toFixed(2)} Mbps`;
  if (bitsPerSecond >= 1000) return `${(bitsPerSecond / 1000).toFixed(2)} kbps`;
  return `${bitsPerSecond} bps`;
}

/** A stable, plausible traffic rate for an interface with these counters. */
export function bitsPerSecond(inPackets: number): number {
  return inPackets === 0 ? 0 : (inPackets % 97_000) + 1000;
}

export function commas(n: number): string {
  return n.toLocaleString('en-US');
}

/** The cisco-style day/month line XR prints before every show command. */
export function xrTimestamp(date = new Date()): string {
  const text = date.toUTCString();
  return `${text.slice(0, 3)} ${text.slice(8, 11)} ${date.getUTCDate()} ${date.toISOString().slice(11, 23)} UTC`;
}
