/**
 * Errors a user meets when the conversation store is misconfigured or down. Each message names the
 * store by its `location` (a path, or a URL whose password is `***`) and says what to do; the CLI
 * prints it as its one error line.
 */

/** The store URL cannot be used as written: an unknown scheme, a malformed URL. */
export class StoreConfigError extends Error {
  override readonly name = 'StoreConfigError';
}

/** The store exists on paper but cannot be reached or used right now; retrying later may work. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    readonly location: string,
    detail: string,
    hint: string,
    options?: { cause?: unknown },
  ) {
    super(`conversation store ${location} is unreachable: ${detail}; ${hint}`, options);
  }
}

/** An operation the store refused for a reason other than being unreachable (a full disk, a permission). */
export class StoreOperationError extends Error {
  override readonly name = 'StoreOperationError';
  constructor(
    readonly location: string,
    operation: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`conversation store ${location}: ${operation} failed: ${detail}`, options);
  }
}
