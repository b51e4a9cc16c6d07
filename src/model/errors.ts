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
