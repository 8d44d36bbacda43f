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
} from './ipaddr.js';
import { hwaddr, macaddr } from './mac.js';
import { ipTests } from './tests.js';

export type FilterFn = (value: unknown, ...args: unknown[]) => unknown;

export const ipFilters: Record<string, FilterFn> = {
  ipaddr: ipaddrFilter,
  ipv4: ipv4Filter,
  ipv6: ipv6Filter,
  ipwrap,
  nthhost,
  next_nth_usable: nextNthUsable,
  previous_nth_usable: previousNthUsable,
  ipmath,
  ipsubnet,
  network_in_usable: networkInUsable,
  network_in_network: networkInNetwork,
  cidr_merge: cidrMerge,
  ip4_hex: ip4Hex,
  hwaddr,
  macaddr,
};

export { ipTests };
