import { ApplicationFailure } from '@temporalio/activity';
import { postNotification } from './post-notification';
import { z } from 'zod';
import type { PendingInput } from '../src/core/human';
import type { RunStatus } from '../src/core/status';
import { displayUrl } from '../src/http/display-url';
import { targetPolicyFromEnv } from '../src/http/outbound-target';

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

export function createWebhookActivities(env: Record<string, string | undefined> = process.env) {
  const policy = targetPolicyFromEnv(env);
  return {
    /**
     * POSTs a notification. The idempotency key rides in the body and in an Idempotency-Key header,
     * so a receiver that sees a retry can tell. 2xx: delivered; 408/429/5xx and network errors:
     * retried by Temporal; any other answer: the receiver refuses it, and retrying would not help.
     */
    async notifyWebhook(input: WebhookDelivery): Promise<void> {
      const parsed = DeliverySchema.safeParse(input);
      if (!parsed.success)
        throw ApplicationFailure.nonRetryable(
          `notifyWebhook: malformed delivery (${parsed.error.issues[0]?.message})`,
          'InvalidActivityInput',
        );
      const where = `webhook ${displayUrl(input.url)}`;
      const headers: Record<string, string> = { 'idempotency-key': input.body.idempotencyKey };
      if (input.tokenEnv) {
        const token = env[input.tokenEnv];
        if (!token)
          throw ApplicationFailure.nonRetryable(
            `${where}: environment variable ${input.tokenEnv} is not set on the worker`,
            'WebhookRejected',
          );
        headers.authorization = `Bearer ${token}`;
      }
      await postNotification(
        input.url,
        headers,
        input.body,
        where,
        {
          rejected: 'WebhookRejected',
          unreachable: 'WebhookUnreachable',
          unavailable: 'WebhookUnavailable',
          refused: 'WebhookRefused',
        },
        policy,
      );
    },
  };
}
