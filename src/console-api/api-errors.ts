import type { ErrorRequestHandler } from 'express';
import { faultMessage } from '../faults/faults';
import { requestOf } from '../faults/request-id';

/** A refusal the console shows as it is worded: the person sees why, not a status code. */
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The client's errors by name (see temporal/errors.ts): their messages already say what was wrong. */
const STATUS_BY_NAME: Record<string, number> = {
  InvalidRequestError: 400,
  RunAlreadyExistsError: 409,
  ContextBusyError: 409,
  RunNotFoundError: 404,
  NoWorkerError: 503,
  RunStalledError: 503,
  TemporalUnavailableError: 503,
};

/**
 * Every API failure as `{ error: { status, message } }`; anything unforeseen is logged once under
 * the request's id, and the page is told that id alone.
 */
export const consoleErrors: ErrorRequestHandler = (err: Error & { status?: number; type?: string }, _req, res, _next) => {
  let status = err instanceof ConsoleError ? err.status : (STATUS_BY_NAME[err.name] ?? 500);
  let message = err.message;
  if (err.type === 'entity.parse.failed') [status, message] = [400, 'the request body is not valid JSON'];
  else if (err.type === 'entity.too.large') [status, message] = [413, 'the request body is too large'];
  if (status === 500) {
    requestOf(res).logFault(err);
    message = faultMessage(requestOf(res).id);
  }
  if (res.headersSent) return res.end();
  res.status(status).json({ error: { status, message } });
};
