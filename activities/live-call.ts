import { Context } from '@temporalio/activity';
import type { LivePublisher, LiveSource } from '../src/core/live';

const BEAT_ON_PIECES_MS = 250;

/** What a model call does with its live preview: pieces of text as they come, and its end. */
export interface LiveCall {
  onDelta(piece: { text: string; tool?: string }): void;
  /** The call is over (its reply about to be recorded, or it failed): the preview ends. */
  end(): void;
}

/**
 * The live preview of the model call this activity makes. A later attempt of the same call first
 * says `reset`, so watchers drop what the failed attempt had written. Each piece is also a sign of
 * life: the activity heartbeats as tokens arrive (the SDK throttles the beats), so a worker that
 * dies mid-stream is noticed within the heartbeat timeout, not at the end of a silent call.
 */
export function startLiveCall(publisher: LivePublisher, who: { runId: string; turn: number; agent: string }): LiveCall {
  const ctx = Context.current();
  const source: LiveSource = { ...who, call: ctx.info.activityId, attempt: ctx.info.attempt };
  // The workflow recorded the turn's start before scheduling this call: a follower may look now.
  publisher.publish({ type: 'nudge', runId: who.runId });
  if (source.attempt > 1) publisher.publish({ ...source, type: 'reset', reason: `attempt ${source.attempt} of the call` });
  let lastBeat = 0;
  return {
    onDelta(piece) {
      // A sign of life with each piece, a few a second at most: the SDK's own throttle is per
      // heartbeat sent, and a reply of thousands of pieces should not make thousands of calls.
      if (Date.now() - lastBeat >= BEAT_ON_PIECES_MS) {
        lastBeat = Date.now();
        ctx.heartbeat();
      }
      if (piece.text) publisher.publish({ ...source, type: 'delta', text: piece.text, ...(piece.tool ? { tool: piece.tool } : {}) });
    },
    end() {
      publisher.publish({ ...source, type: 'done' });
    },
  };
}
