import { BlockList, isIPv4, isIPv6 } from 'node:net';

/**
 * Which kind of network an IP address belongs to, so outbound calls chosen by a caller (push
 * notification URLs, webhooks) cannot be aimed at us or our neighbours. Pure: no I/O.
 */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'multicast' | 'unspecified' | 'reserved';

export interface AddressVerdict {
  /** The address as given (IPv6 without brackets). */
  address: string;
  class: AddressClass;
  /** The IPv4 address an IPv6 form carries (mapped, compatible, NAT64, 6to4), which decided the class. */
  embedded?: { ipv4: string; form: EmbeddedForm };
}

export type EmbeddedForm = 'IPv4-mapped' | 'IPv4-translated' | 'IPv4-compatible' | 'NAT64' | '6to4';

type Ranges = [AddressClass, string, number][];

const V4: Ranges = [
  ['unspecified', '0.0.0.0', 32],
  // The rest of 0.0.0.0/8 ("this network"): Linux connects 0.x.y.z to the local host.
  ['reserved', '0.0.0.0', 8],
  ['loopback', '127.0.0.0', 8],
  ['private', '10.0.0.0', 8],
  ['private', '172.16.0.0', 12],
  ['private', '192.168.0.0', 16],
  ['private', '100.64.0.0', 10], // carrier-grade NAT (shared address space)
  ['link-local', '169.254.0.0', 16],
  ['multicast', '224.0.0.0', 4],
  ['reserved', '255.255.255.255', 32], // broadcast
  ['reserved', '240.0.0.0', 4],
  ['reserved', '192.0.0.0', 24], // IETF protocol assignments
  ['reserved', '192.0.2.0', 24], // documentation
  ['reserved', '198.51.100.0', 24],
  ['reserved', '203.0.113.0', 24],
  ['reserved', '198.18.0.0', 15], // benchmarking
];

const V6: Ranges = [
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  ['private', 'fc00::', 7], // unique local
  ['private', 'fec0::', 10], // site-local (deprecated, still routed inside some networks)
  ['private', '64:ff9b:1::', 48], // local-use NAT64
  ['link-local', 'fe80::', 10],
  ['multicast', 'ff00::', 8],
  ['reserved', '100::', 64], // discard
  ['reserved', '2001:db8::', 32], // documentation
];

/** One BlockList per class, checked in the order the ranges are listed (narrowest first). */
function listsOf(ranges: Ranges, family: 'ipv4' | 'ipv6'): [AddressClass, BlockList][] {
  return ranges.map(([cls, network, prefix]) => {
    const list = new BlockList();
    list.addSubnet(network, prefix, family);
    return [cls, list];
  });
}
const V4_LISTS = listsOf(V4, 'ipv4');
const V6_LISTS = listsOf(V6, 'ipv6');

/** The eight 16-bit groups of an IPv6 address (any valid textual form). */
export function ipv6Groups(address: string): number[] {
  // The URL parser writes any valid IPv6 address in one compressed form, dotted tails as hex.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const [head, tail] = canonical.includes('::') ? canonical.split('::') : [canonical, undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
}

const v4Of = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');

/** The IPv4 address an IPv6 address stands for, when it is one of the forms that carry one. */
function embeddedIPv4(groups: number[]): AddressVerdict['embedded'] | undefined {
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  const [g0, g1, g2, , g4, g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  if (zeros(0, 5) && g5 === 0xffff) return { ipv4: v4Of(g6, g7), form: 'IPv4-mapped' };
  if (zeros(0, 4) && g4 === 0xffff && g5 === 0) return { ipv4: v4Of(g6, g7), form: 'IPv4-translated' };
  // ::a.b.c.d, except :: and ::1 themselves (their own classes).
  if (zeros(0, 6) && (g6 !== 0 || g7 > 1)) return { ipv4: v4Of(g6, g7), form: 'IPv4-compatible' };
  if (g0 === 0x64 && g1 === 0xff9b && zeros(2, 6)) return { ipv4: v4Of(g6, g7), form: 'NAT64' };
  if (g0 === 0x2002) return { ipv4: v4Of(g1, g2), form: '6to4' };
  return undefined;
}

function classOf(address: string, lists: [AddressClass, BlockList][], family: 'ipv4' | 'ipv6'): AddressClass {
  return lists.find(([, list]) => list.check(address, family))?.[0] ?? 'public';
}

/** The class of an IP address; throws when `address` is not one. */
export function classifyAddress(address: string): AddressVerdict {
  const bare = address.replace(/^\[|\]$/g, '');
  if (isIPv4(bare)) return { address: bare, class: classOf(bare, V4_LISTS, 'ipv4') };
  if (!isIPv6(bare)) throw new Error(`"${address}" is not an IP address`);
  const embedded = embeddedIPv4(ipv6Groups(bare));
  if (embedded) {
    // An IPv6 form of a public IPv4 address is as good as that address; of any other, as bad.
    return { address: bare, class: classOf(embedded.ipv4, V4_LISTS, 'ipv4'), embedded };
  }
  return { address: bare, class: classOf(bare, V6_LISTS, 'ipv6') };
}

const ARTICLE: Record<AddressClass, string> = {
  public: 'a public address',
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address',
  reserved: 'a reserved address',
};

/** "127.0.0.1, a loopback address"; "::ffff:a00:1 (IPv4-mapped 10.0.0.1), a private address". */
export function describeVerdict(verdict: AddressVerdict): string {
  const via = verdict.embedded ? ` (${verdict.embedded.form} ${verdict.embedded.ipv4})` : '';
  return `${verdict.address}${via}, ${ARTICLE[verdict.class]}`;
}
