import { ApplicationFailure } from '@temporalio/activity';
import { postNotification } from './post-notification';
import { z } from 'zod';
import type { PushConfig } from '../src/core/push';
import { displayUrl } from '../src/http/display-url';
import { SECRETS_KEY_ENV, secretBoxFromEnv, type SecretBox } from '../src/secrets/sealed';

/** One A2A push notification: the config (secrets sealed), its idempotency key and the StreamResponse body. */
export interface PushDelivery {
  v: 1;
  config: PushConfig;
  idempotencyKey: string;
  body: unknown;
}

const DeliverySchema = z.object({
  v: z.literal(1),
  idempotencyKey: z.string().min(1),
  config: z.object({
    id: z.string(),
    url: z.url(),
    token: z.string().nullable(),
    authentication: z.object({ scheme: z.string().min(1), credentials: z.string().nullable() }).nullable(),
  }),
  body: z.record(z.string(), z.unknown()),
});

/** Header the A2A spec names for the client's notification token. */
export const NOTIFICATION_TOKEN_HEADER = 'X-A2A-Notification-Token';


export function createPushActivities(env: Record<string, string | undefined> = process.env) {
  /** Opens a sealed secret; a worker without the key retries, since starting it with the key fixes that. */
  function open(box: SecretBox | null, sealed: string, where: string): string {
    if (!box) throw ApplicationFailure.retryable(`${where}: the config carries sealed secrets and ${SECRETS_KEY_ENV} is not set on this worker`, 'PushSecretsKeyMissing');
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
      if (!parsed.success) throw ApplicationFailure.nonRetryable(`pushNotification: malformed delivery (${parsed.error.issues[0]?.message})`, 'InvalidActivityInput');
      const { config } = input;
      const where = `push receiver ${displayUrl(config.url)} (config "${config.id}")`;
      const box = secretBoxFromEnv(env);
      const headers: Record<string, string> = { 'idempotency-key': input.idempotencyKey };
      if (config.token) headers[NOTIFICATION_TOKEN_HEADER] = open(box, config.token, where);
      if (config.authentication) {
        const { scheme, credentials } = config.authentication;
        headers.authorization = credentials ? `${scheme} ${open(box, credentials, where)}` : scheme;
      }
      await postNotification(config.url, headers, input.body, where, { rejected: 'PushRejected', unreachable: 'PushUnreachable', unavailable: 'PushUnavailable' });
    },
  };
}
