import type { RequestHandler } from 'express';
import { A2A_ERROR_CODE, RequestMalformedError } from '@a2a-js/sdk/errors';
import { z } from 'zod';

/**
 * The shape of a client's message, checked before the SDK reads it. The SDK's decoders coerce
 * what they do not understand (a string where a list belongs becomes an empty list), which would
 * turn a client's mistake into a confusing answer; these schemas name the field that is wrong.
 * Unknown fields are let through: newer clients may send more than we read.
 */

const metadata = z.record(z.string(), z.unknown()).optional();

const V1Part = z
  .object({
    text: z.string().optional(),
    data: z.unknown().optional(),
    url: z.string().optional(),
    raw: z.string().optional(),
    mediaType: z.string().optional(),
    filename: z.string().optional(),
    metadata,
  })
  .loose()
  .refine((part) => ['text', 'data', 'url', 'raw'].filter((k) => k in part).length === 1, {
    message: 'a part has exactly one of text, data, url or raw',
  });

const V1Message = z
  .object({
    messageId: z.string().min(1, 'messageId must not be empty'),
    contextId: z.string().optional(),
    taskId: z.string().optional(),
    role: z.enum(['ROLE_USER', 'ROLE_AGENT'], { error: 'role must be "ROLE_USER" (or "ROLE_AGENT")' }),
    parts: z.array(V1Part).min(1, 'parts must hold at least one part'),
    metadata,
    extensions: z.array(z.string()).optional(),
    referenceTaskIds: z.array(z.string()).optional(),
  })
  .loose();

const V03Part = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('text'), text: z.string(), metadata }).loose(),
    z.object({ kind: z.literal('data'), data: z.record(z.string(), z.unknown()), metadata }).loose(),
    z.object({ kind: z.literal('file'), file: z.object({}).loose(), metadata }).loose(),
  ],
  { error: 'kind must be "text", "data" or "file"' },
);

const V03Message = z
  .object({
    kind: z.literal('message').optional(),
    messageId: z.string().min(1, 'messageId must not be empty'),
    contextId: z.string().optional(),
    taskId: z.string().optional(),
    role: z.enum(['user', 'agent'], { error: 'role must be "user" (or "agent")' }),
    parts: z.array(V03Part).min(1, 'parts must hold at least one part'),
    metadata,
  })
  .loose();

const sendParams = (message: z.ZodType) => z.object({ message }).loose();
const V1_SEND = sendParams(V1Message);
const V03_SEND = sendParams(V03Message);

const JSONRPC_SENDS: Record<string, z.ZodType> = {
  SendMessage: V1_SEND,
  SendStreamingMessage: V1_SEND,
  'message/send': V03_SEND,
  'message/stream': V03_SEND,
};

/** "params.message.parts[0].text: expected string, received number" */
function firstIssue(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0]!;
  const path = issue.path.reduce<string>((at, key) => (typeof key === 'number' ? `${at}[${key}]` : `${at}.${String(key)}`), prefix);
  return `${path}: ${issue.message}`;
}

/** JSON-RPC: a malformed message in SendMessage / message/send is -32602 with the field's path. */
export function checkJsonRpcMessage(): RequestHandler {
  return (req, res, next) => {
    const body = req.body as { method?: unknown; params?: unknown; id?: unknown } | undefined;
    const schema = typeof body?.method === 'string' ? JSONRPC_SENDS[body.method] : undefined;
    if (!schema) return next();
    const parsed = schema.safeParse(body!.params);
    if (parsed.success) return next();
    const message = firstIssue(parsed.error, 'params');
    const id = typeof body!.id === 'string' || typeof body!.id === 'number' ? body!.id : null;
    res.status(200).json({
      jsonrpc: '2.0',
      id,
      error: { code: A2A_ERROR_CODE.INVALID_PARAMS, message, data: [new RequestMalformedError(message).toErrorInfo()] },
    });
  };
}

/**
 * HTTP+JSON v1.0: the same check on POST …/message:send and …/message:stream. The v0.3 REST
 * paths (/v1/…) carry v0.3's own protobuf JSON, which the SDK's compat layer checks and converts.
 */
export function checkRestMessage(): RequestHandler {
  return (req, res, next) => {
    const send = /\/message:(send|stream)$/.exec(req.path);
    if (req.method !== 'POST' || !send || req.path.startsWith('/v1/')) return next();
    const parsed = V1_SEND.safeParse(req.body);
    if (parsed.success) return next();
    const message = firstIssue(parsed.error, 'body');
    res
      .status(400)
      .json({ error: { code: 400, status: 'INVALID_ARGUMENT', message, details: [new RequestMalformedError(message).toErrorInfo()] } });
  };
}
