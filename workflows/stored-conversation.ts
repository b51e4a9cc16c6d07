import { patched, proxyActivities, proxyLocalActivities, workflowInfo, type RetryPolicy } from '@temporalio/workflow';
import type { TeamActivities } from '../activities';
import { finalAnswerOf, peopleOf } from '../src/core/final-answer';
import type { ChatMessage } from '../src/core/messages';
import { snapshotOf, type RunSnapshot, type RunState } from '../src/core/state';
import { conversationRef, noteStored, recordOf } from '../src/core/stored-messages';
import type { TeamSpec } from '../src/spec/team';
import type { NestedTaskSource, TeamRunResult } from './definitions';

/**
 * The marker of the change that moved conversations out of workflow history into the
 * conversation store. An execution begun before it has no marker and goes on as it ran: its
 * messages carried in its state and its result; the next execution of such a run (after
 * continue-as-new) takes the store.
 */
export const CONVERSATION_STORE_PATCH = 'conversation-store';

/**
 * The store's activities wait for the store as long as it takes: a run whose store is down waits
 * for it, and loses nothing, instead of failing.
 */
const STORE_RETRY: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  nonRetryableErrorTypes: ['InvalidActivityInput', 'MissingBody'],
};
const storeActivities = proxyActivities<TeamActivities>({ startToCloseTimeout: '1m', retry: STORE_RETRY });

/**
 * The last records of a finished run are a small write the worker can make at once: a local
 * activity, which costs no round trip through the server (as an activity it was a tenth of a
 * 10-turn run's time).
 */
const { storeRecords } = proxyLocalActivities<TeamActivities>({ startToCloseTimeout: '1m', retry: STORE_RETRY });

/** The workflow's side of the conversation store, decided once per execution. */
export function conversationStore() {
  const enabled = patched(CONVERSATION_STORE_PATCH);
  return {
    enabled,

    /** A nested run's task, read from its outer run's conversation (its text then in this history once). */
    openNestedTask(from: NestedTaskSource): Promise<{ content: string; ref: string }> {
      return storeActivities.openNestedTask({ v: 1, runId: workflowInfo().workflowId, conversation: from.conversation, send: from.send });
    },

    /** Writes the records no activity has written yet, so a finished run's transcript is whole in the store. */
    async storeRest(state: RunState): Promise<void> {
      if (!enabled) return;
      const ref = conversationRef(state);
      if (ref.unstored.length === 0) return;
      await storeRecords({ v: 1, conversation: ref });
      noteStored(state, ref);
    },

    /** Another run's records (a nested run's answer) with their text, for decisions that need it. */
    async whole(runId: string, messages: ChatMessage[]): Promise<ChatMessage[]> {
      if (!messages.some((m) => m.elided)) return messages;
      return storeActivities.readMessages({ v: 1, runId, records: messages });
    },

    /** The snapshot as history keeps it (a result, a failure's details): its last message by reference. */
    snapshot(state: RunState): RunSnapshot {
      const snapshot = snapshotOf(state);
      if (!enabled || !snapshot.lastMessage) return snapshot;
      return { ...snapshot, lastMessage: recordOf(snapshot.lastMessage) };
    },

    result(team: TeamSpec, state: RunState): TeamRunResult {
      if (!enabled) return { v: 1, snapshot: snapshotOf(state), messages: state.messages };
      const answer = finalAnswerOf(state.messages, peopleOf(team));
      return { v: 1, snapshot: this.snapshot(state), messages: [], answer: answer && recordOf(answer), conversation: 'store' };
    },
  };
}

export type WorkflowConversationStore = ReturnType<typeof conversationStore>;
