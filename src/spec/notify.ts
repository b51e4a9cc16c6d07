import { z } from 'zod';
import { ENV_NAME_PATTERN } from './model-settings';

export type NotifyEvent = 'input-required' | 'finished';

/**
 * A webhook told when the run starts waiting on a person and when it finishes. Each POST is
 * retried until delivered and carries an idempotency key, so the receiver may see one twice but
 * can tell, and never misses one.
 */
export interface NotifySpec {
  /**
   * An http(s) URL. One at a loopback, private, link-local or other inward address is refused
   * unless the worker's DURABLE_TEAMS_WEBHOOK_ALLOW names it; the operator wrote it, so it is
   * checked by the worker at delivery (where its allowlist and its DNS are), not when loaded.
   */
  webhook: string;
  /** Default: both. */
  events?: NotifyEvent[];
  /** Name of an environment variable on the worker holding a bearer token for the webhook. */
  tokenEnv?: string;
}

export const NotifySchema: z.ZodType<NotifySpec> = z.strictObject({
  webhook: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
  events: z
    .array(z.enum(['input-required', 'finished'], { error: 'expected "input-required" or "finished"' }))
    .min(1)
    .optional(),
  tokenEnv: z
    .string()
    .regex(ENV_NAME_PATTERN, { message: 'expected the name of an environment variable (like WEBHOOK_TOKEN), not the token itself' })
    .optional(),
});
