import { ValidationError } from '../../core/errors.js';
import { nearest } from '../../core/suggest.js';
import type { MopInput, MopStrategy } from '../file.js';

/**
 * Input values for a run: given ones (--var strings, --vars YAML values) coerced to their declared
 * type, defaults for the rest; a required input without a value, an unknown name, a value of the
 * wrong type or outside `choices` is an error (exit 4) before anything runs.
 */
export function resolveInputs(defs: Record<string, MopInput>, given: Record<string, unknown> = {}, mopName = 'MOP'): Record<string, unknown> {
  const names = Object.keys(defs);
  for (const name of Object.keys(given)) {
    if (!(name in defs)) {
      const guess = nearest(name, names);
      throw new ValidationError(`${mopName} has no input '${name}'`, guess ? `did you mean '${guess}'?` : names.length ? `inputs: ${names.join(', ')}` : 'this MOP takes no inputs');
    }
  }
  const out: Record<string, unknown> = {};
  for (const [name, def] of Object.entries(defs)) {
    const raw = given[name] !== undefined ? given[name] : def.default;
    if (raw === undefined || raw === null) {
      if (def.required) throw new ValidationError(`input '${name}' is required${def.description ? ` (${def.description})` : ''}`, `give it with --var ${name}=… or --vars FILE`);
      continue;
    }
    const value = coerce(name, def.type, raw);
    if (def.choices && !def.choices.some((c) => JSON.stringify(c) === JSON.stringify(value))) {
      throw new ValidationError(`input '${name}' must be one of ${def.choices.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(value)}`);
    }
    out[name] = value;
  }
  return out;
}

const TRUE = new Set(['true', 'yes', 'on', '1', 'y']);
const FALSE = new Set(['false', 'no', 'off', '0', 'n']);

function coerce(name: string, type: MopInput['type'], raw: unknown): unknown {
  const bad = (what: string): never => {
    throw new ValidationError(`input '${name}' must be ${what}, got ${JSON.stringify(raw)}`);
  };
  switch (type) {
    case 'string':
      if (typeof raw === 'string') return raw;
      if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
      return bad('a string');
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
      return Number.isFinite(n) ? n : bad('a number');
    }
    case 'boolean':
      if (typeof raw === 'boolean') return raw;
      if (typeof raw === 'string' && TRUE.has(raw.toLowerCase())) return true;
      if (typeof raw === 'string' && FALSE.has(raw.toLowerCase())) return false;
      return bad('true or false');
    case 'list':
      if (Array.isArray(raw)) return raw;
      if (typeof raw === 'string') {
        const text = raw.trim();
        if (text.startsWith('[')) {
          try {
            const parsed: unknown = JSON.parse(text);
            if (Array.isArray(parsed)) return parsed;
          } catch {
            return bad('a list (JSON, or comma-separated)');
          }
        }
        return text === '' ? [] : text.split(',').map((s) => s.trim());
      }
      return bad('a list');
    case 'dict':
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) return raw;
      if (typeof raw === 'string') {
        try {
          const parsed: unknown = JSON.parse(raw);
          if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed;
        } catch {
          // fall through
        }
      }
      return bad('a mapping (JSON object with --var)');
  }
}

/** The CI job running this, from the usual CI variables; undefined outside CI. */
export function ciJobFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GITHUB_RUN_ID) return `github:${env.GITHUB_REPOSITORY ? `${env.GITHUB_REPOSITORY}/` : ''}${env.GITHUB_RUN_ID}${env.GITHUB_JOB ? `/${env.GITHUB_JOB}` : ''}`;
  if (env.CI_JOB_ID) return `gitlab:${env.CI_PROJECT_PATH ? `${env.CI_PROJECT_PATH}/` : ''}${env.CI_JOB_ID}`;
  if (env.BUILD_TAG) return `jenkins:${env.BUILD_TAG}`;
  if (env.CIRCLE_BUILD_NUM) return `circleci:${env.CIRCLE_BUILD_NUM}`;
  if (env.BUILDKITE_BUILD_ID) return `buildkite:${env.BUILDKITE_BUILD_ID}`;
  if (env.SYSTEM_JOBID) return `azure:${env.SYSTEM_JOBID}`;
  if (env.BITBUCKET_BUILD_NUMBER) return `bitbucket:${env.BITBUCKET_BUILD_NUMBER}`;
  if (env.CI && env.CI !== 'false' && env.CI !== '0') return 'ci';
  return undefined;
}

function countOf(value: number | string, total: number, round: (n: number) => number): number {
  if (typeof value === 'number') return value;
  return round((Number.parseFloat(value) / 100) * total);
}

/** Devices in strategy batches: one batch for serial/parallel; the canary first, then batches of a size or share. */
export function strategyBatches(strategy: MopStrategy, devices: readonly string[]): string[][] {
  if (devices.length === 0) return [];
  if (strategy.type !== 'canary') return [[...devices]];
  const batches: string[][] = [devices.slice(0, strategy.first)];
  const size = Math.max(1, countOf(strategy.batch, devices.length, Math.ceil));
  for (let i = strategy.first; i < devices.length; i += size) batches.push(devices.slice(i, i + size));
  return batches.filter((b) => b.length > 0);
}

/** How many failed devices a canary tolerates before it stops starting new ones. */
export function failureThreshold(strategy: MopStrategy, total: number): number {
  if (strategy.type !== 'canary') return Infinity;
  return countOf(strategy.max_failures, total, Math.floor);
}

/** Parallelism within a batch. */
export function batchConcurrency(strategy: MopStrategy, batchSize: number, override: number | undefined, settingsConcurrency: number): number {
  if (override !== undefined) return Math.max(1, override);
  switch (strategy.type) {
    case 'serial':
      return 1;
    case 'parallel':
      return strategy.limit ?? settingsConcurrency;
    case 'canary':
      return strategy.limit ?? batchSize;
  }
}
