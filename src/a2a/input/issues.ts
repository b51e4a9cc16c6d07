import type { Response } from 'express';
import { A2A_ERROR_CODE, RequestMalformedError } from '@a2a-js/sdk/errors';
import type { z } from 'zod';

/**
 * How a refused request is told: the first problem, as "<path>: <what is wrong>", e.g.
 * "params.configuration.historyLength: expected number, received string". One problem is
 * enough for a client to fix its request, and short enough to log.
 */
export function describeIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0]!;
  const path = issue.path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : `${at}.${String(key)}`), prefix);
  return `${path}: ${explain(issue)}`;
}

function explain(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && issue.expected === 'int')
    return `expected an integer, received ${typeof issue.input === 'number' ? String(issue.input) : kindOf(issue.input)}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return `required (expected ${nameOf(issue.expected)})`;
  if (issue.code === 'invalid_type') return `expected ${nameOf(issue.expected)}, received ${kindOf(issue.input)}`;
  return issue.message.replace(/^Invalid input: /, '');
}

const nameOf = (expected: string) => (expected === 'record' ? 'object' : expected);

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Parses with the offending input kept on each issue, so the message can say what was sent. */
export function check(schema: z.ZodType, value: unknown, prefix: string): string | null {
  const parsed = schema.safeParse(value, { reportInput: true });
  return parsed.success ? null : describeIssue(parsed.error, prefix);
}

type JsonRpcId = string | number | null;

/** A JSON-RPC error answer: HTTP 200, `data` the spec's ErrorInfo list as the SDK writes it. */
export function sendJsonRpcError(res: Response, id: JsonRpcId, code: number, message: string): void {
  const info = new RequestMalformedError(message).toErrorInfo();
  const reason =
    code === A2A_ERROR_CODE.INVALID_PARAMS
      ? info.reason
      : code === A2A_ERROR_CODE.METHOD_NOT_FOUND
        ? 'METHOD_NOT_FOUND'
        : 'INVALID_REQUEST';
  res.status(200).json({ jsonrpc: '2.0', id, error: { code, message, data: [{ ...info, reason }] } });
}

/** An HTTP+JSON error answer: 400 INVALID_ARGUMENT, as the SDK maps a malformed request. */
export function sendRestError(res: Response, message: string): void {
  res
    .status(400)
    .json({ error: { code: 400, status: 'INVALID_ARGUMENT', message, details: [new RequestMalformedError(message).toErrorInfo()] } });
}
