import { RequestMalformedError } from '@a2a-js/sdk/errors';
import { applyPushChange, MAX_PUSH_CONFIGS, type PushConfig, type PushConfigChange } from '../core/push';
import type { ConversationStore } from '../store/conversation-store';

/**
 * Push configs of a task that has ended. A2A lets a client create, read, list and delete configs
 * on any task it can reach (CreateTaskPushNotificationConfig lists no error for a terminal task),
 * but an ended run's workflow is closed and takes no update. So the changes made after the end are
 * kept in the conversation store, beside the run, and laid over the configs the run ended with.
 * They never fire: notifications go out "when task updates occur" (A2A §4.3.3), and an ended task
 * changes no more.
 */
export interface EndedPushConfigs {
  version: 1;
  /** Configs created after the end, secrets sealed as the run's own are. */
  added: PushConfig[];
  /** Ids deleted after the end (of the run's configs, or of `added`). */
  deleted: string[];
}

const NOTE = 'a2a-push-configs';

/** The configs of an ended task: those the run ended with, less those deleted since, with those added since. */
export async function endedPushConfigs(store: ConversationStore, runId: string, ofRun: PushConfig[]): Promise<PushConfig[]> {
  const note = await store.runNote<EndedPushConfigs>(runId, NOTE);
  if (!note) return ofRun;
  const kept = ofRun.filter((c) => !note.deleted.includes(c.id) && !note.added.some((a) => a.id === c.id));
  return [...kept, ...note.added];
}

/**
 * Applies a change to an ended task's configs. Two changes at the same moment may race (the
 * later write wins); a config lost so would never have fired anyway.
 */
export async function changeEndedPushConfigs(
  store: ConversationStore,
  runId: string,
  /** The configs the run ended with, asked only to count them when one is added. */
  ofRun: () => Promise<PushConfig[]>,
  change: PushConfigChange,
): Promise<void> {
  const note = (await store.runNote<EndedPushConfigs>(runId, NOTE)) ?? { version: 1, added: [], deleted: [] };
  if (change.op === 'set') {
    const now = await endedPushConfigs(store, runId, await ofRun());
    if (!now.some((c) => c.id === change.config.id) && now.length >= MAX_PUSH_CONFIGS)
      throw new RequestMalformedError(`a task takes at most ${MAX_PUSH_CONFIGS} push notification configs`);
  }
  const deleted =
    change.op === 'delete' ? [...new Set([...note.deleted, change.id])] : note.deleted.filter((id) => id !== change.config.id);
  await store.putRunNote(runId, NOTE, { version: 1, added: applyPushChange(note.added, change), deleted } satisfies EndedPushConfigs);
}
