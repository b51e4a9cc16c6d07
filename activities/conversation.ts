import type { ChatMessage } from '../src/core/messages';
import { conversationAsText, entriesToSend } from '../src/core/request-builders';
import type { ConversationStore } from '../src/store/conversation-store';
import { parseInput } from './parse-input';
import { NestedTaskRequestSchema, ReadMessagesRequestSchema, StoreRecordsRequestSchema } from '../src/contract/store-requests';
import { withStore } from './store-access';

/** The activities that only read or write the conversation store. */
export function createConversationActivities(store: ConversationStore) {
  return {
    /**
     * A nested run's first step: its task is the outer conversation as text (all of it, or its
     * last message), read from the store and stored again as the inner run's own first message.
     */
    async openNestedTask(input: unknown): Promise<{ content: string; ref: string }> {
      const request = parseInput(NestedTaskRequestSchema, input, 'openNestedTask');
      return withStore(async () => {
        const content = conversationAsText(entriesToSend(await store.conversation(request.conversation), request.send));
        return { content, ref: await store.putBody(request.runId, { content }) };
      });
    },
    /** The records a run holds that no activity has written yet: written when it ends. */
    async storeRecords(input: unknown): Promise<void> {
      const { conversation } = parseInput(StoreRecordsRequestSchema, input, 'storeRecords');
      await withStore(() => store.putRecords(conversation.runId, conversation.unstored));
    },
    /** Records of another run (a nested run's answer) made whole, for a run whose decisions need the text. */
    async readMessages(input: unknown): Promise<ChatMessage[]> {
      const request = parseInput(ReadMessagesRequestSchema, input, 'readMessages');
      return withStore(() => store.complete(request.runId, request.records));
    },
  };
}
