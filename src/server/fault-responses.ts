import type { ErrorRequestHandler } from 'express';
import { A2A_ERROR_CODE } from '@a2a-js/sdk/errors';
import { faultMessage } from '../faults/faults';
import { requestOf } from '../faults/request-id';

/** The status an error carries for the client (body-parser's and the router's 4xx), or null for a fault. */
function clientStatus(err: unknown): number | null {
  const status = (err as { status?: unknown; statusCode?: unknown } | null)?.status ?? (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

/**
 * An error that reached Express on a JSON-RPC route (the SDK answers its handler's errors
 * itself; this is what fails around it): a fault, logged once under the request's id, answered
 * -32603 with HTTP 500, as the SDK answers a server fault. A client's error goes on to lastResort.
 */
export const jsonRpcFaults: ErrorRequestHandler = (err: unknown, req, res, next) => {
  if (clientStatus(err) !== null || res.headersSent) return next(err);
  const request = requestOf(res);
  request.logFault(err);
  const rawId = (req.body as { id?: unknown } | undefined)?.id;
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? rawId : null;
  res.status(500).json({ jsonrpc: '2.0', id, error: { code: A2A_ERROR_CODE.INTERNAL_ERROR, message: faultMessage(request.id) } });
};

/**
 * Anything else that reached Express: a client's error (a 4xx it carries) in its own words;
 * anything unforeseen logged once under the request's id and answered 500 naming only that id.
 * A response already under way (a stream) is ended. The process keeps serving either way.
 */
export const lastResort: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  const status = clientStatus(err);
  const request = requestOf(res);
  if (status === null) request.logFault(err);
  if (res.headersSent) {
    res.end();
    return;
  }
  const message = status === null ? faultMessage(request.id) : (err as Error).message;
  res
    .status(status ?? 500)
    .json({ error: { code: status ?? 500, status: status === null ? 'INTERNAL' : 'INVALID_ARGUMENT', message, details: [] } });
};
