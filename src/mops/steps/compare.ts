import { z } from 'zod';
import type { CheckItem, StepContext } from './types.js';
import { defineStep } from './types.js';
import { earlierStep, verdict } from '../checks/judge.js';

type Rec = Record<string, unknown>;

const tolerance = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?%$/, "a number or a percentage like '10%'")]);

const params = z
  .object({
    /** the earlier step whose records are the baseline (steps.<id>.records) */
    baseline: z.string().min(1),
    /** a later step whose records are compared; without it this step fetches them again the way the baseline step did */
    current: z.string().optional(),
    /** fields that identify a record (default by kind: vrf+neighbor, interface, vrf+prefix+next_hop, destination) */
    key: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    /** fields compared (default by kind; records of a `command`/`parse` step: every field but the key) */
    fields: z.array(z.string()).min(1).optional(),
    /** cumulative counters: judged by their increase, not their value (default for interfaces: the packet and error counters) */
    counters: z.array(z.string()).optional(),
    /** allowed change per field: an absolute number or a percentage of the baseline ('10%'); counters: the allowed increase */
    tolerances: z.record(z.string(), tolerance).default({}),
    /** a baseline record missing now: fail (default) or ignore */
    missing: z.enum(['fail', 'ignore']).default('fail'),
    /** a record not in the baseline: ignore (default) or fail */
    added: z.enum(['fail', 'ignore']).default('ignore'),
  })
  .strict();

type Kind = 'bgp' | 'interfaces' | 'routes' | 'ping' | 'records';

const DEFAULTS: Record<Exclude<Kind, 'records'>, { key: string[]; fields: string[]; counters: string[] }> = {
  bgp: { key: ['vrf', 'neighbor'], fields: ['state', 'is_up', 'received_prefixes'], counters: [] },
  interfaces: { key: ['interface'], fields: ['is_up', 'is_enabled', 'rx_errors', 'tx_errors', 'rx_crc_errors'], counters: ['rx_errors', 'tx_errors', 'rx_crc_errors', 'rx_packets', 'tx_packets'] },
  routes: { key: ['vrf', 'prefix', 'next_hop'], fields: ['protocol', 'outgoing_interface'], counters: [] },
  ping: { key: ['destination'], fields: ['success_rate'], counters: [] },
};

/** What kind of records these are: from the step's data, else from their fields. */
function kindOf(step: { data?: Rec } | undefined, records: Rec[]): Kind {
  const source = (step?.data?.source as { kind?: string } | undefined)?.kind;
  if (source === 'bgp' || source === 'interfaces' || source === 'routes' || source === 'ping') return source;
  const first = records[0] ?? {};
  if ('neighbor' in first && 'is_up' in first) return 'bgp';
  if ('interface' in first && 'rx_errors' in first) return 'interfaces';
  if ('prefix' in first && 'next_hop' in first) return 'routes';
  if ('destination' in first && 'success_rate' in first) return 'ping';
  return 'records';
}

/** Fetches records again the way the baseline step got them. */
async function refetch(ctx: StepContext, source: Rec | undefined): Promise<{ records: Rec[]; output: string }> {
  const kind = source?.kind;
  const session = await ctx.session();
  const checks = await import('../checks/index.js');
  const vrf = typeof source?.vrf === 'string' ? source.vrf : 'default';
  if (kind === 'bgp') {
    const got = await checks.getBgpNeighbors(ctx.env, session, vrf);
    return { records: got.records as unknown as Rec[], output: got.output };
  }
  if (kind === 'interfaces') {
    const got = await checks.getInterfaces(ctx.env, session);
    return { records: got.records as unknown as Rec[], output: got.output };
  }
  if (kind === 'routes') {
    const got = await checks.getRoutes(ctx.env, session, vrf);
    return { records: got.records as unknown as Rec[], output: got.output };
  }
  if (kind === 'ping') {
    const records: Rec[] = [];
    const outputs: string[] = [];
    for (const target of (source?.targets as string[] | undefined) ?? []) {
      const got = await checks.ping(session, target, { ...(typeof source?.vrf === 'string' ? { vrf: source.vrf } : {}), ...(typeof source?.source === 'string' ? { source: source.source } : {}), ...(typeof source?.count === 'number' ? { count: source.count } : {}) });
      records.push(...(got.records as unknown as Rec[]));
      outputs.push(got.output);
    }
    return { records, output: outputs.join('\n') };
  }
  if (kind === 'command' && source?.parse) {
    const records: Rec[] = [];
    const outputs: string[] = [];
    for (const command of (source.command as string[] | undefined) ?? []) {
      const parsed = await checks.runParsed(ctx.env, session, command, { native: Boolean(source.native), ...(typeof source.template === 'string' ? { templateFile: source.template } : {}) });
      records.push(...(parsed.records as Rec[]));
      outputs.push(parsed.output);
    }
    return { records, output: outputs.join('\n') };
  }
  throw new Error('the baseline step kept no way to fetch its records again: name a later step with `current`');
}

const show = (v: unknown) => (v === null || v === undefined ? 'none' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.replace(/,/g, '')) ? Number(v.replace(/,/g, '')) : undefined);

function allowed(tol: number | string | undefined, base: number): number {
  if (tol === undefined) return 0;
  if (typeof tol === 'number') return tol;
  return (Math.abs(base) * Number(tol.slice(0, -1))) / 100;
}

/**
 * `compare`: records of a later step (or fetched again now) against an earlier step's, keyed by
 * interface, neighbour or prefix, with tolerances. Cumulative counters are judged by how much they
 * rose since the baseline (a counter that went down was cleared: its value is the rise).
 */
export const compareStep = defineStep({
  name: 'compare',
  description: "records against an earlier step's, keyed, with tolerances; counters judged by their increase",
  scope: 'device',
  readOnly: true,
  params,
  async run(p, ctx) {
    const base = earlierStep(ctx, p.baseline);
    if (!base?.records) return { status: 'failed', message: `step '${p.baseline}' has no records for ${ctx.device?.name ?? 'this device'} (did it run, and does it keep records?)` };
    let current: Rec[];
    let output = '';
    if (p.current) {
      const later = earlierStep(ctx, p.current);
      if (!later?.records) return { status: 'failed', message: `step '${p.current}' has no records for ${ctx.device?.name ?? 'this device'}` };
      current = later.records;
    } else {
      const got = await refetch(ctx, base.data?.source as Rec | undefined);
      current = got.records;
      output = got.output;
    }
    const kind = kindOf(base, base.records);
    const defaults = kind === 'records' ? undefined : DEFAULTS[kind];
    const key = p.key === undefined ? defaults?.key : Array.isArray(p.key) ? p.key : [p.key];
    if (!key) return { status: 'failed', message: `the records of '${p.baseline}' are not of a known kind: give \`key\` (and \`fields\`)` };
    const counters = new Set(p.counters ?? defaults?.counters ?? []);
    const keyOf = (r: Rec) => key.map((k) => show(r[k])).join(' ');
    const before = new Map(base.records.map((r) => [keyOf(r), r]));
    const after = new Map(current.map((r) => [keyOf(r), r]));
    const fieldsFor = (r: Rec) => p.fields ?? defaults?.fields ?? Object.keys(r).filter((f) => !key.includes(f));

    const items: CheckItem[] = [];
    for (const [k, old] of before) {
      const now = after.get(k);
      if (!now) {
        items.push({ item: k, ok: p.missing === 'ignore', reason: p.missing === 'ignore' ? 'gone (ignored)' : 'gone since the baseline' });
        continue;
      }
      const reasons: string[] = [];
      for (const f of fieldsFor(old)) {
        const a = old[f];
        const b = now[f];
        const na = asNumber(a);
        const nb = asNumber(b);
        if (counters.has(f) && na !== undefined && nb !== undefined) {
          const rise = nb >= na ? nb - na : nb;
          const limit = allowed(p.tolerances[f], na);
          if (rise > limit) reasons.push(`${f} rose by ${rise} (${na} → ${nb}), allowed ${limit}`);
        } else if (na !== undefined && nb !== undefined) {
          const limit = allowed(p.tolerances[f], na);
          if (Math.abs(nb - na) > limit) reasons.push(`${f} ${na} → ${nb}${limit ? ` (allowed ±${limit})` : ''}`);
        } else if (show(a) !== show(b)) {
          reasons.push(`${f} ${show(a)} → ${show(b)}`);
        }
      }
      items.push(reasons.length ? { item: k, ok: false, reason: reasons.join(', ') } : { item: k, ok: true });
    }
    for (const k of after.keys()) {
      if (!before.has(k)) items.push({ item: k, ok: p.added === 'ignore', reason: p.added === 'ignore' ? 'new (ignored)' : 'not in the baseline' });
    }
    return verdict(items, { ...(output ? { output } : {}), records: current, data: { baseline: p.baseline, kind, key } }, `step '${p.baseline}' kept no records to compare`);
  },
});
