import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { LivePublisher } from '../core/live';

/**
 * Tells the front ends watching a run that an activity of it just finished, so the event it
 * leads to (a tool's result, a remote agent's reply, a model's message) is asked for at once and
 * not at the follower's next slow poll. Every team activity's input names its run (`runId`);
 * anything else passes untouched.
 */
export function nudgeOnCompletion(publisher: LivePublisher): ActivityInterceptorsFactory {
  return () => ({
    inbound: {
      async execute(input, next) {
        const runId = runIdOf(input.args[0]);
        try {
          return await next(input);
        } finally {
          if (runId) publisher.publish({ type: 'nudge', runId, soon: true });
        }
      },
    },
  });
}

function runIdOf(arg: unknown): string | null {
  const runId = typeof arg === 'object' && arg !== null ? (arg as { runId?: unknown }).runId : undefined;
  return typeof runId === 'string' ? runId : null;
}
