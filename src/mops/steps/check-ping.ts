import { z } from 'zod';
import type { CheckItem } from './types.js';
import { defineStep } from './types.js';
import { verdict } from '../checks/judge.js';
import type { PingRecord } from '../checks/types.js';

const params = z
  .object({
    targets: z.union([z.string(), z.array(z.string()).min(1)]).transform((v) => (Array.isArray(v) ? v : [v])),
    /** source address or interface */
    source: z.string().optional(),
    vrf: z.string().optional(),
    count: z.number().int().min(1).max(100).default(5),
    /** the lowest success rate (percent) that passes */
    min_success: z.number().min(0).max(100).default(100),
    /** `fail`: the targets must NOT answer (a filter, a removed path) */
    expect: z.enum(['success', 'fail']).default('success'),
  })
  .strict();

/** `check_ping`: the device pings each target (from a source, in a VRF) with a success-rate threshold. */
export const checkPingStep = defineStep({
  name: 'check_ping',
  description: 'the device pings targets with a success-rate threshold (source, VRF)',
  scope: 'device',
  readOnly: true,
  params,
  async run(p, ctx) {
    const { ping } = await import('../checks/index.js');
    const session = await ctx.session();
    const records: PingRecord[] = [];
    const outputs: string[] = [];
    const items: CheckItem[] = [];
    for (const target of p.targets) {
      const got = await ping(session, target, { ...(p.source ? { source: p.source } : {}), ...(p.vrf ? { vrf: p.vrf } : {}), count: p.count });
      const r = got.records[0]!;
      records.push(r);
      outputs.push(`${got.command}\n${got.output}`);
      const rate = `${r.success_rate}% (${r.received}/${r.probes_sent})`;
      if (p.expect === 'fail') items.push({ item: target, ok: r.received === 0, reason: r.received === 0 ? 'no answer, as expected' : `answered ${rate}, expected no answer` });
      else items.push({ item: target, ok: r.success_rate >= p.min_success, reason: r.success_rate >= p.min_success ? rate : `success ${rate}, below ${p.min_success}%` });
    }
    return verdict(items, { output: outputs.join('\n'), records: records as unknown as Record<string, unknown>[], data: { source: { kind: 'ping', targets: p.targets, vrf: p.vrf ?? null, source: p.source ?? null, count: p.count } } });
  },
});
