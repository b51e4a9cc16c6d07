import { CancelledFailure } from '@temporalio/common';
import { CompleteAsyncError, type Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { runIdOfRequest } from '../core/activity-contract';
import { failedAttemptOf } from '../core/failed-attempt';
import { AttemptLog } from '../store/attempt-log';
import type { ConversationStore } from '../store/conversation-store';
import { StoreOperationError, StoreUnavailableError } from '../store/errors';

/** How long a failed attempt waits for its note before its failure is reported all the same. */
const NOTE_WITHIN_MS = 2_000;

/**
 * Notes why each attempt of a run's step failed in the run's log of failed attempts (see
 * store/attempt-log.ts): Temporal's history keeps only the last failure of a retried activity,
 * and only once its retries are spent. Every team activity's input names its run (`runId`);
 * anything else passes untouched. The error is rethrown as it came, whatever the note's fate: a
 * store that cannot take the note costs a warning, never the step. A cancellation is no failure.
 */
export function noteFailedAttempts(store: ConversationStore, noteWithinMs = NOTE_WITHIN_MS): ActivityInterceptorsFactory {
  const log = new AttemptLog(store);
  return (ctx) => ({
    inbound: {
      async execute(input, next) {
        try {
          return await next(input);
        } catch (err) {
          const runId = runIdOfRequest(input.args[0]);
          if (runId && !isCancellation(ctx, err)) await note(ctx, () => log.append(runId, attemptOf(ctx, err)), noteWithinMs);
          throw err;
        }
      },
    },
  });
}

function attemptOf(ctx: Context, err: unknown) {
  const { activityType, activityId, attempt } = ctx.info;
  return failedAttemptOf({ activity: activityType, activityId, attempt }, err, new Date());
}

/** As the SDK tells them: the attempt was cancelled (or completes elsewhere), it did not fail. */
function isCancellation(ctx: Context, err: unknown): boolean {
  if (err instanceof CompleteAsyncError) return true;
  const cancelLike = err instanceof CancelledFailure || (err instanceof Error && err.name === 'AbortError');
  return cancelLike && ctx.cancellationSignal.aborted;
}

/** A store's own errors name the store and what it refused, never what was written; of any other, its class. */
function whyNotWritten(err: unknown): string {
  if (err instanceof StoreOperationError || err instanceof StoreUnavailableError) return err.message;
  return err instanceof Error ? err.name : typeof err;
}

/** Writes the note, waiting at most `withinMs`; a failure is logged (what failed, never what the attempt said) and dropped. */
async function note(ctx: Context, write: () => Promise<void>, withinMs: number): Promise<void> {
  const { activityType, attempt } = ctx.info;
  const warn = (why: string) =>
    ctx.log.warn('a failed attempt could not be noted in the conversation store', { activityType, attempt, why });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), withinMs)));
  try {
    // Begun inside the promise, so that even a throw while building the note is caught here.
    const written = Promise.resolve()
      .then(write)
      .then(
        () => 'written' as const,
        (err: unknown) => {
          warn(whyNotWritten(err));
          return 'failed' as const;
        },
      );
    if ((await Promise.race([written, late])) === 'late') warn(`not written within ${withinMs} ms; it goes on meanwhile`);
  } finally {
    clearTimeout(timer);
  }
}
