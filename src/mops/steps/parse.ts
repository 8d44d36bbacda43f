import { z } from 'zod';
import { defineStep } from './types.js';

const params = z
  .object({
    /** the show command to run and parse */
    command: z.string().min(1),
    /** a TextFSM template file instead of the index (user folder, ntc-templates, built-in) */
    template: z.string().optional(),
    /** prefer the platform's native JSON (EOS/NX-OS `| json`, Junos `| display json`) */
    native: z.boolean().default(false),
    /** fail when the command parses into no record */
    require_records: z.boolean().default(false),
  })
  .strict();

/**
 * `parse` (`get_config` with TextFSM): run one command, parse it, and keep the records as
 * steps.<id>.records for later steps (`compare`, `when`, templates).
 */
export const parseStep = defineStep({
  name: 'parse',
  aliases: ['get_config'],
  description: 'run a command and keep its parsed records for later steps',
  scope: 'device',
  readOnly: true,
  params,
  async run(p, ctx) {
    const { runParsed } = await import('../checks/fetch.js');
    const parsed = await runParsed(ctx.env, await ctx.session(), p.command, { native: p.native, ...(p.template ? { templateFile: p.template } : {}) });
    const records = parsed.records as Record<string, unknown>[];
    const data = { source: { kind: 'command', command: [p.command], parse: true, native: p.native, ...(p.template ? { template: p.template } : {}) }, parser: parsed.source };
    if (p.require_records && records.length === 0) return { status: 'failed', message: `'${p.command}' parsed into no record`, output: parsed.output, records, data };
    return { status: 'passed', message: `${records.length} record(s) from '${p.command}'`, output: parsed.output, records, data };
  },
});
