import { isIPv6 } from 'node:net';
import ipaddr, { type IPv4, type IPv6 } from 'ipaddr.js';

/**
 * Which kind of network an IP address belongs to, so outbound calls chosen by a caller (push
 * notification URLs, webhooks) cannot be aimed at us or our neighbours. Pure: no I/O. The ranges
 * are ipaddr.js's (the names its range() gives); this file maps them onto our classes, and adds
 * only what the library lacks, each addition named where it is made.
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

/**
 * Our class for each IPv4 range ipaddr.js names. A name not here (one a later version adds) is
 * refused as reserved.
 */
const V4_CLASSES: Partial<Record<string, AddressClass>> = {
  unicast: 'public',
  unspecified: 'reserved', // all of 0.0.0.0/8 to ipaddr.js; see classOfV4
  broadcast: 'reserved',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  private: 'private',
  carrierGradeNat: 'private', // 100.64.0.0/10, shared address space
  reserved: 'reserved', // documentation, benchmarking, IETF assignments, 240/4, the old 6to4 relay
  // Anycast services anyone on the Internet reaches (globally reachable in IANA's registry).
  as112: 'public',
  amt: 'public',
};

/**
 * Our class for each IPv6 range ipaddr.js names, once the forms carrying an IPv4 address are
 * unwrapped. Any other name (discard, documentation, benchmarking, ORCHID, SRv6, the rest of
 * 2001::/23, or one a later version adds) is refused as reserved.
 */
const V6_CLASSES: Partial<Record<string, AddressClass>> = {
  unicast: 'public',
  unspecified: 'unspecified',
  loopback: 'loopback',
  linkLocal: 'link-local',
  multicast: 'multicast',
  uniqueLocal: 'private',
  deprecatedSiteLocal: 'private', // fec0::/10, still routed inside some networks
  rfc6052: 'private', // what NAT64 leaves: local-use 64:ff9b:1::/48, whose layout each network picks
  // Teredo is tunnelled over UDP to the IPv4 server and client it carries, and is not globally
  // reachable in IANA's registry: refused whole rather than trusting the pair it names.
  teredo: 'reserved',
  as112v6: 'public',
  amt: 'public',
};

function classOfV4(ip: IPv4): AddressClass {
  // ipaddr.js names all of 0.0.0.0/8 'unspecified'; only 0.0.0.0 is. The rest is "this network"
  // (RFC 1122), which Linux connects to the local host.
  if (ip.octets.every((octet) => octet === 0)) return 'unspecified';
  return V4_CLASSES[ip.range()] ?? 'reserved';
}

const WELL_KNOWN_NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');

/** The IPv4 address an IPv6 address stands for, when it is one of the forms that carry one. */
function embeddedIPv4(ip: IPv6): { ipv4: IPv4; form: EmbeddedForm } | undefined {
  const at = (byte: number) => new ipaddr.IPv4(ip.toByteArray().slice(byte, byte + 4));
  switch (ip.range()) {
    case 'ipv4Mapped':
      return { ipv4: ip.toIPv4Address(), form: 'IPv4-mapped' };
    // ipaddr.js names the ranges below but converts only IPv4-mapped addresses: we unwrap them.
    case 'rfc6145':
      return { ipv4: at(12), form: 'IPv4-translated' };
    case '6to4':
      return { ipv4: at(2), form: '6to4' };
    case 'rfc6052': // both 64:ff9b::/96 and local-use 64:ff9b:1::/48
      return ip.match(WELL_KNOWN_NAT64) ? { ipv4: at(12), form: 'NAT64' } : undefined;
    case 'unicast':
      // ipaddr.js names no range for ::/96 (IPv4-compatible, deprecated but still tunnelled to its
      // IPv4 address by some hosts); :: and ::1 have their own names.
      return ip.match(IPV4_COMPATIBLE) ? { ipv4: at(12), form: 'IPv4-compatible' } : undefined;
    default:
      return undefined;
  }
}

/** ipaddr.js reads "::a.b.c.d" as ::ffff:a.b.c.d (IPv4-mapped), another address than it is. */
const DOTTED_COMPATIBLE = /^::(\d+\.\d+\.\d+\.\d+)$/;

function parseAddress(text: string): IPv4 | IPv6 {
  // Also the numeric forms the URL parser and inet_aton read as IPv4 (127.1, 0x7f.1, 2130706433).
  if (ipaddr.IPv4.isValid(text)) return ipaddr.IPv4.parse(text);
  if (!isIPv6(text)) throw new Error('not an IP address');
  // A zone (fe80::1%eth0) names an interface, not another address; ipaddr.js takes only some
  // zone names (not br-lan), so it is cut off here.
  const address = text.replace(/%.*$/, '');
  const dotted = DOTTED_COMPATIBLE.exec(address);
  if (dotted) return new ipaddr.IPv6([...new Array<number>(12).fill(0), ...ipaddr.IPv4.parse(dotted[1]!).octets]);
  return ipaddr.IPv6.parse(address);
}

/** The class of an IP address; throws when `address` is not one. */
export function classifyAddress(address: string): AddressVerdict {
  const bare = address.replace(/^\[|\]$/g, '');
  let ip: IPv4 | IPv6;
  try {
    ip = parseAddress(bare);
  } catch {
    throw new Error(`"${address}" is not an IP address`);
  }
  if (ip instanceof ipaddr.IPv4) return { address: bare, class: classOfV4(ip) };
  const embedded = embeddedIPv4(ip);
  if (embedded) {
    // An IPv6 form of a public IPv4 address is as good as that address; of any other, as bad.
    const { ipv4, form } = embedded;
    return { address: bare, class: classOfV4(ipv4), embedded: { ipv4: ipv4.toString(), form } };
  }
  return { address: bare, class: V6_CLASSES[ip.range()] ?? 'reserved' };
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
