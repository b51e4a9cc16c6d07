import { ApplicationFailure } from '@temporalio/activity';
import type { z } from 'zod';
import { formatPath } from '../src/spec/errors';

/** The newest activity contract (`v` of every activity input) this worker reads. */
export const ACTIVITY_CONTRACT = 1;

/**
 * Activity inputs come out of history, written by whatever workflow version scheduled them: a
 * mismatch fails clearly and for good, instead of a call with half its fields missing. An input of
 * a newer contract (`v`) is no fault of the run's: it came to a worker older than the build that
 * wrote it (possible only without Worker Versioning, mid rolling deploy), so it fails retryably and
 * a newer worker takes the retry.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, activity: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const v = (input as { v?: unknown } | null)?.v;
  if (typeof v === 'number' && v > ACTIVITY_CONTRACT)
    throw ApplicationFailure.retryable(
      `${activity}: input of activity contract v${v}, newer than this worker's v${ACTIVITY_CONTRACT}; a newer worker will take the retry`,
      'ActivityContractTooNew',
    );
  const issue = result.error.issues[0]!;
  throw ApplicationFailure.nonRetryable(
    `${activity}: input from history is not what this worker understands (${formatPath(issue.path)}: ${issue.message}); ` +
      'is this worker older than the workflow that scheduled it?',
    'InvalidActivityInput',
  );
}
