import type { RequestHandler } from 'express';
import { A2A_ERROR_CODE } from '@a2a-js/sdk/errors';
import type { z } from 'zod';
import { depthProblem, tooDeep } from './depth';
import { check, sendJsonRpcError } from './issues';
import { V03_METHODS } from './v03';
import { V1_METHODS } from './v1';

/** Both protocols' method names; they do not overlap, so one table serves either version. */
const METHODS: Record<string, z.ZodType> = { ...V1_METHODS, ...V03_METHODS };

/**
 * JSON-RPC requests checked before the SDK reads them: first the envelope (-32600 for a batch,
 * a wrong `jsonrpc`, `method` or `id`; -32601 for a method neither protocol has), then the
 * method's params (-32602 naming the field). The SDK would coerce a wrong-typed field and start
 * a run anyway; a client's mistake should instead come back as an answer that names it. A body
 * nested too deep for the SDK to walk is refused (-32602) before anything reads it.
 */
export function checkJsonRpcRequest(): RequestHandler {
  return (req, res, next) => {
    const body: unknown = req.body;
    // No parsed body: a missing or foreign Content-Type, which the SDK answers itself (-32005 / -32600).
    if (body === undefined) return next();
    if (Array.isArray(body))
      return sendJsonRpcError(res, null, A2A_ERROR_CODE.INVALID_REQUEST, 'batch requests are not supported: send one request per call');
    if (typeof body !== 'object' || body === null)
      return sendJsonRpcError(res, null, A2A_ERROR_CODE.INVALID_REQUEST, 'the request must be a JSON object');
    const rpc = body as Record<string, unknown>;
    const idOk = !('id' in rpc) || rpc.id === null || typeof rpc.id === 'string' || Number.isInteger(rpc.id);
    if (!idOk) return sendJsonRpcError(res, null, A2A_ERROR_CODE.INVALID_REQUEST, 'id: expected a string, an integer or null');
    const id = (rpc.id ?? null) as string | number | null;
    if (rpc.jsonrpc !== '2.0') return sendJsonRpcError(res, id, A2A_ERROR_CODE.INVALID_REQUEST, 'jsonrpc: expected "2.0"');
    if (typeof rpc.method !== 'string' || rpc.method === '')
      return sendJsonRpcError(res, id, A2A_ERROR_CODE.INVALID_REQUEST, 'method: expected a method name (a non-empty string)');
    const schema = Object.hasOwn(METHODS, rpc.method) ? METHODS[rpc.method] : undefined;
    if (!schema) return sendJsonRpcError(res, id, A2A_ERROR_CODE.METHOD_NOT_FOUND, `method "${rpc.method.slice(0, 100)}" does not exist`);
    const deep = tooDeep(rpc);
    if (deep) return sendJsonRpcError(res, id, A2A_ERROR_CODE.INVALID_PARAMS, depthProblem(deep));
    const problem = check(schema, rpc.params, 'params');
    if (problem) return sendJsonRpcError(res, id, A2A_ERROR_CODE.INVALID_PARAMS, problem);
    next();
  };
}
