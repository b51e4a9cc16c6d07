import { displayUrl } from '../http/display-url';
import { retryAfterMs } from '../http/retry-after';
import { ModelConfigError } from './endpoint';

/** A model call that failed, described so that the caller (an activity, runLocal) can act on it. */
export interface ModelFailure {
  /** One sentence: who called, which endpoint, what it said. Never the key. */
  message: string;
  /** Dotted type, e.g. "ModelInvocationError.RateLimit"; Temporal shows it and retry policies may name it. */
  type: string;
  retryable: boolean;
  /** What the endpoint asked us to wait (retry-after), in ms. */
  retryAfterMs?: number;
  status?: number;
}

export class ModelCallError extends Error {
  override readonly name = 'ModelCallError';
  constructor(readonly failure: ModelFailure) {
    super(failure.message);
  }
}

/** Statuses worth another attempt: the request may well succeed later. */
const RETRYABLE_STATUS: Record<number, string> = { 408: 'Timeout', 409: 'Conflict', 429: 'RateLimit' };
const NON_RETRYABLE_STATUS: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  422: 'Unprocessable',
};

function redact(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('***') : text;
}

/** What an endpoint said, from the error body OpenAI-compatible servers send, shortened. */
function saidBy(err: { error?: unknown; message: string }): string {
  const body = err.error as { message?: unknown } | undefined;
  const said = typeof body?.message === 'string' && body.message ? body.message : err.message;
  return said.length > 300 ? `${said.slice(0, 300)}...` : said;
}

interface ErrorLike {
  name?: string;
  status?: number;
  headers?: Headers;
  error?: unknown;
  message: string;
}

/**
 * Sorts a model call's error into retryable or not, by HTTP status (not by class: an error may come
 * from another copy of the library). `who` names the caller; the key is scrubbed from every message.
 */
export function classifyModelError(err: unknown, who: string, baseUrl: string, apiKey: string): ModelFailure {
  const where = `${who}: model endpoint ${displayUrl(baseUrl)}`;
  const e = (err instanceof Error ? err : new Error(String(err))) as Error & ErrorLike;
  const failure = (type: string, retryable: boolean, message: string, extra: Partial<ModelFailure> = {}): ModelFailure => ({
    type: `ModelInvocationError.${type}`,
    retryable,
    message: redact(message, apiKey),
    ...extra,
  });

  if (err instanceof ModelConfigError) return { type: 'ModelConfigError', retryable: false, message: redact(e.message, apiKey) };
  if (typeof e.status === 'number') {
    const status = e.status;
    const said = saidBy(e);
    const retryType = RETRYABLE_STATUS[status] ?? (status >= 500 ? 'ServerError' : undefined);
    if (retryType) {
      return failure(retryType, true, `${where} answered ${status}: ${said}`, { status, retryAfterMs: retryAfterMs(e.headers) });
    }
    const type = NON_RETRYABLE_STATUS[status] ?? 'ClientError';
    return failure(type, false, `${where} answered ${status}: ${said}`, { status });
  }
  // The openai package's errors keep the plain "Error" name; their class name tells them apart.
  const kind = e.constructor?.name ?? e.name;
  if (kind === 'APIConnectionTimeoutError') return failure('Timeout', true, `${where} did not answer in time`);
  if (kind === 'APIConnectionError') {
    const cause = (e as { cause?: { message?: string; code?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? e.message;
    return failure('Connection', true, `${where} could not be reached (${detail})`);
  }
  return failure('Unexpected', true, `${where} failed: ${e.message}`);
}

/**
 * Sorts an error met while reading a streamed reply, after the endpoint answered 200: an error the
 * endpoint sent in the stream, the connection breaking mid-reply, or a chunk that is not JSON.
 * All are worth another attempt: the same request may well be answered whole.
 */
export function classifyStreamError(err: unknown, who: string, baseUrl: string, apiKey: string): ModelFailure {
  const where = `${who}: model endpoint ${displayUrl(baseUrl)}`;
  // By shape, not `instanceof`: fetch's errors may come from another realm (under Jest, say).
  const e = (typeof err === 'object' && err !== null && 'message' in err ? err : new Error(String(err))) as Error &
    ErrorLike & { cause?: unknown };
  const failure = (type: string, message: string): ModelFailure => ({
    type: `ModelInvocationError.${type}`,
    retryable: true,
    message: redact(message, apiKey),
  });
  if (e.error !== undefined) return failure('ServerError', `${where} sent an error mid-reply: ${saidBy(e)}`);
  if (e.name === 'SyntaxError') return failure('InvalidResponse', `${where} sent a reply chunk that is not JSON: ${e.message}`);
  return failure('Connection', `${where} broke off mid-reply (${deepestCause(e)})`);
}

/** What lies under an error's causes (undici's "terminated" wraps "other side closed"): its code, else its message. */
function deepestCause(err: Error & { cause?: unknown }): string {
  let found: { code?: unknown; message?: unknown; cause?: unknown } = err;
  for (let depth = 0; depth < 5 && found.cause && typeof found.cause === 'object'; depth++) found = found.cause as typeof found;
  return typeof found.code === 'string' ? found.code : String(found.message);
}

/** The whole call, streamed body included, outlasted the request timeout. */
export function deadlineFailure(who: string, baseUrl: string, timeoutMs: number): ModelFailure {
  return {
    type: 'ModelInvocationError.Timeout',
    retryable: true,
    message: `${who}: model endpoint ${displayUrl(baseUrl)} did not finish its reply in ${timeoutMs} ms`,
  };
}
