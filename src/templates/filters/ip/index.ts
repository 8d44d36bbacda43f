/** The ansible.utils IP filters and tests, by their short names. */
import {
  cidrMerge,
  ip4Hex,
  ipaddrFilter,
  ipmath,
  ipsubnet,
  ipv4Filter,
  ipv6Filter,
  ipwrap,
  networkInNetwork,
  networkInUsable,
  nextNthUsable,
  nthhost,
  previousNthUsable,
  reduceOnNetwork,
} from './ipaddr.js';
import { hwaddr, macaddr, slaac } from './mac.js';
import { ipTests as rawIpTests } from './tests.js';
import { PyKwargs } from '../../values.js';
import { bind } from '../regex.js';

export type FilterFn = (value: unknown, ...args: unknown[]) => unknown;

/**
 * Accept keyword arguments (`ipsubnet(24, index=3)`): bind them to the plugin's parameter names and
 * call the positional implementation. The common positional-only call stays a direct call.
 */
function withKeywords<F extends (value: unknown, ...args: never[]) => unknown>(name: string, params: string[], fn: F): FilterFn {
  const call = fn as unknown as (value: unknown, ...args: unknown[]) => unknown;
  return (value: unknown, ...args: unknown[]): unknown => {
    const lastArg = args[args.length - 1];
    const hasKw = lastArg instanceof PyKwargs || (typeof lastArg === 'object' && lastArg !== null && (lastArg as Record<string, unknown>).__keywords === true);
    if (!hasKw) return call(value, ...args);
    const bound = bind(name, params, args);
    const positional: unknown[] = [];
    for (const p of params) positional.push(p in bound ? bound[p] : undefined);
    while (positional.length && positional[positional.length - 1] === undefined) positional.pop();
    return call(value, ...positional);
  };
}

export const ipFilters: Record<string, FilterFn> = {
  ipaddr: withKeywords('ipaddr', ['query', 'version'], ipaddrFilter),
  ipv4: withKeywords('ipv4', ['query'], ipv4Filter),
  ipv6: withKeywords('ipv6', ['query'], ipv6Filter),
  ipwrap: withKeywords('ipwrap', ['query'], ipwrap),
  nthhost: withKeywords('nthhost', ['query'], nthhost),
  next_nth_usable: withKeywords('next_nth_usable', ['offset'], nextNthUsable),
  previous_nth_usable: withKeywords('previous_nth_usable', ['offset'], previousNthUsable),
  ipmath: withKeywords('ipmath', ['amount'], ipmath),
  ipsubnet: withKeywords('ipsubnet', ['query', 'index'], ipsubnet),
  network_in_usable: withKeywords('network_in_usable', ['test'], networkInUsable),
  network_in_network: withKeywords('network_in_network', ['test'], networkInNetwork),
  cidr_merge: withKeywords('cidr_merge', ['action'], cidrMerge),
  ip4_hex: withKeywords('ip4_hex', ['delimiter'], ip4Hex),
  hwaddr: withKeywords('hwaddr', ['query'], hwaddr),
  macaddr: withKeywords('macaddr', ['query'], macaddr),
  reduce_on_network: withKeywords('reduce_on_network', ['network'], reduceOnNetwork),
  slaac: withKeywords('slaac', ['query'], slaac),
};

const TEST_PARAMS: Record<string, string[]> = {
  in_network: ['network'],
  in_any_network: ['networks'],
  in_one_network: ['networks'],
  subnet_of: ['network_b'],
  supernet_of: ['network_b'],
};

export const ipTests: Record<string, (value: unknown, ...args: unknown[]) => boolean> = Object.fromEntries(
  Object.entries(rawIpTests).map(([name, fn]) => [name, withKeywords(name, TEST_PARAMS[name] ?? [], fn) as (value: unknown, ...args: unknown[]) => boolean]),
);
