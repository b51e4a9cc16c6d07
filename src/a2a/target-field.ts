import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { checkTarget, type Resolver, type TargetPolicy } from '../http/outbound-target';

/**
 * Refuses a URL a caller gives us that something may later reach — a push target, a file's
 * URL — when it is aimed inward (loopback, private, link-local, multicast, unspecified or
 * reserved, directly or by what its name resolves to) unless the allowlist names it: -32602
 * naming the field. Whatever connects later checks again against the address it connects to.
 */
export async function checkTargetField(url: string, field: string, policy: TargetPolicy, resolve?: Resolver): Promise<void> {
  try {
    await checkTarget(url, policy, resolve);
  } catch (err) {
    if ((err as Error).name !== 'RefusedTargetError') throw err;
    throw new RequestMalformedError(`${field}: ${(err as Error).message}`);
  }
}
