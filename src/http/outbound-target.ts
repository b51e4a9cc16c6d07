import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { hostAllowlist } from './host-allowlist';
import { classifyAddress, describeVerdict } from './address-policy';

/** The setting naming the hosts and networks webhooks and push notifications may reach though inward. */
export const WEBHOOK_ALLOW_ENV = 'DURABLE_TEAMS_WEBHOOK_ALLOW';

/**
 * Where outbound notifications may go: anywhere public, and to loopback, private, link-local,
 * multicast, unspecified or reserved addresses only when the allowlist names the host (`host`,
 * `host:port`, `*.example.com`) or the address (`127.0.0.1`, `10.1.0.0/16`, `fd00::/8`).
 */
export interface TargetPolicy {
  /** True when the URL's host is named, so its addresses are not checked. */
  allowsHost(url: URL): boolean;
  /** True when the address lies in a network (or is an address) the allowlist names. */
  allowsAddress(address: string): boolean;
  readonly entries: readonly string[];
}

export function targetPolicy(entries: readonly string[]): TargetPolicy {
  const rules = entries.map((e) => e.trim()).filter(Boolean);
  const networks = new BlockList();
  const hosts: string[] = [];
  for (const rule of rules) {
    const cidr = /^\[?([0-9a-fA-F:.]+)\]?\/(\d{1,3})$/.exec(rule);
    const bare = rule.replace(/^\[|\]$/g, '');
    if (cidr && isIP(cidr[1]!)) {
      const family = isIP(cidr[1]!) === 4 ? 'ipv4' : 'ipv6';
      const prefix = Number(cidr[2]);
      if (prefix > (family === 'ipv4' ? 32 : 128)) throw new Error(`"${rule}": the prefix is longer than the address`);
      networks.addSubnet(cidr[1]!, prefix, family);
    } else if (isIP(bare)) {
      networks.addAddress(bare, isIP(bare) === 4 ? 'ipv4' : 'ipv6');
      hosts.push(rule);
    } else hosts.push(rule);
  }
  const named = hostAllowlist(hosts);
  return {
    entries: rules,
    allowsHost: (url) => named.allows(url),
    allowsAddress(address) {
      const family = isIP(address);
      return family !== 0 && networks.check(address, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** The policy a process's environment sets (DURABLE_TEAMS_WEBHOOK_ALLOW, comma-separated). */
export function targetPolicyFromEnv(env: Record<string, string | undefined> = process.env): TargetPolicy {
  return targetPolicy((env[WEBHOOK_ALLOW_ENV] ?? '').split(','));
}

/**
 * Why a URL may not be called, told with the URL shown without credentials or query. `transient`
 * when a later try may succeed (its name could not be resolved), not when the policy refuses it.
 * `ofForm` when the URL itself is wrong (no URL, not http): that says nothing of where it points.
 */
export class RefusedTargetError extends Error {
  override readonly name = 'RefusedTargetError';
  constructor(
    readonly url: string,
    readonly reason: string,
    readonly transient = false,
    readonly ofForm = false,
  ) {
    super(`${url} ${reason}`);
  }
}

/** The URL as an error may show it: no user:password, no query, no fragment. */
export function targetForMessages(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

function parseTarget(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new RefusedTargetError('(invalid URL)', 'is not a URL', false, true);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RefusedTargetError(targetForMessages(url), 'is not an http(s) URL', false, true);
  return url;
}

/** The reason one address is refused, or null when it may be reached. */
export function refusedAddress(address: string, policy: TargetPolicy): string | null {
  const verdict = classifyAddress(address);
  if (verdict.class === 'public' || policy.allowsAddress(address)) return null;
  return `${describeVerdict(verdict)} (add the host to ${WEBHOOK_ALLOW_ENV} to allow it)`;
}

export type Resolver = (host: string) => Promise<LookupAddress[]>;

const resolveAll: Resolver = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/**
 * Checks a URL before it is stored or called: http(s), and its host (an IP literal, or every
 * address its name resolves to) not inward unless allowlisted. Throws a RefusedTargetError.
 */
export async function checkTarget(raw: string, policy: TargetPolicy, resolve: Resolver = resolveAll): Promise<URL> {
  const url = parseTarget(raw);
  if (policy.allowsHost(url)) return url;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const reason = refusedAddress(host, policy);
    if (reason) throw new RefusedTargetError(targetForMessages(url), `is ${reason}`);
    return url;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await resolve(host);
  } catch (err) {
    throw new RefusedTargetError(
      targetForMessages(url),
      `cannot be resolved (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      true,
    );
  }
  for (const { address } of addresses) {
    const reason = refusedAddress(address, policy);
    if (reason) throw new RefusedTargetError(targetForMessages(url), `resolves to ${reason}`);
  }
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node's http(s).request that resolves the name, refuses the connection when any
 * address is inward (unless allowlisted), and hands the checked addresses to the socket, so what
 * is connected to is what was checked (a name cannot be re-pointed between check and connect).
 */
export function checkingLookup(url: URL, policy: TargetPolicy, resolve: Resolver = resolveAll) {
  return (hostname: string, options: { all?: boolean; family?: number | string }, callback: LookupCallback): void => {
    resolve(hostname).then(
      (addresses) => {
        if (!policy.allowsHost(url)) {
          for (const { address } of addresses) {
            const reason = refusedAddress(address, policy);
            if (reason) {
              const err: NodeJS.ErrnoException = new RefusedTargetError(targetForMessages(url), `resolves to ${reason}`);
              err.code = 'ERR_REFUSED_TARGET';
              return callback(err, []);
            }
          }
        }
        const family = options.family === 6 || options.family === 'IPv6' ? 6 : options.family === 4 || options.family === 'IPv4' ? 4 : 0;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (usable.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          err.code = 'ENOTFOUND';
          return callback(err, []);
        }
        if (options.all) callback(null, usable);
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, []),
    );
  };
}
