import { z } from 'zod';
import type { CheckItem } from './types.js';
import { defineStep } from './types.js';
import { bounds, oneOrMany, outOfBounds, pattern, regexProblems, valueMatches, verdict } from '../checks/judge.js';

const where = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const params = z
  .object({
    /** one show command or several, run in order on the device's session */
    command: oneOrMany,
    /** every string must appear in the output */
    contains: oneOrMany.optional(),
    /** no string may appear */
    not_contains: oneOrMany.optional(),
    /** every regex must match somewhere (multi-line) */
    regex: oneOrMany.optional(),
    /** how many times a regex matches */
    count: z.object({ pattern: z.string() }).and(bounds).optional(),
    /** parse the output into records (TextFSM; `native: true` prefers the platform's JSON) */
    parse: z.boolean().default(false),
    native: z.boolean().default(false),
    /** with parse: this TextFSM template file instead of the index */
    template: z.string().optional(),
    /** with parse: assertions on the records */
    records: z
      .object({
        /** only records whose fields match these (literal, case-insensitive, or /regex/) */
        where: where.optional(),
        /** how many (after `where`) */
        count: bounds.optional(),
        /** every record (after `where`) has these values */
        all: where.optional(),
        /** no record (after `where`) has these values */
        none: where.optional(),
      })
      .strict()
      .optional(),
    /** regexes with named groups ((?<name>…) or (?P<name>…)): each group becomes a capture */
    capture: oneOrMany.optional(),
    /** captures from records: name → field (of the first record matching `where`), or {field, where, all} */
    capture_records: z
      .record(z.string(), z.union([z.string(), z.object({ field: z.string(), where: where.optional(), all: z.boolean().default(false) }).strict()]))
      .optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.records || p.capture_records) && !p.parse) ctx.addIssue({ code: 'custom', message: 'records and capture_records need parse: true' });
  });

function filterRecords(records: Record<string, unknown>[], filter: Record<string, unknown> | undefined): Record<string, unknown>[] {
  if (!filter) return records;
  return records.filter((r) => Object.entries(filter).every(([k, v]) => valueMatches(r[k.toLowerCase()], v)));
}

/**
 * `command` (`run_command`): show commands on the device, judged on their text or parsed records;
 * named values captured for later steps. Retries and `until` are the engine's.
 */
export const commandStep = defineStep({
  name: 'command',
  aliases: ['run_command'],
  description: 'run show commands; assert on the text or parsed records; capture values',
  scope: 'device',
  readOnly: true,
  params,
  check(p) {
    return regexProblems([...(p.regex ?? []), ...(p.capture ?? []), ...(p.count ? [p.count.pattern] : [])]);
  },
  async run(p, ctx) {
    const session = await ctx.session();
    const outputs: string[] = [];
    const records: Record<string, unknown>[] = [];
    for (const command of p.command) {
      if (p.parse) {
        const { runParsed } = await import('../checks/fetch.js');
        const parsed = await runParsed(ctx.env, session, command, { native: p.native, ...(p.template ? { templateFile: p.template } : {}) });
        outputs.push(parsed.output);
        records.push(...(parsed.records as Record<string, unknown>[]));
      } else {
        outputs.push((await session.send(command)).output);
      }
    }
    const output = outputs.join('\n');
    const items: CheckItem[] = [];
    for (const s of p.contains ?? []) items.push({ item: `contains '${s}'`, ok: output.includes(s), ...(output.includes(s) ? {} : { reason: 'not in the output' }) });
    for (const s of p.not_contains ?? []) items.push({ item: `not_contains '${s}'`, ok: !output.includes(s), ...(output.includes(s) ? { reason: `found: ${lineWith(output, s)}` } : {}) });
    for (const r of p.regex ?? []) {
      const ok = pattern(r).test(output);
      items.push({ item: `regex /${r}/`, ok, ...(ok ? {} : { reason: 'no match in the output' }) });
    }
    if (p.count) {
      const n = [...output.matchAll(pattern(p.count.pattern, 'gm'))].length;
      const why = outOfBounds(n, p.count, 'match count');
      items.push({ item: `count /${p.count.pattern}/`, ok: !why, ...(why ? { reason: why } : {}) });
    }
    if (p.records) {
      const selected = filterRecords(records, p.records.where);
      if (p.records.count) {
        const why = outOfBounds(selected.length, p.records.count, 'record count');
        items.push({ item: 'record count', ok: !why, ...(why ? { reason: why } : {}) });
      }
      if (p.records.all) {
        selected.forEach((r, i) => {
          const bad = Object.entries(p.records!.all!).filter(([k, v]) => !valueMatches(r[k.toLowerCase()], v));
          items.push({ item: `record ${i + 1}`, ok: bad.length === 0, ...(bad.length ? { reason: bad.map(([k, v]) => `${k} is '${String(r[k.toLowerCase()] ?? '')}', wanted '${String(v)}'`).join(', ') } : {}) });
        });
        if (selected.length === 0) items.push({ item: 'records', ok: false, reason: 'no record to check' });
      }
      if (p.records.none) {
        const hits = filterRecords(selected, p.records.none);
        items.push({ item: `no record with ${JSON.stringify(p.records.none)}`, ok: hits.length === 0, ...(hits.length ? { reason: `${hits.length} record(s) match: ${JSON.stringify(hits[0])}` } : {}) });
      }
    }

    const captures: Record<string, unknown> = {};
    for (const source of p.capture ?? []) {
      const m = pattern(source).exec(output);
      const names = [...source.matchAll(/\(\?P?<([A-Za-z_]\w*)>/g)].map((g) => g[1]!);
      for (const name of names) {
        const value = m?.groups?.[name];
        if (value === undefined) items.push({ item: `capture ${name}`, ok: false, reason: `/${source}/ did not match` });
        else captures[name] = value;
      }
    }
    for (const [name, spec] of Object.entries(p.capture_records ?? {})) {
      const { field, where: filter, all } = typeof spec === 'string' ? { field: spec, where: undefined, all: false } : spec;
      const selected = filterRecords(records, filter);
      const values = selected.map((r) => r[field.toLowerCase()]);
      if (all) captures[name] = values;
      else if (values.length === 0 || values[0] === undefined) items.push({ item: `capture ${name}`, ok: false, reason: `no record${filter ? ` matching ${JSON.stringify(filter)}` : ''} has '${field}'` });
      else captures[name] = values[0];
    }

    const extra = { output, ...(p.parse ? { records } : {}), ...(Object.keys(captures).length ? { captures } : {}), data: { source: { kind: 'command', command: p.command, parse: p.parse, native: p.native, ...(p.template ? { template: p.template } : {}) } } };
    if (items.length === 0) return { status: 'passed', message: `${p.command.length} command(s) ran`, ...extra };
    return verdict(items, extra);
  },
});

function lineWith(output: string, s: string): string {
  return (output.split('\n').find((l) => l.includes(s)) ?? s).trim().slice(0, 120);
}
