import { z } from 'zod';
import { PositiveDurationSchema, type DurationSpec } from './duration-schema';

/** How Temporal retries an activity (an agent turn, a speaker selection). Unset fields take defaults. */
export interface RetrySpec {
  /** Wait before the first retry. Default "1s". */
  initialInterval?: DurationSpec;
  /** Each wait is the previous one times this. Default 2. */
  backoffCoefficient?: number;
  /** Longest wait between attempts. Default "1m". */
  maximumInterval?: DurationSpec;
  /** Attempts in all, the first included; 0 means unlimited. Default 8. */
  maximumAttempts?: number;
  /** Failure types never retried, besides the ones the model client marks non-retryable. */
  nonRetryableErrorTypes?: string[];
}

export const RetrySchema: z.ZodType<RetrySpec> = z.strictObject({
  initialInterval: PositiveDurationSchema.optional(),
  backoffCoefficient: z.number().min(1, 'must be at least 1').optional(),
  maximumInterval: PositiveDurationSchema.optional(),
  maximumAttempts: z.number().int().min(0, 'must be 0 (unlimited) or more').optional(),
  nonRetryableErrorTypes: z.array(z.string().min(1)).optional(),
});

/** Timeouts of one activity. */
export interface TimeoutsSpec {
  /** Longest a single attempt may take. Default "5m". */
  startToClose?: DurationSpec;
  /** Longest all attempts together may take. Default: no limit beyond the attempts. */
  scheduleToClose?: DurationSpec;
  /** An attempt whose worker is silent this long is retried on another worker. Default "30s". */
  heartbeat?: DurationSpec;
}

export const TimeoutsSchema: z.ZodType<TimeoutsSpec> = z.strictObject({
  startToClose: PositiveDurationSchema.optional(),
  scheduleToClose: PositiveDurationSchema.optional(),
  heartbeat: PositiveDurationSchema.optional(),
});
