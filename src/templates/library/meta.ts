import { readFileSync } from 'node:fs';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { nearest } from '../../core/suggest.js';
import type { TemplateEnvName } from '../engine/index.js';
import { TemplateMetaError } from './errors.js';

export const TEMPLATE_ENVS = ['jinja2', 'trim', 'ansible'] as const satisfies readonly TemplateEnvName[];
export const TEMPLATE_TYPES = ['deploy', 'delete', 'validation'] as const;

const templateName = z.string().trim().min(1, 'a template name');

/** The sidecar NAME.meta.yaml: everything about a template that must not sit inside it. */
const metaSchema = z
  .strictObject({
    description: z.string().optional(),
    type: z.enum(TEMPLATE_TYPES).optional(),
    platforms: z.array(z.string().trim().min(1)).optional(),
    delete: templateName.optional(),
    validation: templateName.optional(),
    owns: z.array(z.string().trim().min(1)).optional(),
    env: z.enum(TEMPLATE_ENVS).optional(),
  })
  .superRefine((meta, ctx) => {
    if (meta.type !== undefined && meta.type !== 'deploy') {
      for (const link of ['delete', 'validation'] as const) {
        if (meta[link] !== undefined) ctx.addIssue({ code: 'custom', path: [link], message: `only a deploy template links a ${link} template (this one is type ${meta.type})` });
      }
    }
  });

export type { TemplateEnvName };
export type TemplateType = (typeof TEMPLATE_TYPES)[number];

export interface TemplateMeta {
  description?: string;
  type?: TemplateType;
  /** platform names, as the inventory uses them */
  platforms: string[];
  /** for a deploy template: the template that removes what it adds */
  delete?: string;
  /** for a deploy template: the template that checks it is in place */
  validation?: string;
  /** config sections this template fully owns (stacks replace them as a whole) */
  owns: string[];
  /** the environment it is written for; --env overrides it */
  env?: TemplateEnvName;
}

const META_KEYS = ['description', 'type', 'platforms', 'delete', 'validation', 'owns', 'env'];

/** Reads and validates a sidecar file; errors name the file, line and column. */
export function readTemplateMeta(file: string, knownPlatforms?: readonly string[]): TemplateMeta {
  return parseTemplateMeta(readFileSync(file, 'utf8'), file, knownPlatforms);
}

export function parseTemplateMeta(text: string, file: string, knownPlatforms?: readonly string[]): TemplateMeta {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return { file };
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const [yamlError] = doc.errors;
  if (yamlError) throw new TemplateMetaError(at(yamlError.pos[0]), `invalid YAML: ${firstLine(yamlError.message)}`);
  const raw: unknown = doc.toJS() ?? {};
  const parsed = metaSchema.safeParse(raw);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    if (!issue) throw new TemplateMetaError({ file }, 'invalid metadata');
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] ?? '';
      const guess = nearest(key, META_KEYS);
      throw new TemplateMetaError(at(keyOffset(doc, path, key)), `unknown key '${key}'`, guess ? `did you mean '${guess}'?` : `allowed keys: ${META_KEYS.join(', ')}`);
    }
    const where = path.length > 0 ? `'${path.join('.')}': ` : '';
    throw new TemplateMetaError(at(valueOffset(doc, path)), `${where}${issue.message}`);
  }
  const meta = parsed.data;
  if (knownPlatforms) {
    (meta.platforms ?? []).forEach((platform, index) => {
      if (!knownPlatforms.includes(platform.toLowerCase())) {
        const guess = nearest(platform, knownPlatforms);
        throw new TemplateMetaError(at(valueOffset(doc, ['platforms', index])), `unknown platform '${platform}'`, guess ? `did you mean '${guess}'?` : "run 'netstacks platforms' to see them");
      }
    });
  }
  return {
    ...(meta.description !== undefined ? { description: meta.description } : {}),
    ...(meta.type !== undefined ? { type: meta.type } : {}),
    platforms: meta.platforms ?? [],
    ...(meta.delete !== undefined ? { delete: meta.delete } : {}),
    ...(meta.validation !== undefined ? { validation: meta.validation } : {}),
    owns: meta.owns ?? [],
    ...(meta.env !== undefined ? { env: meta.env } : {}),
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function valueOffset(doc: Document, path: readonly (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = (depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true)) as YamlNode | null | undefined;
    if (node && node.range) return node.range[0];
  }
  return undefined;
}

function keyOffset(doc: Document, path: readonly (string | number)[], key: string): number | undefined {
  const map = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (isMap(map)) {
    for (const pair of map.items) {
      if (isScalar(pair.key) && pair.key.value === key && pair.key.range) return pair.key.range[0];
    }
  }
  return valueOffset(doc, path);
}
