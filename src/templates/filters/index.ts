/**
 * Ansible's filters and tests for templates.
 * - `networkFilters`: the ansible.utils IP filters, available in every environment;
 * - `ansibleFilters` / `ansibleTests`: everything the `ansible` environment adds.
 * Each is registered under its short and its fully qualified name.
 */
import { type FilterFn, ipFilters, ipTests } from './ip/index.js';

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
const NETCOMMON_REDIRECTS = ['ipaddr', 'ipv4', 'ipv6', 'ipwrap', 'nthhost', 'next_nth_usable', 'previous_nth_usable', 'ipmath', 'ipsubnet', 'network_in_usable', 'network_in_network', 'cidr_merge', 'ip4_hex', 'hwaddr', 'macaddr'];

export const networkFilters: Record<string, FilterFn> = (() => {
  const out = qualified(ipFilters, 'ansible.utils');
  for (const name of NETCOMMON_REDIRECTS) out[`ansible.netcommon.${name}`] = ipFilters[name]!;
  return out;
})();

export const ansibleFilters: Record<string, FilterFn> = {
  ...networkFilters,
};

export const ansibleTests: Record<string, TestFn> = {
  ...qualified(ipTests, 'ansible.utils'),
};
