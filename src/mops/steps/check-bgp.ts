import { z } from 'zod';
import type { CheckItem } from './types.js';
import { defineStep } from './types.js';
import { outOfBounds, verdict } from '../checks/judge.js';
import type { BgpNeighborRecord } from '../checks/types.js';

const STATES = ['established', 'idle', 'active', 'connect', 'opensent', 'openconfirm', 'admin-down', 'down'] as const;

const neighbour = z.union([
  z.string(),
  z
    .object({
      address: z.string(),
      state: z.enum(STATES).optional(),
      min_prefixes: z.number().int().nonnegative().optional(),
      max_prefixes: z.number().int().nonnegative().optional(),
    })
    .strict(),
]);

const params = z
  .object({
    vrf: z.string().default('default'),
    /** `all` (default) or the neighbours to check, by address (or {address, state, min_prefixes, max_prefixes}) */
    neighbors: z.union([z.literal('all'), z.array(neighbour).min(1)]).default('all'),
    /** the wanted state: established (default), admin-down, or down (anything but established) */
    state: z.enum(STATES).default('established'),
    /** bounds on received prefixes, for every established neighbour checked */
    min_prefixes: z.number().int().nonnegative().optional(),
    max_prefixes: z.number().int().nonnegative().optional(),
    /** with `neighbors: all`: administratively down neighbours pass (reported as such) instead of failing */
    allow_admin_down: z.boolean().default(false),
  })
  .strict();

function stateOk(record: BgpNeighborRecord, wanted: (typeof STATES)[number]): boolean {
  if (wanted === 'down') return !record.is_up;
  return record.state === wanted;
}

/**
 * `check_bgp`: neighbours (named or all, in a VRF) in the wanted state with received prefixes
 * within bounds. Administratively down is its own state: it is neither up nor an ordinary failure.
 */
export const checkBgpStep = defineStep({
  name: 'check_bgp',
  description: 'BGP neighbours in the wanted state, prefix counts within bounds (per VRF)',
  scope: 'device',
  readOnly: true,
  params,
  async run(p, ctx) {
    const { getBgpNeighbors } = await import('../checks/index.js');
    const got = await getBgpNeighbors(ctx.env, await ctx.session(), p.vrf);
    const byAddress = new Map(got.records.map((r) => [r.neighbor, r]));
    const wanted =
      p.neighbors === 'all'
        ? got.records.map((r) => ({ address: r.neighbor, state: p.state, min: p.min_prefixes, max: p.max_prefixes, named: false }))
        : p.neighbors.map((n) =>
            typeof n === 'string'
              ? { address: n, state: p.state, min: p.min_prefixes, max: p.max_prefixes, named: true }
              : { address: n.address, state: n.state ?? p.state, min: n.min_prefixes ?? p.min_prefixes, max: n.max_prefixes ?? p.max_prefixes, named: true },
          );
    const items: CheckItem[] = wanted.map((w) => {
      const item = `${w.address}${p.vrf !== 'default' ? ` (vrf ${p.vrf})` : ''}`;
      const r = byAddress.get(w.address);
      if (!r) return { item, ok: false, reason: `no such neighbour in ${p.vrf === 'default' ? 'the default VRF' : `vrf ${p.vrf}`}` };
      if (r.state === 'admin-down' && w.state !== 'admin-down' && w.state !== 'down') {
        if (!w.named && p.allow_admin_down) return { item, ok: true, reason: 'administratively down (allowed)' };
        return { item, ok: false, reason: `administratively down, wanted ${w.state}` };
      }
      if (!stateOk(r, w.state)) return { item, ok: false, reason: `state ${r.state}, wanted ${w.state}` };
      if (r.is_up && (w.min !== undefined || w.max !== undefined)) {
        if (r.received_prefixes === null) return { item, ok: false, reason: 'the device shows no prefix count' };
        const why = outOfBounds(r.received_prefixes, { ...(w.min !== undefined ? { min: w.min } : {}), ...(w.max !== undefined ? { max: w.max } : {}) }, 'received prefixes');
        if (why) return { item, ok: false, reason: why };
      }
      return { item, ok: true, reason: `${r.state}${r.received_prefixes !== null ? `, ${r.received_prefixes} prefixes` : ''}` };
    });
    return verdict(items, { output: got.output, records: got.records as unknown as Record<string, unknown>[], data: { source: { kind: 'bgp', vrf: p.vrf }, command: got.command } }, `no BGP neighbour in ${p.vrf === 'default' ? 'the default VRF' : `vrf ${p.vrf}`}`);
  },
});
