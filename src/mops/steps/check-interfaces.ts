import { z } from 'zod';
import type { CheckItem } from './types.js';
import { defineStep } from './types.js';
import { pattern, verdict } from '../checks/judge.js';
import type { InterfaceRecord } from '../checks/types.js';

const params = z
  .object({
    /** `all` (default: every administratively enabled interface) or names as the device shows them; `/regex/` selects several */
    interfaces: z.union([z.literal('all'), z.array(z.string()).min(1)]).default('all'),
    /** up: admin and line protocol up (default); down: not up */
    state: z.enum(['up', 'down']).default('up'),
    /** the highest error count allowed per counter (rx_errors, tx_errors, rx_crc_errors); null: no error check */
    max_errors: z.number().int().nonnegative().nullable().default(0),
    /**
     * every checked interface has a description (not `description`: that key is the step's own
     * text on every step, read by the engine)
     */
    require_description: z.boolean().default(false),
  })
  .strict();

function select(records: InterfaceRecord[], wanted: 'all' | string[]): { name: string; record?: InterfaceRecord }[] {
  if (wanted === 'all') return records.filter((r) => r.is_enabled).map((r) => ({ name: r.interface, record: r }));
  const out: { name: string; record?: InterfaceRecord }[] = [];
  for (const w of wanted) {
    if (w.length > 2 && w.startsWith('/') && w.endsWith('/')) {
      const re = pattern(`^(?:${w.slice(1, -1)})$`, 'i');
      const hits = records.filter((r) => re.test(r.interface));
      if (hits.length === 0) out.push({ name: w });
      else out.push(...hits.map((r) => ({ name: r.interface, record: r })));
    } else {
      out.push({ name: w, record: records.find((r) => r.interface.toLowerCase() === w.toLowerCase()) });
    }
  }
  return out;
}

/** `check_interfaces`: interfaces up/up (or down), error counters at most a threshold, descriptions present. */
export const checkInterfacesStep = defineStep({
  name: 'check_interfaces',
  description: 'interfaces up/up, error counters under a threshold, descriptions present',
  scope: 'device',
  readOnly: true,
  params,
  async run(p, ctx) {
    const { getInterfaces } = await import('../checks/index.js');
    const got = await getInterfaces(ctx.env, await ctx.session());
    const items: CheckItem[] = select(got.records, p.interfaces).map(({ name, record: r }) => {
      if (!r) return { item: name, ok: false, reason: 'no such interface' };
      const reasons: string[] = [];
      if (p.state === 'up' && !r.is_enabled) reasons.push('administratively down');
      else if (p.state === 'up' && !r.is_up) reasons.push('line protocol down');
      else if (p.state === 'down' && r.is_up) reasons.push('up, wanted down');
      if (p.max_errors !== null) {
        for (const counter of ['rx_errors', 'tx_errors', 'rx_crc_errors'] as const) {
          const value = r[counter];
          if (value !== null && value > p.max_errors) reasons.push(`${counter} ${value} > ${p.max_errors}`);
        }
      }
      if (p.require_description && !r.description.trim()) reasons.push('no description');
      return reasons.length ? { item: name, ok: false, reason: reasons.join(', ') } : { item: name, ok: true };
    });
    return verdict(items, { output: got.output, records: got.records as unknown as Record<string, unknown>[], data: { source: { kind: 'interfaces' }, command: got.command } }, 'no interface to check');
  },
});
