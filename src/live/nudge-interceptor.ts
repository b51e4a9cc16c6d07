import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { LivePublisher } from '../core/live';
import { runIdOfRequest } from '../core/activity-contract';

/**
 * Tells the front ends watching a run when an activity of it starts (the workflow recorded the
 * step's start before scheduling it) and when it finishes (the event it leads to — a tool's
 * result, a remote agent's reply, a model's message — lands in a moment), so followers ask at once
 * and not at their next slow poll. Every team activity's input names its run (`runId`); anything
 * else passes untouched.
 */
export function nudgeOnCompletion(publisher: LivePublisher): ActivityInterceptorsFactory {
  return () => ({
    inbound: {
      async execute(input, next) {
        const runId = runIdOfRequest(input.args[0]);
        if (runId) publisher.publish({ type: 'nudge', runId });
        try {
          return await next(input);
        } finally {
          if (runId) publisher.publish({ type: 'nudge', runId, soon: true });
        }
      },
    },
  });
}
