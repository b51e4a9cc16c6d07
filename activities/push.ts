import { ApplicationFailure } from '@temporalio/activity';
import { statusUpdateJson, taskJson, type RunViewInput } from '../src/core/a2a-json';
import type { ConversationStore } from '../src/store/conversation-store';
import { withStore } from './store-access';
import { postNotification } from './post-notification';
import { z } from 'zod';
import type { PushConfig } from '../src/core/push';
import { displayUrl } from '../src/http/display-url';
import { targetPolicyFromEnv } from '../src/http/outbound-target';
import { SECRETS_KEY_ENV, secretBoxFromEnv, type SecretBox } from '../src/secrets/sealed';

/**
 * One A2A push notification: the config (secrets sealed), its idempotency key, and what the body
 * says: the run's view, its answer by record (v2; the activity reads the text from the store and
 * builds the StreamResponse), or the body itself (v1, deliveries of runs begun before the store).
 */
export type PushDelivery =
  | { v: 1; config: PushConfig; idempotencyKey: string; body: unknown }
  | { v: 2; config: PushConfig; idempotencyKey: string; kind: 'task' | 'status'; seq: number; view: RunViewInput; people: string[] };

const config = z.object({
  id: z.string(),
  url: z.url(),
  token: z.string().nullable(),
  authentication: z.object({ scheme: z.string().min(1), credentials: z.string().nullable() }).nullable(),
});
const DeliverySchema = z.discriminatedUnion('v', [
  z.object({ v: z.literal(1), idempotencyKey: z.string().min(1), config, body: z.record(z.string(), z.unknown()) }),
  z.object({
    v: z.literal(2),
    idempotencyKey: z.string().min(1),
    config,
    kind: z.enum(['task', 'status']),
    seq: z.number().int(),
    view: z.record(z.string(), z.unknown()),
    people: z.array(z.string()),
  }),
]);

/** The StreamResponse a v2 delivery stands for, its answer's text read from the store. */
async function bodyOf(delivery: Extract<PushDelivery, { v: 2 }>, store: ConversationStore): Promise<unknown> {
  const people = new Set(delivery.people);
  const view = { ...delivery.view, messages: await withStore(() => store.complete(delivery.view.runId, delivery.view.messages)) };
  return delivery.kind === 'task'
    ? { task: taskJson(view, { historyLength: 0, people }) }
    : { statusUpdate: { ...statusUpdateJson(view, people), metadata: { seq: delivery.seq } } };
}

/** Header the A2A spec names for the client's notification token. */
export const NOTIFICATION_TOKEN_HEADER = 'X-A2A-Notification-Token';

export function createPushActivities(store: ConversationStore, env: Record<string, string | undefined> = process.env) {
  const policy = targetPolicyFromEnv(env);
  /** Opens a sealed secret; a worker without the key retries, since starting it with the key fixes that. */
  function open(box: SecretBox | null, sealed: string, where: string): string {
    if (!box)
      throw ApplicationFailure.retryable(
        `${where}: the config carries sealed secrets and ${SECRETS_KEY_ENV} is not set on this worker`,
        'PushSecretsKeyMissing',
      );
    try {
      return box.open(sealed);
    } catch (err) {
      throw ApplicationFailure.retryable(`${where}: ${(err as Error).message}`, 'PushSecretsKeyMismatch');
    }
  }

  return {
    /**
     * POSTs one A2A push notification with the client's token and our credentials for the receiver.
     * 2xx: delivered; 408/425/429/5xx and network errors: retried by Temporal (Retry-After honoured);
     * any other answer means the receiver refuses it, and retrying would not help.
     */
    async pushNotification(input: PushDelivery): Promise<void> {
      const parsed = DeliverySchema.safeParse(input);
      if (!parsed.success)
        throw ApplicationFailure.nonRetryable(
          `pushNotification: malformed delivery (${parsed.error.issues[0]?.message})`,
          'InvalidActivityInput',
        );
      const { config } = input;
      const where = `push receiver ${displayUrl(config.url)} (config "${config.id}")`;
      const box = secretBoxFromEnv(env);
      const headers: Record<string, string> = { 'idempotency-key': input.idempotencyKey };
      if (config.token) headers[NOTIFICATION_TOKEN_HEADER] = open(box, config.token, where);
      if (config.authentication) {
        const { scheme, credentials } = config.authentication;
        headers.authorization = credentials ? `${scheme} ${open(box, credentials, where)}` : scheme;
      }
      const body = input.v === 1 ? input.body : await bodyOf(input, store);
      await postNotification(
        config.url,
        headers,
        body,
        where,
        {
          rejected: 'PushRejected',
          unreachable: 'PushUnreachable',
          unavailable: 'PushUnavailable',
          refused: 'PushRefused',
        },
        policy,
      );
    },
  };
}
