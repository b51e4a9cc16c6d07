import { Context } from '@temporalio/activity';
import type { LivePublisher, LiveSource } from '../src/core/live';

/** What a model call does with its live preview: pieces of text as they come, and its end. */
export interface LiveCall {
  onDelta(piece: { text: string; tool?: string }): void;
  /** The call is over (its reply about to be recorded, or it failed): the preview ends. */
  end(): void;
}

/**
 * The live preview of the model call this activity makes. A later attempt of the same call first
 * says `reset`, so watchers drop what the failed attempt had written. (The activity's heartbeat
 * is the model activities' own, every second for the whole call; the nudges to followers are the
 * worker's, for every activity: see nudge-interceptor.ts.)
 */
export function startLiveCall(publisher: LivePublisher, who: { runId: string; turn: number; agent: string }): LiveCall {
  const ctx = Context.current();
  // Named field by field: the caller's `who` may carry more (the publisher itself, whose channel
  // holds the store's URL), and whatever is here travels with every item to every watcher.
  const source: LiveSource = { runId: who.runId, turn: who.turn, agent: who.agent, call: ctx.info.activityId, attempt: ctx.info.attempt };
  if (source.attempt > 1) publisher.publish({ ...source, type: 'reset', reason: `attempt ${source.attempt} of the call` });
  return {
    onDelta(piece) {
      if (piece.text) publisher.publish({ ...source, type: 'delta', text: piece.text, ...(piece.tool ? { tool: piece.tool } : {}) });
    },
    end() {
      publisher.publish({ ...source, type: 'done' });
    },
  };
}
