import { ApplicationFailure, Context } from '@temporalio/activity';
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
}

/**
 * POSTs a JSON notification from an activity. 2xx: delivered; network errors and 408/425/429/5xx:
 * retryable (Retry-After honoured); a redirect is not followed (it would turn the POST into a
 * bodiless GET and could carry our headers elsewhere); any other answer: rejected for good.
 * `where` names the receiver in errors, so it must hold no secret.
 */
export async function postNotification(
  url: string,
  headers: Record<string, string>,
  body: unknown,
  where: string,
  types: NotificationFailureTypes,
): Promise<void> {
  const signal = AbortSignal.any([Context.current().cancellationSignal, AbortSignal.timeout(10_000)]);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal,
      redirect: 'manual',
    });
  } catch (err) {
    throw ApplicationFailure.retryable(`${where} could not be reached (${(err as Error).message})`, types.unreachable);
  }
  await response.body?.cancel();
  if (response.ok) return;
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
