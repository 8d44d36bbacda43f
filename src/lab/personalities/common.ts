import type { CommandSpec } from '../commands.js';
import type { DeviceIdentity } from '../personality.js';
import { pick, randInt, randomFor } from '../rng.js';

/** Login banners; several contain `#`, `>` and prompt-like lines to trip naive prompt matching. */
const BANNERS = [
  (host: string) => `\n**************************************************************************\n* Unauthorized access to ${host}# is prohibited >                         *\n* All activity is logged. Disconnect now if you are not authorised.      *\n**************************************************************************\n`,
  (host: string) => `\nWARNING: This system is for authorised use only.\n${host}> is monitored. ${host}# too.\nrouter#\nswitch>\n`,
  () => `\n#########################################################\n#  NetStacks lab device. Contact noc@netstacks.test     #\n#  > Maintenance window: Sundays 02:00-04:00 UTC         #\n#########################################################\n`,
  () => `\nAuthorised users only.\n`,
];

export function bannerFor(id: DeviceIdentity): string {
  const random = randomFor(id.seed, 'banner', id.name);
  return pick(random, BANNERS)(id.hostname);
}

export function uptimeFor(id: DeviceIdentity): { weeks: number; days: number; hours: number; minutes: number } {
  const random = randomFor(id.seed, 'uptime', id.name);
  return { weeks: randInt(random, 0, 80), days: randInt(random, 0, 6), hours: randInt(random, 0, 23), minutes: randInt(random, 0, 59) };
}

export function serialFor(id: DeviceIdentity, prefix: string, length = 11): string {
  const random = randomFor(id.seed, 'serial', id.name);
  let out = prefix;
  while (out.length < length) out += '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'[randInt(random, 0, 33)];
  return out;
}

export const IOS_PAGER = { prompt: ' --More-- ', erase: '\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b' };

/** Junos and PAN-OS: 'run <command>' in configuration mode runs an operational command, then returns. */
export function runOperationalCommand<S extends { inConfig: boolean; execute(line: string): Promise<void> }>(): CommandSpec<S> {
  return {
    path: 'run <*>',
    run: async (s, a) => {
      s.inConfig = false;
      try {
        await s.execute(a[0] ?? '');
      } finally {
        s.inConfig = true;
      }
      return undefined;
    },
  };
}
