import { patched, upsertMemo } from '@temporalio/workflow';
import { eventsToPublish, runHeadOf } from '../src/core/run-head';
import type { RunState } from '../src/core/state';
import { statusMemoOf } from '../src/visibility/run-memo';

/**
 * The marker of the change that made the run publish its read model. Runs begun before it replay
 * without the upserts; one of them that moves on under new code gains it from that step on
 * (patched() is asked at each publication, so the marker lands where the first one does).
 */
export const READ_MODEL_PATCH = 'read-model';

/**
 * Publishes the run's read model in its memo, so that no reader asks the workflow (a query waits
 * behind a busy workflow task, and Temporal refuses all but one at a time). Each publication is
 * one memo upsert, which Temporal writes into the run's history as it completes the step:
 * - `read`: the run's head (core/run-head.ts), which describe() returns as it stands now;
 * - `events`: the events since the last publication, as records, which a follower of the run's
 *   history reads in order (src/client/read-model/);
 * - the status memo's fields (status-memo.ts), which listings show.
 * Everything that changed within one activation goes out together, once its code has run.
 */
export function readModelPublisher(state: RunState): { changed(): void; readonly on: () => boolean } {
  // Events carried over from an earlier execution were published there.
  let published = state.nextEventSeq - 1;
  let pending = false;
  let on = false;
  const publish = () => {
    pending = false;
    if (!patched(READ_MODEL_PATCH)) return;
    on = true;
    const events = eventsToPublish(state, published);
    published = state.nextEventSeq - 1;
    upsertMemo({ ...statusMemoOf(state), read: runHeadOf(state), events });
  };
  return {
    changed() {
      if (pending) return;
      pending = true;
      // After the code this activation runs synchronously: one upsert for a step's many events.
      void Promise.resolve().then(publish);
    },
    /** Whether this run publishes its read model (then the status memo rides along). */
    on: () => on,
  };
}
