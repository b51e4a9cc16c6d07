import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { requestTag, stderrFaultLog, type FaultLog, type RequestTag } from './faults';

/** The header a request's id comes in (from a proxy or the client) and goes back in. */
export const REQUEST_ID_HEADER = 'X-Request-Id';

/** What an id taken from a client may look like: short, and safe in a header and a log line. */
const SANE_ID = /^[A-Za-z0-9._~:+/=-]{1,128}$/;

/** The client's request id when it is a sane one, else a fresh one. */
export function requestIdOf(given: unknown): string {
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

/**
 * Gives each request an id (the client's X-Request-Id when sane), says it in the response's
 * X-Request-Id, and leaves in `res.locals` how a fault of this request is logged under it.
 */
export function requestIds(log: FaultLog): RequestHandler {
  return (req, res, next) => {
    const id = requestIdOf(req.header(REQUEST_ID_HEADER));
    res.setHeader(REQUEST_ID_HEADER, id);
    res.locals.request = requestTag(id, req.method, req.originalUrl.split('?', 1)[0]!, log);
    next();
  };
}

/** The request tag requestIds left for this response (where it did not run, as for a router used alone, one made now). */
export function requestOf(res: Response): RequestTag {
  res.locals.request ??= requestTag(randomUUID(), res.req.method, res.req.originalUrl.split('?', 1)[0]!, stderrFaultLog);
  return res.locals.request as RequestTag;
}
