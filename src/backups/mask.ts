import { getPlatform, listPlatforms } from '../platforms/index.js';
import type { CleanupRule } from '../platforms/types.js';

const compiled = new Map<string, { pattern: RegExp; replace: string }[]>();

function rulesFor(platform: string | null): { pattern: RegExp; replace: string }[] {
  const key = platform ?? '*';
  let rules = compiled.get(key);
  if (!rules) {
    let source: CleanupRule[];
    try {
      source = platform ? (getPlatform(platform).backup?.secrets ?? []) : [];
    } catch {
      source = [];
    }
    // unknown or missing platform: every platform's rules, so nothing slips through
    if (source.length === 0) source = listPlatforms().flatMap((p) => p.backup?.secrets ?? []);
    rules = source.map((r) => ({ pattern: new RegExp(r.pattern, 'gm'), replace: r.replace }));
    compiled.set(key, rules);
  }
  return rules;
}

/**
 * Masks password hashes, SNMP communities and keys with the platform's rules (Oxidized's
 * remove_secret). Stored configs keep them, so a changed password still shows as a change;
 * everything that leaves the store passes through here unless the user asks for --reveal.
 */
export function maskSecrets(text: string, platform: string | null): string {
  let out = text;
  for (const rule of rulesFor(platform)) out = out.replace(rule.pattern, rule.replace);
  return out;
}

/** Masks unless `reveal` (or the backup.mask_secrets setting is off). */
export function outgoing(text: string, platform: string | null, options: { reveal?: boolean; maskSecrets: boolean }): string {
  return options.reveal || !options.maskSecrets ? text : maskSecrets(text, platform);
}

/** true when every masking rule of the platform looks at one line only (no '\n' in a pattern). */
export function lineLocalMasking(platform: string | null): boolean {
  return rulesFor(platform).every((r) => !r.pattern.source.includes('\\n'));
}
