import { RemoteCardError } from './agent-card';

/**
 * A remote agent's call that failed, described so that the caller (the activity) can act on it:
 * the failure type its retry policy may name, and whether another attempt may help.
 */
export class RemoteCallError extends Error {
  override readonly name = 'RemoteCallError';
  constructor(
    message: string,
    readonly type: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** A failure of the HTTP exchange itself that a later attempt may get past (network, 408/429/5xx). */
export class TransientRemoteError extends Error {}

/**
 * Our own failures and cancellations pass as they are; the rest are classified: transient
 * (retried) or refused (final). `where` names the agent and its URL.
 */
export function classifyRemoteError(err: unknown, where: string): unknown {
  if (err instanceof RemoteCallError) return err;
  if (err instanceof Error && err.name === 'AbortError') return err;
  if (err instanceof RemoteCardError)
    return new RemoteCallError(err.message, err.retryable ? 'RemoteAgentUnavailable' : 'RemoteAgentCardRefused', err.retryable);
  let inner: unknown = err;
  while (inner instanceof Error && !(inner instanceof TransientRemoteError) && inner.cause) inner = inner.cause;
  if (inner instanceof TransientRemoteError) return new RemoteCallError(`${where} ${inner.message}`, 'RemoteAgentUnavailable', true);
  const message = err instanceof Error ? err.message : String(err);
  return new RemoteCallError(`${where} refused the request: ${message}`, 'RemoteAgentRefused', false);
}
