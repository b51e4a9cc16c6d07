import { ApplicationFailure } from '@temporalio/activity';
import type { z } from 'zod';
import { formatPath } from '../src/spec/errors';

/**
 * Activity inputs come out of history, written by whatever workflow version scheduled them: a
 * mismatch fails clearly and for good, instead of a call with half its fields missing.
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, activity: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw ApplicationFailure.nonRetryable(
    `${activity}: input from history is not what this worker understands (${formatPath(issue.path)}: ${issue.message}); ` +
      'is this worker older than the workflow that scheduled it?',
    'InvalidActivityInput',
  );
}
