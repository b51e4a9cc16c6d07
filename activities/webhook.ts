import { ApplicationFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import type { PendingInput } from '../src/core/human';
import type { RunStatus } from '../src/core/status';
import { displayUrl } from '../src/model/endpoint';
import { retryAfterMs } from '../src/model/errors';

/** One notification: where to send it and what. The token is named, never carried. */
export interface WebhookDelivery {
  v: 1;
  url: string;
  tokenEnv: string | null;
  body: {
    idempotencyKey: string;
    event: 'input-required' | 'finished';
    runId: string;
    team: string;
    status: RunStatus;
    pendingInput: PendingInput | null;
    stopReason: string | null;
    error: string | null;
    at: string;
  };
}

const DeliverySchema = z.object({
  v: z.literal(1),
  url: z.url(),
  tokenEnv: z.string().nullable(),
  body: z.object({ idempotencyKey: z.string(), event: z.enum(['input-required', 'finished']) }).loose(),
});

/** Statuses a later attempt may get past. */
const TRANSIENT = (status: number) => status === 408 || status === 425 || status === 429 || status >= 500;

export function createWebhookActivities(env: Record<string, string | undefined> = process.env) {
  return {
    /**
     * POSTs a notification. The idempotency key rides in the body and in an Idempotency-Key header,
     * so a receiver that sees a retry can tell. 2xx: delivered; 408/429/5xx and network errors:
     * retried by Temporal; any other answer: the receiver refuses it, and retrying would not help.
     */
    async notifyWebhook(input: WebhookDelivery): Promise<void> {
      const parsed = DeliverySchema.safeParse(input);
      if (!parsed.success) throw ApplicationFailure.nonRetryable(`notifyWebhook: malformed delivery (${parsed.error.issues[0]?.message})`, 'InvalidActivityInput');
      const where = `webhook ${displayUrl(input.url)}`;
      const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': input.body.idempotencyKey };
      if (input.tokenEnv) {
        const token = env[input.tokenEnv];
        if (!token) throw ApplicationFailure.nonRetryable(`${where}: environment variable ${input.tokenEnv} is not set on the worker`, 'WebhookRejected');
        headers.authorization = `Bearer ${token}`;
      }
      const signal = AbortSignal.any([Context.current().cancellationSignal, AbortSignal.timeout(10_000)]);
      let response: Response;
      try {
        response = await fetch(input.url, { method: 'POST', headers, body: JSON.stringify(input.body), signal, redirect: 'manual' });
      } catch (err) {
        throw ApplicationFailure.retryable(`${where} could not be reached (${(err as Error).message})`, 'WebhookUnreachable');
      }
      await response.body?.cancel();
      if (response.ok) return;
      // A redirect would turn the POST into a bodiless GET, and could carry our headers elsewhere.
      if (response.status >= 300 && response.status < 400) {
        throw ApplicationFailure.nonRetryable(`${where} answered ${response.status} (a redirect, not followed); configure the final URL`, 'WebhookRejected');
      }
      const message = `${where} answered ${response.status}`;
      if (!TRANSIENT(response.status)) throw ApplicationFailure.nonRetryable(message, 'WebhookRejected');
      const delay = retryAfterMs(response.headers);
      throw ApplicationFailure.create({ message, type: 'WebhookUnavailable', ...(delay !== undefined ? { nextRetryDelay: delay } : {}) });
    },
  };
}
