/**
 * Ansible's filters and tests for templates (ansible-core 2.14, ansible.utils as in Ansible 7.7).
 * - `networkFilters`: the ansible.utils IP filters, available in every environment;
 * - `ansibleFilters` / `ansibleTests`: everything the `ansible` environment adds.
 * Each is registered under its short and its fully qualified name. Filters take
 * `(value, ...args)`; nunjucks' keyword arguments arrive as a last object with `__keywords: true`.
 */
import { type FilterFn, ipFilters, ipTests } from './ip/index.js';
import {
  allTest,
  anyTest,
  b64decode,
  b64encode,
  checksum,
  combine,
  comment,
  containsTest,
  dict2items,
  falsyTest,
  flatten,
  hash,
  items2dict,
  jsonQuery,
  mandatory,
  passwordHash,
  quote,
  subsetTest,
  supersetTest,
  ternary,
  toBool,
  toUuid,
  truthyTest,
  typeDebug,
} from './misc.js';
import { matchTest, regexEscape, regexFindall, regexReplace, regexSearch, regexTest, searchTest } from './regex.js';
import {
  basename,
  combinations,
  difference,
  dirname,
  extract,
  intersect,
  log,
  pathJoin,
  permutations,
  pow,
  product,
  root,
  splitext,
  subelements,
  symmetricDifference,
  union,
  zip,
  zipLongest,
} from './collections.js';
import { fromJson, fromYaml, toJson, toNiceJson, toNiceYaml, toYaml } from './serialize.js';
import { versionTest } from './version.js';

export type { FilterFn };
export type TestFn = (value: unknown, ...args: unknown[]) => boolean;

function qualified<T>(map: Record<string, T>, ...prefixes: string[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [name, fn] of Object.entries(map)) {
    out[name] = fn;
    for (const p of prefixes) out[`${p}.${name}`] = fn;
  }
  return out;
}

/** ansible.netcommon kept these names as redirects to ansible.utils. */
const NETCOMMON_REDIRECTS = ['ipaddr', 'ipv4', 'ipv6', 'ipwrap', 'nthhost', 'next_nth_usable', 'previous_nth_usable', 'ipmath', 'ipsubnet', 'network_in_usable', 'network_in_network', 'cidr_merge', 'ip4_hex', 'hwaddr', 'macaddr', 'reduce_on_network', 'slaac'];

export const networkFilters: Record<string, FilterFn> = (() => {
  const out = qualified(ipFilters, 'ansible.utils');
  for (const name of NETCOMMON_REDIRECTS) out[`ansible.netcommon.${name}`] = ipFilters[name]!;
  return out;
})();

const builtinFilters: Record<string, FilterFn> = {
  to_json: toJson,
  to_nice_json: toNiceJson,
  to_yaml: toYaml,
  to_nice_yaml: toNiceYaml,
  from_json: fromJson,
  from_yaml: fromYaml,
  regex_replace: regexReplace,
  regex_search: regexSearch,
  regex_findall: regexFindall,
  regex_escape: regexEscape,
  b64encode,
  b64decode,
  hash,
  checksum,
  password_hash: passwordHash,
  mandatory,
  ternary,
  combine,
  dict2items,
  items2dict,
  bool: toBool,
  flatten,
  quote,
  comment,
  type_debug: typeDebug,
  to_uuid: toUuid,
  union,
  intersect,
  difference,
  symmetric_difference: symmetricDifference,
  zip,
  zip_longest: zipLongest,
  product,
  permutations,
  combinations,
  log,
  pow,
  root,
  subelements,
  extract,
  basename,
  dirname,
  splitext,
  path_join: pathJoin,
};

export const ansibleFilters: Record<string, FilterFn> = {
  ...networkFilters,
  ...qualified(builtinFilters, 'ansible.builtin'),
  json_query: jsonQuery,
  'community.general.json_query': jsonQuery,
};

const builtinTests: Record<string, TestFn> = {
  match: matchTest,
  search: searchTest,
  regex: regexTest,
  version: versionTest,
  version_compare: versionTest,
  subset: subsetTest,
  issubset: subsetTest,
  superset: supersetTest,
  issuperset: supersetTest,
  contains: containsTest,
  any: anyTest,
  all: allTest,
  truthy: truthyTest,
  falsy: falsyTest,
};

export const ansibleTests: Record<string, TestFn> = {
  ...qualified(ipTests, 'ansible.utils'),
  ...qualified(builtinTests, 'ansible.builtin'),
};
