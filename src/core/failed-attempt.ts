/**
 * One failed attempt of a run's step (a model call, a tool call, a remote call), as the worker
 * saw it fail. Temporal's history keeps only the last failure of a retried activity, written once
 * its retries are spent; these are every attempt's, kept beside the run (see store/attempt-log.ts).
 */
export interface FailedAttempt {
  /** The activity type: agentTurn, callTool, ... */
  activity: string;
  /** Temporal's id of the activity within the run's execution. */
  activityId: string;
  /** Which attempt failed, from 1. */
  attempt: number;
  /** When it failed, ISO 8601. */
  at: string;
  /** The failure's type, as a retry policy names it: "ModelInvocationError.RateLimit", or the error's class. */
  errorType: string;
  /** What the error said, cut to FAILED_ATTEMPT_MESSAGE_CHARS. */
  message: string;
}

/** The longest message a failed attempt keeps: a sentence or two, never a whole reply. */
export const FAILED_ATTEMPT_MESSAGE_CHARS = 500;

/** The most telling name of a failure: a ModelCallError's or ApplicationFailure's type, else the class. */
export function errorTypeOf(error: Error): string {
  const typed = error as { type?: unknown; failure?: { type?: unknown } };
  if (typeof typed.failure?.type === 'string') return typed.failure.type;
  if (typeof typed.type === 'string') return typed.type;
  return error.name;
}

/**
 * The record of an attempt that failed with `error`. Its message is the error's own, which is
 * what Temporal writes into history for a last attempt: our errors are made free of secrets where
 * they are raised (model keys struck out, store passwords left out), as they are for logs and spans.
 */
export function failedAttemptOf(step: { activity: string; activityId: string; attempt: number }, error: unknown, at: Date): FailedAttempt {
  const err = error instanceof Error ? error : new Error(String(error));
  const message =
    err.message.length > FAILED_ATTEMPT_MESSAGE_CHARS ? `${err.message.slice(0, FAILED_ATTEMPT_MESSAGE_CHARS - 3)}...` : err.message;
  return { ...step, at: at.toISOString(), errorType: errorTypeOf(err), message };
}
