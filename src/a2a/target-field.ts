import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { checkTarget, RefusedTargetError, WEBHOOK_ALLOW_ENV, type Resolver, type TargetPolicy } from '../http/outbound-target';

/**
 * Refuses a URL a caller gives us that something may later reach — a push target, a file's
 * URL — when it is aimed inward (loopback, private, link-local, multicast, unspecified or
 * reserved, directly or by what its name resolves to) unless the allowlist names it: -32602
 * naming the field. Whatever connects later checks again against the address it connects to.
 *
 * Only a caller who reaches every task (an operator, or anyone without auth) hears why: what a
 * name resolves to, and whether it resolves at all, maps the inside of the network for whoever
 * asks. Everyone else hears that the URL is not an allowed target, the same for every such URL.
 */
export async function checkTargetField(
  url: string,
  field: string,
  policy: TargetPolicy,
  options: { detailed: boolean; resolve?: Resolver },
): Promise<void> {
  try {
    await checkTarget(url, policy, options.resolve);
  } catch (err) {
    if ((err as Error).name !== 'RefusedTargetError') throw err;
    const refused = err as RefusedTargetError;
    if (options.detailed || refused.ofForm) throw new RequestMalformedError(`${field}: ${refused.message}`);
    throw new RequestMalformedError(
      `${field}: ${refused.url} is not an allowed target: give a URL whose host is public` +
        ` (the server's operator may allow others with ${WEBHOOK_ALLOW_ENV})`,
    );
  }
}
