import { ApplicationFailure, Context } from '@temporalio/activity';
import { checkedPost, type CheckedResponse } from '../src/http/checked-post';
import type { TargetPolicy } from '../src/http/outbound-target';
import { retryAfterMs } from '../src/http/retry-after';

/** Statuses a later attempt may get past. */
const TRANSIENT = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

/** The failure types one kind of notification reports, so its retry policy can tell them apart. */
export interface NotificationFailureTypes {
  /** The receiver refuses it: retrying would not help. */
  rejected: string;
  /** The receiver could not be reached. */
  unreachable: string;
  /** The receiver answered 408/425/429/5xx. */
  unavailable: string;
  /** The receiver's address is inward and not allowlisted: it is never called. */
  refused: string;
}

/**
 * POSTs a JSON notification from an activity. 2xx: delivered; network errors and 408/425/429/5xx:
 * retryable (Retry-After honoured); a redirect is not followed (it would turn the POST into a
 * bodiless GET and could carry our headers elsewhere); any other answer: rejected for good.
 * A receiver at an inward address (loopback, private, link-local...) the policy does not allow is
 * refused before any connection, checked against the addresses the socket actually uses.
 * `where` names the receiver in errors, so it must hold no secret.
 */
export async function postNotification(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  where: string,
  types: NotificationFailureTypes,
  policy: TargetPolicy,
): Promise<void> {
  const signal = AbortSignal.any([Context.current().cancellationSignal, AbortSignal.timeout(10_000)]);
  let response: CheckedResponse;
  try {
    response = await checkedPost(url, {
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal,
      policy,
    });
  } catch (err) {
    const e = err as Error & { reason?: string; transient?: boolean };
    if (e.name === 'RefusedTargetError' && !e.transient)
      throw ApplicationFailure.nonRetryable(`${where} refused: ${e.reason}`, types.refused);
    throw ApplicationFailure.retryable(`${where} could not be reached (${e.message})`, types.unreachable);
  }
  if (response.status >= 200 && response.status < 300) return;
  if (response.status >= 300 && response.status < 400) {
    throw ApplicationFailure.nonRetryable(
      `${where} answered ${response.status} (a redirect, not followed); configure the final URL`,
      types.rejected,
    );
  }
  const message = `${where} answered ${response.status}`;
  if (!TRANSIENT(response.status)) throw ApplicationFailure.nonRetryable(message, types.rejected);
  const delay = retryAfterMs(response.headers);
  throw ApplicationFailure.create({ message, type: types.unavailable, ...(delay !== undefined ? { nextRetryDelay: delay } : {}) });
}
