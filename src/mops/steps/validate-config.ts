import { z } from 'zod';
import type { CheckItem } from './types.js';
import { defineStep } from './types.js';
import { pattern, regexProblems, verdict } from '../checks/judge.js';

const rule = z.union([
  z.string(),
  z
    .object({
      /** a regex over the running config (multi-line: ^ and $ match at each line) */
      pattern: z.string().min(1),
      /** true (default): the config must match; false: it must not */
      must_match: z.boolean().default(true),
      /** what the rule means, shown in results */
      description: z.string().optional(),
    })
    .strict(),
]);

const params = z.object({ patterns: z.array(rule).min(1) }).strict();

/** `validate_config`: regex patterns with must_match true|false against the running config. */
export const validateConfigStep = defineStep({
  name: 'validate_config',
  description: 'regex patterns that must (or must not) match the running config',
  scope: 'device',
  readOnly: true,
  params,
  check(p) {
    return regexProblems(p.patterns.map((entry) => (typeof entry === 'string' ? entry : entry.pattern)));
  },
  async run(p, ctx) {
    const config = await (await ctx.session()).runningConfig();
    const items: CheckItem[] = p.patterns.map((entry) => {
      const r = typeof entry === 'string' ? { pattern: entry, must_match: true } : entry;
      const m = pattern(r.pattern).exec(config);
      const item = 'description' in r && r.description ? r.description : `${r.must_match ? 'must' : 'must not'} match /${r.pattern}/`;
      if (r.must_match) return m ? { item, ok: true } : { item, ok: false, reason: 'no line of the running config matches' };
      return m ? { item, ok: false, reason: `found: ${(config.split('\n').find((l) => pattern(r.pattern).test(l)) ?? m[0]).trim().slice(0, 120)}` } : { item, ok: true };
    });
    return verdict(items, { output: config });
  },
});
