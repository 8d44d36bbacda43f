/**
 * YAML documents to Python values, as PyYAML gives them to Jinja2: `5.0` stays a float (PyFloat),
 * mappings keep their key order and key types (a Map when a key is not a plain non-numeric string,
 * since a JS object would move integer-like keys first).
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node as YNode, type ScalarTag, type Tags } from 'yaml';
import { PyFloat, newDict } from '../values.js';

export function yamlToPy(doc: Document, node: unknown = doc.contents, depth = 0): unknown {
  if (depth > 200) throw new Error('YAML nesting too deep');
  if (node === null || node === undefined) return null;
  if (isAlias(node)) return yamlToPy(doc, node.resolve(doc), depth + 1);
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number' && Number.isInteger(v)) {
      const src = (node as { source?: string }).source;
      if (typeof src === 'string' && /^[-+]?(\d[\d_]*)?\.|^[-+]?[\d_.]+[eE]/.test(src.trim()) && !/^[-+]?0[xo]/i.test(src.trim())) {
        return new PyFloat(v);
      }
    }
    if (typeof v === 'bigint') return Number(v);
    if (v instanceof Date) return (node as { source?: string }).source ?? v.toISOString();
    return v === undefined ? null : v;
  }
  if (isSeq(node)) return node.items.map((i) => yamlToPy(doc, i, depth + 1));
  if (isMap(node)) {
    const entries: [unknown, unknown][] = [];
    for (const pair of node.items) {
      const key = yamlToPy(doc, pair.key, depth + 1);
      if (key === '<<' && (isScalar(pair.key) ? (pair.key as { source?: string }).source === '<<' : false)) {
        const srcs = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const s of srcs) {
          const merged = yamlToPy(doc, s as YNode, depth + 1);
          if (merged && typeof merged === 'object') {
            const list = merged instanceof Map ? [...merged.entries()] : Object.entries(merged);
            for (const [k, v] of list) if (!entries.some(([ek]) => ek === k)) entries.push([k, v]);
          }
        }
        continue;
      }
      const value = yamlToPy(doc, pair.value, depth + 1);
      const at = entries.findIndex(([ek]) => ek === key);
      if (at >= 0) entries[at] = [key, value];
      else entries.push([key, value]);
    }
    return newDict(entries);
  }
  return null;
}

const PY_TRUE = /^(?:[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const PY_FALSE = /^(?:[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;

/**
 * `yaml` parse options for YAML 1.1 as PyYAML (and so Ansible) reads it: `yes`/`on` are booleans but,
 * unlike the `yaml` package's 1.1 schema, `y`/`n` stay strings; timestamps stay strings.
 */
export const PYYAML_11_OPTIONS = {
  version: '1.1' as const,
  customTags: (tags: Tags): Tags =>
    tags
      .filter((tag) => typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:timestamp')
      .map((tag) => {
        if (typeof tag === 'string' || tag.tag !== 'tag:yaml.org,2002:bool' || !('test' in tag) || !tag.test) return tag;
        const isTrue = tag.test.test('true');
        return { ...tag, test: isTrue ? PY_TRUE : PY_FALSE } as ScalarTag;
      }),
};
