import { z } from 'zod';
import type { CheckItem } from './types.js';
import { defineStep } from './types.js';
import { verdict } from '../checks/judge.js';

const cidr = z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, 'a prefix in CIDR form, e.g. 10.0.0.0/24');
const present = z.union([
  cidr,
  z
    .object({
      prefix: cidr,
      /** one of the route's next hops must be this (or one of these) */
      next_hop: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
      /** connected, static, bgp, ospf, … */
      protocol: z.string().optional(),
    })
    .strict(),
]);

const params = z
  .object({
    vrf: z.string().default('default'),
    present: z.array(present).default([]),
    absent: z.array(cidr).default([]),
  })
  .strict()
  .refine((p) => p.present.length + p.absent.length > 0, 'give present or absent prefixes');

/** `check_routing`: prefixes present (with a next hop, a protocol) or absent in a VRF's IPv4 table. */
export const checkRoutingStep = defineStep({
  name: 'check_routing',
  description: 'prefixes present or absent in the routing table, with next hop (per VRF)',
  scope: 'device',
  readOnly: true,
  params,
  async run(p, ctx) {
    const { getRoutes } = await import('../checks/index.js');
    const got = await getRoutes(ctx.env, await ctx.session(), p.vrf);
    const routes = got.records.filter((r) => r.vrf === p.vrf);
    const items: CheckItem[] = [];
    for (const entry of p.present) {
      const want = typeof entry === 'string' ? { prefix: entry } : entry;
      const hits = routes.filter((r) => r.prefix === want.prefix);
      const item = `${want.prefix} present`;
      if (hits.length === 0) {
        items.push({ item, ok: false, reason: `not in ${p.vrf === 'default' ? 'the routing table' : `vrf ${p.vrf}`}` });
        continue;
      }
      const hops = want.next_hop === undefined ? undefined : Array.isArray(want.next_hop) ? want.next_hop : [want.next_hop];
      if (hops && !hits.some((r) => r.next_hop !== null && hops.includes(r.next_hop))) {
        items.push({ item, ok: false, reason: `next hop ${hits.map((r) => r.next_hop ?? r.outgoing_interface ?? 'none').join(', ')}, wanted ${hops.join(' or ')}` });
        continue;
      }
      if (want.protocol && !hits.some((r) => r.protocol === want.protocol!.toLowerCase())) {
        items.push({ item, ok: false, reason: `protocol ${hits.map((r) => r.protocol ?? '?').join(', ')}, wanted ${want.protocol}` });
        continue;
      }
      items.push({ item, ok: true, reason: `via ${hits.map((r) => r.next_hop ?? r.outgoing_interface ?? r.protocol).join(', ')}` });
    }
    for (const prefix of p.absent) {
      const hit = routes.find((r) => r.prefix === prefix);
      items.push({ item: `${prefix} absent`, ok: !hit, ...(hit ? { reason: `present (${hit.protocol ?? 'route'} via ${hit.next_hop ?? hit.outgoing_interface ?? '?'})` } : {}) });
    }
    return verdict(items, { output: got.output, records: got.records as unknown as Record<string, unknown>[], data: { source: { kind: 'routes', vrf: p.vrf }, command: got.command } });
  },
});
